using EdgeGateway.Ingest.Hosting;
using Microsoft.Extensions.Options;

namespace EdgeGateway.Ingest.Status;

/// <summary>Logs a snapshot of the counters every <c>Ingest:StatusInterval</c> (and once at shutdown).</summary>
internal sealed partial class StatusLogger(IngestCounters counters, IOptions<IngestOptions> options, TimeProvider time, ILogger<StatusLogger> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.StatusInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                Write();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            Write();
        }
    }

    private void Write()
    {
        if (!logger.IsEnabled(LogLevel.Information))
        {
            return;
        }

        var s = counters.Snapshot();
        var byKind = s.DeadLetteredText();
        Log.Counters(logger, s.Received, s.Written, s.DeadLettered, byKind, s.Retries, s.AcksLost, s.Ignored, s.Confirmed);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 560, Level = LogLevel.Information,
            Message = "Ingest status: received {Received}, written {Written}, dead-lettered {DeadLettered} ({DeadLetteredByKind}), retries {Retries}, acknowledgements lost to reconnects {AcksLost}, own dead letters and doctor probes skipped {Ignored}, records confirmed to gateways {Confirmed}")]
        public static partial void Counters(ILogger logger, long received, long written, long deadLettered, string deadLetteredByKind, long retries, long acksLost, long ignored, long confirmed);
    }
}
