using System.CommandLine;
using EdgeGateway.Core;
using EdgeGateway.Core.Configuration;
using EdgeGateway.Core.Signals;
using EdgeGateway.Sensors.Sources;

namespace EdgeGateway.Cli.Sensors;

/// <summary>
/// <c>edgegw sensors scan|watch</c>: what answers on the gateway's buses, and live values of the configured inputs.
/// Exit codes: 0 done; 1 a bus, chip or library is missing (one line naming it, e.g. <c>no I2C bus 1 (/dev/i2c-1
/// missing: enable I2C with raspi-config …)</c>); 2 malformed input (config, source, argument).
/// </summary>
internal static class SensorsCommand
{
    /// <summary>Exit code when the hardware is not there.</summary>
    public const int HardwareMissing = 1;

    /// <summary>The <c>sensors</c> command group; <paramref name="devRoot"/> is where the device files are (<c>/dev</c>; tests use an empty folder).</summary>
    public static Command Create(Stream stdout, TextWriter stderr, string devRoot = "/dev") =>
        new("sensors", "Check the sensors: what answers on I2C and GPIO, and live values of the configured inputs")
        {
            SensorsScan.Create(stdout, stderr, devRoot),
            SensorsWatch.Create(stdout, stderr, devRoot),
        };

    /// <summary>The hardware inputs of a config file.</summary>
    /// <exception cref="InputException">The file cannot be read, or a source or option is invalid.</exception>
    public static (GatewayConfig Config, SignalMap Signals, IReadOnlyList<HardwareInput> Inputs) ReadInputs(string path)
    {
        var config = InputFiles.ReadConfig(path);
        var signals = new SignalMap(config);
        return (config, signals, HardwareInput.Read(config, signals));
    }

    /// <summary>A message on one line.</summary>
    public static string OneLine(string message) => message.ReplaceLineEndings(" ").Trim();

    /// <summary>The unit a source's values are in.</summary>
    public static string Unit(HardwareInput input) => input.Address.Kind switch
    {
        SourceKind.Gpio => "",
        SourceKind.Ads1115 when input.Config.Role == SignalRole.PowerKw => "kW",
        SourceKind.Ads1115 => "V",
        SourceKind.Ina219 => "kW",
        SourceKind.Adxl345 => "g",
        _ => input.Address.Channel switch
        {
            SourceChannel.Temperature => "°C",
            SourceChannel.Humidity => "%",
            _ => "hPa",
        },
    };
}
