using EdgeGateway.Core.Payload;

namespace EdgeGateway.Ingest.Validation;

/// <summary>A gateway's birth (online) or last-will / shutdown (offline) status.</summary>
public sealed class StatusRecord : IngestRecord
{
    /// <summary><c>online</c> or <c>offline</c>.</summary>
    public required string Status { get; init; }

    /// <summary>The birth message's <c>at</c>; for offline (which has none) the arrival time, Unix ms.</summary>
    public required long AtMs { get; init; }

    /// <summary>Software version (online only).</summary>
    public string? Software { get; init; }

    /// <summary>SHA-256 of the gateway's config (online only).</summary>
    public string? ConfigSha256 { get; init; }

    /// <summary>Outbox depth (online only).</summary>
    public long? OutboxDepth { get; init; }

    /// <summary>Records the outbox dropped (online only).</summary>
    public long? OutboxDropped { get; init; }

    /// <summary>Corrupt outbox frames (online only).</summary>
    public long? OutboxCorrupt { get; init; }

    /// <summary>The gateway's delivery counts (online, from gateways with delivery confirmations).</summary>
    public DeliveryCounts? Delivery { get; init; }

    /// <summary>Whether the gateway's clock was synchronised (online only).</summary>
    public bool? ClockSynced { get; init; }
}
