using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using EdgeGateway.Agent.Hosting;
using EdgeGateway.Agent.Pipeline;
using EdgeGateway.Agent.Publishing;
using EdgeGateway.Agent.Status;
using EdgeGateway.Cli.Config;
using EdgeGateway.Core.Configuration;
using EdgeGateway.Core.Payload;
using EdgeGateway.Core.Signals;
using EdgeGateway.Core.Traces;
using EdgeGateway.Hosting;
using EdgeGateway.Mqtt;
using EdgeGateway.Sensors.I2c;
using EdgeGateway.Sensors.Sources;
using MQTTnet;
using MQTTnet.Protocol;

namespace EdgeGateway.Cli.Doctor;

/// <summary>
/// The checks of <c>edgegw doctor</c> (src/docs/cli.md): the config as the agent checks it, the gateway id, the
/// configured sensors present and answering, the service user's groups, the clock, the outbox's disk, the broker (name,
/// TCP, TLS against the pinned CA, credentials, the gateway's subscription allowed), the client certificate's expiry,
/// and the running agent. Each check is one <see cref="DoctorCheck"/>; a check that needs a valid config is skipped
/// without one.
/// </summary>
internal sealed class DoctorChecks(string configPath, string statusPath, string devRoot, TimeProvider time)
{
    /// <summary>A record on the wire and in the outbox, about (the KPI payload and the frame): for the outage estimate.</summary>
    private const int RecordBytes = 1100;

    private static readonly TimeSpan s_brokerTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Where the system's users and groups are (a test points it elsewhere).</summary>
    internal string EtcRoot { get; init; } = "/etc";

    public async Task<List<DoctorCheck>> RunAsync(CancellationToken cancellationToken)
    {
        var checks = new List<DoctorCheck>();
        var config = Config(checks);
        if (config is { Gateway: { } gateway, Options: { } options })
        {
            checks.Add(options.GatewayId == DefaultGatewayId.Get()
                ? DoctorCheck.Ok("gateway id", $"{options.GatewayId} (from this device's machine id)")
                : DoctorCheck.Ok("gateway id", $"{options.GatewayId} (Agent.GatewayId)"));
            var inputs = Sensors(gateway, options, checks);
            Groups(inputs, checks);
            checks.Add(Disk(gateway, options));
            await BrokerAsync(gateway, options.Mqtt, options.GatewayId, checks, cancellationToken).ConfigureAwait(false);
            Certificates(options.Mqtt, checks);
        }

        checks.Add(ClockSync.IsSynchronized()
            ? DoctorCheck.Ok("clock", "synchronised (the kernel's NTP status)")
            : DoctorCheck.Warn("clock", "not synchronised: records say clock_synced false", "enable time synchronisation (timedatectl set-ntp true) and give it a reachable NTP server"));
        checks.Add(Agent());
        return checks;
    }

    private CheckedConfig? Config(List<DoctorCheck> checks)
    {
        if (ConfigFile.TryRead(configPath, out var unreadable) is not { } bytes)
        {
            checks.Add(DoctorCheck.Fail("config", $"{configPath}: {unreadable}", "install a config (edgegw config init) or give --config"));
            return null;
        }

        var result = AgentConfigCheck.Check(bytes, configPath, []);
        if (result.Problems.Count > 0)
        {
            checks.Add(DoctorCheck.Fail(
                "config",
                $"{result.Problems.Count} problem{(result.Problems.Count == 1 ? "" : "s")}, the first: {result.Problems[0]}",
                $"edgegw config validate --config {configPath} lists every one with its line"));
            return null;
        }

        checks.Add(DoctorCheck.Ok("config", ConfigCommand.Summary(result)));
        return result;
    }

    private List<HardwareInput> Sensors(GatewayConfig gateway, AgentOptions options, List<DoctorCheck> checks)
    {
        if (options.Source != EventSourceKind.Sensors)
        {
            checks.Add(DoctorCheck.Warn("sensors", $"Agent.Source is {options.Source}: the agent reads no sensor", "set Agent.Source to Sensors on a gateway in the field"));
            return [];
        }

        var inputs = HardwareInput.Read(gateway, new SignalMap(gateway)).ToList();
        if (inputs.Count == 0)
        {
            checks.Add(DoctorCheck.Warn("sensors", "no signal has a Source: the agent runs and measures nothing", "give each signal the GPIO line or I2C chip it is wired to (hardware/README.md)"));
            return inputs;
        }

        if (HardwareAccess.FindMissing(inputs.Select(i => i.Address), devRoot) is { } missing)
        {
            checks.Add(DoctorCheck.Fail("sensors", missing, "see hardware/README.md, \"Enable the interfaces\""));
            return inputs;
        }

        var silent = new List<string>();
        foreach (var bus in inputs.Where(i => i.Address.Kind != SourceKind.Gpio).Select(i => i.Address.Bus).Distinct())
        {
            var found = I2cScanner.Scan(address => System.Device.I2c.I2cDevice.Create(new System.Device.I2c.I2cConnectionSettings(bus, address)));
            silent.AddRange(inputs
                .Where(i => i.Address.Kind != SourceKind.Gpio && i.Address.Bus == bus && !found.Any(f => f.Address == i.Address.Address))
                .Select(i => $"{i.Name} ({i.Address})"));
        }

        checks.Add(silent.Count == 0
            ? DoctorCheck.Ok("sensors", $"{inputs.Count} inputs: every GPIO chip and I2C bus present, every I2C chip answering")
            : DoctorCheck.Fail("sensors", $"not answering: {string.Join(", ", silent)}", "check the chip's wiring, power and address (edgegw sensors scan, i2cdetect -y BUS)"));
        return inputs;
    }

