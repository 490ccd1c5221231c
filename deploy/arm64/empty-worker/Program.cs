// An empty worker: the agent's host without the agent (see EmptyWorker.csproj).
var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = args, DisableDefaults = true, ContentRootPath = AppContext.BaseDirectory });
builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
builder.Services.AddSystemd();
builder.Services.AddHostedService<Idle>();
await builder.Build().RunAsync();

internal sealed class Idle : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => Task.Delay(Timeout.Infinite, stoppingToken);
}
