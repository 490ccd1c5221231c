using EdgeGateway.Agent.Outbox;
using EdgeGateway.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EdgeGateway.Agent.Tests.Hosting;

/// <summary>
/// How a host's end becomes the exit code and one line (src/Shared/ServiceRun.cs, shared by the agent and the ingest):
/// the host's StopHost alone stops it with exit code 0 when a service fails.
/// </summary>
public sealed class ServiceRunTests
{
    [Fact]
    public async Task AServiceFailingUnexpectedly_StopsTheHost_Exit1_NamingTheServiceAndTheError()
    {
        using var stderr = new StringWriter();

        var exit = await ServiceRun.RunAsync(Host(new Failing(new InvalidOperationException("boom"))), "edgegw-test", Program.KnownCause, stderr);

        Assert.Equal(1, exit);
        Assert.StartsWith("edgegw-test: Failing failed unexpectedly: System.InvalidOperationException: boom", stderr.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AServiceFailingForAKnownCause_StopsTheHost_WithItsCode_AndOneLineWithoutStack()
    {
        using var stderr = new StringWriter();

        var exit = await ServiceRun.RunAsync(Host(new Failing(new OutboxUnavailableException("/var/lib/edgegw/outbox", "read-only file system"))), "edgegw-test", Program.KnownCause, stderr);

        Assert.Equal(1, exit);
        Assert.Equal("edgegw-test: the outbox /var/lib/edgegw/outbox cannot be used: read-only file system" + Environment.NewLine, stderr.ToString());
    }

    [Fact]
    public async Task ABadInputFoundWhileRunning_Exit2_OneLine()
    {
        using var stderr = new StringWriter();

        var exit = await ServiceRun.RunAsync(Host(new Failing(new Core.InputException("trace.csv", 7, "bad value 'x'"))), "edgegw-test", Program.KnownCause, stderr);

        Assert.Equal(2, exit);
        Assert.Equal("edgegw-test: trace.csv:7: bad value 'x'", Assert.Single(stderr.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries)).TrimEnd());
    }

    [Fact]
    public async Task AServiceThatFailsToStart_Exit1_OneLine()
    {
        using var stderr = new StringWriter();
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<IOutbox>(_ => throw new OutboxUnavailableException("/etc/passwd", "it is a file, not a directory"));
        builder.Services.AddHostedService(sp => new Failing(new InvalidOperationException($"never reached {sp.GetRequiredService<IOutbox>()}")));

        var exit = await ServiceRun.RunAsync(builder.Build(), "edgegw-test", Program.KnownCause, stderr);

        Assert.Equal(1, exit);
        Assert.Equal("edgegw-test: the outbox /etc/passwd cannot be used: it is a file, not a directory" + Environment.NewLine, stderr.ToString());
    }

    [Fact]
    public async Task AServiceFailingToStop_Exit1_SayingSo()
    {
        using var stderr = new StringWriter();
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.ClearProviders();
        builder.Services.AddHostedService<FailingToStop>();

        var exit = await ServiceRun.RunAsync(builder.Build(), "edgegw-test", Program.KnownCause, stderr);

        Assert.Equal(1, exit);
        Assert.StartsWith("edgegw-test: stopping failed unexpectedly: System.InvalidOperationException: stuck", stderr.ToString(), StringComparison.Ordinal);
    }

    private static IHost Host(BackgroundService service)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.ClearProviders();
        builder.Services.AddHostedService(_ => service);
        return builder.Build();
    }

    private sealed class FailingToStop(IHostApplicationLifetime lifetime) : BackgroundService
    {
        public override Task StopAsync(CancellationToken cancellationToken) => throw new InvalidOperationException("stuck");

        protected override async Task ExecuteAsync(CancellationToken stoppingToken)
        {
            await Task.Delay(10, stoppingToken);
            lifetime.StopApplication();
        }
    }

    private sealed class Failing(Exception failure) : BackgroundService
    {
        protected override async Task ExecuteAsync(CancellationToken stoppingToken)
        {
            await Task.Delay(10, stoppingToken);
            throw failure;
        }
    }
}
