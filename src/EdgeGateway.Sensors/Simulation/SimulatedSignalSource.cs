using System.Threading.Channels;
using EdgeGateway.Core.Configuration;
using EdgeGateway.Core.Signals;
using EdgeGateway.Sensors.Sources;

namespace EdgeGateway.Sensors.Simulation;

/// <summary>
/// The cell simulator as a live source: the same events as <c>edgegw simulate</c> writes to its trace for the same
/// config, seed and start, paced by <paramref name="timeProvider"/> so that simulated time runs
/// <paramref name="speed"/> times faster than real time (60: one simulated minute per second). Events carry
/// simulated time, starting at <paramref name="fromMs"/>; without <paramref name="toMs"/> the source never ends.
/// </summary>
public sealed class SimulatedSignalSource(
    GatewayConfig config, IReadOnlyList<SimulationOptions> options, long seed, long fromMs, long? toMs, double speed, TimeProvider timeProvider) : ISignalSource
{
    private readonly double _speed = double.IsFinite(speed) && speed > 0
        ? speed
        : throw new ArgumentOutOfRangeException(nameof(speed), speed, "the speed factor must be a positive number");

    /// <summary>A source for <paramref name="config"/>, reading every cell's <c>Simulation</c> section (throws on a bad one).</summary>
    public static SimulatedSignalSource Create(GatewayConfig config, long seed, long fromMs, long? toMs, double speed, TimeProvider timeProvider) =>
        new(config, SimulationOptions.ReadAll(config), seed, fromMs, toMs, speed, timeProvider);

    /// <inheritdoc/>
    public async Task RunAsync(ChannelWriter<SignalEvent> output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(output);
        var signals = new GatewaySignals(config, new SignalMap(config));
        var simulation = new GatewaySimulation(config, options, seed, fromMs, toMs);
        var buffer = new SignalEvent[GatewaySignals.MaxPerEvent];
        var started = timeProvider.GetTimestamp();
        while (simulation.TryNext(out var cell, out var e))
        {
            var wait = TimeSpan.FromMilliseconds((e.TimestampMs - fromMs) / _speed) - timeProvider.GetElapsedTime(started);
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, timeProvider, cancellationToken).ConfigureAwait(false);
            }

            var count = signals.Expand(cell, e, buffer);
            for (var i = 0; i < count; i++)
            {
                await output.WriteAsync(buffer[i], cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
