using EdgeGateway.Core.Kpi;
using EdgeGateway.Core.Payload;

namespace EdgeGateway.Agent.Publishing;

/// <summary>
/// The topic scheme (src/docs/payloads-and-topics.md, "MQTT"): <c>{prefix}/{site}/{cell}/kpi/{window}</c>,
/// <c>{prefix}/{site}/{cell}/state</c> and the retained <c>{prefix}/{site}/status/{gateway}</c>. Everything a gateway
/// writes lies under its site, so a broker ACL on <c>{prefix}/{site}/#</c> confines it.
/// </summary>
public sealed class Topics(string prefix, string site, string gateway)
{
    /// <summary>The retained birth / last-will topic of this gateway.</summary>
    public string Status { get; } = $"{prefix}/{site}/status/{gateway}";

    /// <summary>This gateway's batches of records (src/docs/payloads-and-topics.md, "Batches").</summary>
    public string Batch { get; } = RecordBatch.Topic(prefix, site, gateway);

    /// <summary>Everything of the site (for subscribers and ACLs).</summary>
    public string SiteFilter { get; } = $"{prefix}/{site}/#";

    /// <summary>KPI records of one cell and window kind.</summary>
    public string Kpi(string cell, WindowKind kind) => $"{prefix}/{site}/{cell}/kpi/{kind.Name()}";

    /// <summary>State changes of one cell.</summary>
    public string State(string cell) => $"{prefix}/{site}/{cell}/state";
}
