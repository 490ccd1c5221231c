namespace EdgeGateway.Sensors.I2c;

/// <summary>
/// Power from a current transformer on a burden resistor (hardware/README.md): the secondary current is the burden
/// voltage over the burden resistance, the primary current that times the turns ratio, and the power assumes a
/// balanced load with a fixed power factor: P = V × I × PF × phases, V phase to neutral, one CT on one phase.
/// </summary>
internal static class CtPower
{
    /// <summary>Primary RMS current in amps from the RMS voltage across the burden resistor.</summary>
    public static double PrimaryAmps(double burdenVoltsRms, double burdenOhms, double ctRatio) => burdenVoltsRms / burdenOhms * ctRatio;

    /// <summary>Real power in kW of a balanced load drawing <paramref name="amps"/> per phase.</summary>
    public static double Kilowatts(double amps, double voltsPhaseToNeutral, int phases, double powerFactor) =>
        voltsPhaseToNeutral * amps * powerFactor * phases / 1000;
}
