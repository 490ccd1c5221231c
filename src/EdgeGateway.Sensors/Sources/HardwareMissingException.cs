
namespace EdgeGateway.Sensors.Sources;

/// <summary>A bus, chip or library that the configured sources need is missing; the message is one line for the technician.</summary>
public sealed class HardwareMissingException(string message) : Exception(message);
