using System.Globalization;
using System.Text.Json;
using EdgeGateway.Core.Signals;

namespace EdgeGateway.Core.Configuration;

/// <summary>
/// Reads and validates the gateway config (the <c>EdgeGateway</c> section, contract in src/docs/config.md).
/// Keys match case-insensitively, unknown keys are rejected, and every problem names the line and the key path.
/// </summary>
public sealed class ConfigReader
{
    private readonly string _source;
    private const int MaxAuxSignals = Kpi.AuxChannels.Capacity;
    private const int MaxSignalsPerCell = 64;

    // Upper bounds of the numeric keys (src/docs/config.md): beyond them a value is a typo or a unit error, and
    // the engine's arithmetic in milliseconds and kWh could overflow. Source options that depend on the chip
    // (DebounceMs, SampleRateHz, WindowMs, VoltageV) are checked per source kind where the sources are read.
    private const double MaxIdealCycleSeconds = 86_400;
    private const double MinIdealCycleSeconds = 0.001;
    private const double MaxMinorStopSeconds = 86_400;
    private const double MaxPowerKw = 10_000;
    private const double MaxDwellSeconds = 3_600;
    private const double MaxPowerCycleSeconds = 3 * MaxIdealCycleSeconds;
    private const double MaxCtRatio = 100_000;
    private const double MinBurdenOhms = 0.01; // the current divides by it: a vanishing burden is an infinite reading
    private const double MaxBurdenOhms = 100_000;
    private const double MaxStuckAfterSeconds = 7 * 86_400;
    private const double MaxPlausible = 1e9;
    private const double Unbounded = double.MaxValue;

    private readonly List<InputException> _problems = [];

    // Where each signal was declared, so a duplicate name is reported at its second declaration.
    private readonly List<(string Cell, string Name, ObjectReader Reader)> _signalDeclarations = [];

    private ConfigReader(string source) => _source = source;

    /// <summary>
    /// Parses UTF-8 JSON; throws <see cref="InputException"/> listing every problem found. Top-level sections named
    /// in <paramref name="otherSections"/> (e.g. the agent's own <c>Agent</c> section) are left to their readers.
    /// </summary>
    public static GatewayConfig Read(ReadOnlySpan<byte> utf8Json, string source, params ReadOnlySpan<string> otherSections)
    {
        var tree = JsonTree.Parse(utf8Json, source);
        var reader = new ConfigReader(source);
        var config = reader.ReadRoot(tree, otherSections);
        InputException.ThrowIfAny(reader._problems);
        return config!;
    }

    private GatewayConfig? ReadRoot(JsonTree root, ReadOnlySpan<string> otherSections)
    {
        var section = new ObjectReader(this, root, "");
        var gateway = section.Object("EdgeGateway", required: true);
        foreach (var other in otherSections)
        {
            section.Ignore(other);
        }

        section.RejectUnknown();
        if (gateway is null)
        {
            return null;
        }

        var site = gateway.Id("Site");
        var zoneName = gateway.String("TimeZone", required: true);
        TimeZoneInfo? zone = null;
        if (zoneName is not null)
        {
            zone = FindTimeZone(zoneName);
            if (zone is null)
            {
                gateway.Problem("TimeZone", $"unknown time zone '{InputText.Quote(zoneName)}' (use an IANA name such as Europe/Amsterdam)");
            }
        }

        var cells = new List<CellConfig>();
        foreach (var cellReader in gateway.Array("Cells", required: true, nonEmpty: true))
        {
            var cell = ReadCell(cellReader);
            if (cell is not null)
            {
                cells.Add(cell);
            }
        }

        gateway.RejectUnknown();
        CheckUnique(gateway, cells);
        CheckSignalNamesUnique();
        return site is null || zone is null ? null : new GatewayConfig(site, zone, cells);
    }

