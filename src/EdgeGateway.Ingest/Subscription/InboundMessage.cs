namespace EdgeGateway.Ingest.Subscription;

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
