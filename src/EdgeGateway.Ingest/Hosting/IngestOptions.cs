using System.ComponentModel.DataAnnotations;
using EdgeGateway.Ingest.Validation;

namespace EdgeGateway.Ingest.Hosting;

/// <summary>The ingest's options (config section <c>Ingest</c>; environment <c>EDGEGW_Ingest__…</c>; command line <c>--Ingest:…</c>).</summary>
public sealed class IngestOptions
{
    /// <summary>The config section.</summary>
    public const string Section = "Ingest";

    /// <summary>Broker connection and subscription.</summary>
    [Microsoft.Extensions.Options.ValidateObjectMembers]
    public IngestMqttOptions Mqtt { get; set; } = new();

    /// <summary>The database.</summary>
    [Microsoft.Extensions.Options.ValidateObjectMembers]
    public InfluxOptions Influx { get; set; } = new();

    /// <summary>Points per database write; a batch is written when it holds this many or <see cref="FlushInterval"/> has passed.</summary>
    [Range(1, 50_000)]
    public int BatchSize { get; set; } = 1000;

    /// <summary>Longest time the first message of a batch waits for the batch to fill.</summary>
    public TimeSpan FlushInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Where <c>deadletter.jsonl</c> is appended to.</summary>
    [Required]
    public string DeadLetterDirectory { get; set; } = "/var/lib/edgegw-ingest";

    /// <summary>Largest accepted payload; a larger one is dead-lettered (with its first this many bytes).</summary>
    [Range(256, 16 * 1024 * 1024)]
    public int MaxPayloadBytes { get; set; } = 64 * 1024;

    /// <summary>How far past the ingest's clock a record's time may lie; a later one is dead-lettered (kind <c>time</c>).</summary>
    public TimeSpan MaxFutureSkew { get; set; } = PlausibleTime.DefaultMaxFutureSkew;

    /// <summary>A record dated earlier is dead-lettered (kind <c>time</c>).</summary>
    public DateTimeOffset EarliestTime { get; set; } = PlausibleTime.DefaultEarliestTime;

    /// <summary>First delay after a failed write; doubles per failure up to <see cref="MaxRetryDelay"/>, ±20 % jitter.</summary>
    public TimeSpan MinRetryDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Longest delay between write attempts (a Retry-After from the database is honoured even when longer, up to 10 minutes).</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The fleet file (<c>site,gateway,cells</c>, as for <c>edgegw pki broker-config</c>), read once at start; when set,
    /// every sender must be who it says (src/docs/ingest.md, "Identity"). Null: only the topic's ids and the payload's must agree.
    /// </summary>
    public string? FleetFile { get; set; }

    /// <summary>How often the counters are logged.</summary>
    public TimeSpan StatusInterval { get; set; } = TimeSpan.FromMinutes(1);
}