    private CellConfig? ReadCell(ObjectReader cell)
    {
        var id = cell.Id("Id");
        var ideal = cell.Number("IdealCycleSeconds", required: true, min: MinIdealCycleSeconds, exclusiveMin: false, max: MaxIdealCycleSeconds) ?? 0;
        var minorStop = cell.Number("MinorStopSeconds", required: false, min: 0, exclusiveMin: false, max: MaxMinorStopSeconds) ?? 0;
        var policy = cell.Enum<MinorStopPolicy>("MinorStopPolicy", MinorStopPolicy.Iso22400);

        var signals = new List<SignalConfig>();
        var signalsReader = cell.Object("Signals", required: true);
        if (signalsReader is not null)
        {
            foreach (var (name, signal) in signalsReader.Entries())
            {
                if (!Ids.IsValid(name))
                {
                    signal.Problem(null, $"signal name '{InputText.Quote(name)}' may hold only letters, digits, '.', '_' and '-'");
                }

                var role = signal.Enum<SignalRole>("Role", null);
                var source = signal.String("Source", required: false);
                var options = ReadSourceOptions(signal);
                signal.RejectUnknown();
                if (role is { } r)
                {
                    if (r is not (SignalRole.CyclePulse or SignalRole.ScrapPulse or SignalRole.Aux) && signals.Exists(s => s.Role == r))
                    {
                        signal.Problem("Role", $"cell has a second {r} signal; a level or power role may appear once per cell");
                    }

                    if (r == SignalRole.Aux && signals.Count(s => s.Role == SignalRole.Aux) == MaxAuxSignals)
                    {
                        signal.Problem("Role", $"a cell may have at most {MaxAuxSignals} Aux signals");
                    }

                    signals.Add(new SignalConfig(name, r, source) { Options = options, Location = signal.Location(null) });
                    _signalDeclarations.Add((id ?? "", name, signal));
                }
            }
        }

        if (signals.Count > MaxSignalsPerCell)
        {
            cell.Problem("Signals", $"a cell may have at most {MaxSignalsPerCell} signals");
        }

        var stateFromPower = ReadStateFromPower(cell, signals);
        var cyclesFromPower = ReadCyclesFromPower(cell, signals, ideal);
        var simulation = cell.Section("Simulation");

        var shifts = new List<(ShiftConfig Shift, ObjectReader Reader)>();
        foreach (var shiftReader in cell.Array("Shifts", required: true, nonEmpty: false))
        {
            var shift = ReadShift(shiftReader);
            if (shift is not null)
            {
                shifts.Add((shift, shiftReader));
            }
        }

        cell.RejectUnknown();
        CheckShiftsDoNotOverlap(shifts);
        return id is null ? null : new CellConfig(id, ideal, minorStop, policy ?? MinorStopPolicy.Iso22400, signals, [.. shifts.Select(s => s.Shift)])
        {
            StateFromPower = stateFromPower,
            CyclesFromPower = cyclesFromPower,
            Simulation = simulation,
        };
    }

    private static SourceOptions ReadSourceOptions(ObjectReader signal) => new()
    {
        ActiveLow = signal.Bool("ActiveLow"),
        Pull = signal.Enum<InputPull>("Pull", fallback: null, required: false),
        DebounceMs = signal.Number("DebounceMs", required: false, min: 0, exclusiveMin: false, max: Unbounded),
        SampleRateHz = signal.Number("SampleRateHz", required: false, min: 0, exclusiveMin: true, max: Unbounded),
        WindowMs = signal.Number("WindowMs", required: false, min: 0, exclusiveMin: true, max: Unbounded),
        CtRatio = signal.Number("CtRatio", required: false, min: 0, exclusiveMin: true, max: MaxCtRatio),
        BurdenOhms = signal.Number("BurdenOhms", required: false, min: MinBurdenOhms, exclusiveMin: false, max: MaxBurdenOhms),
        VoltageV = signal.Number("VoltageV", required: false, min: 0, exclusiveMin: true, max: Unbounded),
        Phases = signal.Number("Phases", required: false, min: 1, exclusiveMin: false, max: Unbounded) is { } phases ? CheckPhases(signal, phases) : null,
        PowerFactor = signal.Number("PowerFactor", required: false, min: 0, exclusiveMin: true, max: 1),
        PlausibleMin = signal.Number("PlausibleMin", required: false, min: -MaxPlausible, exclusiveMin: false, max: MaxPlausible),
        PlausibleMax = signal.Number("PlausibleMax", required: false, min: -MaxPlausible, exclusiveMin: false, max: MaxPlausible),
        StuckAfterSeconds = signal.Number("StuckAfterSeconds", required: false, min: 0, exclusiveMin: true, max: MaxStuckAfterSeconds),
    };

    private static int? CheckPhases(ObjectReader signal, double phases)
    {
        if (phases is 1 or 3)
        {
            return (int)phases;
        }

        signal.Problem("Phases", $"{phases} phases: use 1 or 3");
        return null;
    }

