using System.Device.I2c;

namespace EdgeGateway.TestSupport.SensorBus;

/// <summary>How a simulated chip fails a transfer.</summary>
public enum I2cFailure
{
    /// <summary>Transfers succeed.</summary>
    None,

    /// <summary>The chip does not acknowledge (Linux: EREMOTEIO, error 121).</summary>
    Nack,

    /// <summary>The bus times out (Linux: ETIMEDOUT, error 110).</summary>
    Timeout,
}

/// <summary>
/// An I2C chip in memory that the real bindings talk to, after dotnet/iot's Bmxx80 SimulatedI2cDevice: the first byte
/// written sets the register pointer, the rest are written from there; reads return registers from the pointer.
/// Failures throw what the Linux I2C device throws. Disposing only counts (the chip lives on the bus).
/// </summary>
public abstract class SimulatedI2cDevice(int bus, int address) : I2cDevice
{
    /// <summary>How the next transfers fail.</summary>
    public I2cFailure Failure { get; set; }

    /// <summary>Transfers (each Read, Write, WriteByte, ReadByte; WriteRead counts as two) so far.</summary>
    public int Transfers { get; private set; }

    /// <summary>Times the code under test disposed this device.</summary>
    public int Disposals { get; private set; }

    /// <summary>The register pointer.</summary>
    protected byte RegisterPointer { get; set; }

    public override I2cConnectionSettings ConnectionSettings { get; } = new(bus, address);

    public override byte ReadByte()
    {
        Span<byte> value = stackalloc byte[1];
        Read(value);
        return value[0];
    }

    public override void Read(Span<byte> buffer)
    {
        Transfer();
        ReadRegisters(RegisterPointer, buffer);
    }

    public override void WriteByte(byte value)
    {
        Transfer();
        RegisterPointer = value;
    }

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        Transfer();
        RegisterPointer = buffer[0];
        if (buffer.Length > 1)
        {
            WriteRegisters(RegisterPointer, buffer[1..]);
        }
    }

    public override void WriteRead(ReadOnlySpan<byte> writeBuffer, Span<byte> readBuffer)
    {
        Write(writeBuffer);
        Read(readBuffer);
    }

    /// <summary>Stores bytes written from <paramref name="reg"/> on.</summary>
    protected abstract void WriteRegisters(byte reg, ReadOnlySpan<byte> data);

    /// <summary>Fills <paramref name="data"/> with the registers from <paramref name="reg"/> on.</summary>
    protected abstract void ReadRegisters(byte reg, Span<byte> data);

    protected override void Dispose(bool disposing)
    {
        Disposals++;
        base.Dispose(disposing);
    }

    private void Transfer()
    {
        Transfers++;
        switch (Failure)
        {
            case I2cFailure.Nack:
                throw new IOException("Error 121 performing I2C data transfer.");
            case I2cFailure.Timeout:
                throw new IOException("Error 110 performing I2C data transfer.");
        }
    }
}

/// <summary>A chip with 8-bit registers and auto-increment (BME280, ADXL345); <see cref="BeforeRead"/> refreshes data registers.</summary>
public abstract class ByteRegisterDevice(int bus, int address) : SimulatedI2cDevice(bus, address)
{
    /// <summary>The register file.</summary>
    protected byte[] Registers { get; } = new byte[256];

    /// <summary>Sets a register directly.</summary>
    public void Poke(int reg, byte value) => Registers[reg] = value;

    /// <summary>Reads a register directly.</summary>
    public byte Peek(int reg) => Registers[reg];

    protected override void WriteRegisters(byte reg, ReadOnlySpan<byte> data)
    {
        for (var i = 0; i < data.Length; i++)
        {
            OnWrite((byte)(reg + i), data[i]);
        }
    }

    protected override void ReadRegisters(byte reg, Span<byte> data)
    {
        BeforeRead(reg);
        for (var i = 0; i < data.Length; i++)
        {
            data[i] = Registers[(reg + i) & 0xFF];
        }
    }

    /// <summary>A byte written to a register; stores it unless overridden.</summary>
    protected virtual void OnWrite(byte reg, byte value) => Registers[reg] = value;

    /// <summary>Called before a read from <paramref name="reg"/> (compute measurement registers here).</summary>
    protected virtual void BeforeRead(byte reg)
    {
    }
}

/// <summary>A chip with 16-bit big-endian registers selected by the pointer (ADS1115, INA219).</summary>
public abstract class WordRegisterDevice(int bus, int address) : SimulatedI2cDevice(bus, address)
{
    protected override void WriteRegisters(byte reg, ReadOnlySpan<byte> data)
    {
        if (data.Length != 2)
        {
            throw new IOException($"a 16-bit reg write needs 2 bytes, got {data.Length}");
        }

        WriteRegister(reg, (ushort)((data[0] << 8) | data[1]));
    }

    protected override void ReadRegisters(byte reg, Span<byte> data)
    {
        var value = ReadRegister(reg);
        for (var i = 0; i < data.Length; i++)
        {
            data[i] = i == 0 ? (byte)(value >> 8) : i == 1 ? (byte)value : (byte)0xFF;
        }
    }

    /// <summary>A register written.</summary>
    protected abstract void WriteRegister(byte reg, ushort value);

    /// <summary>A register read.</summary>
    protected abstract ushort ReadRegister(byte reg);
}

/// <summary>An address where nothing answers: every transfer is a NACK.</summary>
public sealed class AbsentI2cDevice : SimulatedI2cDevice
{
    public AbsentI2cDevice(int bus, int address)
        : base(bus, address)
    {
        Failure = I2cFailure.Nack;
    }

    protected override void WriteRegisters(byte reg, ReadOnlySpan<byte> data) => throw new IOException("Error 121 performing I2C data transfer.");

    protected override void ReadRegisters(byte reg, Span<byte> data) => throw new IOException("Error 121 performing I2C data transfer.");
}

/// <summary>The chips on simulated buses, opened like <c>I2cDevice.Create</c>: an empty address NACKs every transfer.</summary>
public sealed class SimulatedI2cBus
{
    private readonly Dictionary<(int Bus, int Address), SimulatedI2cDevice> _devices = [];

    /// <summary>Times <see cref="Open"/> was called.</summary>
    public int Opens { get; private set; }

    /// <summary>Puts a chip on its bus and returns it.</summary>
    public T Add<T>(T device)
        where T : SimulatedI2cDevice
    {
        _devices.Add((device.ConnectionSettings.BusId, device.ConnectionSettings.DeviceAddress), device);
        return device;
    }

    /// <summary>Removes the chip at an address (unplugged).</summary>
    public void Remove(int bus, int address) => _devices.Remove((bus, address));

    /// <summary>The device at an address, as the code under test opens it.</summary>
    public System.Device.I2c.I2cDevice Open(int bus, int address)
    {
        Opens++;
        return _devices.TryGetValue((bus, address), out var device) ? device : new AbsentI2cDevice(bus, address);
    }
}
