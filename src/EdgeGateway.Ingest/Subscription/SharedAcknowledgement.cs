namespace EdgeGateway.Ingest.Subscription;

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
