using System.Diagnostics;
using System.Security.Cryptography.X509Certificates;
using EdgeGateway.Cli.Pki;
using static EdgeGateway.Cli.Tests.Pki.PkiRun;

namespace EdgeGateway.Cli.Tests.Pki;

/// <summary>
/// <c>edgegw pki init|issue|revoke|crl|list|broker-config</c> (src/docs/cli.md, "edgegw pki"): the files, their modes,
/// what the certificates say (read back with .NET and checked with <c>openssl verify</c>), the refusals and their lines.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class PkiCommandTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("edgegw-pki-cmd-").FullName;
    private readonly string _dir;

    public PkiCommandTests() => _dir = Path.Combine(_root, "pki");

    [Fact]
    public void Init_writes_the_CA_with_an_owner_only_key_and_an_empty_list_and_keeps_an_existing_CA_without_force()
    {
        var line = Ok("pki", "init", "--dir", _dir);

        Assert.StartsWith("CA 'EdgeGateway programme CA' valid to ", line, StringComparison.Ordinal);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(_dir, "ca.key")));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(_dir));
        using var ca = X509CertificateLoader.LoadCertificateFromFile(Path.Combine(_dir, "ca.crt"));
        Assert.True(ca.Extensions.OfType<X509BasicConstraintsExtension>().Single().CertificateAuthority);
        Assert.Equal("1.2.840.10045.2.1", ca.PublicKey.Oid.Value); // ECDSA
        Assert.Equal(256, ca.GetECDsaPublicKey()!.KeySize); // P-256
        Assert.Contains("NIST CURVE: P-256", OpenSsl("x509", "-in", Path.Combine(_dir, "ca.crt"), "-noout", "-text"), StringComparison.Ordinal);
        Assert.InRange((ca.NotAfter - DateTime.Now).TotalDays, 3649, 3650);
        Assert.Contains("X509 CRL", File.ReadAllText(Path.Combine(_dir, "crl.pem")), StringComparison.Ordinal);
        Assert.DoesNotContain(Directory.GetFiles(_dir, "*", SearchOption.AllDirectories), f => f.EndsWith(".tmp", StringComparison.Ordinal));

        var before = File.ReadAllText(Path.Combine(_dir, "ca.key"));
        var (code, _, error) = Edgegw("pki", "init", "--dir", _dir);
        Assert.Equal((2, $"edgegw pki init: {_dir}/ca.crt: a CA exists here already; --force replaces it, and then no gateway, broker or ingest certificate it signed is trusted any more\n"), (code, error));
        Assert.Equal(before, File.ReadAllText(Path.Combine(_dir, "ca.key")));
        Ok("pki", "init", "--dir", _dir, "--force", "--days", "30");
        Assert.NotEqual(before, File.ReadAllText(Path.Combine(_dir, "ca.key")));
    }

    [Fact]
    public void A_passphrase_encrypts_the_CA_key_and_issuing_needs_it()
    {
        var passphrase = Path.Combine(_root, "passphrase");
        File.WriteAllText(passphrase, "correct horse\n");
        Ok("pki", "init", "--dir", _dir, "--passphrase-file", passphrase);
        Assert.StartsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----", File.ReadAllText(Path.Combine(_dir, "ca.key")), StringComparison.Ordinal);

        var (code, _, error) = Edgegw("pki", "issue", "monitor", "--dir", _dir);
        Assert.Equal((2, $"edgegw pki issue monitor: {_dir}/ca.key: the CA key is encrypted: give its passphrase with --passphrase-file FILE\n"), (code, error));
        var wrong = Path.Combine(_root, "wrong");
        File.WriteAllText(wrong, "wrong horse\n");
        (code, _, error) = Edgegw("pki", "issue", "monitor", "--dir", _dir, "--passphrase-file", wrong);
        Assert.Equal(2, code);
        Assert.StartsWith($"edgegw pki issue monitor: {_dir}/ca.key: cannot decrypt the CA key with the passphrase of {wrong} (wrong passphrase?)", error, StringComparison.Ordinal);
        Ok("pki", "issue", "monitor", "--dir", _dir, "--passphrase-file", passphrase);
    }

    [Fact]
    public void A_gateway_certificate_names_the_agents_client_id_and_chains_to_the_CA()
    {
        Ok("pki", "init", "--dir", _dir);
        var line = Ok("pki", "issue", "gateway", "--dir", _dir, "--site", "sme-0042", "--gateway", "gw-1");

        Assert.Contains($"gateway 'sme-0042.gw-1' serial ", line, StringComparison.Ordinal);
        var key = Path.Combine(_dir, "issued", "sme-0042.gw-1.key");
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(key));
        using var certificate = X509Certificate2.CreateFromPemFile(Path.Combine(_dir, "issued", "sme-0042.gw-1.crt"), key);
        Assert.Equal("sme-0042.gw-1", certificate.GetNameInfo(X509NameType.SimpleName, false));
        Assert.Equal(IdentityKind.Gateway, IssuedCertificate.KindOf(certificate));
        Assert.Equal("1.3.6.1.5.5.7.3.2", certificate.Extensions.OfType<X509EnhancedKeyUsageExtension>().Single().EnhancedKeyUsages[0].Value);
        Assert.Equal(256, certificate.GetECDsaPrivateKey()!.KeySize);
        Assert.InRange((certificate.NotAfter - DateTime.Now).TotalDays, 729, 730);
        Assert.Equal($"{Path.Combine(_dir, "issued", "sme-0042.gw-1.crt")}: OK", OpenSsl("verify", "-CAfile", Path.Combine(_dir, "ca.crt"), Path.Combine(_dir, "issued", "sme-0042.gw-1.crt")).Trim());

        var (code, _, error) = Edgegw("pki", "issue", "gateway", "--dir", _dir, "--site", "sme-0042", "--gateway", "gw-1");
        Assert.Equal(2, code);
        Assert.Contains("'sme-0042.gw-1' has a certificate already", error, StringComparison.Ordinal);
        (code, _, error) = Edgegw("pki", "issue", "gateway", "--dir", _dir, "--site", "sme 0042", "--gateway", "gw-1");
        Assert.Equal((2, "edgegw pki issue gateway: --site: 'sme 0042' is not an id (1-64 of A-Z a-z 0-9 . _ -)\n"), (code, error));
        (code, _, error) = Edgegw("pki", "issue", "ingest", "--dir", _dir, "--name", "sme-0042.gw-1");
        Assert.Equal((2, "edgegw pki issue ingest: --name: 'sme-0042.gw-1' has a dot: the names with dots are the gateways' (SITE.GATEWAY)\n"), (code, error));
        (code, _, error) = Edgegw("pki", "issue", "gateway", "--dir", _dir, "--site", new string('s', 40), "--gateway", new string('g', 40));
        Assert.Equal(2, code);
        Assert.Contains("has 81 characters; a certificate's CN holds at most 64", error, StringComparison.Ordinal);
    }

    [Fact]
    public void The_broker_certificate_carries_its_host_names_and_addresses()
    {
        Ok("pki", "init", "--dir", _dir);
        Ok("pki", "issue", "broker", "--dir", _dir, "--host", "broker.example.org", "--host", "192.0.2.7");

        var text = OpenSsl("x509", "-in", Path.Combine(_dir, "issued", "broker.crt"), "-noout", "-ext", "subjectAltName,extendedKeyUsage");
        Assert.Contains("DNS:broker.example.org, IP Address:192.0.2.7", text, StringComparison.Ordinal);
        Assert.Contains("TLS Web Server Authentication", text, StringComparison.Ordinal);
        var (code, _, error) = Edgegw("pki", "issue", "broker", "--dir", _dir, "--force", "--host", "bad host!");
        Assert.Equal((2, "edgegw pki issue broker: --host: 'bad host!' is neither a DNS name nor an IP address\n"), (code, error));
    }

    [Fact]
    public void Revoke_then_crl_lists_the_serial_in_a_signed_list_that_openssl_refuses_the_certificate_by()
    {
        Ok("pki", "init", "--dir", _dir);
        Ok("pki", "issue", "gateway", "--dir", _dir, "--site", "sme-0042", "--gateway", "gw-1");
        Ok("pki", "issue", "gateway", "--dir", _dir, "--site", "sme-0042", "--gateway", "gw-2");
        var crt = Path.Combine(_dir, "issued", "sme-0042.gw-1.crt");
        using var revoked = X509CertificateLoader.LoadCertificateFromFile(crt);

        Assert.StartsWith($"revoked 'sme-0042.gw-1' serial {revoked.SerialNumber}", Ok("pki", "revoke", "--dir", _dir, "sme-0042.gw-1"), StringComparison.Ordinal);
        Assert.StartsWith("revocation list number 2 with 1 certificate", Ok("pki", "crl", "--dir", _dir), StringComparison.Ordinal);

        var crl = Path.Combine(_dir, "crl.pem");
        Assert.Contains($"Serial Number: {revoked.SerialNumber}", OpenSsl("crl", "-in", crl, "-noout", "-text"), StringComparison.Ordinal);
        var verify = OpenSslAnyExit("verify", "-crl_check", "-CRLfile", crl, "-CAfile", Path.Combine(_dir, "ca.crt"), crt, Path.Combine(_dir, "issued", "sme-0042.gw-2.crt"));
        Assert.Contains("certificate revoked", verify, StringComparison.Ordinal);
        Assert.Contains("sme-0042.gw-2.crt: OK", verify, StringComparison.Ordinal);

        var list = Ok("pki", "list", "--dir", _dir).Split('\n');
        Assert.Matches(@"^sme-0042\.gw-1  gateway  [0-9A-F]{32}  \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ  \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$", list[2]);
        Assert.EndsWith("  no", list[3], StringComparison.Ordinal);
        var (code, _, error) = Edgegw("pki", "revoke", "--dir", _dir, "sme-0042.gw-1");
        Assert.Equal(2, code);
        Assert.Contains("was revoked already", error, StringComparison.Ordinal);

        // A revoked name may be issued again.
        Ok("pki", "issue", "gateway", "--dir", _dir, "--site", "sme-0042", "--gateway", "gw-1");
    }

    [Fact]
    public void The_shipped_example_is_what_broker_config_writes_for_the_shipped_fleet_file()
    {
        Ok("pki", "init", "--dir", _dir);
        Ok("pki", "issue", "broker", "--dir", _dir, "--host", "broker.example.org");
        Ok("pki", "issue", "ingest", "--dir", _dir);
        Ok("pki", "issue", "monitor", "--dir", _dir);
        Ok("pki", "issue", "operator", "--dir", _dir, "--site", "sme-0117", "--name", "tablet-1");
        var output = Path.Combine(_root, "out");
        var shipped = Path.Combine(RepoPaths.Root, "deploy", "mosquitto");

        var line = Ok("pki", "broker-config", "--dir", _dir, "--fleet", Path.Combine(shipped, "fleet.csv"), "--out", output);

        Assert.Contains("edgegw.acl (3 gateways, 4 cells; ingest ingest; monitor monitor; operator tablet-1@sme-0117)", line, StringComparison.Ordinal);
        Assert.Equal(File.ReadAllText(Path.Combine(shipped, "mosquitto.conf")), File.ReadAllText(Path.Combine(output, "mosquitto.conf")));
        Assert.Equal(File.ReadAllText(Path.Combine(shipped, "edgegw.acl")), File.ReadAllText(Path.Combine(output, "edgegw.acl")));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(output, "broker.key")));
        Assert.Equal(["broker.crt", "broker.key", "ca.crt", "crl.pem", "edgegw.acl", "mosquitto.conf"], Directory.GetFiles(output).Select(Path.GetFileName).Order());
    }

    [Fact]
    public void Broker_config_needs_the_broker_certificate()
    {
        Ok("pki", "init", "--dir", _dir);
        var (code, _, error) = Edgegw("pki", "broker-config", "--dir", _dir, "--fleet", Path.Combine(RepoPaths.Root, "deploy", "mosquitto", "fleet.csv"), "--out", Path.Combine(_root, "out"));
        Assert.Equal((2, $"edgegw pki broker-config: {_dir}/issued/broker.crt: no broker certificate: run 'edgegw pki issue broker --dir DIR --host NAME…' first\n"), (code, error));
        (code, _, error) = Edgegw("pki", "list", "--dir", Path.Combine(_root, "nothing"));
        Assert.Equal((2, $"edgegw pki list: {_root}/nothing/ca.crt: no CA here: run 'edgegw pki init --dir {_root}/nothing' first\n"), (code, error));
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private static string OpenSsl(params string[] args) => RunOpenSsl(args, expectSuccess: true);

    private static string OpenSslAnyExit(params string[] args) => RunOpenSsl(args, expectSuccess: false);

    private static string RunOpenSsl(string[] args, bool expectSuccess)
    {
        var start = new ProcessStartInfo("openssl") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(!expectSuccess || process.ExitCode == 0, $"openssl {string.Join(' ', args)}: {output}");
        return output;
    }
}
