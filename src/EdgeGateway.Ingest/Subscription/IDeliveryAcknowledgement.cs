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
