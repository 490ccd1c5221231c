using EdgeGateway.Core.Configuration;
using EdgeGateway.Core.Payload;

namespace EdgeGateway.Ingest.Validation;

/// <summary>
/// The identity checks against the fleet file (<c>Ingest:FleetFile</c>, src/docs/ingest.md, "Identity"): defence in
/// depth behind the broker's ACL. A kpi or state topic names the site and cell, not the gateway, so the payload's
/// <c>gateway</c> must be the one the file gives that cell; a status or batch topic names its gateway, which the file
/// must list. Each check returns the reason of a <see cref="RejectionKind.Identity"/> rejection, or null. The ids are
/// checked ones (topic and payload readers), so a reason quotes them as they are.
/// </summary>
internal static class FleetIdentity
{
    /// <summary>What the topic alone says against the fleet: a site, cell or gateway the file does not list.</summary>
    public static string? OfTopic(Fleet fleet, TopicAddress address) => address.Kind switch
    {
        TopicKind.Kpi or TopicKind.State => fleet.OwnerOf(address.Site, address.Cell!) is null ? Unlisted(fleet, address.Site, $"cell '{address.Cell}' of site '{address.Site}'") : null,
        TopicKind.Status or TopicKind.Batch => fleet.Find(address.Site, address.Gateway!) is null ? Unlisted(fleet, address.Site, $"gateway '{address.Gateway}' of site '{address.Site}'") : null,
        _ => null,
    };

    /// <summary>
    /// A record of <paramref name="cell"/> at <paramref name="site"/> said to come from <paramref name="gateway"/>
    /// (<paramref name="whose"/>: <c>payload gateway</c>, <c>the batch's gateway</c>): null when the file gives the cell to it.
    /// </summary>
    public static string? OfCell(Fleet fleet, string site, string cell, string gateway, string whose) => fleet.OwnerOf(site, cell) switch
    {
        null => Unlisted(fleet, site, $"cell '{cell}' of site '{site}'"),
        { } owner when owner.Gateway != gateway => $"cell '{cell}' of site '{site}' is gateway '{owner.Gateway}''s ({fleet.Name}:{owner.Line}), not {whose} '{gateway}''s",
        _ => null,
    };

    private static string Unlisted(Fleet fleet, string site, string what) =>
        fleet.HasSite(site) ? $"{what} is not in the fleet file {fleet.Name}" : $"site '{site}' is not in the fleet file {fleet.Name}";
}
