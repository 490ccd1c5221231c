using EdgeGateway.Core.Payload;
using EdgeGateway.Core.Storage;

namespace EdgeGateway.Queries;

/// <summary>A gateway's last status point: online or offline, when, and its outbox depth (null when not reported).</summary>
public sealed record GatewayStatus(string Site, string Gateway, string Status, DateTimeOffset At, long? OutboxDepth)
{
    /// <summary>Whether its last word was a birth or heartbeat rather than its last will or a clean shutdown.</summary>
    public bool Online => Status == StatusPayload.Online;
}

/// <summary>The last <c>gateway_status</c> point per site and gateway: one small query, at most one row per gateway.</summary>
public static class GatewayStatusQuery
{
    /// <summary>The InfluxQL for the gateways of all sites, or of <paramref name="site"/>.</summary>
    public static string Query(string? site) =>
        $"SELECT \"status\", \"{InfluxSchema.OutboxPrefix}depth\" FROM \"{InfluxSchema.StatusMeasurement}\"" +
        (site is null ? "" : $" WHERE \"{InfluxSchema.SiteTag}\" = {InfluxQl.Literal(site)}") +
        $" GROUP BY \"{InfluxSchema.SiteTag}\", \"{InfluxSchema.GatewayTag}\" ORDER BY time DESC LIMIT 1";

    /// <summary>The gateways of the answer, by site and gateway id.</summary>
    public static List<GatewayStatus> Read(IReadOnlyList<InfluxSeries> series)
    {
        var gateways = new List<GatewayStatus>();
        foreach (var s in series)
        {
            var index = InfluxQl.Columns(s);
            foreach (var row in s.Rows)
            {
                var depth = InfluxQl.Number(row, index, InfluxSchema.OutboxPrefix + "depth");
                gateways.Add(new GatewayStatus(
                    s.Tags.GetValueOrDefault(InfluxSchema.SiteTag, ""), s.Tags.GetValueOrDefault(InfluxSchema.GatewayTag, ""),
                    InfluxQl.Text(row, index, "status") ?? "", InfluxQl.Time(row, index), depth is { } d ? (long)d : null));
            }
        }

        gateways.Sort((a, b) => string.CompareOrdinal(a.Site, b.Site) is var bySite and not 0 ? bySite : string.CompareOrdinal(a.Gateway, b.Gateway));
        return gateways;
    }
}
