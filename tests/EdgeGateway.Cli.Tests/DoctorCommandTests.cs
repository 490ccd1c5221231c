using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using EdgeGateway.Agent.Outbox;
using EdgeGateway.Agent.Pipeline;
using EdgeGateway.Agent.Status;
using EdgeGateway.Cli.Doctor;
using Microsoft.Extensions.Time.Testing;
using MQTTnet;
using MQTTnet.Protocol;

namespace EdgeGateway.Cli.Tests;

/// <summary>
/// <c>edgegw doctor</c> (src/docs/cli.md): one line per check with the fix in words, against an empty device folder
/// (no GPIO chip, no I2C bus), a group file, status files (written by the agent's <see cref="StatusFile"/>), and a real
/// Mosquitto with TLS, passwords and the Docker backend's ACL (deploy/backend/mosquitto/edgegw.acl).
/// </summary>
public sealed class DoctorCommandTests : IClassFixture<DoctorCommandTests.TlsBroker>, IDisposable
{
    private const string User = "sme-0042";
    private const string Password = "gateway-secret";
    private const string IngestPassword = "ingest-secret";
    private const string StatusTopic = "edgegw/v1/sme-0042/status/gw-doctor";

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
        Assert.Equal($"ok   broker publish: may publish to its status topic ({StatusTopic}; a probe, not retained)", checks.Single(c => c.Name == "broker publish").ToString());
    }

    [Fact]
    public async Task A_broker_ACL_that_denies_publishing_to_the_status_topic_is_a_failure_that_says_which_topics_to_allow()
    {
        // Mosquitto 2 answers a denied MQTT 5 QoS 1 publish with PUBACK NotAuthorized (0x87).
        using var strict = MosquittoBroker.Launch(new MosquittoSettings { Tls = true, Users = Users, Acl = ["pattern read edgegw/confirm/v1/%u/#"] });

        var checks = await RunAsync(Config("""{ "Role": "StateRun" }""", Tls(strict.CaFile, Password, strict.TlsPort)));

        Assert.Equal(Verdict.Ok, checks.Single(c => c.Name == "broker ACL").Verdict);
        Assert.Equal(
            $"fail broker publish: may not publish to its status topic ({StatusTopic}): NotAuthorized — fix: let the site's user write edgegw/v1/sme-0042/# (deploy/backend/mosquitto/edgegw.acl): the broker drops every record and status the gateway sends",
            checks.Single(c => c.Name == "broker publish").ToString());
    }

    [Fact]
    public async Task The_publish_probe_reaches_subscribers_unretained_and_leaves_the_retained_status_as_it_was()
    {
        const string Birth = """{"v":1,"site":"sme-0042","gateway":"gw-doctor","status":"online"}""";
        using (var gateway = await ConnectAsync("sme-0042.gw-doctor", User, Password))
        {
            await gateway.PublishAsync(new MqttApplicationMessageBuilder().WithTopic(StatusTopic).WithPayload(Birth).WithRetainFlag().WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build());
        }

        var (watcher, live) = await SubscribeAsync("watcher", count: 1);
        using (watcher)
        {
            var checks = await RunAsync(Config("""{ "Role": "StateRun" }""", Tls(_broker.CaFile, Password)));

            Assert.Equal(Verdict.Ok, checks.Single(c => c.Name == "broker publish").Verdict);
            await WaitForAsync(() => live.Count >= 2);
            Assert.Equal([(Birth, true), (EdgeGateway.Core.Payload.StatusPayload.Probe, false)], live);
        }

        var (late, retained) = await SubscribeAsync("late", count: 1);
        using (late)
        {
            Assert.Equal([(Birth, true)], retained);
        }
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

    [Theory]
    [InlineData(30, "ok   last record: 30 s ago, at {0:yyyy-MM-dd HH:mm:ss}Z")]
    [InlineData(300, "warn last record: 300 s ago, at {0:yyyy-MM-dd HH:mm:ss}Z: over 2 min, though the 1m window makes one a minute — fix: watch edgegw status; journalctl -u edgegw says whether the engine or a sensor hangs")]
    [InlineData(900, "fail last record: 900 s ago, at {0:yyyy-MM-dd HH:mm:ss}Z: the agent runs but has computed no record for over 10 min — fix: journalctl -u edgegw says why; systemctl restart edgegw")]
    public async Task The_last_record_is_ok_within_2_min_a_warning_beyond_and_a_failure_beyond_10_min(int secondsOld, string expected)
    {
        var now = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        var last = now.AddSeconds(-secondsOld);
        var status = WriteStatus(now, last, new OutboxStatus(0, 0, 1, 1, null, 0, 0));

        var checks = await RunAsync(Config("""{ "Role": "StateRun" }""", "\"Mqtt\": { \"Port\": 1 }"), status, new FakeTimeProvider(now));

        Assert.Equal($"ok   agent: running (pid {Environment.ProcessId}), 42 records computed, connected to the broker", checks.Single(c => c.Name == "agent").ToString());
        Assert.Equal(string.Format(CultureInfo.InvariantCulture, expected, last.UtcDateTime), checks.Single(c => c.Name == "last record").ToString());
        Assert.Equal("last record", checks[^1].Name);
    }

    [Theory]
    [InlineData(true, "ok   last record: 900 s ago, at {0:yyyy-MM-dd HH:mm:ss}Z; every cell is stopped (the first since {1:HH:mm:ss}Z) and its records wait until the stop is final")]
    [InlineData(false, "fail last record: 900 s ago, at {0:yyyy-MM-dd HH:mm:ss}Z: the agent runs but has computed no record for over 10 min — fix: journalctl -u edgegw says why; systemctl restart edgegw")]
    public async Task No_record_while_every_cell_holds_a_stop_for_its_reason_is_ok_otherwise_a_failure(bool everyCell, string expected)
    {
        var now = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        var last = now.AddSeconds(-900);
        var since = now.AddSeconds(-1000);
        var path = Path.Combine(_dir, "status.json");
        var state = new AgentState
        {
            Broker = new BrokerState(true, now.ToUnixTimeMilliseconds(), null), Records = 42, LastRecordMs = last.ToUnixTimeMilliseconds(),
            Cells =
            [
                new CellStatus("cell-1", EdgeGateway.Core.Kpi.MachineState.Down, null, null) { StopHeldSinceMs = since.ToUnixTimeMilliseconds(), StopReason = "breakdown" },
                new CellStatus("cell-2", EdgeGateway.Core.Kpi.MachineState.Idle, null, null) { StopHeldSinceMs = everyCell ? since.AddSeconds(60).ToUnixTimeMilliseconds() : null },
            ],
        };
        StatusFile.Write(path, state, new OutboxStatus(0, 0, 1, 1, null, 0, 0), "sme-0042", "gw-doctor", now.ToUnixTimeMilliseconds());

        var checks = await RunAsync(Config("""{ "Role": "StateRun" }""", "\"Mqtt\": { \"Port\": 1 }"), path, new FakeTimeProvider(now));

        Assert.Equal(string.Format(CultureInfo.InvariantCulture, expected, last.UtcDateTime, since.UtcDateTime), checks.Single(c => c.Name == "last record").ToString());
    }

    [Fact]
    public async Task The_running_agents_control_socket_is_ok_when_it_listens_a_warning_when_not_and_said_off_when_empty()
    {
        var now = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        var status = WriteStatus(now, now, new OutboxStatus(0, 0, 1, 1, null, 0, 0));
        var socket = Path.Combine(_dir, "control.sock");
        string ConfigWith(string path) => Config("""{ "Role": "StateRun" }""", $$"""
            "Mqtt": { "Port": 1 }, "ControlSocket": "{{path}}"
            """);

        var missing = (await RunAsync(ConfigWith(socket), status, new FakeTimeProvider(now))).Single(c => c.Name == "control socket").ToString();
        Assert.StartsWith($"warn control socket: no agent listens on {socket}: ", missing, StringComparison.Ordinal);
        Assert.EndsWith("— fix: edgegw reason, article and calendar cannot reach it; journalctl -u edgegw says why (Agent.ControlSocket)", missing, StringComparison.Ordinal);

        using (var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified))
        {
            listener.Bind(new UnixDomainSocketEndPoint(socket));
            listener.Listen();
            Assert.Equal(
                $"ok   control socket: {socket} takes edgegw reason, article and calendar",
                (await RunAsync(ConfigWith(socket), status, new FakeTimeProvider(now))).Single(c => c.Name == "control socket").ToString());
        }

        Assert.Equal(
            "ok   control socket: off (Agent.ControlSocket is empty): edgegw reason, article and calendar cannot reach the agent; MQTT commands can",
            (await RunAsync(ConfigWith(""), status, new FakeTimeProvider(now))).Single(c => c.Name == "control socket").ToString());

        // Without a running agent there is nothing to ask: the agent line says so.
        Assert.DoesNotContain(await RunAsync(ConfigWith(socket)), c => c.Name == "control socket");
    }

    [Fact]
    public async Task No_record_in_the_10_min_since_the_agent_started_is_a_failure()
    {
        var now = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        var status = WriteStatus(now, null, new OutboxStatus(0, 0, 1, 1, null, 0, 0), new AgentStart(now.AddMinutes(-20).ToUnixTimeMilliseconds(), 1));

        var checks = await RunAsync(Config("""{ "Role": "StateRun" }""", "\"Mqtt\": { \"Port\": 1 }"), status, new FakeTimeProvider(now));

        Assert.Equal("fail last record: none in the 1200 s since the agent started: the agent runs but has computed no record for over 10 min — fix: journalctl -u edgegw says why; systemctl restart edgegw", checks.Single(c => c.Name == "last record").ToString());
    }

    [Fact]
    public async Task The_status_of_an_agent_from_before_last_record_at_is_a_warning_to_update()
    {
        var status = Path.Combine(_dir, "status.json");
        File.WriteAllText(status, $$"""
            {"v":1,"pid":{{Environment.ProcessId}},"at":"{{EdgeGateway.Core.Traces.TraceTimestamp.Format(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds())}}","site":"sme-0042","gateway":"gw-doctor",
             "broker":{"connected":true,"last_error":null},"outbox":{"depth":0,"bytes":0,"next_seq":1},"records":42}
            """);

        var checks = await RunAsync(Config("""{ "Role": "StateRun" }""", "\"Mqtt\": { \"Port\": 1 }"), status);

        Assert.Equal("warn last record: the status file does not say (an agent older than its last_record_at field) — fix: update edgegw and restart the agent (systemctl restart edgegw)", checks.Single(c => c.Name == "last record").ToString());
        Assert.EndsWith("(reckoned from the config's 1 cell and windows 1m, shift, day: the status file does not say when the agent started) of 1100 bytes each (estimated: the agent's outbox is empty)", checks.Single(c => c.Name == "disk").Found, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(true, 0.0042, "ok   clock: synchronised, offset +0.004 s (the kernel's NTP status)")]
    [InlineData(true, -2.5, "warn clock: synchronised, but offset -2.500 s: over 1 s from its NTP source — fix: let the NTP daemon settle, or give it a closer server (timedatectl timesync-status, chronyc tracking)")]
    [InlineData(false, 0.0, "warn clock: not synchronised, offset 0.000 s: records say clock_synced false — fix: enable time synchronisation (timedatectl set-ntp true) and give it a reachable NTP server")]
    [InlineData(false, null, "warn clock: not synchronised, offset unknown: records say clock_synced false — fix: enable time synchronisation (timedatectl set-ntp true) and give it a reachable NTP server")]
    public async Task The_clock_line_says_the_offset_and_warns_when_unsynchronised_or_over_1_s(bool synced, double? offset, string expected)
    {
        var checks = await new DoctorChecks(Config("""{ "Role": "StateRun" }""", "\"Mqtt\": { \"Port\": 1 }"), Path.Combine(_dir, "no-status.json"), _dev, TimeProvider.System)
        {
            EtcRoot = _etc,
            ReadClock = () => new ClockReading(synced, offset),
        }.RunAsync(CancellationToken.None);

        Assert.Equal(expected, checks.Single(c => c.Name == "clock").ToString());
    }

    [Fact]
    public async Task The_outage_the_outbox_holds_is_reckoned_with_the_running_agents_rate_and_bytes_a_record_else_from_the_config()
    {
        const string Outbox = ", \"MaxBytes\": 16777216, \"SegmentBytes\": 1048576";
        var config = Config("""{ "Role": "StateRun" }""", "\"Mqtt\": { \"Port\": 1 }", Outbox);
        const string Of = "; the outbox (Agent.Outbox.MaxBytes 16 MiB) holds about ";
        const string Configured = " days of broker outage at 1444 records a day (reckoned from the config's 1 cell and windows 1m, shift, day: ";
        var now = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        async Task<DoctorCheck> DiskAsync(string? status) => (await RunAsync(config, status, new FakeTimeProvider(now))).Single(c => c.Name == "disk");
        static (Verdict, string) Outage(DoctorCheck disk) => (disk.Verdict, disk.Found[disk.Found.IndexOf(';', StringComparison.Ordinal)..]);

        var none = await DiskAsync(null);
        var young = await DiskAsync(WriteStatus(now, now, new OutboxStatus(42, 42_000, 1, 43, TimeSpan.FromSeconds(60), 0, 0), new AgentStart(now.AddMinutes(-30).ToUnixTimeMilliseconds(), 1)));
        var old = await DiskAsync(WriteStatus(now, now, new OutboxStatus(42, 42_000, 1960, 2001, TimeSpan.FromSeconds(60), 0, 0), new AgentStart(now.AddHours(-2).ToUnixTimeMilliseconds(), 1)));

        // 16 MiB / (1444 × 1100 bytes) = 10.56 days; / (1444 × 1000 bytes) = 11.62 days; / (24 000 × 1000 bytes) = 0.70 days.
        Assert.Equal((Verdict.Ok, Of + "10.6" + Configured + "no running agent to measure) of 1100 bytes each (estimated: no running agent to measure)"), Outage(none));
        Assert.Equal((Verdict.Ok, Of + "11.6" + Configured + "the agent has run 30 min, under an hour) of 1000 bytes each (measured: the agent's outbox holds 42 records in 42000 bytes)"), Outage(young));
        Assert.Equal(
            (Verdict.Warn, Of + "0.7 days of broker outage at 24000 records a day (measured: the agent appended 2000 records to its outbox in 2.0 h) of 1000 bytes each (measured: the agent's outbox holds 42 records in 42000 bytes)"),
            Outage(old));
        Assert.Equal("free disk space or raise Agent.Outbox.MaxBytes, so that a week without the broker loses nothing", old.Fix);
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

    private static Dictionary<string, string> Users => new() { [User] = Password, ["ingest"] = IngestPassword };

    private async Task<List<DoctorCheck>> RunAsync(string config, string? status = null, TimeProvider? time = null) =>
        await new DoctorChecks(config, status ?? Path.Combine(_dir, "no-status.json"), _dev, time ?? TimeProvider.System) { EtcRoot = _etc }.RunAsync(CancellationToken.None);

    /// <summary>The status file a running agent (this process) writes, connected, with 42 records computed.</summary>
    private string WriteStatus(DateTimeOffset at, DateTimeOffset? lastRecord, OutboxStatus outbox, AgentStart? start = null)
    {
        var path = Path.Combine(_dir, "status.json");
        var state = new AgentState { Broker = new BrokerState(true, at.ToUnixTimeMilliseconds(), null), Records = 42, LastRecordMs = lastRecord?.ToUnixTimeMilliseconds(), Start = start };
        StatusFile.Write(path, state, outbox, "sme-0042", "gw-doctor", at.ToUnixTimeMilliseconds());
        return path;
    }

    private string Tls(string caFile, string password, int? port = null) =>
        $$"""
        "Mqtt": { "Host": "127.0.0.1", "Port": {{port ?? _broker.TlsPort}}, "Tls": true, "CaFile": "{{caFile}}", "Username": "{{User}}", "Password": "{{password}}" }
        """;

    private async Task<IMqttClient> ConnectAsync(string clientId, string user, string password)
    {
        var client = new MqttClientFactory().CreateMqttClient();
        await client.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer(MosquittoBroker.Host, _broker.Port).WithClientId(clientId)
            .WithProtocolVersion(MQTTnet.Formatter.MqttProtocolVersion.V500).WithCredentials(user, password).Build());
        return client;
    }

    /// <summary>A subscriber to the status topic (as the ingest's user may read it), once <paramref name="count"/> messages came.</summary>
    private async Task<(IMqttClient Client, ConcurrentQueue<(string Payload, bool Retained)> Seen)> SubscribeAsync(string clientId, int count)
    {
        var client = await ConnectAsync(clientId, "ingest", IngestPassword);
        var seen = new ConcurrentQueue<(string, bool)>();
        client.ApplicationMessageReceivedAsync += e =>
        {
            seen.Enqueue((Encoding.UTF8.GetString(e.ApplicationMessage.Payload), e.ApplicationMessage.Retain));
            return Task.CompletedTask;
        };
        await client.SubscribeAsync(StatusTopic, MqttQualityOfServiceLevel.AtLeastOnce);
        await WaitForAsync(() => seen.Count >= count);
        return (client, seen);
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        for (var waited = 0; !condition(); waited += 20)
        {
            Assert.True(waited < 5000, "not within 5 s");
            await Task.Delay(20);
        }
    }

    private string Config(string signal, string mqtt, string outbox = "")
    {
        var path = Path.Combine(_dir, "edgegw.json");
        var outboxDirectory = Path.Combine(_dir, "outbox");
        File.WriteAllText(path, $$"""
            {
              "EdgeGateway": {
                "Site": "sme-0042",
                "TimeZone": "Europe/Amsterdam",
                "Cells": [ { "Id": "cell-1", "IdealCycleSeconds": 30, "Signals": { "green": {{signal}} }, "Shifts": [] } ]
              },
              "Agent": { "GatewayId": "gw-doctor", "Outbox": { "Directory": "{{outboxDirectory}}"{{outbox}} }, {{mqtt}} }
            }
            """, Encoding.UTF8);
        return path;
    }

    /// <summary>One Mosquitto with TLS (a test CA), a password file and the shipped ACL for the class.</summary>
    public sealed class TlsBroker : IDisposable
    {
        internal MosquittoBroker Broker { get; } = MosquittoBroker.Launch(new MosquittoSettings
        {
            Tls = true,
            Users = Users,
            Acl = File.ReadAllLines(Path.Combine(RepoPaths.Root, "deploy", "backend", "mosquitto", "edgegw.acl")),
        });

        public void Dispose() => Broker.Dispose();
    }
}
