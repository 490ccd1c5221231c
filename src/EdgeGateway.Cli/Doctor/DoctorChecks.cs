using System.Globalization;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using EdgeGateway.Agent.Hosting;
using EdgeGateway.Agent.Pipeline;
using EdgeGateway.Agent.Publishing;
using EdgeGateway.Cli.Config;
using EdgeGateway.Cli.Status;
using EdgeGateway.Core.Configuration;
using EdgeGateway.Core.Signals;
using EdgeGateway.Hosting;
using EdgeGateway.Sensors.I2c;
using EdgeGateway.Sensors.Sources;

namespace EdgeGateway.Cli.Doctor;

/// <summary>
/// The checks of <c>edgegw doctor</c> (src/docs/cli.md): the config as the agent checks it, the gateway id, the
/// configured sensors present and answering, the service user's groups, the outbox's disk (<see cref="DiskCheck"/>), the
/// broker (<see cref="BrokerChecks"/>: name, TCP, TLS against the pinned CA, credentials, the gateway's subscription and
/// publish allowed), the client certificate's expiry, the running agent's control socket, the clock and its offset, and the running agent with its last
/// record's age (<see cref="AgentChecks"/>). Each check is one <see cref="DoctorCheck"/>; a check that needs a valid
/// config is skipped without one.
/// </summary>
internal sealed class DoctorChecks(string configPath, string statusPath, string devRoot, TimeProvider time)
{
    /// <summary>An offset of the clock beyond this is a warning even when synchronised: timestamps and window ends drift by it.</summary>
    internal const double MaxClockOffsetS = 1.0;

    /// <summary>Where the system's users and groups are (a test points it elsewhere).</summary>
    internal string EtcRoot { get; init; } = "/etc";

    /// <summary>The clock's synchronisation and offset (a test gives its own).</summary>
    internal Func<ClockReading> ReadClock { get; init; } = ClockSync.Read;

    public async Task<List<DoctorCheck>> RunAsync(CancellationToken cancellationToken)
    {
        var checks = new List<DoctorCheck>();
        var now = time.GetUtcNow();
        using var status = AgentStatusFile.Read(statusPath, now);
        var config = Config(checks);
        bool? everyMinute = null;
        if (config is { Gateway: { } gateway, Options: { } options })
        {
            checks.Add(options.GatewayId == DefaultGatewayId.Get()
                ? DoctorCheck.Ok("gateway id", $"{options.GatewayId} (from this device's machine id)")
                : DoctorCheck.Ok("gateway id", $"{options.GatewayId} (Agent.GatewayId)"));
            var inputs = Sensors(gateway, options, checks);
            Groups(inputs, checks);
            checks.Add(DiskCheck.Run(gateway, options, status));
            var agentConnected = status.Kind == AgentStatusKind.Running && status.BrokerConnected;
            await BrokerChecks.RunAsync(gateway, options.Mqtt, options.GatewayId, agentConnected, checks, cancellationToken).ConfigureAwait(false);
            Certificates(options.Mqtt, checks);
            if (status.Kind == AgentStatusKind.Running)
            {
                checks.Add(ControlSocket(options.ControlSocket));
            }

            everyMinute = options.EffectiveWindows.Contains("1m");
        }

        checks.Add(Clock(ReadClock()));
        checks.AddRange(AgentChecks.Run(status, statusPath, now, everyMinute));
        return checks;
    }

    /// <summary>Synchronised by NTP (the kernel's status) and within <see cref="MaxClockOffsetS"/> of its source.</summary>
    internal static DoctorCheck Clock(ClockReading clock)
    {
        var offset = clock.OffsetS is { } s ? string.Create(CultureInfo.InvariantCulture, $"offset {s:+0.000;-0.000;0.000} s") : "offset unknown";
        if (!clock.Synced)
        {
            return DoctorCheck.Warn("clock", $"not synchronised, {offset}: records say clock_synced false", "enable time synchronisation (timedatectl set-ntp true) and give it a reachable NTP server");
        }

        return clock.OffsetS is { } value && Math.Abs(value) > MaxClockOffsetS
            ? DoctorCheck.Warn("clock", $"synchronised, but {offset}: over 1 s from its NTP source", "let the NTP daemon settle, or give it a closer server (timedatectl timesync-status, chronyc tracking)")
            : DoctorCheck.Ok("clock", $"synchronised, {offset} (the kernel's NTP status)");
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

    /// <summary>
    /// The running agent takes <c>edgegw reason</c>, <c>article</c> and <c>calendar</c> on its control socket, and this
    /// user may use it: a connection closed without a request (the agent takes it for a probe and logs nothing).
    /// </summary>
    internal static DoctorCheck ControlSocket(string path)
    {
        const string Name = "control socket";
        if (string.IsNullOrEmpty(path))
        {
            return DoctorCheck.Ok(Name, "off (Agent.ControlSocket is empty): edgegw reason, article and calendar cannot reach the agent; MQTT commands can");
        }

        using var probe = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            probe.Connect(new UnixDomainSocketEndPoint(path));
            return DoctorCheck.Ok(Name, $"{path} takes edgegw reason, article and calendar");
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.AccessDenied)
        {
            return DoctorCheck.Warn(Name, $"{path}: user {Environment.UserName} may not use it", $"sudo usermod -aG edgegw {Environment.UserName}, then log in again (or use sudo)");
        }
        catch (SocketException e)
        {
            return DoctorCheck.Warn(Name, $"no agent listens on {path}: {e.Message}", "edgegw reason, article and calendar cannot reach it; journalctl -u edgegw says why (Agent.ControlSocket)");
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
}
