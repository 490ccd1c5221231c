using System.Globalization;
using EdgeGateway.Core;
using EdgeGateway.Core.Configuration;
using EdgeGateway.Core.Signals;

namespace EdgeGateway.Sensors.Sources;

/// <summary>
/// A signal's <see cref="SourceOptions"/> with the defaults of its source kind filled in (src/docs/sources.md).
/// An option that does not apply to the source kind or role is a config error.
/// </summary>
public sealed record SourceSettings
{
    /// <summary>Default debounce of level inputs: stack-light optocouplers and key switches settle within this.</summary>
    public const double LevelDebounceMs = 20;

    /// <summary>Default debounce of pulse inputs: short enough for proximity sensors at several parts per second.</summary>
    public const double PulseDebounceMs = 5;

    /// <summary>Digital: the input reads low when the lamp or contact is on.</summary>
    public bool ActiveLow { get; init; }

    /// <summary>Digital: internal pull resistor.</summary>
    public InputPull Pull { get; init; }

    /// <summary>Digital: edges closer than this to the previous edge are contact bounce; levels must be stable this long.</summary>
    public double DebounceMs { get; init; }

    /// <summary>Analog: samples per second.</summary>
    public double SampleRateHz { get; init; }

    /// <summary>Analog: one value per window of this length.</summary>
    public double WindowMs { get; init; }

    /// <summary>Current transformer: primary amps per secondary amp.</summary>
    public double CtRatio { get; init; }

    /// <summary>Current transformer: burden resistor in ohms.</summary>
    public double BurdenOhms { get; init; }

    /// <summary>Current transformer: line voltage, phase to neutral.</summary>
    public double VoltageV { get; init; }

    /// <summary>Current transformer: 1 or 3 phases (balanced load).</summary>
    public int Phases { get; init; }

    /// <summary>Current transformer: power factor.</summary>
    public double PowerFactor { get; init; }

    /// <summary>Values below are implausible (a fault); negative infinity when not set.</summary>
    public double PlausibleMin { get; init; } = double.NegativeInfinity;

    /// <summary>Values above are implausible (a fault); positive infinity when not set.</summary>
    public double PlausibleMax { get; init; } = double.PositiveInfinity;

    /// <summary>A raw reading unchanged this long is a stuck sensor; 0 turns the check off.</summary>
    public double StuckAfterSeconds { get; init; }

    /// <summary>Highest sample rate of each I2C kind: the chip's data rate, or what its binding's busy-waits allow.</summary>
    public static double MaxSampleRateHz(SourceKind kind) => kind switch
    {
        SourceKind.Ads1115 => 860,   // fastest ADS1115 data rate (DataRate.SPS860)
        SourceKind.Ina219 => 50,     // the binding busy-waits ~0.5 ms per register read
        SourceKind.Bme280 => 10,     // normal mode, x1 oversampling: a new reading every ~10 ms at best
        SourceKind.Adxl345 => 800,   // output data rate set on the chip
        _ => 0,
    };

