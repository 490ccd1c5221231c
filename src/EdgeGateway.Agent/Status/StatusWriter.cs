using EdgeGateway.Agent.Hosting;
using EdgeGateway.Agent.Outbox;
using EdgeGateway.Core.Configuration;
using Microsoft.Extensions.Options;

namespace EdgeGateway.Agent.Status;

/// <summary>Writes <see cref="StatusFile"/> every two seconds and removes it when the agent stops.</summary>
internal sealed partial class StatusWriter(
    GatewayConfig config,
    IOptions<AgentOptions> options,
    AgentState state,
    IOutbox outbox,
    TimeProvider time,
    ILogger<StatusWriter> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var path = options.Value.StatusFile;
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(2), time);
        try
        {
            do
            {
                try
                {
                    var now = time.GetUtcNow().ToUnixTimeMilliseconds();
                    var status = outbox.Status;
                    state.Start ??= new AgentStart(now, status.NextSequence);
                    StatusFile.Write(path, state, status, config.Site, options.Value.GatewayId, now);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    Log.CannotWrite(logger, path, e.Message);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            File.Delete(path);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 400, Level = LogLevel.Warning, Message = "Cannot write the status file {Path} (Agent:StatusFile): {Reason}")]
        public static partial void CannotWrite(ILogger logger, string path, string reason);
    }
}
