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

    /// <summary>Age of the outbox's oldest record in seconds (online, null when the outbox is empty).</summary>
    public double? OutboxOldestAgeS { get; init; }

    /// <summary>The gateway's delivery counts (online, from gateways with delivery confirmations).</summary>
    public DeliveryCounts? Delivery { get; init; }

    /// <summary>Whether the gateway's clock was synchronised (online only).</summary>
    public bool? ClockSynced { get; init; }

    /// <summary>Seconds the agent has run (online, from gateways with the heartbeat fields).</summary>
    public double? UptimeS { get; init; }

    /// <summary>Seconds from the last window record to the birth's time (online; null before the first record).</summary>
    public double? LastRecordAgeS { get; init; }

    /// <summary>The clock's offset from its NTP source in seconds (online; null when unknown).</summary>
    public double? ClockOffsetS { get; init; }

    /// <summary>Bytes free on the outbox's file system (online; null when unknown).</summary>
    public long? DiskFreeBytes { get; init; }

    /// <summary>CPU temperature in °C (online; null where the board has no sensor).</summary>
    public double? CpuTempC { get; init; }
}
