using EdgeGateway.Core.Configuration;
using EdgeGateway.Core.Signals;
using EdgeGateway.Sensors.Simulation;
using EdgeGateway.Sensors.Sources;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeGateway.Agent.Hosting;

/// <summary>Creates the configured <see cref="ISignalSource"/>.</summary>
internal static class SignalSources
{
    /// <exception cref="Core.InputException">A source or its options are invalid.</exception>
    /// <exception cref="HardwareMissingException">A bus or chip the config names is not there.</exception>
    public static ISignalSource Create(AgentOptions options, GatewayConfig config, TimeProvider time)
    {
        var signals = new SignalMap(config);
        switch (options.Source)
        {
            case EventSourceKind.Trace:
                return new TraceSignalSource(options.TracePath!, signals);
            case EventSourceKind.Simulator:
                var from = (options.SimulationStart ?? time.GetUtcNow()).ToUnixTimeMilliseconds();
                return SimulatedSignalSource.Create(config, options.SimulationSeed, from, options.SimulationEnd?.ToUnixTimeMilliseconds(), options.SpeedFactor, time);
            default:
                var inputs = HardwareInput.Read(config, signals);
                return HardwareSignalSource.Create(config, signals, HardwareAccess.OpenSystem(inputs), time, NullLogger.Instance);
        }
    }
}
