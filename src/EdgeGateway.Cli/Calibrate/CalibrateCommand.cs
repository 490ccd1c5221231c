using System.CommandLine;
using System.Globalization;
using EdgeGateway.Core;
using EdgeGateway.Core.Configuration;
using EdgeGateway.Core.Signals;
using EdgeGateway.Core.Signals.FromPower;
using EdgeGateway.Core.Traces;

namespace EdgeGateway.Cli.Calibrate;

/// <summary>
/// <c>edgegw calibrate --config FILE --trace FILE [--cell ID]</c>: suggests StateFromPower (and CyclesFromPower)
/// thresholds from a recorded trace of the cell's power signal and prints them as config.
/// </summary>
internal static class CalibrateCommand
{
    /// <summary>Exit code when the recording cannot be calibrated (e.g. it holds only one level).</summary>
    public const int CannotCalibrate = 1;

    public static Command Create(Stream stdout, TextWriter stderr)
    {
        var config = InputFiles.PathOption(new Option<string>("--config") { Description = "Gateway config file (JSON)", Required = true });
        var trace = InputFiles.PathOption(new Option<string>("--trace") { Description = "Trace recorded from the cell (CSV), with running and idle periods", Required = true });
        var cell = new Option<string?>("--cell") { Description = "Cell id (default: the only cell with a PowerKw signal)" };
        var command = new Command("calibrate", "Suggest power thresholds for state and cycles from a recorded trace, printed as config")
        {
            config, trace, cell,
        };
        command.SetAction(parsed => Run(parsed.GetValue(config)!, parsed.GetValue(trace)!, parsed.GetValue(cell), stdout, stderr));
        return command;
    }

    public static int Run(string configPath, string tracePath, string? cellId, Stream stdout, TextWriter stderr)
    {
        try
        {
            var gateway = InputFiles.ReadConfig(configPath);
            var (cell, power) = FindPowerSignal(gateway, cellId, configPath);
            var signals = new SignalMap(gateway);
            signals.TryFind(power.Name, out var powerIndex);

            var samples = new List<double>();
            var times = new List<long>();
            using (var stream = InputFiles.OpenTrace(tracePath))
            using (var reader = new TraceReader(stream, tracePath, signals))
            {
                while (reader.TryRead(out var e))
                {
                    if (e.Signal == powerIndex && !double.IsNaN(e.Value))
                    {
                        samples.Add(e.Value);
                        times.Add(e.TimestampMs);
                    }
                }
            }

            var interval = MedianIntervalSeconds(times);
            var calibration = PowerCalibrator.Suggest(power.Name, samples, cell.IdealCycleSeconds, interval);
            if (calibration is null)
            {
                stderr.WriteLine($"edgegw calibrate: {tracePath}: the {samples.Count} samples of '{power.Name}' (cell {cell.Id}) show no two distinct power levels; record a period in which the machine both runs and stands idle");
                return CannotCalibrate;
            }

            using var output = new StreamWriter(stdout, leaveOpen: true);
            Print(output, cell, calibration, times, interval);
            return 0;
        }
        catch (InputException e)
        {
            stderr.WriteLine($"edgegw calibrate: {e.Message}");
            return Program.InputError;
        }
    }

    private static (CellConfig Cell, SignalConfig Power) FindPowerSignal(GatewayConfig gateway, string? cellId, string configPath)
    {
        var candidates = gateway.Cells.Where(c => cellId is null || c.Id == cellId).ToList();
        if (candidates.Count == 0)
        {
            throw new InputException(configPath, 0, $"no cell '{InputText.Quote(cellId)}' (cells: {string.Join(", ", gateway.Cells.Select(c => c.Id))})");
        }

        var withPower = candidates.Where(c => c.Signals.Any(s => s.Role == SignalRole.PowerKw)).ToList();
        if (withPower.Count != 1)
        {
            throw new InputException(configPath, 0, withPower.Count == 0
                ? $"no PowerKw signal in {(cellId is null ? "any cell" : $"cell '{InputText.Quote(cellId)}'")}: calibration needs the power recording"
                : $"several cells have a PowerKw signal ({string.Join(", ", withPower.Select(c => c.Id))}): choose one with --cell");
        }

        return (withPower[0], withPower[0].Signals.First(s => s.Role == SignalRole.PowerKw));
    }

    private static double MedianIntervalSeconds(List<long> times)
    {
        if (times.Count < 2)
        {
            return 1;
        }

        var gaps = new List<long>(times.Count - 1);
        for (var i = 1; i < times.Count; i++)
        {
            gaps.Add(times[i] - times[i - 1]);
        }

        gaps.Sort();
        return Math.Max(gaps[gaps.Count / 2], 1) / 1000.0;
    }

    private static void Print(StreamWriter output, CellConfig cell, PowerCalibration c, List<long> times, double interval)
    {
        var s = c.State;
        output.WriteLine(Invariant($"Calibrated from {c.Samples} samples of '{s.Signal}' (cell {cell.Id}), {TraceTimestamp.Format(times[0])} to {TraceTimestamp.Format(times[^1])}, one every {interval:0.###} s:"));
        if (c.Off.Share > 0)
        {
            output.WriteLine(Invariant($"  off   below {s.OffBelowKw} kW: {c.Off.Share:P1} of samples, mean {c.Off.MeanKw:0.###} kW"));
        }

        output.WriteLine(Invariant($"  idle  {s.OffBelowKw}-{s.RunAboveKw} kW: {c.Idle.Share:P1} of samples, mean {c.Idle.MeanKw:0.###} kW"));
        output.WriteLine(Invariant($"  run   above {s.RunAboveKw} kW: {c.Run.Share:P1} of samples, mean {c.Run.MeanKw:0.###} kW"));
        if (c.Cycles is { } cycles)
        {
            output.WriteLine(Invariant($"  peaks above {cycles.AboveKw} kW while running come in short episodes: parts can be counted from them"));
        }

        output.WriteLine();
        output.WriteLine("Put into the cell's config (replacing its level signals and CyclePulse, if any):");
        output.WriteLine(Invariant($"\"StateFromPower\": {{ \"Signal\": \"{s.Signal}\", \"OffBelowKw\": {s.OffBelowKw}, \"RunAboveKw\": {s.RunAboveKw}, \"HysteresisKw\": {s.HysteresisKw}, \"MinDwellSeconds\": {s.MinDwellSeconds} }}{(c.Cycles is null ? "" : ",")}"));
        if (c.Cycles is { } cy)
        {
            output.WriteLine(Invariant($"\"CyclesFromPower\": {{ \"Signal\": \"{cy.Signal}\", \"AboveKw\": {cy.AboveKw}, \"HysteresisKw\": {cy.HysteresisKw}, \"SmoothingSamples\": {cy.SmoothingSamples}, \"MinCycleSeconds\": {cy.MinCycleSeconds}, \"MaxCycleSeconds\": {cy.MaxCycleSeconds} }}"));
        }
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
