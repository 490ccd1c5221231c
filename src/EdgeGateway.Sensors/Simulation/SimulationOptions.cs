using EdgeGateway.Core;
using EdgeGateway.Core.Configuration;

namespace EdgeGateway.Sensors.Simulation;

/// <summary>Which lamp a simulated minor stop lights: red (a jam the operator clears) or yellow (a short wait).</summary>
public enum MinorStopLamp
{
    /// <summary>The down (red) lamp.</summary>
    Down,

    /// <summary>The idle (yellow) lamp.</summary>
    Idle,
}

/// <summary>
/// The parameters of the cell model in force at one instant (src/docs/simulation.md). Rates and durations
/// are means of the distributions the simulator draws from.
/// </summary>
public readonly record struct SimulationParameters
{
    /// <summary>Mean cycle time of a normal cycle, seconds.</summary>
    public double CycleSeconds { get; init; }

    /// <summary>Coefficient of variation of the normal cycle time (normal distribution, clipped to 0.5–2 × mean).</summary>
    public double CycleCv { get; init; }

    /// <summary>Probability that a cycle is slow.</summary>
    public double SlowCycleProbability { get; init; }

    /// <summary>How much longer a slow cycle takes.</summary>
    public double SlowCycleFactor { get; init; }

    /// <summary>Probability that a part is scrap.</summary>
    public double ScrapProbability { get; init; }

    /// <summary>Probability of a minor stop after a cycle.</summary>
    public double MinorStopProbability { get; init; }

    /// <summary>Mean length of a minor stop (exponential), seconds.</summary>
    public double MinorStopMeanSeconds { get; init; }

    /// <summary>Lamp of a minor stop.</summary>
    public MinorStopLamp MinorStopLamp { get; init; }

    /// <summary>Mean run time between failures (exponential), hours.</summary>
    public double MtbfHours { get; init; }

    /// <summary>Mean repair time (log-normal), minutes.</summary>
    public double MttrMinutes { get; init; }

    /// <summary>Coefficient of variation of the repair time.</summary>
    public double MttrCv { get; init; }

    /// <summary>Mean run time between setups (changeovers, exponential), hours.</summary>
    public double SetupEveryHours { get; init; }

    /// <summary>Mean setup time (log-normal), minutes.</summary>
    public double SetupMinutes { get; init; }

    /// <summary>Coefficient of variation of the setup time.</summary>
    public double SetupCv { get; init; }

    /// <summary>Mean idle time (exponential) before production starts in staffed working time, minutes.</summary>
    public double StartDelayMinutes { get; init; }

    /// <summary>A failure in an unstaffed shift stays down until the next staffed shift begins, then is repaired.</summary>
    public bool FailuresWaitForStaff { get; init; }

    /// <summary>Power outside working time (machine switched off), kW.</summary>
    public double PowerOffKw { get; init; }

    /// <summary>Power while idle, kW.</summary>
    public double PowerIdleKw { get; init; }

    /// <summary>Power while running, kW.</summary>
    public double PowerRunKw { get; init; }

    /// <summary>Power while down, kW.</summary>
    public double PowerDownKw { get; init; }

    /// <summary>Power during setup, kW.</summary>
    public double PowerSetupKw { get; init; }

    /// <summary>Relative standard deviation of each power sample.</summary>
    public double PowerNoise { get; init; }

    /// <summary>Period of the power samples between state changes, seconds.</summary>
    public double PowerSampleSeconds { get; init; }

    /// <summary>
    /// The parameters a fraction <paramref name="progress"/> (0..1) of the way from <paramref name="before"/> to
    /// <paramref name="after"/>: numbers linearly; the lamp, the staff rule and the sample period switch at the start.
    /// </summary>
    public static SimulationParameters Interpolate(in SimulationParameters before, in SimulationParameters after, double progress)
    {
        double Lerp(double a, double b) => a + ((b - a) * progress);
        return after with
        {
            CycleSeconds = Lerp(before.CycleSeconds, after.CycleSeconds),
            CycleCv = Lerp(before.CycleCv, after.CycleCv),
            SlowCycleProbability = Lerp(before.SlowCycleProbability, after.SlowCycleProbability),
            SlowCycleFactor = Lerp(before.SlowCycleFactor, after.SlowCycleFactor),
            ScrapProbability = Lerp(before.ScrapProbability, after.ScrapProbability),
            MinorStopProbability = Lerp(before.MinorStopProbability, after.MinorStopProbability),
            MinorStopMeanSeconds = Lerp(before.MinorStopMeanSeconds, after.MinorStopMeanSeconds),
            MtbfHours = Lerp(before.MtbfHours, after.MtbfHours),
            MttrMinutes = Lerp(before.MttrMinutes, after.MttrMinutes),
            MttrCv = Lerp(before.MttrCv, after.MttrCv),
            SetupEveryHours = Lerp(before.SetupEveryHours, after.SetupEveryHours),
            SetupMinutes = Lerp(before.SetupMinutes, after.SetupMinutes),
            SetupCv = Lerp(before.SetupCv, after.SetupCv),
            StartDelayMinutes = Lerp(before.StartDelayMinutes, after.StartDelayMinutes),
            PowerOffKw = Lerp(before.PowerOffKw, after.PowerOffKw),
            PowerIdleKw = Lerp(before.PowerIdleKw, after.PowerIdleKw),
            PowerRunKw = Lerp(before.PowerRunKw, after.PowerRunKw),
            PowerDownKw = Lerp(before.PowerDownKw, after.PowerDownKw),
            PowerSetupKw = Lerp(before.PowerSetupKw, after.PowerSetupKw),
            PowerNoise = Lerp(before.PowerNoise, after.PowerNoise),
        };
    }
}

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
