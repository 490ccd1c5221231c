using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using EdgeGateway.Cli.Doctor;

namespace EdgeGateway.Cli.Tests;

/// <summary>
/// <c>edgegw doctor</c> (src/docs/cli.md): one line per check with the fix in words, against an empty device folder
/// (no GPIO chip, no I2C bus), a group file, a status file, and a real Mosquitto with TLS and passwords.
/// </summary>
public sealed class DoctorCommandTests : IClassFixture<DoctorCommandTests.TlsBroker>, IDisposable
{
    private const string User = "sme-0042";
    private const string Password = "gateway-secret";

    private readonly string _dir = Directory.CreateTempSubdirectory("edgegw-doctor-").FullName;
    private readonly string _dev;
    private readonly string _etc;
    private readonly MosquittoBroker _broker;

    public DoctorCommandTests(TlsBroker broker)
    {
        _broker = broker.Broker;
        _dev = Directory.CreateDirectory(Path.Combine(_dir, "dev")).FullName;
        _etc = Directory.CreateDirectory(Path.Combine(_dir, "etc")).FullName;
        File.WriteAllText(Path.Combine(_etc, "group"), "root:x:0:\ngpio:x:997:pi\ni2c:x:998:pi,edgegw\n");
    }

    [Fact]
    public async Task A_config_the_agent_refuses_is_one_failure_that_points_to_config_validate()
    {
        var config = Config("""{ "Role": "StateRun", "Source": "gpio:99" }""", "\"Mqtt\": { \"Port\": 1 }");

        var checks = await RunAsync(config);

        var first = checks[0];
        Assert.Equal(("config", Verdict.Fail), (first.Name, first.Verdict));
        Assert.StartsWith($"1 problem, the first: {config}:", first.Found, StringComparison.Ordinal);
        Assert.Equal($"edgegw config validate --config {config} lists every one with its line", first.Fix);
        Assert.Equal(["config", "clock", "agent"], checks.Select(c => c.Name));
    }

    [Fact]
    public async Task Missing_hardware_and_groups_are_failures_that_say_what_to_do()
    {
        var config = Config("""{ "Role": "StateRun", "Source": "gpio:17" }""", "\"Mqtt\": { \"Port\": 1 }");

        var checks = await RunAsync(config);

        var sensors = checks.Single(c => c.Name == "sensors");
        Assert.Equal(Verdict.Fail, sensors.Verdict);
        Assert.StartsWith($"no GPIO chip 0 ({_dev}/gpiochip0 missing", sensors.Found, StringComparison.Ordinal);
        Assert.Equal("fail groups: the service user edgegw is not in gpio — fix: sudo usermod -aG gpio edgegw (the package does this; on plain Debian create the group and its udev rule first)", checks.Single(c => c.Name == "groups").ToString());
        Assert.Equal("fail broker: cannot connect to localhost:1: ConnectionRefused — fix: check Agent.Mqtt.Host and Port, the network and the broker (is it running? a firewall?)", checks.Single(c => c.Name == "broker").ToString());
    }

    [Fact]
    public async Task A_config_without_sources_is_a_warning_that_nothing_is_measured()
    {
        var config = Config("""{ "Role": "StateRun" }""", "\"Mqtt\": { \"Port\": 1 }");

        var checks = await RunAsync(config);

        Assert.Equal("warn sensors: no signal has a Source: the agent runs and measures nothing — fix: give each signal the GPIO line or I2C chip it is wired to (hardware/README.md)", checks.Single(c => c.Name == "sensors").ToString());
        Assert.DoesNotContain(checks, c => c.Name == "groups");
    }

    [Fact]
    public async Task The_broker_with_TLS_against_the_pinned_CA_and_the_right_password_is_ok()
    {
        var config = Config("""{ "Role": "StateRun" }""", Tls(_broker.CaFile, Password));

        var checks = await RunAsync(config);

        Assert.Equal($"ok   broker: 127.0.0.1:{_broker.TlsPort} resolves and accepts TCP", checks.Single(c => c.Name == "broker").ToString());
        Assert.Equal($"ok   broker session: TLS with the pinned CA {_broker.CaFile}, user {User}: accepted", checks.Single(c => c.Name == "broker session").ToString());
        Assert.Equal($"ok   broker ACL: may read its delivery confirmations (edgegw/confirm/v1/sme-0042/gw-doctor)", checks.Single(c => c.Name == "broker ACL").ToString());
    }

    [Theory]
    [InlineData("untrusted", "the broker's certificate is not trusted")]
    [InlineData("password", "refused the credentials of user 'sme-0042'")]
    public async Task A_broker_that_refuses_says_why(string what, string why)
    {
        var config = Config("""{ "Role": "StateRun" }""", what == "untrusted" ? Tls(_broker.UntrustedCaFile, Password) : Tls(_broker.CaFile, "wrong"));

        var checks = await RunAsync(config);

        var session = checks.Single(c => c.Name == "broker session");
        Assert.Equal(Verdict.Fail, session.Verdict);
        Assert.Contains(why, session.Found, StringComparison.Ordinal);
        Assert.DoesNotContain(checks, c => c.Name == "broker ACL");
    }

