using System.Globalization;
using Microsoft.Extensions.Hosting.Systemd;

namespace EdgeGateway.Agent.Watchdog;

/// <summary>
/// Feeds the systemd watchdog (<c>WatchdogSec=</c> in deploy/systemd/edgegw.service): <c>WATCHDOG=1</c> over
/// <c>$NOTIFY_SOCKET</c> every half of <c>$WATCHDOG_USEC</c>, but only while <see cref="PipelineLiveness"/> says the
/// pipeline moved within that half; a stuck engine or a dead publisher stops the feeding, and systemd restarts the agent.
/// Without the variables (not under systemd, or no watchdog set) it does nothing.
/// </summary>
internal sealed partial class WatchdogFeeder(PipelineLiveness liveness, TimeProvider time, ILogger<WatchdogFeeder> logger) : BackgroundService
{
    private static readonly ServiceState s_watchdog = new("WATCHDOG=1");

    /// <summary>
    /// The feeding interval: half the watchdog timeout, as sd_watchdog_enabled(3) advises; null when there is no
    /// watchdog for this process (<c>WATCHDOG_PID</c> names another one, or the timeout is missing or invalid).
    /// </summary>
    public static TimeSpan? Interval(string? watchdogUsec, string? watchdogPid, int processId)
    {
        if (!long.TryParse(watchdogUsec, NumberStyles.None, CultureInfo.InvariantCulture, out var usec) || usec <= 0)
        {
            return null;
        }

        if (!string.IsNullOrEmpty(watchdogPid)
            && (!int.TryParse(watchdogPid, NumberStyles.None, CultureInfo.InvariantCulture, out var pid) || pid != processId))
        {
            return null;
        }

        return TimeSpan.FromMicroseconds(usec / 2);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = Interval(Environment.GetEnvironmentVariable("WATCHDOG_USEC"), Environment.GetEnvironmentVariable("WATCHDOG_PID"), Environment.ProcessId);
        var notifier = new SystemdNotifier();
        if (interval is not { } every || !notifier.IsEnabled)
        {
            return;
        }

        Log.Feeding(logger, every.TotalSeconds);
        var fed = true;
        using var timer = new PeriodicTimer(every, time);
        try
        {
            do
            {
                if (liveness.IsMoving(every))
                {
                    notifier.Notify(s_watchdog);
                    fed = true;
                }
                else if (fed)
                {
                    // Once per stall: the journal says why systemd is about to restart the agent.
                    Log.Stalled(logger, every.TotalSeconds);
                    fed = false;
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 601, Level = LogLevel.Information, Message = "Feeding the systemd watchdog every {IntervalSeconds} s while the pipeline moves")]
        public static partial void Feeding(ILogger logger, double intervalSeconds);

        [LoggerMessage(EventId = 602, Level = LogLevel.Critical, Message = "The pipeline has not moved for {IntervalSeconds} s: no longer feeding the systemd watchdog, which restarts the agent")]
        public static partial void Stalled(ILogger logger, double intervalSeconds);
    }
}
