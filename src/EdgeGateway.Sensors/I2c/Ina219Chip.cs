using System.Device.I2c;
using Iot.Device.Adc;

namespace EdgeGateway.Sensors.I2c;

/// <summary>
/// An INA219 through Iot.Device.Adc.Ina219. After a reset the chip measures shunt and bus continuously at 12 bits,
/// bus range 32 V, shunt range ±320 mV (the binding's setter for the shunt resolution writes the bus field, so the reset
/// defaults are kept). The calibration makes the full ±320 mV shunt range the full current register.
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
        amps = _ina.ReadCurrent().Amperes;
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
