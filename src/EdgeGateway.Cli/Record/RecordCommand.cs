using System.CommandLine;
using System.Globalization;
using System.Threading.Channels;
using EdgeGateway.Cli.Replay;
using EdgeGateway.Cli.Sensors;
using EdgeGateway.Core;
using EdgeGateway.Core.Kpi;
using EdgeGateway.Core.Signals;
using EdgeGateway.Core.Traces;
using EdgeGateway.Sensors.Sources;
using Microsoft.Extensions.Logging;

namespace EdgeGateway.Cli.Record;

/// <summary>
/// <c>edgegw record --config FILE --seconds N --out TRACE.csv [--format table|json]</c>: reads the configured hardware inputs as the agent
/// would for N seconds and writes what they said as a trace (src/docs/traces.md), so that <c>edgegw calibrate</c> and
/// <c>edgegw replay</c> take it; then prints the recording's KPIs (total window per cell) as computed live, the table
/// <c>edgegw replay</c> prints for the trace. Sensor faults are in the trace (<c>fault</c>) and said on stderr.
/// Exit codes: 0 recorded; 1 a bus, chip or library is missing; 2 malformed input (config, argument, output path).
/// </summary>
internal static class RecordCommand
{
    // A timer can wait at most about 49 days; a week of recording is a large trace already.
    private const double MaxSeconds = 7 * 86_400;

    public static Command Create(Stream stdout, TextWriter stderr, string devRoot = "/dev")
    {
        var config = InputFiles.PathOption(new Option<string>("--config") { Description = "Gateway config whose hardware inputs to record", Required = true });
        var seconds = new Option<double>("--seconds") { Description = "How long to record", Required = true };
        var output = InputFiles.PathOption(new Option<string>("--out") { Description = "The trace to write (CSV: timestamp,signal,value)", Required = true });
        var format = new Option<string>("--format") { Description = "How the recording's KPIs are printed, as edgegw replay prints them: table, or json", DefaultValueFactory = _ => "table" };
        format.AcceptOnlyFromAmong("json", "table");
        var command = new Command("record", "Record the live signals of the configured hardware inputs as a trace, for calibrate and replay") { config, seconds, output, format };
        command.SetAction((parsed, cancellationToken) => RunAsync(
            parsed.GetValue(config)!, parsed.GetValue(seconds), parsed.GetValue(output)!, parsed.GetValue(format) == "json", inputs => HardwareAccess.OpenSystem(inputs, devRoot), TimeProvider.System, stdout, stderr, cancellationToken));
        return command;
    }

    /// <summary>Records; <paramref name="open"/> opens the inputs' hardware (the system's, or simulated buses in tests).</summary>
    public static async Task<int> RunAsync(
        string configPath, double seconds, string outPath, bool json, Func<IReadOnlyList<HardwareInput>, HardwareAccess> open, TimeProvider time, Stream stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        if (!(seconds > 0 && seconds <= MaxSeconds))
        {
            stderr.WriteLine(string.Create(CultureInfo.InvariantCulture, $"edgegw record: --seconds must be greater than 0 and at most {MaxSeconds} (7 days), found {seconds}"));
            return Program.InputError;
        }

        Core.Configuration.GatewayConfig gateway;
        SignalMap signals;
        IReadOnlyList<HardwareInput> inputs;
        string output;
        try
        {
            (gateway, signals, inputs) = SensorsCommand.ReadInputs(configPath);
            output = InputFiles.CheckOutputFile("--out", outPath);
        }
        catch (InputException e)
        {
            stderr.WriteLine($"edgegw record: {e.Message}");
            return Program.InputError;
        }

        if (inputs.Count == 0)
        {
            stderr.WriteLine($"edgegw record: {configPath}: no signal has a Source, nothing to record (see src/docs/sources.md)");
            return Program.InputError;
        }

        HardwareAccess hardware;
        try
        {
            hardware = open(inputs);
        }
        catch (HardwareMissingException e)
        {
            stderr.WriteLine($"edgegw record: {e.Message}");
            return SensorsCommand.HardwareMissing;
        }

        // Written beside the output and moved into place at the end: an interrupted recording leaves no half trace.
        var temp = Path.Combine(Path.GetDirectoryName(output)!, $".{Path.GetFileName(output)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (hardware)
            using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 64 * 1024))
            using (var trace = new TraceWriter(file, signals))
            using (var kpis = ReplayCommand.Output(json, stdout, gateway.TimeZone))
            {
                var started = time.GetUtcNow();
                trace.Comment(string.Create(CultureInfo.InvariantCulture, $"recorded by edgegw record from {configPath} at {started:O} for {seconds} s"));
                trace.Header();
                var live = new GatewayEngine(gateway, [WindowKind.Total], kpis);
                var faults = new StderrFaults(stderr);
                using var source = new HardwareSignalSource(inputs, hardware, time, faults);
                var recorded = await RecordAsync(source, trace, live, TimeSpan.FromSeconds(seconds), time, cancellationToken).ConfigureAwait(false);
                trace.Flush();
                file.Flush(flushToDisk: true);
                live.Finish();
                stderr.WriteLine($"edgegw record: {recorded} events of {inputs.Count} inputs in {(time.GetUtcNow() - started).TotalSeconds:F1} s written to {outPath}; their KPIs:");
            }

            File.Move(temp, output, overwrite: true);
            return 0;
        }
        catch (InvalidOperationException e)
        {
            // The source could not open a line or chip it was given (e.g. a GPIO line in use).
            stderr.WriteLine($"edgegw record: {SensorsCommand.OneLine(e.Message)}");
            return SensorsCommand.HardwareMissing;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            stderr.WriteLine($"edgegw record: cannot write '{InputText.Quote(outPath)}': {InputText.Quote(e.Message, 200)}");
            return Program.InputError;
        }
        finally
        {
            File.Delete(temp);
        }
    }

    /// <summary>
    /// Runs <paramref name="source"/> for <paramref name="duration"/> (or until cancelled), writing every event to the
    /// trace and feeding it to the live engine, in time order as the agent takes them (a late event at the latest
    /// time so far). Returns how many events were recorded.
    /// </summary>
    internal static async Task<long> RecordAsync(ISignalSource source, TraceWriter trace, GatewayEngine live, TimeSpan duration, TimeProvider time, CancellationToken cancellationToken)
    {
        var channel = Channel.CreateBounded<SignalEvent>(new BoundedChannelOptions(65_536) { SingleReader = true, SingleWriter = true });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var timer = time.CreateTimer(_ => stop.Cancel(), null, duration, Timeout.InfiniteTimeSpan);
        var run = Task.Run(() => source.RunAsync(channel.Writer, stop.Token), CancellationToken.None);
        _ = run.ContinueWith(_ => channel.Writer.TryComplete(), TaskScheduler.Default);
        var last = long.MinValue;
        long recorded = 0;
        await foreach (var e in channel.Reader.ReadAllAsync(CancellationToken.None).ConfigureAwait(false))
        {
            var at = Math.Max(e.TimestampMs, last);
            last = at;
            var taken = new SignalEvent(at, e.Signal, e.Value);
            trace.Write(taken);
            live.Process(taken);
            recorded++;
        }

        await run.ConfigureAwait(false);
        return recorded;
    }

    /// <summary>The source's sensor-fault lines (warnings and worse) on stderr, one line each.</summary>
    private sealed class StderrFaults(TextWriter stderr) : ILogger
    {
        private readonly Lock _lock = new();

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                lock (_lock)
                {
                    stderr.WriteLine($"edgegw record: {SensorsCommand.OneLine(formatter(state, exception))}");
                }
            }
        }
    }
}
