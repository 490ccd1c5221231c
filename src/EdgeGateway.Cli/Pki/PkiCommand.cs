using System.CommandLine;
using System.Text;
using EdgeGateway.Core;
using EdgeGateway.Core.Configuration;
using EdgeGateway.Core.Payload;

namespace EdgeGateway.Cli.Pki;

/// <summary>
/// <c>edgegw pki</c>: the programme's certificates (src/docs/cli.md, "edgegw pki") — <c>init</c>, <c>issue broker|ingest|monitor|gateway|operator</c>,
/// <c>revoke</c>, <c>crl</c>, <c>list</c> — and <c>broker-config</c>, the Mosquitto config and ACL of a fleet. Exit codes:
/// 0 done; 1 a file could not be written (named; nothing half written); 2 a bad argument or input, or a refusal
/// (an existing CA, an unrevoked certificate of the same name) — one line on stderr.
/// </summary>
internal static class PkiCommand
{
    /// <summary>Exit code: a file of the PKI could not be written.</summary>
    public const int WriteError = 1;

    public static Command Create(Stream stdout, TextWriter stderr)
    {
        var dir = InputFiles.PathOption(new Option<string>("--dir") { Description = "The PKI folder (CA, its key, issued certificates and keys): keep it off the broker and backed up", Required = true });
        var passphrase = InputFiles.PathOption(new Option<string?>("--passphrase-file") { Description = "A file whose first line is the CA key's passphrase (init: encrypt the key with it)" });
        var force = new Option<bool>("--force") { Description = "Replace what exists (init: the CA; issue: a certificate not revoked)" };
        var days = new Option<int?>("--days") { Description = $"Validity in days (default: CA {CertificateAuthority.DefaultCaDays}, certificates {CertificateAuthority.DefaultLeafDays}, revocation list {CertificateAuthority.DefaultCrlDays})" };

        var init = new Command("init", "Create the programme CA (ECDSA P-256) and an empty revocation list") { dir, passphrase, force, days };
        init.SetAction(p => Run("init", stdout, stderr, () => PkiOperations.Init(new PkiFolder(p.GetValue(dir)!), p.GetValue(passphrase), p.GetValue(force), Days(p.GetValue(days), CertificateAuthority.DefaultCaDays), DateTimeOffset.UtcNow)));

        var issue = new Command("issue", "Issue a certificate and key (ECDSA P-256) signed by the CA")
        {
            IssueCommand(IdentityKind.Broker, "The broker's server certificate, for the host names and addresses gateways connect to", stdout, stderr, dir, passphrase, force, days),
            IssueCommand(IdentityKind.Ingest, "The backend ingest's client certificate (one per instance: --name)", stdout, stderr, dir, passphrase, force, days),
            IssueCommand(IdentityKind.Monitor, "A read-only client certificate: reads every record, writes nothing", stdout, stderr, dir, passphrase, force, days),
            IssueCommand(IdentityKind.Gateway, "A gateway's client certificate: CN SITE.GATEWAY, its user name and client id at the broker", stdout, stderr, dir, passphrase, force, days),
            IssueCommand(IdentityKind.Operator, "A tablet's or an MES's client certificate, CN NAME@SITE: sends commands to the site's gateways and reads their replies", stdout, stderr, dir, passphrase, force, days),
        };

        var name = new Argument<string>("NAME") { Description = "The certificate's name as 'edgegw pki list' shows it (a gateway's: SITE.GATEWAY)" };
        var revoke = new Command("revoke", "Record a certificate as revoked; 'crl' then signs the list the broker loads") { dir, name };
        revoke.SetAction(p => Run("revoke", stdout, stderr, () => PkiOperations.Revoke(new PkiFolder(p.GetValue(dir)!), p.GetValue(name)!, DateTimeOffset.UtcNow)));

        var crl = new Command("crl", "Sign the revocation list (crl.pem, PEM) of every revoked certificate") { dir, passphrase, days };
        crl.SetAction(p => Run("crl", stdout, stderr, () => PkiOperations.WriteCrl(new PkiFolder(p.GetValue(dir)!), p.GetValue(passphrase), Days(p.GetValue(days), CertificateAuthority.DefaultCrlDays), DateTimeOffset.UtcNow)));

        var list = new Command("list", "The issued certificates: name, kind, serial, not after, revoked") { dir };
        list.SetAction(p => Run("list", stdout, stderr, () => PkiOperations.List(new PkiFolder(p.GetValue(dir)!))));

        return new Command("pki", "The programme's certificates: a CA, the broker's, the ingest's and each gateway's, revocation, and the broker's config")
        {
            init, issue, revoke, crl, list, BrokerConfigCommand(stdout, stderr, dir),
        };
    }

    /// <summary>Runs <paramref name="action"/> and prints its line; every problem is one line on stderr and its exit code.</summary>
    internal static int Run(string command, Stream stdout, TextWriter stderr, Func<string> action)
    {
        try
        {
            var line = action();
            stdout.Write(Encoding.UTF8.GetBytes(line + "\n"));
            stdout.Flush();
            return 0;
        }
        catch (InputException e)
        {
            stderr.WriteLine($"edgegw pki {command}: {e.Message}");
            return Program.InputError;
        }
        catch (PkiWriteException e)
        {
            stderr.WriteLine($"edgegw pki {command}: {e.Message}");
            return WriteError;
        }
    }

