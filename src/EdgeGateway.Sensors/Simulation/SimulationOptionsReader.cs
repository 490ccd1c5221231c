using EdgeGateway.Core;
using EdgeGateway.Core.Configuration;

namespace EdgeGateway.Sensors.Simulation;

/// <summary>
/// Reads a cell's <c>Simulation</c> section with the config reader (<see cref="ConfigObject"/>): keys match
/// case-insensitively, unknown keys are rejected, every value is range-checked, and every problem names the file,
/// the line of its key and the key path.
/// </summary>
internal static class SimulationOptionsReader
{
    public static SimulationOptions Read(CellConfig cell, TimeZoneInfo zone, List<InputException> problems)
    {
        var defaults = Defaults(cell);
        if (cell.Simulation is not { } section)
        {
            return new SimulationOptions(defaults, [], null);
        }

        var reader = section.Open(problems);
        var before = ReadParameters(reader, defaults);
        var extraShifts = ReadShifts(reader, cell, fallback: []);
        InvestmentSwitch? investment = null;
        if (reader.Child("Investment") is { } investmentReader)
        {
            var goLive = investmentReader.Instant("GoLive", zone);
            var rampUpDays = investmentReader.Number("RampUpDays", 28, 0, 3650);
            var after = before;
            var afterShifts = extraShifts;
            if (investmentReader.Child("After") is { } afterReader)
            {
                after = ReadParameters(afterReader, before);
                afterShifts = ReadShifts(afterReader, cell, fallback: extraShifts);
                afterReader.Forbid("Investment", "an investment cannot hold another investment");
                afterReader.RejectUnknown();
            }

            investmentReader.RejectUnknown();
            investment = goLive is { } at ? new InvestmentSwitch(at, rampUpDays, after, afterShifts) : null;
        }

        var context = ReadContext(reader, cell, zone);
        reader.RejectUnknown();
        return new SimulationOptions(before, extraShifts, investment) { Context = context };
    }

    /// <summary>The keys of <see cref="SimulationContext"/>: not parameters of the investment switch, so not allowed in <c>After</c>.</summary>
    private static SimulationContext ReadContext(ConfigObject s, CellConfig cell, TimeZoneInfo zone)
    {
        var d = SimulationContext.Default;
        double[]? weights = null;
        foreach (var item in s.Array("ReasonMix"))
        {
            var code = item.Text("Reason", required: true);
            var weight = item.Number("Weight", 1, 0, 1_000_000);
            item.RejectUnknown();
            var index = code is null ? -1 : cell.Reasons.IndexOf(code);
            if (code is not null && index < 0)
            {
                item.Problem("Reason", $"'{InputText.Quote(code)}' is not a code of StopReasons.Codes");
                continue;
            }

            if (index >= 0)
            {
                weights ??= new double[cell.Reasons.Codes.Count];
                weights[index] = weight;
            }
        }

        if (weights is not null && weights.Sum() == 0)
        {
            s.Problem("ReasonMix", "every weight is 0: give at least one reason a weight");
        }

        var closures = new List<AnnouncedClosure>();
        foreach (var item in s.Array("AnnouncedClosures"))
        {
            var announced = item.Instant("Announced", zone);
            if (ConfigReader.ReadClosure(item, zone) is { } closure && announced is { } at)
            {
                closures.Add(new AnnouncedClosure(at, closure));
            }
        }

        return new SimulationContext
        {
            Operator = s.Bool("Operator") ?? d.Operator,
            ReasonShare = s.Number("ReasonShare", d.ReasonShare, 0, 1),
            ReasonDelayMeanSeconds = s.Number("ReasonDelayMeanSeconds", d.ReasonDelayMeanSeconds, 0, 86_400, exclusiveMin: true),
            ReasonAtStopShare = s.Number("ReasonAtStopShare", d.ReasonAtStopShare, 0, 1),
            ReasonReplaceShare = s.Number("ReasonReplaceShare", d.ReasonReplaceShare, 0, 1),
            ReasonWeights = weights,
            ArticleChangeShare = s.Number("ArticleChangeShare", d.ArticleChangeShare, 0, 1),
            Closures = closures,
        };
    }

