using Microsoft.Extensions.Hosting.Systemd;

namespace EdgeGateway.Hosting;

/// <summary>
/// Tells systemd that the service is ready (<c>READY=1</c>, once the host has started) and stopping (<c>STOPPING=1</c>)
/// when the runtime's own <c>SystemdLifetime</c> does not. .NET 10 decides whether it runs under systemd by reading
/// <c>/proc/PPID/comm</c>, which the units' <c>ProtectProc=invisible</c> hides from the service user: <c>AddSystemd()</c>
/// then registers nothing, no <c>READY=1</c> is ever sent and systemd kills the <c>Type=notify</c> service when its
/// start times out (dotnet/runtime#125368; fixed after .NET 10 by checking <c>$SYSTEMD_EXEC_PID</c>, #125520).
/// Registered only in exactly that case: <c>$NOTIFY_SOCKET</c> set and the runtime not seeing systemd.
/// </summary>
internal sealed class SystemdReadiness(IHostApplicationLifetime lifetime) : IHostedService
{
    private readonly SystemdNotifier _notifier = new();

    /// <summary>Whether the host needs this service: systemd expects notifications the runtime will not send.</summary>
    public static bool IsNeeded => !SystemdHelpers.IsSystemdService() && new SystemdNotifier().IsEnabled;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        lifetime.ApplicationStarted.Register(() => _notifier.Notify(ServiceState.Ready));
        lifetime.ApplicationStopping.Register(() => _notifier.Notify(ServiceState.Stopping));
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
