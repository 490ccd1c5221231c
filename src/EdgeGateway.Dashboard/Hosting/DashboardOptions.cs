namespace EdgeGateway.Dashboard.Hosting;

/// <summary>The <c>Dashboard</c> section of the config file (src/docs/dashboard.md, "Config"); paths relative to the file's folder.</summary>
public sealed class DashboardOptions
{
    /// <summary>The section's name.</summary>
    public const string Section = "Dashboard";

    /// <summary>Where Kestrel listens (one URL or several separated by ';'); behind a reverse proxy a loopback http URL.</summary>
    public string Urls { get; set; } = "http://127.0.0.1:8090";

    /// <summary>InfluxDB's HTTP API (1.x, or 2.x through its v1 compatibility API with <see cref="InfluxToken"/>).</summary>
    public string InfluxUrl { get; set; } = "http://127.0.0.1:8086";

    /// <summary>Database (1.x) or DBRP-mapped bucket (2.x).</summary>
    public string Database { get; set; } = "edgegw";

    /// <summary>InfluxDB 2 API token with read access; none for 1.x.</summary>
    public string? InfluxToken { get; set; }

    /// <summary>The programme register (CSV, src/docs/evaluation.md).</summary>
    public string Register { get; set; } = "";

    /// <summary>The users file (JSON); created with the first <c>user add</c>.</summary>
    public string Users { get; set; } = "";

    /// <summary>The data-protection key ring's folder: cookies stay valid across restarts, and only this ring's cookies are taken.</summary>
    public string KeysDirectory { get; set; } = "";

    /// <summary>First day of the programme window (site-local date, YYYY-MM-DD).</summary>
    public string From { get; set; } = "";

    /// <summary>Day after the window's last (exclusive); empty: tomorrow, so that the window grows with the data.</summary>
    public string To { get; set; } = "";

    /// <summary>The programme's name, heading the pages.</summary>
    public string Title { get; set; } = "Programme dashboard";

    /// <summary>Days per period of the evaluation.</summary>
    public int PeriodDays { get; set; } = 7;

    /// <summary>Bootstrap replications of the evaluation.</summary>
    public int Bootstrap { get; set; } = 999;

    /// <summary>Seed of the bootstrap.</summary>
    public long Seed { get; set; } = 1;

    /// <summary>At most how often the data version is asked of InfluxDB (seconds); the Refresh button asks at once.</summary>
    public int DataCheckSeconds { get; set; } = 30;

    /// <summary>Failed sign-in attempts per minute for one user name from one address (4 times as many for one address over all names); then attempts are answered 429.</summary>
    public int SignInAttemptsPerMinute { get; set; } = 5;

    /// <summary>How long a sign-in lasts without use (minutes).</summary>
    public int SessionMinutes { get; set; } = 480;

    /// <summary>Addresses of reverse proxies whose X-Forwarded-For/-Proto are believed (loopback always is).</summary>
    public string[] KnownProxies { get; set; } = [];
}
