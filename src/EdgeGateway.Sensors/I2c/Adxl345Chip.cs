using System.Buffers.Binary;
using System.Device.I2c;

namespace EdgeGateway.Sensors.I2c;

/// <summary>
/// An ADXL345 on I2C, read through its registers directly: Iot.Device.Adxl345 speaks only SPI and allocates two arrays
/// per reading. Full resolution, ±16 g (256 counts per g on every range), output data rate 800 Hz (400 Hz bandwidth),
/// measuring; a reading is one 6-byte burst from DATAX0 (datasheet rev. G, register map).
/// </summary>
internal sealed class Adxl345Chip(int bus, int address) : I2cChip(bus, address)
{
    /// <summary>Counts per g at full resolution.</summary>
    public const double CountsPerG = 256;

    /// <summary>Largest magnitude of a 13-bit full-resolution reading at ±16 g; a reading there is clipped.</summary>
    public const int FullScaleCounts = 4095;

    internal const byte RegisterDeviceId = 0x00;
    internal const byte RegisterBwRate = 0x2C;
    internal const byte RegisterPowerCtl = 0x2D;
    internal const byte RegisterDataFormat = 0x31;
    internal const byte RegisterDataX0 = 0x32;
    internal const byte DeviceId = 0xE5;
    internal const byte Rate800Hz = 0x0D;
    internal const byte FullResolution16G = 0x0B;
    internal const byte Measure = 0x08;

    private I2cDevice? _device;

    /// <inheritdoc/>
    public override string Model => "ADXL345";

    /// <summary>Reads the three axes in counts.</summary>
    public void Read(out short x, out short y, out short z)
    {
        Span<byte> data = stackalloc byte[6];
        _device!.WriteRead([RegisterDataX0], data);
        x = BinaryPrimitives.ReadInt16LittleEndian(data);
        y = BinaryPrimitives.ReadInt16LittleEndian(data[2..]);
        z = BinaryPrimitives.ReadInt16LittleEndian(data[4..]);
    }

    /// <inheritdoc/>
    protected override void OpenCore(I2cDevice device)
    {
        Span<byte> id = stackalloc byte[1];
        device.WriteRead([RegisterDeviceId], id);
        if (id[0] != DeviceId)
        {
            throw new IOException($"the chip at {Device} is not an ADXL345 (device id 0x{id[0]:x2}, expected 0x{DeviceId:x2})");
        }

        device.Write([RegisterBwRate, Rate800Hz]);
        device.Write([RegisterDataFormat, FullResolution16G]);
        device.Write([RegisterPowerCtl, Measure]);
        _device = device;
    }

    /// <inheritdoc/>
    protected override void CloseCore()
    {
        if (_device is not null)
        {
            // Standby, so the chip stops drawing measurement current.
            _device.Write([RegisterPowerCtl, 0]);
            _device = null;
        }
    }
}
