using EdgeGateway.Core.Configuration;
using EdgeGateway.Core.Signals;
using EdgeGateway.Sensors.Simulation;
using EdgeGateway.Sensors.Sources;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace EdgeGateway.Agent.Hosting;

/// <summary>Opens the buses and chips that <paramref name="inputs"/> read: the gateway's <c>/dev</c>, or a simulated bus in tests.</summary>
internal delegate HardwareAccess HardwareOpener(IReadOnlyList<HardwareInput> inputs);

/// <summary>Creates the configured <see cref="ISignalSource"/>.</summary>
internal static class SignalSources
{
    /// <summary>
    /// Registers the configured source as a singleton of the host: the hardware source logs through the host's logging,
    /// and the host disposes the source and the hardware it opened (the GPIO controller) when it is disposed after
    /// stopping. A <see cref="HardwareOpener"/> registered before stays (tests: a simulated bus).
    /// </summary>
    public static IServiceCollection AddSignalSource(this IServiceCollection services, GatewayConfig gateway)
    {
        services.TryAddSingleton<HardwareOpener>(static inputs => HardwareAccess.OpenSystem(inputs));

        // Created by the container so that the container disposes it; resolved only when the source is the hardware.
        services.AddSingleton(sp => sp.GetRequiredService<HardwareOpener>()(HardwareInput.Read(gateway, new SignalMap(gateway))));
        services.AddSingleton(sp => Create(
            sp.GetRequiredService<IOptions<AgentOptions>>().Value,
            gateway,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<HardwareAccess>,
            sp.GetRequiredService<ILogger<HardwareSignalSource>>()));
        return services;
    }

    /// <exception cref="Core.InputException">A source or its options are invalid.</exception>
    /// <exception cref="HardwareMissingException">A bus or chip the config names is not there.</exception>
    public static ISignalSource Create(AgentOptions options, GatewayConfig config, TimeProvider time, Func<HardwareAccess> hardware, ILogger logger)
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
                return HardwareSignalSource.Create(config, signals, hardware(), time, logger);
        }
    }
}
