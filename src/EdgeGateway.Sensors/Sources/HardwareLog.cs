using Microsoft.Extensions.Logging;

namespace EdgeGateway.Sensors.Sources;

/// <summary>Log messages of the hardware signal source (GPIO and I2C inputs); event ids 2100-2199.</summary>
internal static partial class HardwareLog
{
    [LoggerMessage(EventId = 2100, Level = LogLevel.Information, Message = "Hardware inputs started: {GpioLines} GPIO lines, {I2cChannels} I2C channels on {I2cChips} chips, polling every {TickMs} ms")]
    public static partial void Started(ILogger logger, int gpioLines, int i2cChannels, int i2cChips, double tickMs);

    [LoggerMessage(EventId = 2101, Level = LogLevel.Warning, Message = "Sensor fault on {Signal} ({Source}): {Reason}; its time counts as unknown until the next valid reading")]
    public static partial void SensorFault(ILogger logger, string signal, string source, string reason);

    [LoggerMessage(EventId = 2102, Level = LogLevel.Information, Message = "Sensor {Signal} ({Source}) recovered with {Value}")]
    public static partial void SensorRecovered(ILogger logger, string signal, string source, double value);

    [LoggerMessage(EventId = 2103, Level = LogLevel.Debug, Message = "Reopening {Device} ({Model}) failed again: {Reason}")]
    public static partial void ReopenFailed(ILogger logger, string device, string model, string reason);

    [LoggerMessage(EventId = 2104, Level = LogLevel.Information, Message = "{Device} ({Model}) opened")]
    public static partial void DeviceOpened(ILogger logger, string device, string model);

    [LoggerMessage(EventId = 2105, Level = LogLevel.Warning, Message = "The signal channel is full: {Dropped} events dropped so far (oldest first)")]
    public static partial void EventsDropped(ILogger logger, long dropped);

    [LoggerMessage(EventId = 2106, Level = LogLevel.Warning, Message = "GPIO edges arrive faster than they are processed: {Dropped} edges dropped so far")]
    public static partial void EdgesDropped(ILogger logger, long dropped);

    [LoggerMessage(EventId = 2107, Level = LogLevel.Information, Message = "Hardware inputs stopped")]
    public static partial void Stopped(ILogger logger);
}
