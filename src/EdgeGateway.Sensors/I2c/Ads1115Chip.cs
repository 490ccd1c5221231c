using System.Device.I2c;
using Iot.Device.Ads1115;

namespace EdgeGateway.Sensors.I2c;

/// <summary>
/// An ADS1115 through Iot.Device.Ads1115 at its fastest data rate (860 SPS: the converter integrates over 1.2 ms, so a
/// 50 Hz waveform passes). With one channel the chip converts continuously and a sample is one register read; with
/// several it converts one-shot on the channel asked for, which the binding waits for (~1.2 ms per sample).
/// </summary>
internal sealed class Ads1115Chip(int bus, int address) : I2cChip(bus, address)
{
    private Ads1115? _adc;
    private bool _continuous;

    /// <inheritdoc/>
    public override string Model => "ADS1115";

    /// <summary>Reads one conversion of <paramref name="input"/> in <paramref name="range"/>, in counts.</summary>
    public short Read(InputMultiplexer input, MeasuringRange range) =>
        _continuous ? _adc!.ReadRaw() : _adc!.ReadRaw(input, range, DataRate.SPS860);

    /// <inheritdoc/>
    protected override void OpenCore(I2cDevice device)
    {
        var first = (AdcChannel)Channels[0];
        _continuous = Channels.Count == 1;
        _adc = new Ads1115(device, first.Mux, first.Range, DataRate.SPS860, _continuous ? DeviceMode.Continuous : DeviceMode.PowerDown);
    }

    /// <inheritdoc/>
    protected override void CloseCore()
    {
        // Disposing the binding also disposes the device; the chip disposes it again, which the device allows.
        var adc = _adc;
        _adc = null;
        adc?.Dispose();
    }
}
