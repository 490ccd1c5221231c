using System.Device.I2c;

namespace EdgeGateway.Sensors.I2c;

/// <summary>A device that answered on the bus, and what it probably is.</summary>
public readonly record struct I2cFinding(int Address, string Description);

/// <summary>
/// Finds the devices on an I2C bus the way <c>i2cdetect -r</c> does (a one-byte read at every address 0x03-0x77) and
/// names the supported chips: BME280/BMP280 by their chip id, ADXL345 by its device id, ADS1115 and INA219 by address.
/// </summary>
public static class I2cScanner
{
    /// <summary>Probes every address with devices from <paramref name="open"/>; an address that throws a bus error is empty.</summary>
    public static IReadOnlyList<I2cFinding> Scan(Func<int, I2cDevice> open)
    {
        ArgumentNullException.ThrowIfNull(open);
        var found = new List<I2cFinding>();
        for (var address = 0x03; address <= 0x77; address++)
        {
            try
            {
                using var device = open(address);
                device.ReadByte();
                found.Add(new I2cFinding(address, Identify(device, address)));
            }
            catch (Exception e) when (I2cChip.IsBusError(e))
            {
                // Nobody acknowledged this address.
            }
        }

        return found;
    }

    private static string Identify(I2cDevice device, int address)
    {
        switch (address)
        {
            case 0x76 or 0x77:
                var chipId = ReadRegister(device, 0xD0);
                return chipId switch
                {
                    0x60 => "BME280 (chip id 0x60)",
                    0x58 => "BMP280 (chip id 0x58: no humidity)",
                    _ => $"unknown (chip id 0x{chipId:x2}; a BME280 has 0x60)",
                };
            case 0x53 or 0x1D:
                var deviceId = ReadRegister(device, Adxl345Chip.RegisterDeviceId);
                return deviceId == Adxl345Chip.DeviceId ? "ADXL345 (device id 0xe5)" : $"unknown (device id 0x{deviceId:x2}; an ADXL345 has 0xe5)";
            case >= 0x48 and <= 0x4B:
                return "ADS1115 or INA219 (both answer at 0x48-0x4b)";
            case >= 0x40 and <= 0x4F:
                return "INA219";
            default:
                return "unknown";
        }
    }

    private static byte ReadRegister(I2cDevice device, byte register)
    {
        Span<byte> value = stackalloc byte[1];
        device.WriteRead([register], value);
        return value[0];
    }
}
