using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using EdgeGateway.Core;
using EdgeGateway.Core.Configuration;

namespace EdgeGateway.Cli.Pki;

/// <summary>
/// What the <c>edgegw pki</c> commands do to the PKI folder (<see cref="PkiFolder"/>); each returns the line it
/// prints. Times come in as arguments, so that tests can issue a certificate that has already expired.
/// </summary>
internal static class PkiOperations
{
    /// <summary>The CA's CN.</summary>
    public const string CaName = "EdgeGateway programme CA";

    /// <summary>
    /// <c>init</c>: a new CA (certificate, key 0600, encrypted with the passphrase when given) and an empty revocation
    /// list. An existing CA is kept unless <paramref name="force"/>: replacing it orphans every certificate it signed.
    /// </summary>
    public static string Init(PkiFolder folder, string? passphraseFile, bool force, int days, DateTimeOffset now)
    {
        if (!force && (File.Exists(folder.CaCertificate) || File.Exists(folder.CaKey)))
        {
            throw new InputException(folder.CaCertificate, 0, "a CA exists here already; --force replaces it, and then no gateway, broker or ingest certificate it signed is trusted any more");
        }

        var passphrase = passphraseFile is null ? null : PkiFolder.ReadPassphrase(passphraseFile);
        folder.Create();
        var (certificate, key) = CertificateAuthority.CreateCa(CaName, now, days);
        using (certificate)
        using (key)
        {
            PkiFolder.WriteAtomically(folder.CaKey, CertificateAuthority.Pem(key, passphrase), secret: true);
            PkiFolder.WriteAtomically(folder.CaCertificate, CertificateAuthority.Pem(certificate), secret: false);
            // The self-signed certificate carries its key already: it signs the first list.
            var crl = CertificateAuthority.SignCrl(certificate, [], 0, now, CertificateAuthority.DefaultCrlDays);
            PkiFolder.WriteAtomically(folder.Crl, CertificateAuthority.CrlPem(crl), secret: false);
            // The old CA's revocations mean nothing under the new one.
            folder.ForgetRevoked();

            return $"CA '{CaName}' valid to {certificate.NotAfter.ToUniversalTime():yyyy-MM-dd}: {folder.CaCertificate}, key {folder.CaKey} (0600{(passphrase is null ? ", not encrypted" : ", encrypted")}), empty revocation list {folder.Crl}";
        }
    }

    /// <summary>Between an operator's name and its site in its CN: <c>tablet-1@sme-0117</c>.</summary>
    public const char OperatorSiteSeparator = '@';

    /// <summary>The site of an operator's CN (<c>NAME@SITE</c>).</summary>
    public static string OperatorSite(string commonName) => commonName[(commonName.LastIndexOf(OperatorSiteSeparator) + 1)..];

    /// <summary>The name a certificate of <paramref name="kind"/> gets: <c>SITE.GATEWAY</c> for a gateway, else <paramref name="name"/>.</summary>
    public static string NameOf(IdentityKind kind, string? name, string? site, string? gateway)
    {
        if (kind == IdentityKind.Gateway)
        {
            var checkedSite = CheckId("--site", site);
            var checkedGateway = CheckId("--gateway", gateway);
            return FleetGateway.IdentityOf(checkedSite, checkedGateway);
        }

        if (kind == IdentityKind.Operator)
        {
            // The '@' is in no id: an operator's name can be neither a gateway's (SITE.GATEWAY) nor a service's.
            return $"{CheckId("--name", name)}{OperatorSiteSeparator}{CheckId("--site", site)}";
        }

        var chosen = CheckId("--name", name);
        if (chosen.Contains('.', StringComparison.Ordinal))
        {
            // Every gateway's identity has a dot; a service without one can never be mistaken for a gateway.
            throw new InputException("--name", 0, $"'{InputText.Quote(chosen)}' has a dot: the names with dots are the gateways' (SITE.GATEWAY)");
        }

        return chosen;
    }

