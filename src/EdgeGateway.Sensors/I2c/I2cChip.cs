using System.Device.I2c;
using System.Globalization;
using EdgeGateway.Sensors.Sources;

namespace EdgeGateway.Sensors.I2c;

/// <summary>
/// One chip on an I2C bus and the channels read from it. The chip opens its <see cref="I2cDevice"/> through
/// <see cref="HardwareAccess"/>, wraps it in the binding, and after a bus error closes both and is opened again later
/// (a chip that lost power has lost its configuration too).
/// </summary>
internal abstract class I2cChip(int bus, int address) : IDisposable
{
    private I2cDevice? _device;

    /// <summary>The bus number.</summary>
    public int Bus { get; } = bus;

    /// <summary>The 7-bit address.</summary>
    public int Address { get; } = address;

    /// <summary>Bus and address as in a source: <c>i2c:1:0x48</c>.</summary>
    public string Device { get; } = string.Create(CultureInfo.InvariantCulture, $"i2c:{bus}:0x{address:x2}");

    /// <summary>Chip name for messages.</summary>
    public abstract string Model { get; }

    /// <summary>The channels read from this chip.</summary>
    public List<AnalogChannel> Channels { get; } = [];

    /// <summary>True while the device and binding are open.</summary>
    public bool IsOpen => _device is not null;

    /// <summary>When to try opening again after a failure (UTC ticks).</summary>
    public long RetryAtTicks { get; set; }

    /// <summary>True for the exceptions a bus reports: NACK, timeout, a device file that cannot be opened.</summary>
    public static bool IsBusError(Exception e) => e is IOException or TimeoutException or UnauthorizedAccessException;

    /// <summary>Opens the device and configures the chip.</summary>
    /// <exception cref="IOException">The chip does not answer or is not the expected chip.</exception>
    public void Open(HardwareAccess hardware)
    {
        var device = hardware.OpenI2c(Bus, Address);
        try
        {
            OpenCore(device);
        }
        catch
        {
            CloseQuietly();
            device.Dispose();
            throw;
        }

        _device = device;
    }

    /// <summary>Releases the binding and the device; bus errors while doing so are expected after a failure.</summary>
    public void Close()
    {
        if (_device is null)
        {
            return;
        }

        CloseQuietly();
        _device.Dispose();
        _device = null;
    }

    /// <summary>Same as <see cref="Close"/>.</summary>
    public void Dispose() => Close();

    /// <summary>Creates and configures the binding on <paramref name="device"/>.</summary>
    protected abstract void OpenCore(I2cDevice device);

    /// <summary>Releases the binding (some bindings write to the chip when disposed).</summary>
    protected abstract void CloseCore();

    private void CloseQuietly()
    {
        try
        {
            CloseCore();
        }
        catch (Exception e) when (IsBusError(e))
        {
            // The chip is gone or confused: nothing more to release on it.
        }
    }
}
