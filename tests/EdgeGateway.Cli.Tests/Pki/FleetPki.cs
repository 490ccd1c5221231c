using EdgeGateway.Cli.Pki;

namespace EdgeGateway.Cli.Tests.Pki;

/// <summary>
/// A programme PKI made with <c>edgegw pki</c> as the docs say, and a real Mosquitto running the config and ACL that
/// <c>edgegw pki broker-config</c> generated for the fleet: site sme-0042 with gateways gw-1 (cells lathe-1, press-2)
/// and gw-2 (mill-3), site sme-0117 with gw-1 (lathe-1); the ingest, the monitor and an operator of sme-0042.
/// </summary>
public sealed class FleetPki : IDisposable
{
    /// <summary>Gateway A, B (another site) and A's neighbour at its own site.</summary>
    public const string A = "sme-0042.gw-1", B = "sme-0117.gw-1", Neighbour = "sme-0042.gw-2";

    /// <summary>A tablet of site sme-0042: sends commands to that site's gateways, reads their replies.</summary>
    public const string Operator = "tablet-1@sme-0042";

    private const string Fleet = "site,gateway,cells\nsme-0042,gw-1,lathe-1;press-2\nsme-0042,gw-2,mill-3\nsme-0117,gw-1,lathe-1\n";

    public FleetPki()
    {
        Root = Directory.CreateTempSubdirectory("edgegw-pki-").FullName;
        Dir = Path.Combine(Root, "pki");
        Out = Path.Combine(Root, "broker");
        FleetFile = Path.Combine(Root, "fleet.csv");
        File.WriteAllText(FleetFile, Fleet);
        PkiRun.Ok("pki", "init", "--dir", Dir);
        PkiRun.Ok("pki", "issue", "broker", "--dir", Dir, "--host", "127.0.0.1", "--host", "localhost");
        PkiRun.Ok("pki", "issue", "ingest", "--dir", Dir);
        PkiRun.Ok("pki", "issue", "monitor", "--dir", Dir);
        PkiRun.Ok("pki", "issue", "operator", "--dir", Dir, "--site", "sme-0042", "--name", "tablet-1");
        foreach (var (site, gateway) in new[] { ("sme-0042", "gw-1"), ("sme-0042", "gw-2"), ("sme-0117", "gw-1") })
        {
            PkiRun.Ok("pki", "issue", "gateway", "--dir", Dir, "--site", site, "--gateway", gateway);
        }

        Broker = Launch(Dir, Out, FleetFile);
    }

    /// <summary>The temporary folder of everything.</summary>
    public string Root { get; }

    /// <summary>The PKI folder (<c>--dir</c>).</summary>
    public string Dir { get; }

    /// <summary>The broker's folder (<c>--out</c> of broker-config).</summary>
    public string Out { get; }

    /// <summary>The fleet file.</summary>
    public string FleetFile { get; }

    internal MosquittoBroker Broker { get; }

    /// <summary>
    /// A fresh PKI in <paramref name="dir"/> as the docs make one for loopback: the CA, the broker's certificate for
    /// 127.0.0.1 and localhost, the monitor's, and the gateway certificates of <paramref name="site"/> and <paramref name="gateways"/>.
    /// </summary>
    internal static void Create(string dir, string site, params string[] gateways)
    {
        PkiRun.Ok("pki", "init", "--dir", dir);
        PkiRun.Ok("pki", "issue", "broker", "--dir", dir, "--host", "127.0.0.1", "--host", "localhost");
        PkiRun.Ok("pki", "issue", "monitor", "--dir", dir);
        foreach (var gateway in gateways)
        {
            PkiRun.Ok("pki", "issue", "gateway", "--dir", dir, "--site", site, "--gateway", gateway);
        }
    }

    /// <summary>A broker running what broker-config writes for <paramref name="dir"/> and <paramref name="fleet"/>, regenerated at each start.</summary>
    internal static MosquittoBroker Launch(string dir, string output, string fleet) => MosquittoBroker.Launch(new MosquittoSettings
    {
        GeneratedConfig = port =>
        {
            PkiRun.Ok("pki", "broker-config", "--dir", dir, "--fleet", fleet, "--out", output, "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "--bind", MosquittoBroker.Host, "--broker-dir", output, "--persistence-dir", output + "/");
            return File.ReadAllText(Path.Combine(output, BrokerConfig.ConfigName));
        },
    });

    /// <summary>The certificate and key files of <paramref name="name"/> in <paramref name="dir"/>.</summary>
    internal static (string Certificate, string Key) Identity(string dir, string name) =>
        (Path.Combine(dir, "issued", name + ".crt"), Path.Combine(dir, "issued", name + ".key"));

    internal (string Certificate, string Key) Identity(string name) => Identity(Dir, name);

    public void Dispose()
    {
        Broker.Dispose();
        Directory.Delete(Root, recursive: true);
    }
}
