using EdgeGateway.Core.Signals;

namespace EdgeGateway.Core.Configuration;

/// <summary>
/// Reads and validates the gateway config (the <c>EdgeGateway</c> section, contract in src/docs/config.md).
/// Keys match case-insensitively, unknown keys are rejected, and every problem names the line and the key path.
/// </summary>
public sealed partial class ConfigReader
{
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
    private const double Unbounded = ConfigObject.Unbounded;

    private readonly List<InputException> _problems;

    // Where each signal was declared, so a duplicate name is reported at its second declaration.
    private readonly List<(string Cell, string Name, ConfigObject Reader)> _signalDeclarations = [];

    private ConfigReader(List<InputException> problems) => _problems = problems;

    /// <summary>
    /// Parses UTF-8 JSON; throws <see cref="InputException"/> listing every problem found. Top-level sections named
    /// in <paramref name="otherSections"/> (e.g. the agent's own <c>Agent</c> section) are left to their readers.
    /// </summary>
    public static GatewayConfig Read(ReadOnlySpan<byte> utf8Json, string source, params ReadOnlySpan<string> otherSections)
    {
        var problems = new List<InputException>();
        var config = Read(ConfigDocument.Parse(utf8Json, source).Root(problems), problems, otherSections);
        InputException.ThrowIfAny(problems);
        return config!;
    }

    /// <summary>
    /// Reads the gateway config from the file's <paramref name="root"/>, adding every problem to
    /// <paramref name="problems"/>; null when the config cannot be built. Other top-level keys than
    /// <c>EdgeGateway</c> and <paramref name="otherSections"/> are unknown sections.
    /// </summary>
    public static GatewayConfig? Read(ConfigObject root, List<InputException> problems, params ReadOnlySpan<string> otherSections)
    {
        ArgumentNullException.ThrowIfNull(root);
        return new ConfigReader(problems).ReadRoot(root, otherSections);
    }

    private GatewayConfig? ReadRoot(ConfigObject section, ReadOnlySpan<string> otherSections)
    {
        var gateway = section.Child("EdgeGateway", required: true);
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
        var zoneName = gateway.Text("TimeZone", required: true);
        TimeZoneInfo? zone = null;
        if (zoneName is not null)
        {
            zone = FindTimeZone(zoneName);
            if (zone is null)
            {
                gateway.Problem("TimeZone", $"unknown time zone '{InputText.Quote(zoneName)}' (use an IANA name such as Europe/Amsterdam)");
            }
        }

        var reasons = ReadStopReasons(gateway);
        var cells = new List<CellConfig>();
        foreach (var cellReader in gateway.Array("Cells", required: true, nonEmpty: true))
        {
            var cell = ReadCell(cellReader, reasons);
            if (cell is not null)
            {
                cells.Add(cell with { Reasons = reasons });
            }
        }

        if (zone is not null)
        {
            ReadPlantCalendar(gateway, zone, cells);
        }

        gateway.RejectUnknown();
        CheckUnique(gateway, cells);
        CheckSignalNamesUnique();
        return site is null || zone is null ? null : new GatewayConfig(site, zone, cells);
    }

