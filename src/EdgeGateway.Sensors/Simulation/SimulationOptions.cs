using EdgeGateway.Core;
using EdgeGateway.Core.Configuration;

namespace EdgeGateway.Sensors.Simulation;

/// <summary>
/// The investment switch: from <see cref="GoLiveMs"/> the parameters move linearly to <see cref="After"/> over
/// <see cref="RampUpDays"/>; the extra shifts of <see cref="ExtraShifts"/> replace the earlier ones at go-live.
/// </summary>
public sealed record InvestmentSwitch(long GoLiveMs, double RampUpDays, SimulationParameters After, IReadOnlyList<ShiftConfig> ExtraShifts)
{
    /// <summary>End of the ramp-up, Unix ms: from here on <see cref="After"/> holds fully.</summary>
    public long RampUpEndMs => GoLiveMs + (long)Math.Round(RampUpDays * 86_400_000);
}

/// <summary>
/// The simulation model of one cell, read from its <c>Simulation</c> config section (src/docs/simulation.md).
/// <see cref="ExtraShifts"/> are shifts the machine works besides the cell's calendar (they are not planned time).
/// </summary>
public sealed record SimulationOptions(SimulationParameters Before, IReadOnlyList<ShiftConfig> ExtraShifts, InvestmentSwitch? Investment)
{
    /// <summary>How the operators give reasons and articles, and the closures announced at run time.</summary>
    public SimulationContext Context { get; init; } = SimulationContext.Default;

    /// <summary>The parameters in force at instant <paramref name="ms"/> (Unix ms).</summary>
    public SimulationParameters At(long ms)
    {
        if (Investment is not { } investment || ms < investment.GoLiveMs)
        {
            return Before;
        }

        var rampEnd = investment.RampUpEndMs;
        return ms >= rampEnd
            ? investment.After
            : SimulationParameters.Interpolate(Before, investment.After, (double)(ms - investment.GoLiveMs) / (rampEnd - investment.GoLiveMs));
    }

    /// <summary>Reads the <c>Simulation</c> section of <paramref name="cell"/> (defaults when it has none); throws an InputException naming file, line and key.</summary>
    public static SimulationOptions Read(CellConfig cell, TimeZoneInfo zone)
    {
        var problems = new List<InputException>();
        var options = SimulationOptionsReader.Read(cell, zone, problems);
        InputException.ThrowIfAny(problems);
        return options;
    }

    /// <summary>Reads the sections of every cell of <paramref name="config"/>, in config order; the first problem is thrown, carrying all.</summary>
    public static IReadOnlyList<SimulationOptions> ReadAll(GatewayConfig config)
    {
        var problems = new List<InputException>();
        var all = Check(config, problems);
        InputException.ThrowIfAny(problems);
        return all;
    }

    /// <summary>Reads the sections of every cell of <paramref name="config"/>, adding every problem to <paramref name="problems"/>.</summary>
    public static IReadOnlyList<SimulationOptions> Check(GatewayConfig config, List<InputException> problems)
    {
        ArgumentNullException.ThrowIfNull(config);
        var all = new List<SimulationOptions>(config.Cells.Count);
        foreach (var cell in config.Cells)
        {
            all.Add(SimulationOptionsReader.Read(cell, config.TimeZone, problems));
        }

        return all;
    }
}