    /// <summary>The service user (<c>edgegw</c>) may open the GPIO chip and the I2C buses the config uses.</summary>
    private void Groups(List<HardwareInput> inputs, List<DoctorCheck> checks)
    {
        string[] needed = [.. (inputs.Any(i => i.Address.Kind == SourceKind.Gpio) ? ["gpio"] : Array.Empty<string>()),
            .. (inputs.Any(i => i.Address.Kind != SourceKind.Gpio) ? ["i2c"] : Array.Empty<string>())];
        if (needed.Length == 0)
        {
            return;
        }

        var groups = ReadGroups();
        var missing = needed.Where(g => !groups.TryGetValue(g, out var members) || !members.Contains("edgegw")).ToList();
        checks.Add(missing.Count == 0
            ? DoctorCheck.Ok("groups", $"the service user edgegw is in {string.Join(" and ", needed)}")
            : DoctorCheck.Fail("groups", $"the service user edgegw is not in {string.Join(" and ", missing)}", $"sudo usermod -aG {string.Join(',', missing)} edgegw (the package does this; on plain Debian create the group and its udev rule first)"));
    }

    private Dictionary<string, HashSet<string>> ReadGroups()
    {
        var groups = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        try
        {
            foreach (var line in File.ReadLines(Path.Combine(EtcRoot, "group")))
            {
                var parts = line.Split(':');
                if (parts.Length >= 4)
                {
                    groups[parts[0]] = [.. parts[3].Split(',', StringSplitOptions.RemoveEmptyEntries)];
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // No group file readable: every group counts as missing, which the line then says.
        }

        return groups;
    }

    /// <summary>Free space for the outbox, and how many days of broker outage it holds at the records the config makes a day.</summary>
    private static DoctorCheck Disk(GatewayConfig gateway, AgentOptions options)
    {
        var directory = options.Outbox.Directory;
        long free;
        try
        {
            free = new DriveInfo(Path.GetFullPath(directory)).AvailableFreeSpace;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return DoctorCheck.Fail("disk", $"cannot tell the free space of {directory}: {StorageErrors.Reason(e)}", "check Agent.Outbox.Directory");
        }

        // Records a day: a 1m window is 1440 a cell, a shift window one per shift (at most 3), a day window one.
        var perCell = options.EffectiveWindows.Sum(w => w switch { "1m" => 1440, "shift" => 3, "day" => 1, _ => 0 });
        var perDay = Math.Max(1, perCell * gateway.Cells.Count);
        var room = Math.Min(free, options.Outbox.MaxBytes);
        var days = room / (double)(perDay * RecordBytes);
        var found = string.Create(CultureInfo.InvariantCulture, $"{free / 1048576.0:F0} MiB free for {directory}; the outbox (Agent.Outbox.MaxBytes {options.Outbox.MaxBytes / 1048576.0:F0} MiB) holds about {days:F1} days of broker outage at {perDay} records a day");
        return days >= 7
            ? DoctorCheck.Ok("disk", found)
            : DoctorCheck.Warn("disk", found, "free disk space or raise Agent.Outbox.MaxBytes, so that a week without the broker loses nothing");
    }

    private static async Task BrokerAsync(GatewayConfig gateway, MqttOptions mqtt, string gatewayId, List<DoctorCheck> checks, CancellationToken cancellationToken)
    {
        var address = $"{mqtt.Host}:{mqtt.Port}";
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(s_brokerTimeout);
        try
        {
            if (!IPAddress.TryParse(mqtt.Host, out _))
            {
                await Dns.GetHostAddressesAsync(mqtt.Host, timeout.Token).ConfigureAwait(false);
            }

            using var tcp = new TcpClient();
            await tcp.ConnectAsync(mqtt.Host, mqtt.Port, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
            var why = e is SocketException { SocketErrorCode: SocketError.HostNotFound or SocketError.TryAgain or SocketError.NoData }
                ? $"the name {mqtt.Host} does not resolve"
                : e is SocketException socket ? $"cannot connect to {address}: {socket.SocketErrorCode}" : $"no answer from {address} within {s_brokerTimeout.TotalSeconds:F0} s";
            checks.Add(DoctorCheck.Fail("broker", why, "check Agent.Mqtt.Host and Port, the network and the broker (is it running? a firewall?)"));
            return;
        }

        checks.Add(DoctorCheck.Ok("broker", $"{address} resolves and accepts TCP"));

        // Its own client id: the running agent's session must not be taken over.
        using var client = new MqttClientFactory().CreateMqttClient();
        var builder = new MqttClientOptionsBuilder()
            .WithTcpServer(mqtt.Host, mqtt.Port)
            .WithClientId($"{gateway.Site}.{gatewayId}.doctor")
            .WithProtocolVersion(MQTTnet.Formatter.MqttProtocolVersion.V500)
            .WithCleanStart(true)
            .WithTimeout(s_brokerTimeout);
        BrokerSecurity.Apply(builder, mqtt);
        try
        {
            var connected = await client.ConnectAsync(builder.Build(), timeout.Token).ConfigureAwait(false);
            if (connected.ResultCode != MqttClientConnectResultCode.Success)
            {
                throw new BrokerRefusedException(connected.ResultCode, connected.ReasonString);
            }

            var tls = mqtt.Tls ? $"TLS with the pinned CA {mqtt.CaFile ?? "(none set)"}" : "without TLS";
            checks.Add(DoctorCheck.Ok("broker session", $"{tls}, {(mqtt.Username is null ? "anonymous" : $"user {mqtt.Username}")}: accepted"));

            // What the agent subscribes to on every connect; a broker ACL that forbids it leaves records unconfirmed.
            var topic = TopicScheme.ConfirmationTopic(mqtt.ConfirmTopicPrefix, gateway.Site, gatewayId);
            var subscribed = await client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder().WithTopicFilter(topic, MqttQualityOfServiceLevel.AtLeastOnce).Build(), timeout.Token).ConfigureAwait(false);
            var code = subscribed.Items.Single().ResultCode;
            checks.Add(code <= MqttClientSubscribeResultCode.GrantedQoS2
                ? DoctorCheck.Ok("broker ACL", $"may read its delivery confirmations ({topic})")
                : DoctorCheck.Fail("broker ACL", $"may not read its delivery confirmations ({topic}): {code}", "let the site's user read edgegw/confirm/v1/SITE/# (deploy/mosquitto/edgegw.acl)"));
            await client.DisconnectAsync(cancellationToken: CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            checks.Add(DoctorCheck.Fail("broker session", BrokerConnection.Describe(e, mqtt, "Agent.Mqtt"), "see the keys named; the broker's log says more (journalctl -u mosquitto)"));
        }
    }

    private static void Certificates(MqttOptions mqtt, List<DoctorCheck> checks)
    {
        foreach (var (key, file) in (ReadOnlySpan<(string, string?)>)[("Agent.Mqtt.ClientCertFile", mqtt.ClientCertFile), ("Agent.Mqtt.CaFile", mqtt.CaFile)])
        {
            if (file is null)
            {
                continue;
            }

            using var certificate = X509CertificateLoader.LoadCertificateFromFile(file);
            var left = certificate.NotAfter.ToUniversalTime() - DateTime.UtcNow;
            var found = string.Create(CultureInfo.InvariantCulture, $"{file} ({key}) is valid until {certificate.NotAfter.ToUniversalTime():yyyy-MM-dd}");
            checks.Add(left <= TimeSpan.Zero ? DoctorCheck.Fail("certificate", $"{file} ({key}) expired on {certificate.NotAfter.ToUniversalTime():yyyy-MM-dd}", "install a new certificate and restart the agent")
                : left < TimeSpan.FromDays(30) ? DoctorCheck.Warn("certificate", $"{found}: {left.TotalDays:F0} days left", "renew it before it expires (edgegw pki)")
                : DoctorCheck.Ok("certificate", found));
        }
    }

    /// <summary>The running agent, from the status file it rewrites every 2 s.</summary>
    private DoctorCheck Agent()
    {
        const string Fix = "systemctl status edgegw; journalctl -u edgegw says why";
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(statusPath));
            var root = document.RootElement;
            var pid = root.GetProperty("pid").GetInt32();
            var at = TraceTimestamp.TryParse(System.Text.Encoding.ASCII.GetBytes(root.GetProperty("at").GetString() ?? ""), out var ms) ? ms : 0;
            var age = time.GetUtcNow() - DateTimeOffset.FromUnixTimeMilliseconds(at);
            if (!Directory.Exists($"/proc/{pid}") || age > StatusFile.StaleAfter)
            {
                return DoctorCheck.Fail("agent", $"not running (its status at {statusPath} is {age.TotalSeconds:F0} s old)", Fix);
            }

            var records = root.GetProperty("records").GetInt64();
            var broker = root.GetProperty("broker");
            return broker.GetProperty("connected").GetBoolean()
                ? DoctorCheck.Ok("agent", $"running (pid {pid}), {records} records computed, connected to the broker")
                : DoctorCheck.Warn("agent", $"running (pid {pid}), {records} records computed, not connected: {broker.GetProperty("last_error").GetString()}", "see the broker lines above");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return DoctorCheck.Fail("agent", $"not running (no status at {statusPath})", Fix);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            return DoctorCheck.Fail("agent", $"{statusPath} is not the agent's status", "give --status-file the agent's Agent.StatusFile");
        }
    }
}