    /// <summary>Defaults of a cell: cycles 10 % slower than ideal; power levels inside the StateFromPower bands when the cell has them.</summary>
    internal static SimulationParameters Defaults(CellConfig cell)
    {
        var parameters = new SimulationParameters
        {
            CycleSeconds = 1.1 * cell.IdealCycleSeconds,
            CycleCv = 0.03,
            SlowCycleProbability = 0.02,
            SlowCycleFactor = 1.5,
            ScrapProbability = 0.02,
            MinorStopProbability = 0.01,
            MinorStopMeanSeconds = cell.MinorStopSeconds > 0 ? cell.MinorStopSeconds / 3 : 30,
            MinorStopLamp = MinorStopLamp.Down,
            MtbfHours = 8,
            MttrMinutes = 30,
            MttrCv = 0.8,
            SetupEveryHours = 6,
            SetupMinutes = 25,
            SetupCv = 0.3,
            StartDelayMinutes = 5,
            FailuresWaitForStaff = true,
            PowerOffKw = 0.3,
            PowerIdleKw = 2.5,
            PowerRunKw = 8,
            PowerDownKw = 1.5,
            PowerSetupKw = 1.5,
            PowerNoise = 0.03,
            PowerSampleSeconds = 30,
        };

        if (cell.StateFromPower is { } bands)
        {
            var idle = (bands.OffBelowKw + bands.RunAboveKw) / 2;
            parameters = parameters with
            {
                PowerOffKw = bands.OffBelowKw / 2,
                PowerIdleKw = idle,
                PowerRunKw = (bands.RunAboveKw * 1.5) + bands.HysteresisKw,
                PowerDownKw = idle,
                PowerSetupKw = idle,
            };
        }

        return parameters;
    }

    private static SimulationParameters ReadParameters(ConfigObject s, SimulationParameters d) => d with
    {
        CycleSeconds = s.Number("CycleSeconds", d.CycleSeconds, 0, 86_400, exclusiveMin: true),
        CycleCv = s.Number("CycleCv", d.CycleCv, 0, 1),
        SlowCycleProbability = s.Number("SlowCycleProbability", d.SlowCycleProbability, 0, 1),
        SlowCycleFactor = s.Number("SlowCycleFactor", d.SlowCycleFactor, 1, 100),
        ScrapProbability = s.Number("ScrapProbability", d.ScrapProbability, 0, 1),
        MinorStopProbability = s.Number("MinorStopProbability", d.MinorStopProbability, 0, 1),
        MinorStopMeanSeconds = s.Number("MinorStopMeanSeconds", d.MinorStopMeanSeconds, 0, 86_400, exclusiveMin: true),
        MinorStopLamp = s.Enum<MinorStopLamp>("MinorStopLamp", d.MinorStopLamp) ?? d.MinorStopLamp,
        MtbfHours = s.Number("MtbfHours", d.MtbfHours, 0, 1_000_000, exclusiveMin: true),
        MttrMinutes = s.Number("MttrMinutes", d.MttrMinutes, 0, 100_000, exclusiveMin: true),
        MttrCv = s.Number("MttrCv", d.MttrCv, 0, 10),
        SetupEveryHours = s.Number("SetupEveryHours", d.SetupEveryHours, 0, 1_000_000, exclusiveMin: true),
        SetupMinutes = s.Number("SetupMinutes", d.SetupMinutes, 0, 100_000, exclusiveMin: true),
        SetupCv = s.Number("SetupCv", d.SetupCv, 0, 10),
        StartDelayMinutes = s.Number("StartDelayMinutes", d.StartDelayMinutes, 0, 1440),
        FailuresWaitForStaff = s.Bool("FailuresWaitForStaff") ?? d.FailuresWaitForStaff,
        PowerOffKw = s.Number("PowerOffKw", d.PowerOffKw, 0, 10_000),
        PowerIdleKw = s.Number("PowerIdleKw", d.PowerIdleKw, 0, 10_000),
        PowerRunKw = s.Number("PowerRunKw", d.PowerRunKw, 0, 10_000),
        PowerDownKw = s.Number("PowerDownKw", d.PowerDownKw, 0, 10_000),
        PowerSetupKw = s.Number("PowerSetupKw", d.PowerSetupKw, 0, 10_000),
        PowerNoise = s.Number("PowerNoise", d.PowerNoise, 0, 1),
        PowerSampleSeconds = s.Number("PowerSampleSeconds", d.PowerSampleSeconds, 1, 3600),
    };

    private static List<ShiftConfig> ReadShifts(ConfigObject section, CellConfig cell, IReadOnlyList<ShiftConfig> fallback)
    {
        if (!section.Has("ExtraShifts"))
        {
            return [.. fallback];
        }

        var shifts = new List<ShiftConfig>();
        foreach (var item in section.Array("ExtraShifts"))
        {
            if (ConfigReader.ReadShift(item) is not { } shift)
            {
                continue;
            }

            for (var i = 0; i < cell.Shifts.Count; i++)
            {
                if (shift.OverlapsOnSomeDay(cell.Shifts[i]))
                {
                    item.Problem(null, $"shift {Describe(shift)} overlaps the cell's shift {Describe(cell.Shifts[i])} (Shifts[{i}]) on some day; extra shifts are worked besides the calendar");
                }
            }

            for (var i = 0; i < shifts.Count; i++)
            {
                if (shift.OverlapsOnSomeDay(shifts[i]))
                {
                    item.Problem(null, $"shift {Describe(shift)} overlaps extra shift {Describe(shifts[i])} on some day");
                }
            }

            shifts.Add(shift);
        }

        return shifts;
    }

    private static string Describe(ShiftConfig shift) => $"{shift.Start:HH\\:mm}-{shift.End:HH\\:mm}";
}
