namespace EdgeGateway.Core.Configuration;

/// <summary>
/// The gateways of a fleet file (<see cref="FleetFile"/>) looked up by what a topic names: which gateway measures a
/// site's cell (a kpi or state topic names no gateway), and whether a site has a gateway (a status or batch topic names
/// it). The file has made sure a cell has one gateway and an identity one row, so each lookup has at most one answer.
/// </summary>
public sealed class Fleet
{
    private readonly Dictionary<(string Site, string Cell), FleetGateway> _cellOwners = [];
    private readonly Dictionary<(string Site, string Gateway), FleetGateway> _gateways = [];
    private readonly HashSet<string> _sites = new(StringComparer.Ordinal);

    /// <summary>The lookup of <paramref name="gateways"/> as <see cref="FleetFile.Parse"/> returned them from the file <paramref name="name"/>.</summary>
    public Fleet(IReadOnlyList<FleetGateway> gateways, string name)
    {
        ArgumentNullException.ThrowIfNull(gateways);
        Name = name;
        Gateways = gateways;
        foreach (var gateway in gateways)
        {
            _gateways.Add((gateway.Site, gateway.Gateway), gateway);
            _sites.Add(gateway.Site);
            foreach (var cell in gateway.Cells)
            {
                _cellOwners.Add((gateway.Site, cell), gateway);
            }
        }
    }

    /// <summary>The file it was read from, as its problems and the reasons that cite it name it.</summary>
    public string Name { get; }

    /// <summary>The gateways, in the file's order.</summary>
    public IReadOnlyList<FleetGateway> Gateways { get; }

    /// <summary>Reads and checks fleet file text (<see cref="FleetFile.Parse"/>); <paramref name="name"/> names it in errors.</summary>
    public static Fleet Parse(string text, string name) => new(FleetFile.Parse(text, name), name);

    /// <summary>The gateway that measures <paramref name="cell"/> at <paramref name="site"/>, or null when the file lists no such cell.</summary>
    public FleetGateway? OwnerOf(string site, string cell) => _cellOwners.GetValueOrDefault((site, cell));

    /// <summary>Gateway <paramref name="gateway"/> at <paramref name="site"/>, or null when the file does not list it.</summary>
    public FleetGateway? Find(string site, string gateway) => _gateways.GetValueOrDefault((site, gateway));

    /// <summary>Whether the file lists any gateway at <paramref name="site"/>.</summary>
    public bool HasSite(string site) => _sites.Contains(site);
}