    private static string? PowerSignal(ObjectReader section, List<SignalConfig> signals)
    {
        var name = section.String("Signal", required: true);
        if (name is not null && !signals.Exists(s => s.Name == name && s.Role == SignalRole.PowerKw))
        {
            section.Problem("Signal", $"'{InputText.Quote(name)}' is not a PowerKw signal of this cell");
            return null;
        }

        return name;
    }

    private static PowerStateConfig? ReadStateFromPower(ObjectReader cell, List<SignalConfig> signals)
    {
        var section = cell.Object("StateFromPower", required: false);
        if (section is null)
        {
            return null;
        }

        var signal = PowerSignal(section, signals);
        var off = section.Number("OffBelowKw", required: true, min: 0, exclusiveMin: false, max: MaxPowerKw);
        var run = section.Number("RunAboveKw", required: true, min: 0, exclusiveMin: true, max: MaxPowerKw);
        var hysteresis = section.Number("HysteresisKw", required: false, min: 0, exclusiveMin: false, max: MaxPowerKw) ?? 0;
        var dwell = section.Number("MinDwellSeconds", required: false, min: 0, exclusiveMin: false, max: MaxDwellSeconds) ?? 0;
        section.RejectUnknown();
        if (off is not null && run is not null && off + hysteresis >= run - hysteresis)
        {
            section.Problem("RunAboveKw", $"the idle band is empty: OffBelowKw + HysteresisKw must be below RunAboveKw - HysteresisKw");
            return null;
        }

        if (signals.Exists(s => s.Role.IsLevel()))
        {
            section.Problem(null, "the cell has level signals (stack light or setup switch); state comes either from them or from power, not both");
            return null;
        }

        return signal is null || off is null || run is null ? null : new PowerStateConfig(signal, off.Value, run.Value, hysteresis, dwell);
    }

    private static PowerCycleConfig? ReadCyclesFromPower(ObjectReader cell, List<SignalConfig> signals, double idealCycleSeconds)
    {
        var section = cell.Object("CyclesFromPower", required: false);
        if (section is null)
        {
            return null;
        }

        var signal = PowerSignal(section, signals);
        var above = section.Number("AboveKw", required: true, min: 0, exclusiveMin: true, max: MaxPowerKw);
        var below = section.Number("BelowKw", required: false, min: 0, exclusiveMin: true, max: MaxPowerKw);
        var hysteresis = section.Number("HysteresisKw", required: false, min: 0, exclusiveMin: false, max: MaxPowerKw) ?? 0;
        var smoothing = section.Number("SmoothingSamples", required: false, min: 1, exclusiveMin: false, max: 1000) ?? 1;
        var minCycle = section.Number("MinCycleSeconds", required: false, min: 0, exclusiveMin: false, max: MaxPowerCycleSeconds) ?? 0;
        var maxCycle = section.Number("MaxCycleSeconds", required: false, min: 0, exclusiveMin: true, max: MaxPowerCycleSeconds) ?? (3 * idealCycleSeconds);
        section.RejectUnknown();
        if (below is not null && above is not null && below <= above)
        {
            section.Problem("BelowKw", "must be above AboveKw");
            return null;
        }

        if (minCycle >= maxCycle)
        {
            section.Problem("MaxCycleSeconds", "must be above MinCycleSeconds");
            return null;
        }

        if (smoothing != Math.Floor(smoothing))
        {
            section.Problem("SmoothingSamples", "must be a whole number from 1 to 1000");
            return null;
        }

        if (signals.Exists(s => s.Role == SignalRole.CyclePulse))
        {
            section.Problem(null, "the cell has a CyclePulse signal; parts come either from it or from power, not both");
            return null;
        }

        return signal is null || above is null ? null : new PowerCycleConfig(signal, above.Value, below, hysteresis, (int)smoothing, minCycle, maxCycle);
    }

