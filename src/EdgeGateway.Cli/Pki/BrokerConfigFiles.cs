using EdgeGateway.Core;
using EdgeGateway.Core.Configuration;

namespace EdgeGateway.Cli.Pki;

/// <summary>
/// <c>edgegw pki broker-config</c>: the broker's folder, complete — mosquitto.conf, the ACL, and copies of the CA
/// certificate, the broker's certificate and key (0600) and the revocation list — to be copied to the broker's
/// <see cref="BrokerConfig.BrokerDir"/>.
/// </summary>
internal static class BrokerConfigFiles
{
    /// <summary>The name of the broker's certificate in the PKI folder (<c>edgegw pki issue broker</c>).</summary>
    public const string BrokerName = "broker";

    /// <summary>Writes the files into <paramref name="outDir"/> (created when missing) and returns the summary line.</summary>
    public static string Write(PkiFolder folder, string fleetPath, string outDir, BrokerConfig config)
    {
        folder.RequireCa();
        var fleet = FleetFile.Parse(PkiFolder.ReadText(fleetPath, "fleet file"), fleetPath);
        var issued = folder.ListIssued();
        if (!issued.Any(c => c.Name == BrokerName && c.Kind == IdentityKind.Broker && c.RevokedAt is null))
        {
            throw new InputException(folder.IssuedCertificate(BrokerName), 0, "no broker certificate: run 'edgegw pki issue broker --dir DIR --host NAME…' first");
        }

        if (!File.Exists(folder.Crl))
        {
            throw new InputException(folder.Crl, 0, "no revocation list: run 'edgegw pki crl --dir DIR' first");
        }

        var live = issued.Where(c => c.RevokedAt is null).ToList();
        var ingest = live.Where(c => c.Kind == IdentityKind.Ingest).Select(c => c.Name).ToList();
        var monitor = live.Where(c => c.Kind == IdentityKind.Monitor).Select(c => c.Name).ToList();
        var operators = live.Where(c => c.Kind == IdentityKind.Operator).Select(c => c.Name).ToList();
        var full = Path.GetFullPath(outDir);
        if (File.Exists(full))
        {
            throw new InputException("--out", 0, $"'{InputText.Quote(outDir)}' is a file; give a folder");
        }

        try
        {
            Directory.CreateDirectory(full);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InputException("--out", 0, $"cannot create '{InputText.Quote(outDir)}': {InputText.Quote(e.Message, 200)}");
        }

        var fleetName = Path.GetFileName(fleetPath);
        Copy(folder.CaCertificate, Path.Combine(full, BrokerConfig.CaName), secret: false);
        Copy(folder.IssuedCertificate(BrokerName), Path.Combine(full, BrokerConfig.CertName), secret: false);
        Copy(folder.IssuedKey(BrokerName), Path.Combine(full, BrokerConfig.KeyName), secret: true);
        Copy(folder.Crl, Path.Combine(full, BrokerConfig.CrlName), secret: false);
        PkiFolder.WriteAtomically(Path.Combine(full, BrokerConfig.AclName), config.Acl(fleetName, fleet, ingest, monitor, operators), secret: false);
        PkiFolder.WriteAtomically(Path.Combine(full, BrokerConfig.ConfigName), config.Config(fleetName), secret: false);

        var withCertificate = fleet.Count(g => live.Any(c => c.Name == g.Identity && c.Kind == IdentityKind.Gateway));
        var missing = fleet.Where(g => !live.Any(c => c.Name == g.Identity)).Select(g => g.Identity).ToList();
        return $"{full}: {BrokerConfig.ConfigName} (TLS port {config.Port}), {BrokerConfig.AclName} ({fleet.Count} gateways, {fleet.Sum(g => g.Cells.Count)} cells; "
            + $"ingest {(ingest.Count == 0 ? "none" : string.Join(", ", ingest))}; monitor {(monitor.Count == 0 ? "none" : string.Join(", ", monitor))}; operator {(operators.Count == 0 ? "none" : string.Join(", ", operators))}), "
            + $"{BrokerConfig.CaName}, {BrokerConfig.CertName}, {BrokerConfig.KeyName} (0600), {BrokerConfig.CrlName}; "
            + (missing.Count == 0 ? $"all {withCertificate} gateways have a certificate" : $"{missing.Count} gateways without a certificate yet: {string.Join(", ", missing.Take(5))}{(missing.Count > 5 ? ", …" : "")}");
    }

    private static void Copy(string from, string to, bool secret) =>
        PkiFolder.WriteAtomically(to, PkiFolder.ReadText(from, Path.GetFileName(from)), secret);
}
