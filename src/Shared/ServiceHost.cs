namespace EdgeGateway.Hosting;

/// <summary>
/// The host start-up both services share, in the spirit of eShop's ServiceDefaults: the configuration they read and
/// checked before, logging from its <c>Logging</c> section on one console line per entry (the journal's format under
/// systemd), failures left to <see cref="ServiceRun"/>, and systemd's start-up notification and stop signal.
/// </summary>
internal static class ServiceHost
{
    /// <summary>A host builder over <paramref name="configuration"/>; <paramref name="args"/> are those besides <c>--config FILE</c>.</summary>
    public static HostApplicationBuilder CreateBuilder(string[] args, IConfiguration configuration)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = args, DisableDefaults = true, ContentRootPath = AppContext.BaseDirectory });
        builder.Configuration.AddConfiguration(configuration);
        builder.Logging.AddConfiguration(builder.Configuration.GetSection("Logging")).AddSimpleConsole(o => o.SingleLine = true).LeaveFailuresToServiceRun();
        builder.Services.AddSystemd();
        return builder;
    }
}
