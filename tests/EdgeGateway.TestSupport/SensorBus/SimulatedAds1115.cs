namespace EdgeGateway.TestSupport.SensorBus;

/// <summary>
/// An ADS1115 (datasheet SBAS444, 8.6): pointer 0 conversion, 1 config, 2/3 thresholds. Config bits: 15 OS, 14:12 MUX,
/// 11:9 PGA, 8 MODE (1 = single-shot), 7:5 DR. Conversions take no time: in single-shot mode writing OS=1 converts
/// at once (OS reads 1 = idle); in continuous mode the conversion register holds the input at the moment it is read.
/// The four pins carry <see cref="IAnalogSignal"/>s in volts, sampled at the clock's time.
/// </summary>
public sealed class SimulatedAds1115(int bus, int address, TimeProvider clock) : WordRegisterDevice(bus, address)
{
    private static readonly double[] s_fullScale = [6.144, 4.096, 2.048, 1.024, 0.512, 0.256, 0.256, 0.256];

    private ushort _config = 0x8583;
    private ushort _loThreshold = 0x8000;
    private ushort _hiThreshold = 0x7FFF;
    private short _conversion;

    /// <summary>The signals on AIN0-AIN3, in volts.</summary>
    public IAnalogSignal[] Pins { get; } = [new ConstantSignal(0), new ConstantSignal(0), new ConstantSignal(0), new ConstantSignal(0)];

    /// <summary>When true the conversion register keeps its last value (a hung converter).</summary>
    public bool Frozen { get; set; }

    /// <summary>Config register writes so far.</summary>
    public int ConfigWrites { get; private set; }

    /// <summary>Conversions done so far.</summary>
    public int Conversions { get; private set; }

    /// <summary>The config register.</summary>
    public ushort Config => _config;

    /// <summary>True in continuous-conversion mode.</summary>
    public bool Continuous => (_config & 0x0100) == 0;

    /// <summary>Volts across the input pair of a MUX code at a time.</summary>
    public double InputVolts(int mux, long ticks) => mux switch
    {
        0 => Pins[0].At(ticks) - Pins[1].At(ticks),
        1 => Pins[0].At(ticks) - Pins[3].At(ticks),
        2 => Pins[1].At(ticks) - Pins[3].At(ticks),
        3 => Pins[2].At(ticks) - Pins[3].At(ticks),
        _ => Pins[mux - 4].At(ticks),
    };

    protected override void WriteRegister(byte reg, ushort value)
    {
        switch (reg)
        {
            case 0:
                throw new IOException("the ADS1115 conversion reg is read-only");
            case 1:
                ConfigWrites++;
                _config = (ushort)(value | 0x8000);
                if ((value & 0x8000) != 0 && !Continuous)
                {
                    Convert();
                }

                break;
            case 2:
                _loThreshold = value;
                break;
            case 3:
                _hiThreshold = value;
                break;
            default:
                throw new IOException($"the ADS1115 has no register {reg}");
        }
    }

    protected override ushort ReadRegister(byte reg)
    {
        switch (reg)
        {
            case 0:
                if (Continuous)
                {
                    Convert();
                }

                return (ushort)_conversion;
            case 1:
                return _config;
            case 2:
                return _loThreshold;
            case 3:
                return _hiThreshold;
            default:
                throw new IOException($"the ADS1115 has no register {reg}");
        }
    }

    private void Convert()
    {
        if (Frozen)
        {
            return;
        }

        Conversions++;
        var mux = (_config >> 12) & 0x7;
        var fullScale = s_fullScale[(_config >> 9) & 0x7];
        var counts = Math.Round(InputVolts(mux, clock.GetUtcNow().UtcTicks) / fullScale * 32768);
        _conversion = (short)Math.Clamp(counts, short.MinValue, short.MaxValue);
    }
}