    private CellConfig? ReadCell(ConfigObject cell, StopReasons reasons)
    {
        var id = cell.Id("Id");
        var ideal = cell.Number("IdealCycleSeconds", required: true, min: MinIdealCycleSeconds, exclusiveMin: false, max: MaxIdealCycleSeconds) ?? 0;
        var minorStop = cell.Number("MinorStopSeconds", required: false, min: 0, exclusiveMin: false, max: MaxMinorStopSeconds) ?? 0;
        var policy = cell.Enum<MinorStopPolicy>("MinorStopPolicy", MinorStopPolicy.Iso22400);
        var articles = ReadArticles(cell);

        var signals = new List<SignalConfig>();
        var signalsReader = cell.Child("Signals", required: true);
        if (signalsReader is not null)
        {
            foreach (var (name, signal) in signalsReader.Entries())
            {
                if (!Ids.IsValid(name))
                {
                    signal.Problem(null, $"signal name '{InputText.Quote(name)}' may hold only letters, digits, '.', '_' and '-'");
                }

                var role = signal.Enum<SignalRole>("Role", null);
                var source = signal.Text("Source", required: false);
                var options = ReadSourceOptions(signal);
                var (reason, article) = ReadButton(signal, role, reasons, articles);
                signal.RejectUnknown();
                if (role is { } r)
                {
                    if (r is not (SignalRole.CyclePulse or SignalRole.ScrapPulse or SignalRole.Aux) && !r.IsButton() && signals.Exists(s => s.Role == r))
                    {
                        signal.Problem("Role", $"cell has a second {r} signal; a level or power role may appear once per cell");
                    }

                    if (r == SignalRole.Aux && signals.Count(s => s.Role == SignalRole.Aux) == MaxAuxSignals)
                    {
                        signal.Problem("Role", $"a cell may have at most {MaxAuxSignals} Aux signals");
                    }

                    signals.Add(new SignalConfig(name, r, source) { Options = options, Location = signal.Location(null), Reason = reason, Article = article });
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

        var shifts = new List<(ShiftConfig Shift, ConfigObject Reader)>();
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
            Articles = articles,
        };
    }

    private static SourceOptions ReadSourceOptions(ConfigObject signal) => new()
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

    private static int? CheckPhases(ConfigObject signal, double phases)
    {
        if (phases is 1 or 3)
        {
            return (int)phases;
        }

        signal.Problem("Phases", $"{phases} phases: use 1 or 3");
        return null;
    }

    private static string? PowerSignal(ConfigObject section, List<SignalConfig> signals)
    {
        var name = section.Text("Signal", required: true);
        if (name is not null && !signals.Exists(s => s.Name == name && s.Role == SignalRole.PowerKw))
        {
            section.Problem("Signal", $"'{InputText.Quote(name)}' is not a PowerKw signal of this cell");
            return null;
        }

        return name;
    }

    private static PowerStateConfig? ReadStateFromPower(ConfigObject cell, List<SignalConfig> signals)
    {
        var section = cell.Child("StateFromPower", required: false);
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

    private static PowerCycleConfig? ReadCyclesFromPower(ConfigObject cell, List<SignalConfig> signals, double idealCycleSeconds)
    {
        var section = cell.Child("CyclesFromPower", required: false);
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

    /// <summary>
    /// Reads one shift (days, start, end, staffed, breaks within it); null when it has a problem. A one-off shift
    /// (<paramref name="oneOff"/>) has a date instead of days: its <see cref="ShiftConfig.Days"/> are none.
    /// </summary>
    public static ShiftConfig? ReadShift(ConfigObject shift, bool oneOff = false)
    {
        ArgumentNullException.ThrowIfNull(shift);
        var days = oneOff ? DaysOfWeek.None : shift.Days("Days");
        var start = shift.Time("Start");
        var end = shift.Time("End");
        var staffed = shift.Bool("Staffed") ?? true;
        var breaks = new List<BreakConfig>();
        foreach (var breakReader in shift.Array("Breaks"))
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

    private static void CheckShiftsDoNotOverlap(List<(ShiftConfig Shift, ConfigObject Reader)> shifts)
    {
        for (var i = 0; i < shifts.Count; i++)
        {
            for (var j = i + 1; j < shifts.Count; j++)
            {
                var (a, b) = (shifts[i].Shift, shifts[j].Shift);
                if (b.OverlapsOnSomeDay(a))
                {
                    shifts[j].Reader.Problem(null, $"shift {b.Start:HH\\:mm}-{b.End:HH\\:mm} ({j + 1}.) overlaps shift {a.Start:HH\\:mm}-{a.End:HH\\:mm} ({i + 1}.) on some day");
                }
            }
        }
    }

    private static void CheckUnique(ConfigObject gateway, List<CellConfig> cells)
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
}
