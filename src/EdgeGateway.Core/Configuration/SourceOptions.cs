namespace EdgeGateway.Core.Configuration;

/// <summary>
/// Hardware options of a signal's source (src/docs/sources.md); null means the source's default.
/// Which options apply depends on the source kind; the sensors layer rejects the others.
/// </summary>
public sealed record SourceOptions
{
    /// <summary>Digital: the input reads 0 when the lamp/contact is on.</summary>
    public bool? ActiveLow { get; init; }

    /// <summary>Digital: internal pull resistor.</summary>
    public InputPull? Pull { get; init; }

    /// <summary>Digital: edges closer than this to the last accepted edge are contact bounce.</summary>
    public double? DebounceMs { get; init; }

    /// <summary>Analog: samples per second read from the converter.</summary>
    public double? SampleRateHz { get; init; }

    /// <summary>Analog: RMS / averaging window; one value is emitted per window.</summary>
    public double? WindowMs { get; init; }

    /// <summary>Current transformer: turns ratio (primary amps per secondary amp), e.g. 2000 for 100 A : 50 mA.</summary>
    public double? CtRatio { get; init; }

    /// <summary>Current transformer: burden resistor in ohms.</summary>
    public double? BurdenOhms { get; init; }

    /// <summary>Power: line voltage (phase to neutral) in volts.</summary>
    public double? VoltageV { get; init; }

    /// <summary>Power: 1 or 3 phases (balanced load assumed).</summary>
    public int? Phases { get; init; }

    /// <summary>Power: power factor, 0 &lt; pf ≤ 1.</summary>
    public double? PowerFactor { get; init; }

    /// <summary>Readings below this are implausible (a sensor fault).</summary>
    public double? PlausibleMin { get; init; }

    /// <summary>Readings above this are implausible (a sensor fault).</summary>
    public double? PlausibleMax { get; init; }

    /// <summary>An analog reading unchanged for this long means a stuck sensor (a fault).</summary>
    public double? StuckAfterSeconds { get; init; }
}
