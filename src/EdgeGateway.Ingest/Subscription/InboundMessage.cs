namespace EdgeGateway.Ingest.Subscription;

/// <summary>Acknowledges one delivered message to the broker (a PUBACK); the broker redelivers what is never acknowledged.</summary>
public interface IDeliveryAcknowledgement
{
    /// <summary>
    /// Sends the acknowledgement; false when it cannot be sent any more (the connection it came on is gone: the broker
    /// will deliver the message again). Never throws but for cancellation.
    /// </summary>
    ValueTask<bool> AcknowledgeAsync(CancellationToken cancellationToken);
}

/// <summary>A message as it arrived: topic, payload (cut to the size limit), size, arrival time and how to acknowledge it.</summary>
public sealed class InboundMessage(string topic, ReadOnlyMemory<byte> payload, long payloadSize, long receivedAtMs, IDeliveryAcknowledgement acknowledgement)
{
    /// <summary>The topic it was published to.</summary>
    public string Topic { get; } = topic;

    /// <summary>The payload (for an oversize message only its beginning).</summary>
    public ReadOnlyMemory<byte> Payload { get; } = payload;

    /// <summary>The payload's size as received.</summary>
    public long PayloadSize { get; } = payloadSize;

    /// <summary>Arrival time, Unix ms.</summary>
    public long ReceivedAtMs { get; } = receivedAtMs;

    /// <summary>Acknowledges it to the broker.</summary>
    public IDeliveryAcknowledgement Acknowledgement { get; } = acknowledgement;
}

/// <summary>
/// The acknowledgement of a batch message shared by its records: the broker's acknowledgement is sent when the last of
/// them is acknowledged (each once its point is stored or it is dead-lettered).
/// </summary>
public sealed class SharedAcknowledgement(IDeliveryAcknowledgement message, int records) : IDeliveryAcknowledgement
{
    private int _waiting = records;

    /// <inheritdoc />
    public ValueTask<bool> AcknowledgeAsync(CancellationToken cancellationToken) =>
        Interlocked.Decrement(ref _waiting) == 0 ? message.AcknowledgeAsync(cancellationToken) : ValueTask.FromResult(true);
}