    /// <summary>
    /// <c>issue</c>: a certificate and key for <paramref name="name"/>, valid from <paramref name="notBefore"/> to
    /// <paramref name="notAfter"/>. An unrevoked certificate of that name is kept unless <paramref name="force"/>.
    /// </summary>
    public static string Issue(PkiFolder folder, IdentityKind kind, string name, IReadOnlyList<string> hosts, string? passphraseFile, bool force, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        folder.RequireCa();
        var existing = folder.ListIssued().FirstOrDefault(c => c.Name == name);
        if (existing is { RevokedAt: null } && !force)
        {
            throw new InputException(folder.IssuedCertificate(name), 0, $"'{name}' has a certificate already (serial {existing.Serial}, valid to {existing.NotAfter:yyyy-MM-dd}); revoke it first ('edgegw pki revoke'), or --force to issue another while the old one stays valid");
        }

        if (kind == IdentityKind.Broker && hosts.Count == 0)
        {
            throw new InputException("--host", 0, "the broker's certificate needs at least one host name or address the gateways connect to");
        }

        foreach (var host in hosts)
        {
            if (!IsHost(host))
            {
                throw new InputException("--host", 0, $"'{InputText.Quote(host)}' is neither a DNS name nor an IP address");
            }
        }

        using var ca = folder.LoadCaWithKey(passphraseFile);
        var (certificate, key) = CertificateAuthority.Issue(ca, kind, name, hosts, notBefore, notAfter);
        using (certificate)
        using (key)
        {
            folder.Create();
            PkiFolder.WriteAtomically(folder.IssuedKey(name), CertificateAuthority.Pem(key, passphrase: null), secret: true);
            PkiFolder.WriteAtomically(folder.IssuedCertificate(name), CertificateAuthority.Pem(certificate), secret: false);
            var clipped = certificate.NotAfter.ToUniversalTime() < notAfter.UtcDateTime.AddSeconds(-1) ? " (the CA's end)" : "";
            return $"{IssuedCertificate.KindName(kind)} '{name}' serial {certificate.SerialNumber} valid to {certificate.NotAfter.ToUniversalTime():yyyy-MM-dd}{clipped}: {folder.IssuedCertificate(name)}, key {folder.IssuedKey(name)} (0600)";
        }
    }

    /// <summary><c>revoke</c>: records <paramref name="name"/>'s certificate as revoked; <c>crl</c> then signs the list.</summary>
    public static string Revoke(PkiFolder folder, string name, DateTimeOffset now)
    {
        folder.RequireCa();
        var issued = folder.ListIssued().FirstOrDefault(c => c.Name == name)
            ?? throw new InputException(name, 0, $"no certificate of that name in {folder.IssuedFolder} ('edgegw pki list' shows them)");
        if (issued.RevokedAt is { } at)
        {
            throw new InputException(name, 0, $"serial {issued.Serial} was revoked already at {at:yyyy-MM-ddTHH:mm:ssZ}");
        }

        folder.AddRevoked(issued.Serial, name, now);
        return $"revoked '{name}' serial {issued.Serial}; now 'edgegw pki crl --dir {folder.Path}', copy {folder.Crl} to the broker and restart it";
    }

    /// <summary><c>crl</c>: signs the revocation list of everything <c>revoke</c> recorded.</summary>
    public static string WriteCrl(PkiFolder folder, string? passphraseFile, int days, DateTimeOffset now)
    {
        var revoked = folder.ReadRevoked();
        using var ca = folder.LoadCaWithKey(passphraseFile);
        var previous = File.Exists(folder.Crl) ? PkiFolder.ReadText(folder.Crl, "revocation list") : null;
        System.Numerics.BigInteger number;
        try
        {
            number = CertificateAuthority.CrlNumber(previous);
        }
        catch (System.Security.Cryptography.CryptographicException e)
        {
            throw new InputException(folder.Crl, 0, $"not a revocation list (PEM): {InputText.Quote(e.Message, 200)}");
        }

        var der = CertificateAuthority.SignCrl(ca, revoked.Select(r => (r.Key, r.Value.At)), number, now, days);
        PkiFolder.WriteAtomically(folder.Crl, CertificateAuthority.CrlPem(der), secret: false);
        return string.Create(CultureInfo.InvariantCulture, $"revocation list number {number + 1} with {revoked.Count} certificate{(revoked.Count == 1 ? "" : "s")}, valid to {now.AddDays(days):yyyy-MM-dd}: {folder.Crl} (the broker refuses every client once it expires: sign it again before)");
    }

    /// <summary><c>list</c>: one line per issued certificate, in name order, under a header.</summary>
    public static string List(PkiFolder folder)
    {
        using var ca = folder.LoadCaCertificate();
        var issued = folder.ListIssued();
        var width = Math.Max(4, issued.Count == 0 ? 0 : issued.Max(c => c.Name.Length));
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"CA '{ca.GetNameInfo(X509NameType.SimpleName, false)}' serial {ca.SerialNumber} valid to {ca.NotAfter.ToUniversalTime():yyyy-MM-dd}\n");
        text.Append(CultureInfo.InvariantCulture, $"{"name".PadRight(width)}  {"kind",-7}  {"serial",-32}  {"not after",-20}  revoked\n");
        foreach (var c in issued)
        {
            var kind = c.Kind is { } k ? IssuedCertificate.KindName(k) : "?";
            var revoked = c.RevokedAt is { } at ? at.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture) : "no";
            text.Append(CultureInfo.InvariantCulture, $"{c.Name.PadRight(width)}  {kind,-7}  {c.Serial,-32}  {c.NotAfter:yyyy-MM-ddTHH:mm:ssZ}  {revoked}\n");
        }

        return text.ToString().TrimEnd('\n');
    }

    private static string CheckId(string option, string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            throw new InputException(option, 0, "is needed");
        }

        return Ids.IsValid(value) ? value : throw new InputException(option, 0, $"'{InputText.Quote(value)}' is not an id ({Ids.Rule})");
    }

    private static bool IsHost(string host) =>
        System.Net.IPAddress.TryParse(host, out _) || Uri.CheckHostName(host) == UriHostNameType.Dns;
}
