using EdgeGateway.Core.Payload;

namespace EdgeGateway.Core.Configuration;

/// <summary>
/// The fleet file of <c>edgegw pki broker-config</c> and of the ingest's <c>Ingest:FleetFile</c> (one parser, so that
/// the broker's ACL and the ingest's identity checks read the same fleet the same way): CSV with the header <c>site,gateway,cells</c>, one gateway a
/// line, its cells separated by <c>;</c>; blank lines and lines starting with <c>#</c> are skipped. Every problem names
/// the file and line. Besides the id rule (<see cref="Ids"/>) it refuses what would let one gateway write another's
/// topics once the ACL is made from it: a cell two gateways of a site claim, a cell named like a topic level of the
/// scheme (<c>status</c>, <c>batch</c>: <c>{prefix}/{site}/status/state</c> is gateway <c>state</c>'s status), the
/// dead-letter level as a site, and two rows whose identities <c>SITE.GATEWAY</c> coincide (ids may hold dots).
/// </summary>
public static class FleetFile
{
    /// <summary>The header line.</summary>
    public const string Header = "site,gateway,cells";

    /// <summary>
    /// Reads and checks fleet file text; <paramref name="name"/> names it in errors. Reading the file is the caller's
    /// (each program words a file it cannot read its own way); throws <see cref="InputException"/>.
    /// </summary>
    public static List<FleetGateway> Parse(string text, string name)
    {
        ArgumentNullException.ThrowIfNull(text);
        var gateways = new List<FleetGateway>();
        var identities = new Dictionary<string, int>(StringComparer.Ordinal);
        var cellOwners = new Dictionary<(string Site, string Cell), FleetGateway>();
        var header = false;
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var number = i + 1;
            var line = lines[i].TrimEnd('\r');
            if (line.Trim().Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            if (!header)
            {
                header = line.Replace(" ", "", StringComparison.Ordinal) == Header
                    ? true
                    : throw new InputException(name, number, $"the first line must be the header '{Header}', found '{InputText.Quote(line)}'");
                continue;
            }

            var gateway = ParseRow(line, name, number);
            if (identities.TryGetValue(gateway.Identity, out var earlier))
            {
                throw new InputException(name, number, $"gateway '{gateway.Gateway}' at site '{gateway.Site}' has the identity '{gateway.Identity}' of line {earlier} already (the certificate CN, the broker's user name and client id)");
            }

            identities[gateway.Identity] = number;
            foreach (var cell in gateway.Cells)
            {
                if (cellOwners.TryGetValue((gateway.Site, cell), out var owner))
                {
                    throw new InputException(name, number, $"cell '{cell}' of site '{gateway.Site}' is gateway '{owner.Gateway}''s already (line {owner.Line}): a cell is measured by one gateway");
                }

                cellOwners[(gateway.Site, cell)] = gateway;
            }

            gateways.Add(gateway);
        }

        return gateways.Count > 0 ? gateways : throw new InputException(name, 0, header ? "no gateways: one line site,gateway,cells per gateway after the header" : $"empty: the first line must be the header '{Header}'");
    }

    private static FleetGateway ParseRow(string line, string name, int number)
    {
        var fields = line.Split(',');
        if (fields.Length != 3)
        {
            throw new InputException(name, number, $"expected 3 fields {Header}, found {fields.Length}: '{InputText.Quote(line)}'");
        }

        var site = Id(fields[0].Trim(), "site", name, number);
        var gateway = Id(fields[1].Trim(), "gateway", name, number);
        if (site == TopicScheme.DeadLetterLevel)
        {
            throw new InputException(name, number, $"site '{site}' is the level of the ingest's dead letters ({TopicScheme.DeadLetterTopic("PREFIX", "KIND")}), not a site");
        }

        var cells = new List<string>();
        foreach (var text in fields[2].Split(';'))
        {
            var cell = Id(text.Trim(), "cell", name, number);
            if (TopicScheme.GatewayLevels.Contains(cell))
            {
                throw new InputException(name, number, $"cell '{cell}' is a level of the topic scheme ({TopicScheme.StatusTopic("PREFIX", site, "GATEWAY")}, {TopicScheme.BatchTopic("PREFIX", site, "GATEWAY")}, {TopicScheme.CommandTopic("PREFIX", site, "GATEWAY")}, {TopicScheme.ReplyTopic("PREFIX", site, "GATEWAY")}): its state topic would be another gateway's; rename the cell");
            }

            if (cells.Contains(cell))
            {
                throw new InputException(name, number, $"cell '{cell}' is listed twice");
            }

            cells.Add(cell);
        }

        return new FleetGateway(site, gateway, cells, number);
    }

    private static string Id(string text, string what, string name, int number) =>
        Ids.IsValid(text) ? text : throw new InputException(name, number, text.Length == 0 ? $"the {what} is empty" : $"{what} '{InputText.Quote(text)}' is not an id ({Ids.Rule})");
}
