using System.Device.I2c;
using EdgeGateway.Sensors.Sources;
using Iot.Device.Bmxx80;
using Iot.Device.Bmxx80.PowerMode;

namespace EdgeGateway.Sensors.I2c;

/// <summary>
/// A BME280 through Iot.Device.Bmxx80 in normal mode (the chip measures every ~70 ms by itself, so a read is only
/// register reads), oversampling ×1 as the binding sets it.
/// </summary>
internal sealed class Bme280Chip(int bus, int address) : I2cChip(bus, address)
{
    private Bme280? _bme;

    /// <inheritdoc/>
    public override string Model => "BME280";

    /// <summary>Reads temperature (°C), humidity (%) or pressure (hPa).</summary>
    /// <exception cref="IOException">The binding skipped the measurement.</exception>
    public double Read(SourceChannel quantity)
    {
        var bme = _bme!;
        switch (quantity)
        {
            case SourceChannel.Temperature when bme.TryReadTemperature(out var temperature):
                return temperature.DegreesCelsius;
            case SourceChannel.Humidity when bme.TryReadHumidity(out var humidity):
                return humidity.Percent;
            case SourceChannel.Pressure when bme.TryReadPressure(out var pressure):
                return pressure.Hectopascals;
            default:
                throw new IOException($"the BME280 did not measure {quantity}");
        }
    }

    /// <inheritdoc/>
    protected override void OpenCore(I2cDevice device)
    {
        _bme = new Bme280(device);
        _bme.StandbyTime = StandbyTime.Ms62_5;
        _bme.SetPowerMode(Bmx280PowerMode.Normal);
    }

    /// <inheritdoc/>
    protected override void CloseCore()
    {
        var bme = _bme;
        _bme = null;
        bme?.Dispose();
    }
}
