using System.ComponentModel.DataAnnotations;
using EdgeGateway.Core.Payload;
using EdgeGateway.Ingest.Validation;
using EdgeGateway.Mqtt;

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

    /// <summary>How often the counters are logged.</summary>
    public TimeSpan StatusInterval { get; set; } = TimeSpan.FromMinutes(1);
}

/// <summary>Broker connection and subscription (config section <c>Ingest:Mqtt</c>): the keys every broker connection has, and the ingest's own.</summary>
public sealed class IngestMqttOptions : BrokerOptions
{
    /// <summary>MQTT client id; must be stable across restarts (the broker keeps the session under it) and unique per instance.</summary>
    [Required]
    [RegularExpression("^[A-Za-z0-9._-]{1,128}$")]
    public string ClientId { get; set; } = $"edgegw-ingest.{Environment.MachineName}";

    /// <summary>Subscribe as a member of <see cref="Group"/> (MQTT 5 shared subscription), so that instances share the messages.</summary>
    public bool SharedSubscription { get; set; } = true;

    /// <summary>Shared-subscription group: instances with the same group share the messages (each message goes to one).</summary>
    [Required]
    [RegularExpression("^[^/#+]{1,64}$")]
    public string Group { get; set; } = "edgegw-ingest";

    /// <summary>Versioned topic prefix the gateways publish under.</summary>
    [Required]
    [RegularExpression("^[^#+]*[^#+/]$")]
    public string TopicPrefix { get; set; } = TopicScheme.DefaultPrefix;

    /// <summary>
    /// How long the broker keeps this instance's session (and queues its messages) while it is away. 0 by default: with
    /// delivery confirmations a gateway sends again whatever the ingest did not take, and a stopped member of a shared
    /// subscription with a kept session would go on being assigned its share (src/docs/ingest.md).
    /// </summary>
    public TimeSpan SessionExpiry { get; set; } = TimeSpan.Zero;

    /// <summary>QoS 1 messages the broker may have in flight to this instance unacknowledged (MQTT 5 Receive Maximum).</summary>
    [Range(1, 65535)]
    public int ReceiveMaximum { get; set; } = 2000;

    /// <summary>Socket send and receive buffer (MQTTnet's default of 8 KiB fixes the TCP window small; see src/docs/ingest.md, "Broker").</summary>
    [Range(8 * 1024, 16 * 1024 * 1024)]
    public int SocketBufferBytes { get; set; } = 1024 * 1024;
}

/// <summary>Which InfluxDB API the ingest writes through.</summary>
public enum InfluxApiVersion
{
    /// <summary>Unset (invalid).</summary>
    None = 0,

    /// <summary>InfluxDB 1.x: <c>POST /write?db=&amp;rp=&amp;precision=ms</c> with user and password.</summary>
    V1 = 1,

    /// <summary>InfluxDB 2.x / Cloud through InfluxDB.Client: org, bucket, token.</summary>
    V2 = 2,
}

/// <summary>The database (config section <c>Ingest:Influx</c>).</summary>
public sealed class InfluxOptions
{
    /// <summary>1 (InfluxDB 1.x, the <c>/write</c> API) or 2 (InfluxDB 2.x through InfluxDB.Client).</summary>
    public InfluxApiVersion Version { get; set; } = InfluxApiVersion.V1;

    /// <summary>Base URL, e.g. <c>http://localhost:8086</c>.</summary>
    [Required]
    public string Url { get; set; } = "http://localhost:8086";

    /// <summary>Version 1: the database (created at start when missing).</summary>
    public string? Database { get; set; } = "edgegw";

    /// <summary>Version 1: the retention policy; empty for the database's default.</summary>
    public string? RetentionPolicy { get; set; } = "autogen";

    /// <summary>Version 1: user name (HTTP basic authentication).</summary>
    public string? Username { get; set; }

    /// <summary>Version 1: password (prefer the environment: <c>EDGEGW_Ingest__Influx__Password</c>).</summary>
    public string? Password { get; set; }

    /// <summary>Version 2: organisation.</summary>
    public string? Org { get; set; }

    /// <summary>Version 2: bucket.</summary>
    public string? Bucket { get; set; } = "edgegw";

    /// <summary>Version 2: API token (prefer the environment: <c>EDGEGW_Ingest__Influx__Token</c>).</summary>
    public string? Token { get; set; }

    /// <summary>Version 1: create the database at start (<c>CREATE DATABASE</c> is idempotent); needs admin rights when authentication is on.</summary>
    public bool CreateDatabase { get; set; } = true;

    /// <summary>Time a write may take before it counts as failed (and is retried).</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);
}
