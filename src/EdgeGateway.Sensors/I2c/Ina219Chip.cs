using System.Device.I2c;
using Iot.Device.Adc;

namespace EdgeGateway.Sensors.I2c;

/// <summary>
/// An INA219 through Iot.Device.Adc.Ina219. After a reset the chip measures shunt and bus continuously at 12 bits,
/// bus range 32 V, shunt range ±320 mV (the binding's setter for the shunt resolution writes the bus field, so the reset
/// defaults are kept). The calibration makes the full ±320 mV shunt range the full current register.
/// Iot.Device.Bindings 4.2.0 misreads two registers, which the bus tests found; both are corrected exactly here:
/// the bus voltage (unsigned, 0-32 V) is cast to a signed 16-bit value, so above 16.384 V it comes back 32.768 V low,
/// and the current (two's complement) is read unsigned, so a negative current comes back 65536 counts high.
/// </summary>
internal sealed class Ina219Chip(int bus, int address, double shuntOhms) : I2cChip(bus, address)
{
    private Ina219? _ina;

    /// <inheritdoc/>
    public override string Model => "INA219";

    /// <summary>Amps per count of the current register.</summary>
    public double CurrentLsb { get; private set; }

    /// <summary>The calibration register value written.</summary>
    public ushort Calibration { get; private set; }

    /// <summary>Reads the bus voltage (volts) and the shunt current (amps).</summary>
    public void Read(out double volts, out double amps)
    {
        volts = _ina!.ReadBusVoltage().Volts;
        if (volts < 0)
        {
            volts += 8192 * 0.004;
        }

        // ±320 mV on the shunt is at most ±32766 counts, so a reading above 32767 counts is a negative current.
        amps = _ina.ReadCurrent().Amperes;
        if (amps > 32767.5 * CurrentLsb)
        {
            amps -= 65536 * CurrentLsb;
        }
    }

    /// <inheritdoc/>
    protected override void OpenCore(I2cDevice device)
    {
        _ina = new Ina219(device);
        _ina.Reset();

        // Datasheet 8.5.1: Cal = trunc(0.04096 / (Current_LSB × R_shunt)), with Current_LSB = max current / 2^15.
        var maxAmps = 0.32 / shuntOhms;
        Calibration = (ushort)(Math.Truncate(0.04096 / (maxAmps / 32768 * shuntOhms)) / 2 * 2);
        CurrentLsb = 0.04096 / (Calibration * shuntOhms);
        _ina.SetCalibration(Calibration, (float)CurrentLsb);
    }

    /// <inheritdoc/>
    protected override void CloseCore()
    {
        var ina = _ina;
        _ina = null;
        ina?.Dispose();
    }
}
