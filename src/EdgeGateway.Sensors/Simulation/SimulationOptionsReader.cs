using System.Globalization;
using System.Text.Json;
using EdgeGateway.Core;
using EdgeGateway.Core.Calendar;
using EdgeGateway.Core.Configuration;

namespace EdgeGateway.Sensors.Simulation;

/// <summary>
/// Reads a cell's <c>Simulation</c> section: keys match case-insensitively, unknown keys are rejected, every value
/// is range-checked, and every problem names the file, the line of its key and the key path.
/// </summary>
internal static class SimulationOptionsReader
{
    private const int Week = 7 * 1440;

    private static readonly string[] s_dayNames = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];

    public static SimulationOptions Read(CellConfig cell, TimeZoneInfo zone, List<InputException> problems)
    {
        var defaults = Defaults(cell);
        if (cell.Simulation is not { } section)
        {
            return new SimulationOptions(defaults, [], null);
        }

        SimulationJson root;
        try
        {
            root = SimulationJson.Parse(section.Json, section.Location.Line);
        }
        catch (JsonException e)
        {
            problems.Add(section.Location.Problem($"invalid JSON: {e.Message}"));
            return new SimulationOptions(defaults, [], null);
        }

        var reader = new Section(section.Location, root, section.Location.Path, problems);
        var before = ReadParameters(reader, defaults);
        var extraShifts = ReadShifts(reader, cell, fallback: []);
        InvestmentSwitch? investment = null;
        if (reader.Object("Investment") is { } investmentReader)
        {
            var goLive = investmentReader.Instant("GoLive", zone);
            var rampUpDays = investmentReader.Number("RampUpDays", 28, 0, 3650);
            var after = before;
            var afterShifts = extraShifts;
            if (investmentReader.Object("After") is { } afterReader)
            {
                after = ReadParameters(afterReader, before);
                afterShifts = ReadShifts(afterReader, cell, fallback: extraShifts);
                afterReader.Forbid("Investment", "an investment cannot hold another investment");
                afterReader.RejectUnknown();
            }

            investmentReader.RejectUnknown();
            investment = goLive is { } at ? new InvestmentSwitch(at, rampUpDays, after, afterShifts) : null;
        }

        reader.RejectUnknown();
        return new SimulationOptions(before, extraShifts, investment);
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

    private static SimulationParameters ReadParameters(Section s, SimulationParameters d) => d with
    {
        CycleSeconds = s.Number("CycleSeconds", d.CycleSeconds, 0, 86_400, minExclusive: true),
        CycleCv = s.Number("CycleCv", d.CycleCv, 0, 1),
        SlowCycleProbability = s.Number("SlowCycleProbability", d.SlowCycleProbability, 0, 1),
        SlowCycleFactor = s.Number("SlowCycleFactor", d.SlowCycleFactor, 1, 100),
        ScrapProbability = s.Number("ScrapProbability", d.ScrapProbability, 0, 1),
        MinorStopProbability = s.Number("MinorStopProbability", d.MinorStopProbability, 0, 1),
        MinorStopMeanSeconds = s.Number("MinorStopMeanSeconds", d.MinorStopMeanSeconds, 0, 86_400, minExclusive: true),
        MinorStopLamp = s.Enum("MinorStopLamp", d.MinorStopLamp),
        MtbfHours = s.Number("MtbfHours", d.MtbfHours, 0, 1_000_000, minExclusive: true),
        MttrMinutes = s.Number("MttrMinutes", d.MttrMinutes, 0, 100_000, minExclusive: true),
        MttrCv = s.Number("MttrCv", d.MttrCv, 0, 10),
        SetupEveryHours = s.Number("SetupEveryHours", d.SetupEveryHours, 0, 1_000_000, minExclusive: true),
        SetupMinutes = s.Number("SetupMinutes", d.SetupMinutes, 0, 100_000, minExclusive: true),
        SetupCv = s.Number("SetupCv", d.SetupCv, 0, 10),
        StartDelayMinutes = s.Number("StartDelayMinutes", d.StartDelayMinutes, 0, 1440),
        FailuresWaitForStaff = s.Bool("FailuresWaitForStaff", d.FailuresWaitForStaff),
        PowerOffKw = s.Number("PowerOffKw", d.PowerOffKw, 0, 10_000),
        PowerIdleKw = s.Number("PowerIdleKw", d.PowerIdleKw, 0, 10_000),
        PowerRunKw = s.Number("PowerRunKw", d.PowerRunKw, 0, 10_000),
        PowerDownKw = s.Number("PowerDownKw", d.PowerDownKw, 0, 10_000),
        PowerSetupKw = s.Number("PowerSetupKw", d.PowerSetupKw, 0, 10_000),
        PowerNoise = s.Number("PowerNoise", d.PowerNoise, 0, 1),
        PowerSampleSeconds = s.Number("PowerSampleSeconds", d.PowerSampleSeconds, 1, 3600),
    };

    private static List<ShiftConfig> ReadShifts(Section section, CellConfig cell, IReadOnlyList<ShiftConfig> fallback)
    {
        var items = section.Array("ExtraShifts");
        if (items is null)
        {
            return [.. fallback];
        }

        var shifts = new List<ShiftConfig>();
        foreach (var (item, _) in items)
        {
            if (ReadShift(item) is not { } shift)
            {
                continue;
            }

            for (var i = 0; i < cell.Shifts.Count; i++)
            {
                if (Overlap(shift, cell.Shifts[i]))
                {
                    item.Problem(null, $"shift {Describe(shift)} overlaps the cell's shift {Describe(cell.Shifts[i])} (Shifts[{i}]) on some day; extra shifts are worked besides the calendar");
                }
            }

            for (var i = 0; i < shifts.Count; i++)
            {
                if (Overlap(shift, shifts[i]))
                {
                    item.Problem(null, $"shift {Describe(shift)} overlaps extra shift {Describe(shifts[i])} on some day");
                }
            }

            shifts.Add(shift);
        }

        return shifts;
    }

    private static ShiftConfig? ReadShift(Section shift)
    {
        var days = shift.Days("Days");
        var start = shift.Time("Start");
        var end = shift.Time("End");
        var staffed = shift.Bool("Staffed", true);
        var breaks = new List<BreakConfig>();
        foreach (var (breakReader, _) in shift.Array("Breaks") ?? [])
        {
            var breakStart = breakReader.Time("Start");
            var breakEnd = breakReader.Time("End");
            breakReader.RejectUnknown();
            if (breakStart is null || breakEnd is null || start is null || end is null)
            {
                continue;
            }

            var shiftLength = WallClock.MinutesBetween(start.Value, end.Value);
            var from = WallClock.MinutesBetween(start.Value, breakStart.Value) % 1440;
            var to = WallClock.MinutesBetween(start.Value, breakEnd.Value);
            if (to <= from || to > shiftLength || (from == 0 && to == shiftLength))
            {
                breakReader.Problem(null, $"break {breakStart:HH\\:mm}-{breakEnd:HH\\:mm} is outside its shift {start:HH\\:mm}-{end:HH\\:mm} (a break must lie within the shift and be shorter than it)");
                continue;
            }

            foreach (var other in breaks)
            {
                var otherFrom = WallClock.MinutesBetween(start.Value, other.Start) % 1440;
                var otherTo = WallClock.MinutesBetween(start.Value, other.End);
                if (from < otherTo && otherFrom < to)
                {
                    breakReader.Problem(null, $"break {breakStart:HH\\:mm}-{breakEnd:HH\\:mm} overlaps break {other.Start:HH\\:mm}-{other.End:HH\\:mm}");
                }
            }

            breaks.Add(new BreakConfig(breakStart.Value, breakEnd.Value));
        }

        shift.RejectUnknown();
        return days is null || start is null || end is null ? null : new ShiftConfig(days.Value, start.Value, end.Value, staffed, breaks);
    }

    private static string Describe(ShiftConfig shift) => $"{shift.Start:HH\\:mm}-{shift.End:HH\\:mm}";

    /// <summary>True when the shifts overlap on some day, compared in wall-clock minutes of the week (a shift may run into the next week).</summary>
    private static bool Overlap(ShiftConfig a, ShiftConfig b)
    {
        for (var dayA = 0; dayA < 7; dayA++)
        {
            if (!a.Days.Contains((DayOfWeek)dayA))
            {
                continue;
            }

            var aFrom = (dayA * 1440) + (a.Start.Hour * 60) + a.Start.Minute;
            for (var dayB = 0; dayB < 7; dayB++)
            {
                if (!b.Days.Contains((DayOfWeek)dayB))
                {
                    continue;
                }

                var bFrom = (dayB * 1440) + (b.Start.Hour * 60) + b.Start.Minute;
                for (var wrap = -Week; wrap <= Week; wrap += Week)
                {
                    if (aFrom < bFrom + wrap + b.LengthMinutes && bFrom + wrap < aFrom + a.LengthMinutes)
                    {
                        return true;
                    }
                }
            }
        }

        return false;
    }

    private static bool TryParseDays(string text, out DaysOfWeek days)
    {
        days = DaysOfWeek.None;
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries))
        {
            var range = part.Split('-', StringSplitOptions.TrimEntries);
            if (range.Length is < 1 or > 2)
            {
                return false;
            }

            var from = Array.IndexOf(s_dayNames, range[0].ToLowerInvariant());
            var to = Array.IndexOf(s_dayNames, range[^1].ToLowerInvariant());
            if (from < 0 || to < 0)
            {
                return false;
            }

            for (var day = from; ; day = (day + 1) % 7)
            {
                days |= (DaysOfWeek)(1 << day);
                if (day == to)
                {
                    break;
                }
            }
        }

        return days != DaysOfWeek.None;
    }

    /// <summary>One JSON object of the section: tracks the keys read and reports problems at the key's line.</summary>
    private sealed class Section(ConfigLocation origin, SimulationJson node, string path, List<InputException> problems)
    {
        private readonly HashSet<string> _used = new(StringComparer.OrdinalIgnoreCase);

        public void Problem(string? key, string message)
        {
            var line = key is null ? node.Line : Find(key)?.Line ?? node.Line;
            problems.Add(new ConfigLocation(origin.File, line, key is null ? path : $"{path}.{key}").Problem(message));
        }

        public double Number(string key, double fallback, double min, double max, bool minExclusive = false)
        {
            var value = Take(key);
            if (value is null)
            {
                return fallback;
            }

            if (value.Kind != JsonValueKind.Number || !double.IsFinite(value.Number))
            {
                Problem(key, "expected a number");
                return fallback;
            }

            if (value.Number < min || (minExclusive && value.Number == min) || value.Number > max)
            {
                Problem(key, string.Create(CultureInfo.InvariantCulture, $"{value.RawNumber} is out of range: must be {(minExclusive ? "greater than" : "at least")} {min} and at most {max}"));
                return fallback;
            }

            return value.Number;
        }

        public bool Bool(string key, bool fallback)
        {
            var value = Take(key);
            if (value is null)
            {
                return fallback;
            }

            if (value.Kind is not (JsonValueKind.True or JsonValueKind.False))
            {
                Problem(key, "expected true or false");
                return fallback;
            }

            return value.Kind == JsonValueKind.True;
        }

        public T Enum<T>(string key, T fallback)
            where T : struct, System.Enum
        {
            var text = String(key);
            if (text is null)
            {
                return fallback;
            }

            foreach (var candidate in System.Enum.GetValues<T>())
            {
                if (string.Equals(candidate.ToString(), text, StringComparison.OrdinalIgnoreCase))
                {
                    return candidate;
                }
            }

            Problem(key, $"'{InputText.Quote(text)}' is not one of {string.Join(", ", System.Enum.GetNames<T>())}");
            return fallback;
        }

        public TimeOnly? Time(string key)
        {
            var text = String(key, required: true);
            if (text is null)
            {
                return null;
            }

            if (!TimeOnly.TryParseExact(text, ["HH:mm", "H:mm"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var time))
            {
                Problem(key, $"'{InputText.Quote(text)}' is not a time of day; use HH:mm, e.g. 06:00");
                return null;
            }

            return time;
        }

        public DaysOfWeek? Days(string key)
        {
            var text = String(key, required: true);
            if (text is null)
            {
                return null;
            }

            if (!TryParseDays(text, out var days))
            {
                Problem(key, $"'{InputText.Quote(text)}' is not a set of days; use e.g. Mon-Fri, Sat, Mon,Wed,Fri or Fri-Mon");
                return null;
            }

            return days;
        }

        /// <summary>A site-local date (its midnight) or a UTC timestamp, as Unix ms.</summary>
        public long? Instant(string key, TimeZoneInfo zone)
        {
            var text = String(key, required: true);
            if (text is null)
            {
                return null;
            }

            if (SiteTime.TryParseInstant(text, zone, out var ms))
            {
                return ms;
            }

            Problem(key, $"'{InputText.Quote(text)}' is not a date (2026-06-01: site-local midnight) or a UTC timestamp (2026-06-01T04:00:00Z)");
            return null;
        }

        public Section? Object(string key)
        {
            var value = Take(key);
            if (value is null)
            {
                return null;
            }

            if (value.Kind != JsonValueKind.Object)
            {
                Problem(key, "expected an object");
                return null;
            }

            return new Section(origin, value, $"{path}.{key}", problems);
        }

        public List<(Section Item, int Index)>? Array(string key)
        {
            var value = Take(key);
            if (value is null)
            {
                return null;
            }

            if (value.Kind != JsonValueKind.Array)
            {
                Problem(key, "expected an array");
                return [];
            }

            var items = new List<(Section, int)>();
            for (var i = 0; i < value.Items.Count; i++)
            {
                var item = new Section(origin, value.Items[i], $"{path}.{key}[{i}]", problems);
                if (value.Items[i].Kind != JsonValueKind.Object)
                {
                    item.Problem(null, "expected an object");
                    continue;
                }

                items.Add((item, i));
            }

            return items;
        }

        /// <summary>Reports <paramref name="key"/> with a specific reason if present (instead of "unknown key").</summary>
        public void Forbid(string key, string reason)
        {
            if (Find(key) is not null)
            {
                _used.Add(key);
                Problem(key, reason);
            }
        }

        public void RejectUnknown()
        {
            foreach (var (key, value) in node.Properties)
            {
                if (!_used.Contains(key))
                {
                    problems.Add(new ConfigLocation(origin.File, value.Line, $"{path}.{key}").Problem("unknown key"));
                }
            }
        }

        private string? String(string key, bool required = false)
        {
            var value = Take(key);
            if (value is null)
            {
                if (required)
                {
                    Problem(null, $"missing key '{path}.{key}'");
                }

                return null;
            }

            if (value.Kind != JsonValueKind.String || string.IsNullOrWhiteSpace(value.String))
            {
                Problem(key, "expected a non-empty string");
                return null;
            }

            return value.String;
        }

        private SimulationJson? Take(string key)
        {
            _used.Add(key);
            var value = Find(key);
            return value is null || value.Kind == JsonValueKind.Null ? null : value;
        }

        private SimulationJson? Find(string key)
        {
            foreach (var (name, value) in node.Properties)
            {
                if (string.Equals(name, key, StringComparison.OrdinalIgnoreCase))
                {
                    return value;
                }
            }

            return null;
        }
    }
}
