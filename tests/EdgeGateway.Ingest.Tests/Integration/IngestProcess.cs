using System.Globalization;
using System.Text.RegularExpressions;

namespace EdgeGateway.Ingest.Tests.Integration;

/// <summary>The counters of one <c>Ingest status:</c> line (src/docs/ingest.md).</summary>
internal sealed record IngestStatus(long Received, long Written, long DeadLettered, string DeadLetteredByKind, long Retries, long AcksLost, long Ignored, long Confirmed)
{
    public static readonly IngestStatus None = new(0, 0, 0, "none", 0, 0, 0, 0);

    public override string ToString() =>
        $"received {Received}, written {Written}, dead-lettered {DeadLettered} ({DeadLetteredByKind}), retries {Retries}, acks lost {AcksLost}, own dead letters {Ignored}, confirmed {Confirmed}";
}

/// <summary>
/// One ingest instance under test: the built <c>edgegw-ingest</c> as a child process (as systemd runs it), with a
/// config file, a dead-letter folder of its own and <c>--Ingest:Key=value</c> settings, connected to a real
/// Mosquitto and a real InfluxDB. Its counters are read from the status line it logs every second (and once when
/// it stops gracefully, which makes the last line exact).
/// </summary>
internal sealed partial class IngestProcess : IDisposable
{
    private readonly string _folder;
    private readonly string _configFile;
    private readonly List<ServiceProcess> _processes = [];

    public IngestProcess(string clientId, MosquittoBroker broker, InfluxDb influx)
    {
        _folder = Directory.CreateTempSubdirectory($"edgegw-{clientId}-").FullName;
        _configFile = Path.Combine(_folder, "ingest.json");
        DeadLetterDirectory = Path.Combine(_folder, "deadletter");
        File.WriteAllText(_configFile, """
            { "Ingest": { },
              "Logging": { "LogLevel": { "Default": "Information", "Microsoft": "Warning", "EdgeGateway.Ingest.Batching.IngestPipeline": "Information" } } }
            """);
        Settings = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["Mqtt:Host"] = MosquittoBroker.Host,
            ["Mqtt:Port"] = broker.Port.ToString(CultureInfo.InvariantCulture),
            ["Mqtt:ClientId"] = clientId,
            ["Mqtt:MinBackoff"] = "00:00:00.2",
            ["Mqtt:MaxBackoff"] = "00:00:01",
            ["Influx:Url"] = influx.Url,
            ["Influx:Database"] = influx.Database,
            ["FlushInterval"] = "00:00:00.1",
            ["MinRetryDelay"] = "00:00:00.1",
            ["MaxRetryDelay"] = "00:00:00.5",
            ["StatusInterval"] = "00:00:01",
            ["DeadLetterDirectory"] = DeadLetterDirectory,
        };
    }

    /// <summary>The <c>--Ingest:Key=value</c> settings of the next <see cref="StartAsync"/>.</summary>
    public Dictionary<string, string> Settings { get; }

    public string DeadLetterDirectory { get; }

    public string DeadLetterFile => Path.Combine(DeadLetterDirectory, "deadletter.jsonl");

    /// <summary>Every instance started, in order (the last is <see cref="Current"/>).</summary>
    public IReadOnlyList<ServiceProcess> Processes => _processes;

    /// <summary>The instance started last.</summary>
    public ServiceProcess Current => _processes.Count > 0 ? _processes[^1] : throw new InvalidOperationException("no ingest started yet");

    /// <summary>Starts an instance and waits until it says "Ingest ready" (subscribed).</summary>
    public async Task<ServiceProcess> StartAsync()
    {
        if (_processes.Count > 0 && !Current.HasExited)
        {
            throw new InvalidOperationException("the previous instance still runs");
        }

        var process = ServiceProcess.Start("edgegw-ingest", ["--config", _configFile, .. Settings.Select(s => $"--Ingest:{s.Key}={s.Value}")]);
        _processes.Add(process);
        await Poll.Until(() => process.HasExited || process.CountLines("Ingest ready") > 0, TimeSpan.FromSeconds(30), "'Ingest ready'", () => process.Tail());
        Assert.False(process.HasExited, $"the ingest exited at start. {process.Tail()}");
        return process;
    }

    /// <summary>The counters of the current instance's last status line (zeros before the first).</summary>
    public IngestStatus Status => StatusOf(Current);

    /// <summary>The counters of <paramref name="process"/>'s last status line.</summary>
    public static IngestStatus StatusOf(ServiceProcess process)
    {
        ArgumentNullException.ThrowIfNull(process);
        var lines = process.Lines("Ingest status:");
        if (lines.Count == 0)
        {
            return IngestStatus.None;
        }

        var match = StatusLine().Match(lines[^1]);
        if (!match.Success)
        {
            throw new FormatException($"unexpected status line: {lines[^1]}");
        }

        long Number(int group) => long.Parse(match.Groups[group].Value, CultureInfo.InvariantCulture);
        return new IngestStatus(Number(1), Number(2), Number(3), match.Groups[4].Value, Number(5), Number(6), Number(7), Number(8));
    }

    /// <summary>Waits for a status line written after now (the counters as they are now, at the latest a second late).</summary>
    public async Task<IngestStatus> FreshStatusAsync()
    {
        var process = Current;
        var seen = process.Lines("Ingest status:").Count;
        await Poll.Until(() => process.HasExited || process.Lines("Ingest status:").Count > seen, TimeSpan.FromSeconds(10), "a new status line", () => process.Tail());
        return StatusOf(process);
    }

    /// <summary>Polls the current instance's status lines until <paramref name="condition"/> holds.</summary>
    public Task<IngestStatus> WaitForStatusAsync(Func<IngestStatus, bool> condition, TimeSpan timeout, string awaited)
    {
        var process = Current;
        return Poll.Until(() => StatusOf(process), s => condition(s) || process.HasExited, timeout, awaited, s => $"{s}. {process.Tail()}");
    }

    /// <summary>Stops the current instance gracefully (SIGTERM), checks exit code 0, and returns its final (exact) counters.</summary>
    public async Task<IngestStatus> StopAsync()
    {
        var process = Current;
        var exit = await process.StopAsync();
        Assert.True(exit == 0, $"the ingest exited with {exit} after SIGTERM. {process.Tail()}");
        return StatusOf(process);
    }

    public void Dispose()
    {
        foreach (var process in _processes)
        {
            process.Dispose();
        }

        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a leftover temporary folder is harmless.
        }
    }

    [GeneratedRegex(@"Ingest status: received (\d+), written (\d+), dead-lettered (\d+) \(([^)]*)\), retries (\d+), acknowledgements lost to reconnects (\d+), own dead letters and doctor probes skipped (\d+), records confirmed to gateways (\d+)")]
    private static partial Regex StatusLine();
}
