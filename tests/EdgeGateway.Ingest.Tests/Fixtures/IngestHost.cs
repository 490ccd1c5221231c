using System.Collections.Concurrent;
using EdgeGateway.Ingest.Status;
using EdgeGateway.Ingest.Writing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EdgeGateway.Ingest.Tests.Fixtures;

/// <summary>
/// The ingest as the process composes it (<see cref="Program.Compose"/>), in this process: connected to an
/// <see cref="InProcessBroker"/>, writing through a given writer, logging into <see cref="Log"/>.
/// </summary>
internal sealed class IngestHost : IAsyncDisposable
{
    private readonly IHost _host;

    private IngestHost(IHost host, string deadLetterDirectory, LogCollector log)
    {
        _host = host;
        DeadLetterDirectory = deadLetterDirectory;
        Log = log;
    }

    public LogCollector Log { get; }

    public string DeadLetterDirectory { get; }

    public string DeadLetterFile => Path.Combine(DeadLetterDirectory, "deadletter.jsonl");

    public IngestCounters Counters => _host.Services.GetRequiredService<IngestCounters>();

    public const string ClientId = "ingest-test";

    public static async Task<IngestHost> StartAsync(InProcessBroker broker, IPointWriter writer, Dictionary<string, string?>? settings = null, TimeProvider? time = null)
    {
        var directory = Directory.CreateTempSubdirectory("edgegw-ingest-test-").FullName;
        var values = new Dictionary<string, string?>
        {
            ["Ingest:Mqtt:Host"] = "127.0.0.1",
            ["Ingest:Mqtt:Port"] = broker.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Ingest:Mqtt:ClientId"] = ClientId,
            ["Ingest:Mqtt:SharedSubscription"] = "false", // MQTTnet.Server has no shared subscriptions
            ["Ingest:Mqtt:MinBackoff"] = "00:00:00.100",
            ["Ingest:Mqtt:MaxBackoff"] = "00:00:00.500",
            ["Ingest:BatchSize"] = "100",
            ["Ingest:FlushInterval"] = "00:00:00.050",
            ["Ingest:MinRetryDelay"] = "00:00:00.050",
            ["Ingest:MaxRetryDelay"] = "00:00:00.200",
            ["Ingest:DeadLetterDirectory"] = directory,
        };
        foreach (var (key, value) in settings ?? [])
        {
            values[key] = value;
        }

        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(values);
        var log = new LogCollector();
        builder.Logging.AddProvider(log).SetMinimumLevel(LogLevel.Debug);
        builder.Services.AddSingleton(writer);
        if (time is not null)
        {
            builder.Services.AddSingleton(time);
        }

        Program.Compose(builder.Services, builder.Configuration);
        var started = new IngestHost(builder.Build(), directory, log);
        await started._host.StartAsync();
        return started;
    }

    /// <summary>Waits until the subscriber logged "Ingest ready" <paramref name="times"/> times.</summary>
    public Task WaitReadyAsync(int times = 1) => WaitAsync(() => Log.Count("Ingest ready") >= times, $"'Ingest ready' x{times}");

    public Task WaitAsync(Func<bool> condition, string what, TimeSpan? timeout = null, Func<string>? state = null) =>
        Poll.Until(condition, timeout ?? TimeSpan.FromSeconds(15), what, () => $"{state?.Invoke()}; {Counters.Snapshot()}; log:\n{string.Join('\n', Log.Lines.TakeLast(30))}");

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await _host.StopAsync(timeout.Token);
        _host.Dispose();
        Directory.Delete(DeadLetterDirectory, recursive: true);
    }
}

/// <summary>Collects formatted log lines of every category.</summary>
internal sealed class LogCollector : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _lines = new();

    public IReadOnlyList<string> Lines => [.. _lines];

    public int Count(string text) => _lines.Count(l => l.Contains(text, StringComparison.Ordinal));

    public ILogger CreateLogger(string categoryName) => new Logger(this);

    public void Dispose()
    {
    }

    private sealed class Logger(LogCollector owner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            owner._lines.Enqueue($"{logLevel}: {formatter(state, exception)}");
    }
}