    private static ShiftConfig? ReadShift(ObjectReader shift)
    {
        var days = shift.Days("Days");
        var start = shift.Time("Start");
        var end = shift.Time("End");
        var staffed = shift.Bool("Staffed") ?? true;
        var breaks = new List<BreakConfig>();
        foreach (var breakReader in shift.Array("Breaks", required: false, nonEmpty: false))
        {
            var breakStart = breakReader.Time("Start");
            var breakEnd = breakReader.Time("End");
            breakReader.RejectUnknown();
            if (breakStart is null || breakEnd is null || start is null || end is null)
            {
                continue;
            }

            // Offsets from the shift start make overnight shifts and their breaks comparable.
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

    private static void CheckShiftsDoNotOverlap(List<(ShiftConfig Shift, ObjectReader Reader)> shifts)
    {
        // Compare in wall-clock minutes of the week; a shift ending the next day may run into the next week.
        const int Week = 7 * 1440;
        for (var i = 0; i < shifts.Count; i++)
        {
            for (var j = i + 1; j < shifts.Count; j++)
            {
                foreach (var (aFrom, aTo) in Occurrences(shifts[i].Shift))
                {
                    foreach (var (bFrom, bTo) in Occurrences(shifts[j].Shift))
                    {
                        for (var wrap = -Week; wrap <= Week; wrap += Week)
                        {
                            if (aFrom < bTo + wrap && bFrom + wrap < aTo)
                            {
                                var (a, b) = (shifts[i].Shift, shifts[j].Shift);
                                shifts[j].Reader.Problem(null, $"shift {b.Start:HH\\:mm}-{b.End:HH\\:mm} ({j + 1}.) overlaps shift {a.Start:HH\\:mm}-{a.End:HH\\:mm} ({i + 1}.) on some day");
                                goto nextPair;
                            }
                        }
                    }
                }

            nextPair:;
            }
        }

        static IEnumerable<(int From, int To)> Occurrences(ShiftConfig shift)
        {
            for (var day = 0; day < 7; day++)
            {
                if (shift.Days.Contains((DayOfWeek)day))
                {
                    var from = (day * 1440) + (shift.Start.Hour * 60) + shift.Start.Minute;
                    yield return (from, from + shift.LengthMinutes);
                }
            }
        }
    }

    private static void CheckUnique(ObjectReader gateway, List<CellConfig> cells)
    {
        var cellIds = new HashSet<string>(StringComparer.Ordinal);
        foreach (var cell in cells)
        {
            if (!cellIds.Add(cell.Id))
            {
                gateway.Problem("Cells", $"cell id '{InputText.Quote(cell.Id)}' is used twice");
            }
        }
    }

    private void CheckSignalNamesUnique()
    {
        var firstCell = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (cell, name, reader) in _signalDeclarations)
        {
            if (!firstCell.TryAdd(name, cell))
            {
                reader.Problem(null, $"signal name '{InputText.Quote(name)}' of cell '{InputText.Quote(cell)}' is already used in cell '{InputText.Quote(firstCell[name])}'; signal names must be unique across cells");
            }
        }
    }

    private static TimeZoneInfo? FindTimeZone(string name)
    {
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(name);
        }
        catch (TimeZoneNotFoundException)
        {
            return null;
        }
        catch (InvalidTimeZoneException)
        {
            return null;
        }
    }

    /// <summary>Reads the keys of one JSON object, tracking which were used and reporting problems with path and line.</summary>
    private sealed class ObjectReader(ConfigReader owner, JsonTree node, string path)
    {
        private readonly HashSet<string> _used = new(StringComparer.OrdinalIgnoreCase);
        private readonly bool _isObject = node.Kind == JsonValueKind.Object;

        public void Ignore(string key) => _used.Add(key);

        public ConfigLocation Location(string? key) =>
            new(owner._source, key is null ? node.Line : Find(key)?.Line ?? node.Line, key is null ? path : Join(path, key));

        public ConfigSection? Section(string key)
        {
            var value = Take(key, required: false);
            if (value is null)
            {
                return null;
            }

            if (value.Kind != JsonValueKind.Object)
            {
                Problem(key, "expected an object");
                return null;
            }

            return new ConfigSection(value.RawJson, new ConfigLocation(owner._source, value.Line, Join(path, key)));
        }

        public void Problem(string? key, string message)
        {
            var line = key is null ? node.Line : Find(key)?.Line ?? node.Line;
            var where = key is null ? path : Join(path, key);
            owner._problems.Add(new InputException(owner._source, line, where.Length == 0 ? message : $"{where}: {message}"));
        }

        public IEnumerable<(string Name, ObjectReader Reader)> Entries()
        {
            foreach (var (key, value) in node.Properties)
            {
                _used.Add(key);
                var reader = new ObjectReader(owner, value, Join(path, InputText.Quote(key, int.MaxValue)));
                if (value.Kind != JsonValueKind.Object)
                {
                    reader.Problem(null, "expected an object");
                    continue;
                }

                yield return (key, reader);
            }
        }

