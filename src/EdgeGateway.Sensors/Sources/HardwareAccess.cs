using System.Device.Gpio;
using System.Device.Gpio.Drivers;
using System.Device.I2c;

namespace EdgeGateway.Sensors.Sources;

/// <summary>
/// The buses the hardware source reads: a <see cref="GpioController"/> (null when no signal uses GPIO) and a way to
/// open I2C devices (called again after a bus error, because the bindings dispose their device). Tests pass a
/// controller over a simulated driver and simulated I2C devices; <see cref="OpenSystem"/> opens the real ones.
/// </summary>
public sealed class HardwareAccess(GpioController? gpio, Func<int, int, I2cDevice> openI2c, bool ownsGpio = false) : IDisposable
{
    /// <summary>GPIO chip whose lines <c>gpio:LINE</c> names (the 40-pin header on a Raspberry Pi 4 and on a Pi 5 with a current kernel).</summary>
    public const int GpioChip = 0;

    /// <summary>The GPIO controller, or null when the config reads no GPIO line.</summary>
    public GpioController? Gpio { get; } = gpio;

    /// <summary>Opens the device at <paramref name="address"/> on I2C bus <paramref name="bus"/>; the caller disposes it.</summary>
    public I2cDevice OpenI2c(int bus, int address) => openI2c(bus, address);

    /// <summary>
    /// What is missing on this machine for <paramref name="sources"/> (one line, e.g. <c>no I2C bus 1 (/dev/i2c-1 missing:
    /// enable I2C with raspi-config)</c>), or null when every bus and chip they need is there and accessible.
    /// </summary>
    public static string? FindMissing(IEnumerable<SourceAddress> sources, string devRoot = "/dev")
    {
        ArgumentNullException.ThrowIfNull(sources);
        var problems = new List<string>();
        var buses = new SortedSet<int>();
        var gpio = false;
        foreach (var source in sources)
        {
            if (source.Kind == SourceKind.Gpio)
            {
                gpio = true;
            }
            else
            {
                buses.Add(source.Bus);
            }
        }

        foreach (var bus in buses)
        {
            AddIfMissing(problems, I2cBusProblem(bus, devRoot));
        }

        if (gpio)
        {
            AddIfMissing(problems, GpioChipProblem(GpioChip, devRoot));
        }

        return problems.Count == 0 ? null : string.Join("; ", problems);
    }

    /// <summary>Why I2C bus <paramref name="bus"/> cannot be used, or null.</summary>
    public static string? I2cBusProblem(int bus, string devRoot = "/dev")
    {
        var path = Path.Combine(devRoot, $"i2c-{bus}");
        return DeviceFileProblem(path, $"no I2C bus {bus}", "enable I2C with raspi-config (Interface Options > I2C) and reboot", "i2c");
    }

    /// <summary>Why GPIO chip <paramref name="chip"/> cannot be used, or null.</summary>
    public static string? GpioChipProblem(int chip, string devRoot = "/dev")
    {
        var path = Path.Combine(devRoot, $"gpiochip{chip}");
        return DeviceFileProblem(path, $"no GPIO chip {chip}", "not a Raspberry Pi, or its GPIO driver is not loaded", "gpio");
    }

    /// <summary>
    /// Opens the buses that <paramref name="inputs"/> need on this machine: GPIO chip 0 through libgpiod and
    /// <c>/dev/i2c-N</c> through <see cref="I2cDevice.Create"/>.
    /// </summary>
    /// <exception cref="HardwareMissingException">A bus, chip or library is missing; the message is one line.</exception>
    public static HardwareAccess OpenSystem(IReadOnlyList<HardwareInput> inputs, string devRoot = "/dev")
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var missing = FindMissing(inputs.Select(input => input.Address), devRoot);
        if (missing is not null)
        {
            throw new HardwareMissingException(missing);
        }

        var controller = inputs.Any(input => input.Address.Kind == SourceKind.Gpio) ? OpenGpio(GpioChip) : null;
        return new HardwareAccess(controller, static (bus, address) => I2cDevice.Create(new I2cConnectionSettings(bus, address)), ownsGpio: true);
    }

    /// <summary>A controller for GPIO chip <paramref name="chip"/> through libgpiod.</summary>
    /// <exception cref="HardwareMissingException">libgpiod is not installed or the chip cannot be opened.</exception>
    public static GpioController OpenGpio(int chip)
    {
        try
        {
            return new GpioController(new LibGpiodDriver(chip));
        }
        catch (PlatformNotSupportedException)
        {
            throw new HardwareMissingException("no libgpiod (install it: sudo apt install libgpiod2)");
        }
        catch (Exception e) when (e is GpiodException or IOException or UnauthorizedAccessException)
        {
            throw new HardwareMissingException($"cannot open GPIO chip {chip}: {OneLine(e.Message)}");
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        if (ownsGpio)
        {
            Gpio?.Dispose();
        }
    }

    internal static string OneLine(string text) => text.ReplaceLineEndings(" ").Trim();

    private static void AddIfMissing(List<string> problems, string? problem)
    {
        if (problem is not null)
        {
            problems.Add(problem);
        }
    }

    private static string? DeviceFileProblem(string path, string what, string fix, string group)
    {
        if (!File.Exists(path))
        {
            return $"{what} ({path} missing: {fix})";
        }

        try
        {
            using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.ReadWrite);
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return $"{what} ({path}: permission denied: add the user to group {group} and log in again)";
        }
        catch (IOException e)
        {
            return $"{what} ({path}: {OneLine(e.Message)})";
        }
    }
}
