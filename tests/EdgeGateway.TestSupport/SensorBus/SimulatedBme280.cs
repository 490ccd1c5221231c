using System.Buffers.Binary;

namespace EdgeGateway.TestSupport.SensorBus;

/// <summary>
/// A BME280 (datasheet BST-BME280-DS002): chip id 0x60 at 0xD0, soft reset 0xB6 at 0xE0, calibration words at
/// 0x88-0xA1 and 0xE1-0xE7, ctrl_hum 0xF2, ctrl_meas 0xF4, config 0xF5, data 0xF7-0xFE. The test sets the conditions
/// in physical units; the simulator encodes them as the raw ADC values whose compensation (datasheet 4.2.3, computed
/// here independently of the binding) comes closest. In sleep mode the data registers hold the "skipped" pattern.
/// </summary>
public sealed class SimulatedBme280 : ByteRegisterDevice
{
    // Calibration: temperature and pressure words from the BMP280 datasheet's example, humidity from a real BME280.
    private const ushort T1 = 27504;
    private const short T2 = 26435;
    private const short T3 = -1000;
    private const ushort P1 = 36477;
    private const short P2 = -10685;
    private const short P3 = 3024;
    private const short P4 = 2855;
    private const short P5 = 140;
    private const short P6 = -7;
    private const short P7 = 15500;
    private const short P8 = -14600;
    private const short P9 = 6000;
    private const byte H1 = 75;
    private const short H2 = 362;
    private const byte H3 = 0;
    private const short H4 = 313;
    private const short H5 = 50;
    private const sbyte H6 = 30;

    private int _adcT;
    private int _adcP;
    private int _adcH;

    public SimulatedBme280(int bus, int address, byte chipId = 0x60)
        : base(bus, address)
    {
        Registers[0xD0] = chipId;
        Span<byte> words = Registers.AsSpan(0x88);
        BinaryPrimitives.WriteUInt16LittleEndian(words, T1);
        BinaryPrimitives.WriteInt16LittleEndian(words[2..], T2);
        BinaryPrimitives.WriteInt16LittleEndian(words[4..], T3);
        BinaryPrimitives.WriteUInt16LittleEndian(words[6..], P1);
        short[] pressure = [P2, P3, P4, P5, P6, P7, P8, P9];
        for (var i = 0; i < pressure.Length; i++)
        {
            BinaryPrimitives.WriteInt16LittleEndian(words[(8 + (2 * i))..], pressure[i]);
        }

        Registers[0xA1] = H1;
        BinaryPrimitives.WriteInt16LittleEndian(Registers.AsSpan(0xE1), H2);
        Registers[0xE3] = H3;
        Registers[0xE4] = (byte)(H4 >> 4);
        Registers[0xE5] = (byte)((H4 & 0x0F) | ((H5 & 0x0F) << 4));
        Registers[0xE6] = (byte)(H5 >> 4);
        Registers[0xE7] = (byte)H6;
        SetConditions(20, 50, 1013.25);
    }

    /// <summary>The temperature (°C) that the current raw value compensates to.</summary>
    public double Celsius { get; private set; }

    /// <summary>The relative humidity (%) that the current raw value compensates to.</summary>
    public double HumidityPercent { get; private set; }

    /// <summary>The pressure (hPa) that the current raw value compensates to.</summary>
    public double Hectopascals { get; private set; }

    /// <summary>True in normal mode (ctrl_meas mode bits 11).</summary>
    public bool Normal => (Registers[0xF4] & 0x03) == 0x03;

    /// <summary>Sets the conditions; the nearest raw values are stored, and the properties give what they compensate to.</summary>
    public void SetConditions(double celsius, double humidityPercent, double hectopascals)
    {
        _adcT = Nearest(0, (1 << 20) - 1, celsius, adc => Temperature(adc, out _));
        Celsius = Temperature(_adcT, out var fine);
        _adcH = Nearest(0, 0xFFFF, humidityPercent, adc => Humidity(adc, fine));
        HumidityPercent = Humidity(_adcH, fine);

        // Pressure falls as its raw value rises.
        _adcP = Nearest(0, (1 << 20) - 1, -hectopascals, adc => -Pressure(adc, fine));
        Hectopascals = Pressure(_adcP, fine);
    }

    /// <summary>Datasheet 4.2.3, double precision.</summary>
    public static double Temperature(int adc, out int fine)
    {
        var var1 = ((adc / 16384.0) - (T1 / 1024.0)) * T2;
        var d = (adc / 131072.0) - (T1 / 8192.0);
        var var2 = d * d * T3;
        fine = (int)(var1 + var2);
        return (var1 + var2) / 5120.0;
    }

    /// <summary>Datasheet 4.2.3, double precision, clamped to 0-100 %.</summary>
    public static double Humidity(int adc, int fine)
    {
        var h = fine - 76800.0;
        h = (adc - ((H4 * 64.0) + (H5 / 16384.0 * h))) * (H2 / 65536.0 * (1.0 + (H6 / 67108864.0 * h * (1.0 + (H3 / 67108864.0 * h)))));
        h *= 1.0 - (H1 * h / 524288.0);
        return Math.Clamp(h, 0, 100);
    }

    /// <summary>Datasheet 4.2.3, 64-bit integer version, in hPa.</summary>
    public static double Pressure(int adc, int fine)
    {
        long var1 = fine - 128000L;
        var var2 = var1 * var1 * P6;
        var2 += (var1 * P5) << 17;
        var2 += (long)P4 << 35;
        var1 = ((var1 * var1 * P3) >> 8) + ((var1 * P2) << 12);
        var1 = (((1L << 47) + var1) * P1) >> 33;
        if (var1 == 0)
        {
            return 0;
        }

        long p = 1048576 - adc;
        p = ((p << 31) - var2) * 3125 / var1;
        var1 = (P9 * (p >> 13) * (p >> 13)) >> 25;
        var2 = (P8 * p) >> 19;
        p = ((p + var1 + var2) >> 8) + ((long)P7 << 4);
        return p / 256.0 / 100.0;
    }

    protected override void OnWrite(byte reg, byte value)
    {
        if (reg == 0xE0 && value == 0xB6)
        {
            Registers[0xF2] = Registers[0xF4] = Registers[0xF5] = 0;
            return;
        }

        Registers[reg] = value;
    }

    protected override void BeforeRead(byte reg)
    {
        var normal = Normal;
        Write20(0xF7, normal ? _adcP : 0x80000);
        Write20(0xFA, normal ? _adcT : 0x80000);
        var humidity = normal ? _adcH : 0x8000;
        Registers[0xFD] = (byte)(humidity >> 8);
        Registers[0xFE] = (byte)humidity;
    }

    private static int Nearest(int low, int high, double target, Func<int, double> value)
    {
        // The compensation is monotonic rising in the raw value: find the first raw value at or above the target.
        var (lo, hi) = (low, high);
        while (lo < hi)
        {
            var mid = lo + ((hi - lo) / 2);
            if (value(mid) < target)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo > low && Math.Abs(value(lo - 1) - target) < Math.Abs(value(lo) - target) ? lo - 1 : lo;
    }

    private void Write20(int reg, int raw)
    {
        Registers[reg] = (byte)(raw >> 12);
        Registers[reg + 1] = (byte)(raw >> 4);
        Registers[reg + 2] = (byte)((raw & 0x0F) << 4);
    }
}
