namespace EdgeGateway.TestSupport.SensorBus;

/// <summary>
/// An INA219 (datasheet SBOS448, 8.6): 0 config (reset 0x399F), 1 shunt voltage (10 µV/count), 2 bus voltage (bits 15:3,
/// 4 mV/count, bit 1 CNVR), 3 power (= current × bus / 5000), 4 current (= shunt × calibration / 4096), 5 calibration.
/// The load's bus voltage and current are set by the test; the shunt voltage is current × shunt resistance.
/// </summary>
public sealed class SimulatedIna219(int bus, int address, double shuntOhms) : WordRegisterDevice(bus, address)
{
    private const ushort ResetConfig = 0x399F;

    private ushort _config = ResetConfig;
    private ushort _calibration;

    /// <summary>Voltage on VIN− against GND.</summary>
    public double BusVolts { get; set; }

    /// <summary>Current from VIN+ to VIN− through the shunt.</summary>
    public double LoadAmps { get; set; }

    /// <summary>The calibration register.</summary>
    public ushort Calibration => _calibration;

    /// <summary>The config register.</summary>
    public ushort Config => _config;

    protected override void WriteRegister(byte reg, ushort value)
    {
        switch (reg)
        {
            case 0:
                if ((value & 0x8000) != 0)
                {
                    _config = ResetConfig;
                    _calibration = 0;
                }
                else
                {
                    _config = value;
                }

                break;
            case 5:
                _calibration = (ushort)(value & 0xFFFE);
                break;
            default:
                throw new IOException($"INA219 register {reg} is read-only");
        }
    }

    protected override ushort ReadRegister(byte reg) => reg switch
    {
        0 => _config,
        1 => (ushort)ShuntCounts(),
        2 => (ushort)((BusCounts() << 3) | 0x2),
        3 => (ushort)(CurrentCounts() * BusCounts() / 5000),
        4 => (ushort)CurrentCounts(),
        5 => _calibration,
        _ => throw new IOException($"the INA219 has no register {reg}"),
    };

    private short ShuntCounts()
    {
        // PGA ±320 mV after reset (bits 12:11 = 11): the register saturates at ±32000.
        var counts = Math.Round(LoadAmps * shuntOhms / 10e-6);
        return (short)Math.Clamp(counts, -32000, 32000);
    }

    private int BusCounts() => (int)Math.Clamp(Math.Round(BusVolts / 0.004), 0, 8191);

    private short CurrentCounts() => (short)(ShuntCounts() * _calibration / 4096);
}