    /// <summary>Resolves the options of <paramref name="signal"/> for <paramref name="address"/>; problems name the signal's config location.</summary>
    /// <exception cref="InputException">An option does not apply, is out of range, or a required one is missing.</exception>
    public static SourceSettings Resolve(SignalConfig signal, SourceAddress address)
    {
        ArgumentNullException.ThrowIfNull(signal);
        ArgumentNullException.ThrowIfNull(address);
        var o = signal.Options;
        var accepted = Accepted(address.Kind, signal.Role);
        var where = KindText(address.Kind, signal.Role);
        Reject(signal, accepted, Option.ActiveLow, o.ActiveLow is not null, where);
        Reject(signal, accepted, Option.Pull, o.Pull is not null, where);
        Reject(signal, accepted, Option.DebounceMs, o.DebounceMs is not null, where);
        Reject(signal, accepted, Option.SampleRateHz, o.SampleRateHz is not null, where);
        Reject(signal, accepted, Option.WindowMs, o.WindowMs is not null, where);
        Reject(signal, accepted, Option.CtRatio, o.CtRatio is not null, where);
        Reject(signal, accepted, Option.BurdenOhms, o.BurdenOhms is not null, where);
        Reject(signal, accepted, Option.VoltageV, o.VoltageV is not null, where);
        Reject(signal, accepted, Option.Phases, o.Phases is not null, where);
        Reject(signal, accepted, Option.PowerFactor, o.PowerFactor is not null, where);
        Reject(signal, accepted, Option.PlausibleMin, o.PlausibleMin is not null, where);
        Reject(signal, accepted, Option.PlausibleMax, o.PlausibleMax is not null, where);
        Reject(signal, accepted, Option.StuckAfterSeconds, o.StuckAfterSeconds is not null, where);

        if (address.Kind == SourceKind.Gpio)
        {
            var debounce = o.DebounceMs ?? (signal.Role.IsPulse() ? PulseDebounceMs : LevelDebounceMs);
            if (debounce > 1000)
            {
                throw signal.Location.Problem($"DebounceMs {Text(debounce)} is above 1000");
            }

            return new SourceSettings { ActiveLow = o.ActiveLow ?? false, Pull = o.Pull ?? InputPull.None, DebounceMs = debounce };
        }

        var ct = address.Kind == SourceKind.Ads1115 && signal.Role == SignalRole.PowerKw;
        var (rate, window, stuck) = Defaults(address.Kind, ct);
        rate = o.SampleRateHz ?? rate;
        window = o.WindowMs ?? window;
        var maxRate = MaxSampleRateHz(address.Kind);
        if (rate > maxRate)
        {
            throw signal.Location.Problem($"SampleRateHz {Text(rate)} is above the {Text(maxRate)} Hz that a {address.Kind.ToString().ToLowerInvariant()} source supports");
        }

        if (window > 3_600_000)
        {
            throw signal.Location.Problem($"WindowMs {Text(window)} is above one hour (3600000)");
        }

        if (window * rate / 1000 < 2)
        {
            throw signal.Location.Problem($"WindowMs {Text(window)} holds fewer than 2 samples at {Text(rate)} Hz");
        }

        var min = o.PlausibleMin ?? double.NegativeInfinity;
        var max = o.PlausibleMax ?? double.PositiveInfinity;
        if (min >= max)
        {
            throw signal.Location.Problem($"PlausibleMin {Text(min)} is not below PlausibleMax {Text(max)}");
        }

        var settings = new SourceSettings
        {
            SampleRateHz = rate,
            WindowMs = window,
            PlausibleMin = min,
            PlausibleMax = max,
            StuckAfterSeconds = o.StuckAfterSeconds ?? stuck,
        };
        if (!ct)
        {
            return settings;
        }

        if (o.CtRatio is null || o.BurdenOhms is null)
        {
            throw signal.Location.Problem("a current transformer (ads1115 with role PowerKw) needs CtRatio and BurdenOhms (see hardware/README.md for the burden calculation)");
        }

        var voltage = o.VoltageV ?? 230;
        if (voltage > 1000)
        {
            throw signal.Location.Problem($"VoltageV {Text(voltage)} is above 1000 (the phase-to-neutral voltage, e.g. 230)");
        }

        return settings with
        {
            CtRatio = o.CtRatio.Value,
            BurdenOhms = o.BurdenOhms.Value,
            VoltageV = voltage,
            Phases = o.Phases ?? 1,
            PowerFactor = o.PowerFactor ?? 1,
        };
    }

    /// <summary>Defaults of sample rate, window and stuck time per I2C kind (documented in src/docs/sources.md).</summary>
    internal static (double RateHz, double WindowMs, double StuckSeconds) Defaults(SourceKind kind, bool currentTransformer) => kind switch
    {
        // 200 Hz is 4 samples per 50 Hz period (10 per 60 Hz cycle) at phases that cover the cycle evenly, and the window holds whole mains cycles.
        SourceKind.Ads1115 when currentTransformer => (200, 200, 60),
        SourceKind.Ads1115 => (10, 1000, 60),
        SourceKind.Ina219 => (2, 1000, 0),
        SourceKind.Bme280 => (1, 10_000, 0),
        _ => (200, 1000, 60),
    };

    private static Option Accepted(SourceKind kind, SignalRole role) => kind switch
    {
        SourceKind.Gpio => Option.ActiveLow | Option.Pull | Option.DebounceMs,
        SourceKind.Ads1115 when role == SignalRole.PowerKw => Option.Analog | Option.CtRatio | Option.BurdenOhms | Option.VoltageV | Option.Phases | Option.PowerFactor,
        _ => Option.Analog,
    };

    private static string KindText(SourceKind kind, SignalRole role) => kind switch
    {
        SourceKind.Gpio => "a gpio source (ActiveLow, Pull, DebounceMs)",
        SourceKind.Ads1115 when role == SignalRole.PowerKw => "an ads1115 current transformer (SampleRateHz, WindowMs, CtRatio, BurdenOhms, VoltageV, Phases, PowerFactor, PlausibleMin, PlausibleMax, StuckAfterSeconds)",
        _ => $"a{(kind == SourceKind.Ads1115 ? "n" : "")} {kind.ToString().ToLowerInvariant()} {(kind == SourceKind.Ads1115 ? "voltage " : "")}source (SampleRateHz, WindowMs, PlausibleMin, PlausibleMax, StuckAfterSeconds)",
    };

    private static void Reject(SignalConfig signal, Option accepted, Option option, bool given, string where)
    {
        if (given && (accepted & option) == 0)
        {
            throw signal.Location.Problem($"option {option} does not apply to {where}");
        }
    }

    private static string Text(double value) => value.ToString(CultureInfo.InvariantCulture);

    [Flags]
    private enum Option
    {
        ActiveLow = 1,
        Pull = 1 << 1,
        DebounceMs = 1 << 2,
        SampleRateHz = 1 << 3,
        WindowMs = 1 << 4,
        CtRatio = 1 << 5,
        BurdenOhms = 1 << 6,
        VoltageV = 1 << 7,
        Phases = 1 << 8,
        PowerFactor = 1 << 9,
        PlausibleMin = 1 << 10,
        PlausibleMax = 1 << 11,
        StuckAfterSeconds = 1 << 12,
        Analog = SampleRateHz | WindowMs | PlausibleMin | PlausibleMax | StuckAfterSeconds,
    }
}