    [Theory]
    [InlineData(10, "warn", "10 days left — fix: renew it before it expires")]
    [InlineData(-1, "fail", "expired on")]
    public async Task A_certificate_close_to_its_end_is_a_warning_and_an_expired_one_a_failure(int daysLeft, string verdict, string said)
    {
        var ca = Path.Combine(_dir, "ca.pem");
        using (var key = ECDsa.Create())
        {
            var request = new CertificateRequest("CN=doctor test CA", key, HashAlgorithmName.SHA256);
            request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
            using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-30), DateTimeOffset.UtcNow.AddDays(daysLeft).AddHours(12));
            File.WriteAllText(ca, certificate.ExportCertificatePem());
        }

        var checks = await RunAsync(Config("""{ "Role": "StateRun" }""", Tls(ca, Password)));

        var line = checks.Single(c => c.Name == "certificate").ToString();
        Assert.StartsWith($"{verdict} certificate: {ca} (Agent.Mqtt.CaFile) ", line, StringComparison.Ordinal);
        Assert.Contains(said, line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, true, "ok   agent: running (pid {0}), 42 records computed, connected to the broker")]
    [InlineData(0, false, "warn agent: running (pid {0}), 42 records computed, not connected: cannot reach the broker — fix: see the broker lines above")]
    [InlineData(60, true, "fail agent: not running (its status at {1} is 60 s old) — fix: systemctl status edgegw; journalctl -u edgegw says why")]
    public async Task The_agent_is_judged_by_its_status_file(int secondsOld, bool connected, string expected)
    {
        var status = Path.Combine(_dir, "status.json");
        var at = DateTimeOffset.UtcNow.AddSeconds(-secondsOld).ToUnixTimeMilliseconds();
        File.WriteAllText(status, $$"""
            {"v":1,"pid":{{Environment.ProcessId}},"at":"{{EdgeGateway.Core.Traces.TraceTimestamp.Format(at)}}","site":"sme-0042","gateway":"gw-doctor",
             "broker":{"connected":{{(connected ? "true" : "false")}},"last_error":{{(connected ? "null" : "\"cannot reach the broker\"")}}},"records":42}
            """);

        var checks = await RunAsync(Config("""{ "Role": "StateRun" }""", "\"Mqtt\": { \"Port\": 1 }"), status);

        Assert.Equal(string.Format(CultureInfo.InvariantCulture, expected, Environment.ProcessId, status), checks.Single(c => c.Name == "agent").ToString());
    }

    [Fact]
    public void The_exit_code_is_that_of_the_worst_check_and_json_names_every_field()
    {
        DoctorCheck ok = DoctorCheck.Ok("a", "fine"), warn = DoctorCheck.Warn("b", "so so", "look"), fail = DoctorCheck.Fail("c", "broken", "mend");
        Assert.Equal(0, DoctorCommand.Write([ok], false, Stream.Null));
        Assert.Equal(1, DoctorCommand.Write([ok, warn], false, Stream.Null));
        Assert.Equal(2, DoctorCommand.Write([fail, ok, warn], false, Stream.Null));

        using var json = new MemoryStream();
        DoctorCommand.Write([ok, fail], true, json);
        using var document = System.Text.Json.JsonDocument.Parse(json.ToArray());
        var items = document.RootElement.EnumerateArray().ToList();
        Assert.Equal(["check", "verdict", "found", "fix"], items[1].EnumerateObject().Select(p => p.Name));
        Assert.Equal(("c", "fail", "broken", "mend"), (items[1].GetProperty("check").GetString(), items[1].GetProperty("verdict").GetString(), items[1].GetProperty("found").GetString(), items[1].GetProperty("fix").GetString()));
        Assert.Equal(System.Text.Json.JsonValueKind.Null, items[0].GetProperty("fix").ValueKind);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private async Task<List<DoctorCheck>> RunAsync(string config, string? status = null) =>
        await new DoctorChecks(config, status ?? Path.Combine(_dir, "no-status.json"), _dev, TimeProvider.System) { EtcRoot = _etc }.RunAsync(CancellationToken.None);

    private string Tls(string caFile, string password) =>
        $$"""
        "Mqtt": { "Host": "127.0.0.1", "Port": {{_broker.TlsPort}}, "Tls": true, "CaFile": "{{caFile}}", "Username": "{{User}}", "Password": "{{password}}" }
        """;

    private string Config(string signal, string mqtt)
    {
        var path = Path.Combine(_dir, "edgegw.json");
        var outbox = Path.Combine(_dir, "outbox");
        File.WriteAllText(path, $$"""
            {
              "EdgeGateway": {
                "Site": "sme-0042",
                "TimeZone": "Europe/Amsterdam",
                "Cells": [ { "Id": "cell-1", "IdealCycleSeconds": 30, "Signals": { "green": {{signal}} }, "Shifts": [] } ]
              },
              "Agent": { "GatewayId": "gw-doctor", "Outbox": { "Directory": "{{outbox}}" }, {{mqtt}} }
            }
            """, Encoding.UTF8);
        return path;
    }

    /// <summary>One Mosquitto with TLS (a test CA) and a password file for the class.</summary>
    public sealed class TlsBroker : IDisposable
    {
        internal MosquittoBroker Broker { get; } = MosquittoBroker.Launch(new MosquittoSettings { Tls = true, Users = new Dictionary<string, string> { [User] = Password } });

        public void Dispose() => Broker.Dispose();
    }
}
