namespace EdgeGateway.TestSupport.SensorBus;

/// <summary>
/// An ADXL345 on I2C (datasheet rev. G, register map): DEVID 0xE5 at 0x00, BW_RATE 0x2C, POWER_CTL 0x2D, DATA_FORMAT
/// 0x31, DATAX0-DATAZ1 0x32-0x37 little-endian. The three axes carry <see cref="IAnalogSignal"/>s in g, converted at the
/// clock's time when DATAX0 is read, at full resolution (256 counts/g) clipped to the 13-bit range of ±16 g; zeros
/// while in standby.
/// </summary>
public sealed class SimulatedAdxl345 : ByteRegisterDevice
{
    private readonly TimeProvider _clock;

    public SimulatedAdxl345(int bus, int address, TimeProvider clock, byte deviceId = 0xE5)
        : base(bus, address)
    {
        _clock = clock;
        Registers[0x00] = deviceId;
        Registers[0x2C] = 0x0A;
    }

    /// <summary>Acceleration on X, Y, Z in g.</summary>
    public IAnalogSignal[] Axes { get; } = [new ConstantSignal(0), new ConstantSignal(0), new ConstantSignal(1)];

    /// <summary>True when POWER_CTL has the Measure bit.</summary>
    public bool Measuring => (Registers[0x2D] & 0x08) != 0;

    /// <summary>Readings of the data registers so far.</summary>
    public int Readings { get; private set; }

    protected override void BeforeRead(byte reg)
    {
        if (reg != 0x32)
        {
            return;
        }

        Readings++;
        var ticks = _clock.GetUtcNow().UtcTicks;
        for (var axis = 0; axis < 3; axis++)
        {
            var counts = Measuring ? (short)Math.Clamp(Math.Round(Axes[axis].At(ticks) * 256), -4096, 4095) : (short)0;
            Registers[0x32 + (2 * axis)] = (byte)counts;
            Registers[0x33 + (2 * axis)] = (byte)(counts >> 8);
        }
    }
}
