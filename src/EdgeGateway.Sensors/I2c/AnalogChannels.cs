using System.Globalization;
using EdgeGateway.Core.Signals;
using EdgeGateway.Sensors.Sources;
using Iot.Device.Ads1115;

namespace EdgeGateway.Sensors.I2c;

/// <summary>
/// An ADS1115 input. Role PowerKw: a current transformer, whose AC RMS (the DC bias removed) gives the primary current
/// and the power (<see cref="CtPower"/>). Role Aux: the mean voltage. Single-ended inputs use the ±4.096 V range
/// (a 3.3 V signal fits), differential inputs ±2.048 V (62.5 µV per count).
/// </summary>
internal sealed class AdcChannel : AnalogChannel
{
    private readonly Ads1115Chip _chip;
    private readonly bool _currentTransformer;
    private readonly double _voltsPerCount;
    private AcRmsAccumulator _counts;

    public AdcChannel(HardwareInput input, Ads1115Chip chip)
        : base(input)
    {
        _chip = chip;
        _currentTransformer = input.Config.Role == SignalRole.PowerKw;
        Mux = input.Address.Channel switch
        {
            SourceChannel.Ain0 => InputMultiplexer.AIN0,
            SourceChannel.Ain1 => InputMultiplexer.AIN1,
            SourceChannel.Ain2 => InputMultiplexer.AIN2,
            SourceChannel.Ain3 => InputMultiplexer.AIN3,
            SourceChannel.Ain0Ain1 => InputMultiplexer.AIN0_AIN1,
            SourceChannel.Ain0Ain3 => InputMultiplexer.AIN0_AIN3,
            SourceChannel.Ain1Ain3 => InputMultiplexer.AIN1_AIN3,
            _ => InputMultiplexer.AIN2_AIN3,
        };
        Range = input.Address.IsDifferential ? MeasuringRange.FS2048 : MeasuringRange.FS4096;
        _voltsPerCount = (input.Address.IsDifferential ? 2.048 : 4.096) / 32768;
    }

    /// <summary>The multiplexer setting of this input.</summary>
    public InputMultiplexer Mux { get; }

    /// <summary>The gain setting of this input.</summary>
    public MeasuringRange Range { get; }

    /// <inheritdoc/>
    protected override int WindowSamples => _counts.Count;

    /// <inheritdoc/>
    protected override long ReadSample()
    {
        var raw = _chip.Read(Mux, Range);
        _counts.Add(raw);
        return raw;
    }

    /// <inheritdoc/>
    protected override double Complete(out Impossible impossible)
    {
        impossible = _counts.Max >= short.MaxValue || _counts.Min <= short.MinValue ? Impossible.Clipped
            : _currentTransformer && !Input.Address.IsDifferential && _counts.Min <= 0 ? Impossible.BelowGround
            : Impossible.None;
        if (!_currentTransformer)
        {
            return _counts.Mean * _voltsPerCount;
        }

        var settings = Input.Settings;
        var amps = CtPower.PrimaryAmps(_counts.AcRms * _voltsPerCount, settings.BurdenOhms, settings.CtRatio);
        return CtPower.Kilowatts(amps, settings.VoltageV, settings.Phases, settings.PowerFactor);
    }

    /// <inheritdoc/>
    protected override void ResetWindow() => _counts.Reset();

    /// <inheritdoc/>
    protected override string Explain(Impossible impossible, double value) => impossible switch
    {
        Impossible.Clipped => $"implausible: the ADS1115 input reached full scale (±{(Input.Address.IsDifferential ? "2.048" : "4.096")} V): burden resistor too large for this current?",
        Impossible.BelowGround => "implausible: the input went to GND or below: the current transformer needs its mid-rail bias (hardware/README.md)",
        _ => base.Explain(impossible, value),
    };
}

/// <summary>An INA219: mean DC power over the window, bus voltage × shunt current, in kW.</summary>
internal sealed class Ina219Channel(HardwareInput input, Ina219Chip chip) : AnalogChannel(input)
{
    // Below this the reading is shunt noise around zero, not reverse power.
    private const double NoiseWatts = 1;

    private double _watts;
    private double _maxVolts;
    private int _samples;

    /// <inheritdoc/>
    protected override int WindowSamples => _samples;

    /// <inheritdoc/>
    protected override long ReadSample()
    {
        chip.Read(out var volts, out var amps);
        _watts += volts * amps;
        _maxVolts = Math.Max(_maxVolts, volts);
        _samples++;
        return unchecked((BitConverter.DoubleToInt64Bits(volts) * 31) + BitConverter.DoubleToInt64Bits(amps));
    }