    private static Command IssueCommand(IdentityKind kind, string description, Stream stdout, TextWriter stderr, Option<string> dir, Option<string?> passphrase, Option<bool> force, Option<int?> days)
    {
        var command = new Command(IssuedCertificate.KindName(kind), description) { dir, passphrase, force, days };
        var site = new Option<string>("--site") { Description = "The gateway's site id (as in its config)", Required = true };
        var gateway = new Option<string>("--gateway") { Description = "The gateway id (Agent:GatewayId, or the one derived from the machine id: 'edgegw doctor' says it)", Required = true };
        var name = new Option<string>("--name") { Description = "The CN: the broker's user name and client id for it", DefaultValueFactory = _ => IssuedCertificate.KindName(kind) };
        var operatorSite = new Option<string>("--site") { Description = "The site whose gateways it may send commands to", Required = true };
        var hosts = new Option<string[]>("--host") { Description = "A DNS name or IP address of the broker (repeat for several)", Required = true, AllowMultipleArgumentsPerToken = true };
        switch (kind)
        {
            case IdentityKind.Gateway:
                command.Add(site);
                command.Add(gateway);
                break;
            case IdentityKind.Broker:
                command.Add(hosts);
                break;
            case IdentityKind.Operator:
                command.Add(operatorSite);
                command.Add(name);
                break;
            default:
                command.Add(name);
                break;
        }

        command.SetAction(p => Run("issue " + IssuedCertificate.KindName(kind), stdout, stderr, () =>
        {
            var chosen = kind == IdentityKind.Broker ? BrokerConfigFiles.BrokerName : PkiOperations.NameOf(kind, p.GetValue(name), p.GetValue(kind == IdentityKind.Operator ? operatorSite : site), p.GetValue(gateway));
            var (notBefore, notAfter) = CertificateAuthority.Validity(DateTimeOffset.UtcNow, Days(p.GetValue(days), CertificateAuthority.DefaultLeafDays));
            return PkiOperations.Issue(new PkiFolder(p.GetValue(dir)!), kind, chosen, kind == IdentityKind.Broker ? p.GetValue(hosts)! : [], p.GetValue(passphrase), p.GetValue(force), notBefore, notAfter);
        }));
        return command;
    }

    private static Command BrokerConfigCommand(Stream stdout, TextWriter stderr, Option<string> dir)
    {
        var fleet = InputFiles.PathOption(new Option<string>("--fleet") { Description = $"The fleet file: CSV '{FleetFile.Header}', cells separated by ';'", Required = true });
        var output = InputFiles.PathOption(new Option<string>("--out") { Description = "The folder to write mosquitto.conf, edgegw.acl and the broker's certificates into", Required = true });
        var port = new Option<int>("--port") { Description = "The TLS listener's port", DefaultValueFactory = _ => 8883 };
        var bind = new Option<string?>("--bind") { Description = "The address the TLS listener binds (default: every interface)" };
        var brokerDir = new Option<string>("--broker-dir") { Description = "Where the broker finds these files (the paths in mosquitto.conf)", DefaultValueFactory = _ => "/etc/mosquitto/edgegw" };
        var persistence = new Option<string>("--persistence-dir") { Description = "Mosquitto's persistence_location", DefaultValueFactory = _ => "/var/lib/mosquitto/" };
        var prefix = new Option<string>("--prefix") { Description = "The records' topic prefix (Agent:Mqtt:TopicPrefix)", DefaultValueFactory = _ => TopicScheme.DefaultPrefix };
        var confirm = new Option<string>("--confirm-prefix") { Description = "The confirmations' prefix (Mqtt:ConfirmTopicPrefix)", DefaultValueFactory = _ => DeliveryConfirmation.DefaultTopicPrefix };
        var command = new Command("broker-config", "Write the broker's Mosquitto config and ACL for a fleet, with its certificates")
        {
            dir, fleet, output, port, bind, brokerDir, persistence, prefix, confirm,
        };
        command.SetAction(p => Run("broker-config", stdout, stderr, () =>
        {
            var config = new BrokerConfig(
                CheckPort(p.GetValue(port)), CheckWord("--bind", p.GetValue(bind)), CheckPath("--broker-dir", p.GetValue(brokerDir)!),
                CheckPath("--persistence-dir", p.GetValue(persistence)!), CheckPrefix("--prefix", p.GetValue(prefix)!), CheckPrefix("--confirm-prefix", p.GetValue(confirm)!));
            return BrokerConfigFiles.Write(new PkiFolder(p.GetValue(dir)!), p.GetValue(fleet)!, p.GetValue(output)!, config);
        }));
        return command;
    }

    private static int Days(int? days, int fallback) => days switch
    {
        null => fallback,
        >= 1 and <= 36500 => days.Value,
        _ => throw new InputException("--days", 0, $"{days} is out of range: 1 to 36500"),
    };

    private static int CheckPort(int port) => port is >= 1 and <= 65535 ? port : throw new InputException("--port", 0, $"{port} is not a port (1-65535)");

    // A value becomes a word of mosquitto.conf: a space or line end would make it another option.
    private static string? CheckWord(string option, string? value) =>
        value is null || (value.Length > 0 && !value.Any(c => char.IsWhiteSpace(c) || char.IsControl(c))) ? value : throw new InputException(option, 0, $"'{InputText.Quote(value)}' must be one word");

    private static string CheckPath(string option, string value) =>
        CheckWord(option, value) is { } path && path.StartsWith('/') ? path : throw new InputException(option, 0, $"'{InputText.Quote(value)}' must be an absolute path without spaces");

    private static string CheckPrefix(string option, string value) =>
        CheckWord(option, value) is { } prefix && !prefix.AsSpan().ContainsAny('#', '+') && !prefix.EndsWith('/') && !prefix.StartsWith('$')
            ? prefix
            : throw new InputException(option, 0, $"'{InputText.Quote(value)}' must be a topic without the MQTT wildcards # or +, without a trailing / and not starting with $");
}
