namespace EdgeGateway.Ingest.Batching;

/// <summary>
/// Runs the pipeline's batch writer. Stopping drains it: no new messages are taken, what is queued is written and
/// acknowledged (until the host's shutdown timeout; the rest the broker delivers again after the restart). It is
/// registered after the subscriber, so it stops first, while the connection is still up for the acknowledgements.
/// </summary>
internal sealed partial class PipelineWorker(IngestPipeline pipeline, IHostApplicationLifetime lifetime, ILogger<PipelineWorker> logger) : IHostedService, IDisposable
{
    private readonly CancellationTokenSource _abort = new();
    private Task? _run;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _run = Task.Run(() => RunAsync(_abort.Token), CancellationToken.None);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        pipeline.Complete();
        if (_run is null)
        {
            return;
        }

        using (cancellationToken.Register(_abort.Cancel))
        {
            await _run.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    public void Dispose() => _abort.Dispose();

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            await pipeline.RunAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            Log.Aborted(logger);
        }
        catch (Exception e)
        {
            // A bug: stop the process (exit code 1) so that the service manager restarts it; the broker redelivers.
            Log.Crashed(logger, e);
            Environment.ExitCode = 1;
            lifetime.StopApplication();
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 530, Level = LogLevel.Warning, Message = "Stopped before everything queued was written; the broker delivers the rest again")]
        public static partial void Aborted(ILogger logger);

        [LoggerMessage(EventId = 531, Level = LogLevel.Critical, Message = "The batch writer failed")]
        public static partial void Crashed(ILogger logger, Exception exception);
    }
}