    /// <inheritdoc/>
    protected override double Complete(out Impossible impossible)
    {
        var watts = _watts / _samples;
        impossible = _maxVolts > 26 ? Impossible.OutOfSensorRange : watts < -NoiseWatts ? Impossible.NegativePower : Impossible.None;
        return Math.Max(watts, 0) / 1000;
    }

    /// <inheritdoc/>
    protected override void ResetWindow()
    {
        _watts = 0;
        _maxVolts = 0;
        _samples = 0;
    }

    /// <inheritdoc/>
    protected override string Explain(Impossible impossible, double value) => impossible switch
    {
        Impossible.NegativePower => "implausible: current flows backwards through the shunt (VIN+ and VIN- swapped?)",
        Impossible.OutOfSensorRange => "implausible: bus voltage above the 26 V an INA219 can measure",
        _ => base.Explain(impossible, value),
    };
}

/// <summary>A BME280 quantity: mean temperature (°C), humidity (%) or pressure (hPa) over the window.</summary>
internal sealed class Bme280Channel(HardwareInput input, Bme280Chip chip) : AnalogChannel(input)
{
    private readonly SourceChannel _quantity = input.Address.Channel;
    private double _sum;
    private int _samples;

    /// <inheritdoc/>
    protected override int WindowSamples => _samples;

    /// <inheritdoc/>
    protected override long ReadSample()
    {
        var value = chip.Read(_quantity);
        _sum += value;
        _samples++;
        return BitConverter.DoubleToInt64Bits(value);
    }

    /// <inheritdoc/>
    protected override double Complete(out Impossible impossible)
    {
        var mean = _sum / _samples;

        // The operating ranges of the datasheet (section 1): outside them the chip is broken or not a BME280.
        var (min, max) = _quantity switch
        {
            SourceChannel.Temperature => (-40.0, 85.0),
            SourceChannel.Humidity => (0.0, 100.0),
            _ => (300.0, 1100.0),
        };
        impossible = mean < min || mean > max ? Impossible.OutOfSensorRange : Impossible.None;
        return mean;
    }

    /// <inheritdoc/>
    protected override void ResetWindow()
    {
        _sum = 0;
        _samples = 0;
    }

    /// <inheritdoc/>
    protected override string Explain(Impossible impossible, double value) => impossible == Impossible.OutOfSensorRange
        ? string.Create(CultureInfo.InvariantCulture, $"implausible: {_quantity.ToString().ToLowerInvariant()} {value} is outside the BME280's operating range")
        : base.Explain(impossible, value);
}

/// <summary>
/// An ADXL345: vibration RMS in g over the window, the RMS of the acceleration vector with each axis's mean removed
/// (gravity and mounting tilt drop out): √(σx² + σy² + σz²).
/// </summary>
internal sealed class VibrationChannel(HardwareInput input, Adxl345Chip chip) : AnalogChannel(input)
{
    private AcRmsAccumulator _x;
    private AcRmsAccumulator _y;
    private AcRmsAccumulator _z;

    /// <inheritdoc/>
    protected override int WindowSamples => _x.Count;

    /// <inheritdoc/>
    protected override long ReadSample()
    {
        chip.Read(out var x, out var y, out var z);
        _x.Add(x);
        _y.Add(y);
        _z.Add(z);
        return (ushort)x | ((long)(ushort)y << 16) | ((long)(ushort)z << 32);
    }

    /// <inheritdoc/>
    protected override double Complete(out Impossible impossible)
    {
        const int Limit = Adxl345Chip.FullScaleCounts;
        impossible = _x.Max >= Limit || _y.Max >= Limit || _z.Max >= Limit || _x.Min <= -Limit || _y.Min <= -Limit || _z.Min <= -Limit
            ? Impossible.Clipped
            : Impossible.None;
        return Math.Sqrt(_x.AcMeanSquare + _y.AcMeanSquare + _z.AcMeanSquare) / Adxl345Chip.CountsPerG;
    }

    /// <inheritdoc/>
    protected override void ResetWindow()
    {
        _x.Reset();
        _y.Reset();
        _z.Reset();
    }

    /// <inheritdoc/>
    protected override string Explain(Impossible impossible, double value) => impossible == Impossible.Clipped
        ? "implausible: an axis reached the ADXL345's ±16 g full scale"
        : base.Explain(impossible, value);
}
