using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Threading.Channels;
using EdgeGateway.Core;
using EdgeGateway.Core.Signals;
using EdgeGateway.Sensors.Sources;
using Microsoft.Extensions.Logging;

namespace EdgeGateway.Cli.Sensors;

/// <summary>
/// <c>edgegw sensors watch --config FILE [--interval-ms N] [--seconds N]</c>: runs the configured hardware inputs as
/// the agent would and shows the latest value of each, refreshed in place on a terminal (one block per refresh when
/// the output is redirected), with the reason of every sensor fault; until Ctrl+C or for <c>--seconds</c>.
/// </summary>
internal static class SensorsWatch
{
    // A timer can wait at most about 49 days; a month of watching is more than anyone needs.
    private const double MaxSeconds = 30 * 86_400;

    public static Command Create(Stream stdout, TextWriter stderr, string devRoot)
    {
        var config = InputFiles.PathOption(new Option<string>("--config") { Description = "Gateway config whose sources to read", Required = true });
        var interval = new Option<int>("--interval-ms") { Description = "Refresh period", DefaultValueFactory = _ => 500 };
        var seconds = new Option<double?>("--seconds") { Description = "Stop after this many seconds (default: until Ctrl+C)" };
        var command = new Command("watch", "Show live values of the configured hardware inputs, refreshed in place") { config, interval, seconds };
        command.SetAction((parsed, cancellationToken) =>
            RunAsync(parsed.GetValue(config)!, parsed.GetValue(interval), parsed.GetValue(seconds), devRoot, stdout, stderr, cancellationToken));
        return command;
    }

    public static async Task<int> RunAsync(string configPath, int intervalMs, double? seconds, string devRoot, Stream stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        if (intervalMs is < 50 or > 60_000)
        {
            stderr.WriteLine($"edgegw sensors watch: --interval-ms must be 50-60000, found {intervalMs}");
            return Program.InputError;
        }

        if (seconds is { } wanted && !(wanted > 0 && wanted <= MaxSeconds))
        {
            stderr.WriteLine(string.Create(CultureInfo.InvariantCulture, $"edgegw sensors watch: --seconds must be greater than 0 and at most {MaxSeconds} (30 days), found {wanted}"));
            return Program.InputError;
        }

        EdgeGateway.Core.Configuration.GatewayConfig gateway;
        SignalMap signals;
        IReadOnlyList<HardwareInput> inputs;
        try
        {
            (gateway, signals, inputs) = SensorsCommand.ReadInputs(configPath);
        }
        catch (InputException e)
        {
            stderr.WriteLine($"edgegw sensors watch: {e.Message}");
            return Program.InputError;
        }

        if (inputs.Count == 0)
        {
            stderr.WriteLine($"edgegw sensors watch: {configPath}: no signal has a Source (see src/docs/sources.md)");
            return Program.InputError;
        }

        HardwareAccess hardware;
        try
        {
            hardware = HardwareAccess.OpenSystem(inputs, devRoot);
        }
        catch (HardwareMissingException e)
        {
            stderr.WriteLine($"edgegw sensors watch: {e.Message}");
            return SensorsCommand.HardwareMissing;
        }

        using (hardware)
        {
            var log = new FaultLog();
            using var source = new HardwareSignalSource(inputs, hardware, TimeProvider.System, log);
            var table = new WatchTable(inputs, new GatewayConfigCells(gateway, signals));
            var channel = Channel.CreateBounded<SignalEvent>(new BoundedChannelOptions(65_536) { SingleReader = true, SingleWriter = true });
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            if (seconds is { } limit)
            {
                stop.CancelAfter(TimeSpan.FromSeconds(limit));
            }

            Task run;
            try
            {
                run = source.RunAsync(channel.Writer, stop.Token);
            }
            catch (InvalidOperationException e)
            {
                stderr.WriteLine($"edgegw sensors watch: {SensorsCommand.OneLine(e.Message)}");
                return SensorsCommand.HardwareMissing;
            }

            var interactive = !Console.IsOutputRedirected && stdout is not MemoryStream;
            var previousLines = 0;
            try
            {
                while (!stop.IsCancellationRequested)
                {
                    await Task.Delay(intervalMs, stop.Token).ConfigureAwait(false);
                    previousLines = Show(channel.Reader, table, log, stdout, interactive, previousLines);
                }
            }
            catch (OperationCanceledException)
            {
                // Ctrl+C or --seconds: the normal end.
            }

            await run.ConfigureAwait(false);
            Show(channel.Reader, table, log, stdout, interactive, previousLines);
            return 0;
        }
    }

    private static int Show(ChannelReader<SignalEvent> reader, WatchTable table, FaultLog log, Stream stdout, bool interactive, int previousLines)
    {
        while (reader.TryRead(out var e))
        {
            table.Update(e);
        }

        foreach (var (signal, reason) in log.Drain())
        {
            table.Fault(signal, reason);
        }

        var text = table.ToText(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        var lines = text.Count(c => c == '\n');
        var frame = new StringBuilder();
        if (interactive && previousLines > 0)
        {
            // Back to the first line of the previous frame, and clear from there down.
            frame.Append("\u001b[").Append(previousLines).Append('F').Append("\u001b[J");
        }

        frame.Append(text);
        if (!interactive)
        {
            frame.Append('\n');
        }

        stdout.Write(Encoding.UTF8.GetBytes(frame.ToString()));
        stdout.Flush();
        return lines;
    }

    /// <summary>Keeps the reasons of sensor faults (log event 2101) for the table.</summary>
    private sealed class FaultLog : ILogger
    {
        private readonly Lock _lock = new();
        private readonly List<(string Signal, string Reason)> _faults = [];

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (eventId.Id != 2101 || state is not IReadOnlyList<KeyValuePair<string, object?>> values)
            {
                return;
            }

            var signal = values.FirstOrDefault(v => v.Key == "Signal").Value as string;
            var reason = values.FirstOrDefault(v => v.Key == "Reason").Value as string;
            if (signal is not null && reason is not null)
            {
                lock (_lock)
                {
                    _faults.Add((signal, reason));
                }
            }
        }

        public List<(string Signal, string Reason)> Drain()
        {
            lock (_lock)
            {
                var faults = _faults.ToList();
                _faults.Clear();
                return faults;
            }
        }
    }
}
