using System.CommandLine;
using System.Device.Gpio;
using System.Globalization;
using System.Text;
using EdgeGateway.Core;
using EdgeGateway.Core.Configuration;
using EdgeGateway.Core.Signals;
using EdgeGateway.Sensors.I2c;
using EdgeGateway.Sensors.Sources;

namespace EdgeGateway.Cli.Sensors;

/// <summary>
/// <c>edgegw sensors scan [--config FILE] [--bus N]</c>: the I2C addresses that answer (named where the chip can be
/// told) and the GPIO lines with their levels. With a config: its buses and lines, each with the signal it feeds, and
/// the configured chips that do not answer. Without: bus 1 and the header lines that have no common second use.
/// </summary>
internal static class SensorsScan
{
    // BCM lines probed without a config: the header's GPIOs except I2C-1 (2, 3), SPI0 (7-11) and the UART (14, 15),
    // because opening a line as an input takes it away from its alternate function.
    private static readonly int[] s_defaultLines = [4, 5, 6, 12, 13, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27];

    public static Command Create(Stream stdout, TextWriter stderr, string devRoot)
    {
        var config = InputFiles.PathOption(new Option<string?>("--config") { Description = "Gateway config: scan its buses and lines and name what each feeds" });
        var bus = new Option<int>("--bus") { Description = "I2C bus to scan without a config (/dev/i2c-N)", DefaultValueFactory = _ => 1 };
        var command = new Command("scan", "List the I2C addresses that answer and the GPIO lines with their levels") { config, bus };
        command.SetAction(parsed => Run(parsed.GetValue(config), parsed.GetValue(bus), devRoot, stdout, stderr));
        return command;
    }

    public static int Run(string? configPath, int bus, string devRoot, Stream stdout, TextWriter stderr)
    {
        if (bus is < 0 or > SourceAddress.MaxBus)
        {
            // A bad argument, not missing hardware: no /dev/i2c-N can exist for it.
            stderr.WriteLine($"edgegw sensors scan: --bus: {bus} is not an I2C bus number 0-{SourceAddress.MaxBus} (/dev/i2c-N; 1 on a Raspberry Pi header)");
            return Program.InputError;
        }

        IReadOnlyList<HardwareInput> inputs = [];
        if (configPath is not null)
        {
            try
            {
                inputs = SensorsCommand.ReadInputs(configPath).Inputs;
            }
            catch (InputException e)
            {
                stderr.WriteLine($"edgegw sensors scan: {e.Message}");
                return Program.InputError;
            }
        }

        var buses = configPath is null ? [bus] : inputs.Where(i => i.Address.Kind != SourceKind.Gpio).Select(i => i.Address.Bus).Distinct().Order().ToList();
        var lines = configPath is null ? s_defaultLines : [.. inputs.Where(i => i.Address.Kind == SourceKind.Gpio).Select(i => i.Address.Line).Order()];
        var problems = buses.Select(b => HardwareAccess.I2cBusProblem(b, devRoot)).ToList();
        if (lines.Length > 0)
        {
            problems.Add(HardwareAccess.GpioChipProblem(HardwareAccess.GpioChip, devRoot));
        }

        var missing = string.Join("; ", problems.Where(p => p is not null));
        if (missing.Length > 0)
        {
            stderr.WriteLine($"edgegw sensors scan: {missing}");
            return SensorsCommand.HardwareMissing;
        }

        var text = new StringBuilder();
        try
        {
            foreach (var b in buses)
            {
                ScanBus(b, devRoot, inputs, text);
            }

            if (lines.Length > 0)
            {
                using var gpio = HardwareAccess.OpenGpio(HardwareAccess.GpioChip);
                ScanLines(gpio, lines, devRoot, inputs, text);
            }
        }
        catch (HardwareMissingException e)
        {
            stderr.WriteLine($"edgegw sensors scan: {e.Message}");
            return SensorsCommand.HardwareMissing;
        }

        var bytes = Encoding.UTF8.GetBytes(text.ToString());
        stdout.Write(bytes);
        stdout.Flush();
        return 0;
    }

    private static void ScanBus(int bus, string devRoot, IReadOnlyList<HardwareInput> inputs, StringBuilder text)
    {
        var found = I2cScanner.Scan(address => System.Device.I2c.I2cDevice.Create(new System.Device.I2c.I2cConnectionSettings(bus, address)));
        text.Append(CultureInfo.InvariantCulture, $"I2C bus {bus} ({Path.Combine(devRoot, $"i2c-{bus}")}): {found.Count} device{(found.Count == 1 ? "" : "s")}\n");
        foreach (var finding in found)
        {
            var feeds = inputs.Where(i => i.Address.Kind != SourceKind.Gpio && i.Address.Bus == bus && i.Address.Address == finding.Address).Select(i => $"{i.Name} ({i.Address})");
            text.Append(CultureInfo.InvariantCulture, $"  0x{finding.Address:x2}  {finding.Description}{Feeds(feeds)}\n");
        }

        foreach (var silent in inputs.Where(i => i.Address.Kind != SourceKind.Gpio && i.Address.Bus == bus && !found.Any(f => f.Address == i.Address.Address)))
        {
            text.Append(CultureInfo.InvariantCulture, $"  0x{silent.Address.Address:x2}  NOT ANSWERING: {silent.Name} ({silent.Address}) is configured here\n");
        }
    }

    private static void ScanLines(GpioController gpio, int[] lines, string devRoot, IReadOnlyList<HardwareInput> inputs, StringBuilder text)
    {
        text.Append(CultureInfo.InvariantCulture, $"GPIO chip {HardwareAccess.GpioChip} ({Path.Combine(devRoot, $"gpiochip{HardwareAccess.GpioChip}")}): {lines.Length} lines\n");
        foreach (var line in lines)
        {
            var input = inputs.FirstOrDefault(i => i.Address.Kind == SourceKind.Gpio && i.Address.Line == line);
            var mode = input?.Settings.Pull switch
            {
                InputPull.Up => PinMode.InputPullUp,
                InputPull.Down => PinMode.InputPullDown,
                _ => PinMode.Input,
            };
            string level;
            try
            {
                gpio.OpenPin(line, mode);
                var high = gpio.Read(line) == PinValue.High;
                gpio.ClosePin(line);
                level = high ? "high" : "low ";
                if (input is not null)
                {
                    var on = high != input.Settings.ActiveLow;
                    level += input.Config.Role.IsPulse()
                        ? $"  {input.Name} ({input.Config.Role}{(input.Settings.ActiveLow ? ", active-low" : "")}): {(on ? "active" : "idle")}"
                        : $"  {input.Name} ({input.Config.Role}{(input.Settings.ActiveLow ? ", active-low" : "")}): {(on ? "on" : "off")}";
                }
            }
            catch (Exception e) when (e is InvalidOperationException or IOException or UnauthorizedAccessException)
            {
                level = $"cannot read: {SensorsCommand.OneLine(e.Message)}";
            }

            text.Append(CultureInfo.InvariantCulture, $"  gpio:{line,-3} {level}\n");
        }
    }

    private static string Feeds(IEnumerable<string> feeds)
    {
        var list = string.Join(", ", feeds);
        return list.Length == 0 ? "" : $"  -> {list}";
    }
}