        public ObjectReader? Object(string key, bool required)
        {
            var value = Take(key, required);
            if (value is null)
            {
                return null;
            }

            if (value.Kind != JsonValueKind.Object)
            {
                Problem(key, "expected an object");
                return null;
            }

            return new ObjectReader(owner, value, Join(path, key));
        }

        public IEnumerable<ObjectReader> Array(string key, bool required, bool nonEmpty)
        {
            var value = Take(key, required);
            if (value is null)
            {
                yield break;
            }

            if (value.Kind != JsonValueKind.Array)
            {
                Problem(key, "expected an array");
                yield break;
            }

            if (nonEmpty && value.Items.Count == 0)
            {
                Problem(key, "must hold at least one entry");
            }

            for (var i = 0; i < value.Items.Count; i++)
            {
                var item = new ObjectReader(owner, value.Items[i], $"{Join(path, key)}[{i}]");
                if (value.Items[i].Kind != JsonValueKind.Object)
                {
                    item.Problem(null, "expected an object");
                    continue;
                }

                yield return item;
            }
        }

        public string? String(string key, bool required)
        {
            var value = Take(key, required);
            if (value is null)
            {
                return null;
            }

            if (value.Kind != JsonValueKind.String || string.IsNullOrWhiteSpace(value.String))
            {
                Problem(key, "expected a non-empty string");
                return null;
            }

            return value.String;
        }

        public string? Id(string key)
        {
            var value = String(key, required: true);
            if (value is not null && !Ids.IsValid(value))
            {
                Problem(key, $"'{InputText.Quote(value)}' is not a valid id: use 1-64 letters, digits, '.', '_' or '-' (ids become MQTT topic levels)");
                return null;
            }

            return value;
        }

        public double? Number(string key, bool required, double min, bool exclusiveMin, double max)
        {
            var value = Take(key, required);
            if (value is null)
            {
                return null;
            }

            if (value.Kind != JsonValueKind.Number || !double.IsFinite(value.Number))
            {
                Problem(key, "expected a number");
                return null;
            }

            if (value.Number < min || (exclusiveMin && value.Number == min) || value.Number > max)
            {
                var bound = max == Unbounded ? "" : $" and at most {max.ToString(CultureInfo.InvariantCulture)}";
                Problem(key, $"{InputText.Quote(value.RawNumber)} is out of range: must be {(exclusiveMin ? "greater than" : "at least")} {min.ToString(CultureInfo.InvariantCulture)}{bound}");
                return null;
            }

            return value.Number;
        }

        public bool? Bool(string key)
        {
            var value = Take(key, required: false);
            if (value is null)
            {
                return null;
            }

            if (value.Kind is not (JsonValueKind.True or JsonValueKind.False))
            {
                Problem(key, "expected true or false");
                return null;
            }

            return value.Kind == JsonValueKind.True;
        }

        public T? Enum<T>(string key, T? fallback, bool? required = null)
            where T : struct, System.Enum
        {
            var text = String(key, required: required ?? fallback is null);
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
            return null;
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

        public void RejectUnknown()
        {
            if (!_isObject)
            {
                return;
            }

            foreach (var (key, value) in node.Properties)
            {
                if (!_used.Contains(key))
                {
                    owner._problems.Add(new InputException(owner._source, value.Line, $"{Join(path, InputText.Quote(key))}: unknown key"));
                }
            }
        }

        private JsonTree? Take(string key, bool required)
        {
            _used.Add(key);
            var value = Find(key);
            if (value is null || value.Kind == JsonValueKind.Null)
            {
                if (required)
                {
                    Problem(null, $"missing key '{Join(path, key)}'");
                }

                return null;
            }

            return value;
        }

        private JsonTree? Find(string key)
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

        private static string Join(string path, string key) => path.Length == 0 ? key : $"{path}.{key}";
    }

    private static readonly string[] s_dayNames = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];

    /// <summary>Parses "Mon-Fri", "Sat", "Mon,Wed,Fri", "Fri-Mon" (ranges wrap over the weekend).</summary>
    internal static bool TryParseDays(string text, out DaysOfWeek days)
    {
        days = DaysOfWeek.None;
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries))
        {
            var range = part.Split('-', StringSplitOptions.TrimEntries);
            if (range.Length is < 1 or > 2)
            {
                return false;
            }

            var from = System.Array.IndexOf(s_dayNames, range[0].ToLowerInvariant());
            var to = System.Array.IndexOf(s_dayNames, range[^1].ToLowerInvariant());
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
}
