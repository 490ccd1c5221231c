using EdgeGateway.Core.Configuration;
using EdgeGateway.Core.Signals;
using EdgeGateway.Sensors.Simulation;
using EdgeGateway.Sensors.Sources;
using Microsoft.Extensions.Options;

namespace EdgeGateway.Agent.Hosting;

/// <summary>Creates the configured <see cref="ISignalSource"/>.</summary>
internal static class SignalSources
{
    public static ISignalSource Create(IServiceProvider services)
    {
        var options = services.GetRequiredService<IOptions<AgentOptions>>().Value;
        var config = services.GetRequiredService<GatewayConfig>();
        var time = services.GetRequiredService<TimeProvider>();
        var signals = new SignalMap(config);
        switch (options.Source)
        {
            case EventSourceKind.Trace:
                return new TraceSignalSource(options.TracePath!, signals);
            case EventSourceKind.Simulator:
                var from = (options.SimulationStart ?? time.GetUtcNow()).ToUnixTimeMilliseconds();
                return SimulatedSignalSource.Create(config, options.SimulationSeed, from, toMs: null, options.SpeedFactor, time);
            default:
                var inputs = HardwareInput.Read(config, signals);
                var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("EdgeGateway.Sensors");
                return HardwareSignalSource.Create(config, signals, HardwareAccess.OpenSystem(inputs), time, logger);
        }
    }
}
