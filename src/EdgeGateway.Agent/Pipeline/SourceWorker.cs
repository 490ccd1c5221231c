using System.Threading.Channels;
using EdgeGateway.Agent.Hosting;
using EdgeGateway.Core.Signals;
using EdgeGateway.Sensors.Sources;
using Microsoft.Extensions.Options;

namespace EdgeGateway.Agent.Pipeline;

/// <summary>
/// Runs the configured signal source into the event channel. Live sensors also get a clock tick every second, so
/// that windows close while nothing changes. A source that fails stops the agent with exit code 1 (systemd restarts it).
/// </summary>
internal sealed partial class SourceWorker(
    ISignalSource source,
    IOptions<AgentOptions> options,
    Channel<SignalEvent> events,
    TimeProvider time,
    ILogger<SourceWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var ticking = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var ticks = options.Value.Source == EventSourceKind.Sensors ? TickAsync(ticking.Token) : Task.CompletedTask;
        try
        {
            await source.RunAsync(events.Writer, stoppingToken).ConfigureAwait(false);
            if (!stoppingToken.IsCancellationRequested)
            {
                Log.SourceEnded(logger, options.Value.Source);
                events.Writer.TryComplete();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            await ticking.CancelAsync().ConfigureAwait(false);
            await ticks.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    private async Task TickAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1), time);
        while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
        {
            events.Writer.TryWrite(new SignalEvent(time.GetUtcNow().ToUnixTimeMilliseconds(), EngineWorker.TickSignal, 0));
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 200, Level = LogLevel.Information, Message = "Signal source {Source} ended")]
        public static partial void SourceEnded(ILogger logger, EventSourceKind source);
    }
}
