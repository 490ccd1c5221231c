using System.ComponentModel.DataAnnotations;

namespace EdgeGateway.Ingest.Hosting;

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
