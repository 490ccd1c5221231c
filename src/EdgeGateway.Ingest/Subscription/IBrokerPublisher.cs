namespace EdgeGateway.Ingest.Subscription;

/// <summary>Publishes the ingest's own messages, dead letters and delivery confirmations (implemented by the MQTT session; faked in tests and benchmarks).</summary>
public interface IBrokerPublisher
{
    /// <summary>Publishes at QoS 1; true once the broker acknowledged, false when it could not be delivered.</summary>
    Task<bool> PublishAsync(string topic, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken);
}
