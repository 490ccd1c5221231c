using System.CommandLine;
using System.Globalization;
using System.Text;
using EdgeGateway.Core;
using EdgeGateway.Core.Calendar;
using EdgeGateway.Core.Kpi;
using EdgeGateway.Core.Traces;
using EdgeGateway.Sensors.Simulation;

namespace EdgeGateway.Cli.Simulate;

/// <summary>
/// <c>edgegw simulate --config FILE --from T --to T --seed N --trace OUT.csv --truth OUT.json [--windows total,day,shift]</c>:
/// simulates the config's cells and writes their raw signals as a trace and the ground-truth KPI records beside it.
/// </summary>
internal static class SimulateCommand
{
    private const string Usage = "a date (2026-03-02: site-local midnight) or a UTC timestamp (2026-03-02T06:00:00Z)";

    public static Command Create(Stream stdout, TextWriter stderr)
    {
        var config = InputFiles.PathOption(new Option<string>("--config") { Description = "Gateway config file with the cells' Simulation sections (JSON, see src/docs/config.md and src/docs/simulation.md)", Required = true });
        var from = new Option<string>("--from") { Description = $"Start: {Usage}", Required = true };
        var to = new Option<string>("--to") { Description = $"End (after the start): {Usage}", Required = true };
        var seed = new Option<long>("--seed") { Description = "Random seed: the same seed gives the same trace and truth", Required = true };
        var trace = InputFiles.PathOption(new Option<string>("--trace") { Description = "Trace file to write (CSV: timestamp,signal,value)", Required = true });
        var truth = InputFiles.PathOption(new Option<string>("--truth") { Description = "Ground-truth file to write (one JSON array of schema-v1 records)", Required = true });
        var windows = new Option<string>("--windows") { Description = "Window kinds of the truth, comma-separated: total, day, shift, 1m", DefaultValueFactory = _ => "total,day,shift" };

        var command = new Command("simulate", "Simulate the work cells: write their raw signals as a trace and the ground-truth KPI records")
        {
            config, from, to, seed, trace, truth, windows,
        };
        command.SetAction(parsed => Run(
            parsed.GetValue(config)!, parsed.GetValue(from)!, parsed.GetValue(to)!, parsed.GetValue(seed), parsed.GetValue(trace)!,
            parsed.GetValue(truth)!, parsed.GetValue(windows)!, stdout, stderr));
        return command;
    }

    /// <summary>Simulates; both outputs are written to temporary files and moved into place only when everything succeeded.</summary>
    public static int Run(string configPath, string fromText, string toText, long seed, string tracePath, string truthPath, string windowsText, Stream stdout, TextWriter stderr)
    {
        string? traceTemp = null;
        string? truthTemp = null;
        try
        {
            var kinds = ParseWindows(windowsText);
            var gateway = InputFiles.ReadConfig(configPath);
            var options = SimulationOptions.ReadAll(gateway);
            var fromMs = ParseInstant("--from", fromText, gateway.TimeZone);
            var toMs = ParseInstant("--to", toText, gateway.TimeZone);
            if (toMs <= fromMs)
            {
                throw new InputException("--to", 0, $"{TraceTimestamp.Format(toMs)} is not after --from {TraceTimestamp.Format(fromMs)}");
            }

            CheckDistinct(tracePath, truthPath);
            traceTemp = TempBeside("--trace", tracePath);
            truthTemp = TempBeside("--truth", truthPath);
            SimulationSummary summary;
            try
            {
                using var traceStream = Create("--trace", traceTemp);
                using var truthStream = Create("--truth", truthTemp);
                summary = Simulator.Write(gateway, options, seed, fromMs, toMs, kinds, traceStream, truthStream);
            }
            catch (IOException e)
            {
                // A full disk while writing: the outputs cannot be written, and neither is left half written.
                throw new InputException("--trace/--truth", 0, $"cannot write the outputs: {InputText.Quote(e.Message, 200)}");
            }

            Move("--trace", traceTemp, tracePath);
            traceTemp = null;
            Move("--truth", truthTemp, truthPath);
            truthTemp = null;

            stdout.Write(Encoding.UTF8.GetBytes(string.Create(
                CultureInfo.InvariantCulture, $"edgegw simulate: {summary.Events} events to {tracePath}, {summary.Records} records to {truthPath}\n")));
            stdout.Flush();
            return 0;
        }
        catch (InputException e)
        {
            stderr.WriteLine($"edgegw simulate: {e.Message}");
            return Program.InputError;
        }
        finally
        {
            Delete(traceTemp);
            Delete(truthTemp);
        }
    }

    private static List<WindowKind> ParseWindows(string text)
    {
        var kinds = new List<WindowKind>();
        foreach (var name in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (!WindowKinds.TryParse(name, out var kind))
            {
                throw new InputException("--windows", 0, $"'{InputText.Quote(name)}' is not a window kind: use {string.Join(", ", WindowKinds.Names)}");
            }

            if (!kinds.Contains(kind))
            {
                kinds.Add(kind);
            }
        }

        return kinds.Count > 0 ? kinds : throw new InputException("--windows", 0, $"no window kind given: use {string.Join(", ", WindowKinds.Names)}");
    }

    private static long ParseInstant(string option, string text, TimeZoneInfo zone) =>
        SiteTime.TryParseInstant(text, zone, out var ms) ? ms : throw new InputException(option, 0, $"'{InputText.Quote(text)}' is not {Usage}");

    private static void CheckDistinct(string tracePath, string truthPath)
    {
        // One output would replace the other when both are moved into place, and the run would look successful.
        var trace = InputFiles.Canonical(InputFiles.CheckOutputFile("--trace", tracePath));
        var truth = InputFiles.Canonical(InputFiles.CheckOutputFile("--truth", truthPath));
        if (string.Equals(trace, truth, StringComparison.Ordinal))
        {
            throw new InputException("--truth", 0, $"'{InputText.Quote(truthPath)}' is the same file as --trace '{InputText.Quote(tracePath)}'; the two outputs need two files");
        }
    }

    private static string TempBeside(string option, string path)
    {
        var full = InputFiles.CheckOutputFile(option, path);
        return Path.Combine(Path.GetDirectoryName(full)!, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
    }

    private static FileStream Create(string option, string path)
    {
        try
        {
            return new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 64 * 1024);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InputException(option, 0, $"cannot write '{InputText.Quote(Path.GetDirectoryName(path)!)}': {(e is UnauthorizedAccessException ? "permission denied" : InputText.Quote(e.Message, 200))}");
        }
    }

    private static void Move(string option, string from, string to)
    {
        try
        {
            File.Move(from, to, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InputException(option, 0, $"cannot write '{InputText.Quote(to)}': {InputText.Quote(e.Message, 200)}");
        }
    }

    private static void Delete(string? path)
    {
        if (path is not null)
        {
            try
            {
                File.Delete(path);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // A leftover temporary file is harmless; the error that got us here is the one to report.
            }
        }
    }
}
