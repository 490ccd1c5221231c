using System.Diagnostics;
using EdgeGateway.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace EdgeGateway.Ingest.Tests.Hosting;

/// <summary>The host start-up the agent and the ingest share (src/Shared/ServiceHost.cs), as the ingest compiles it.</summary>
public sealed class ServiceHostTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("edgegw-ingest-systemd-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void HostBuilder_TakesTheCheckedConfiguration_ItsLoggingSection_AndSystemd()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Logging:LogLevel:Default"] = "Warning",
            ["Ingest:Mqtt:Host"] = "broker.local",
        }).Build();

        using var host = ServiceHost.CreateBuilder(["--Ingest:Mqtt:Port=8883"], configuration).Build();

        var settings = host.Services.GetRequiredService<IConfiguration>();
        Assert.Equal("broker.local", settings["Ingest:Mqtt:Host"]);
        Assert.Equal("8883", settings["Ingest:Mqtt:Port"]);
        var loggers = host.Services.GetRequiredService<ILoggerFactory>();
        Assert.False(loggers.CreateLogger("EdgeGateway.Ingest").IsEnabled(LogLevel.Information));
        Assert.True(loggers.CreateLogger("EdgeGateway.Ingest").IsEnabled(LogLevel.Warning));

        // ServiceRun reports a failed service in one line; the host's own report with its stack is left out.
        Assert.False(loggers.CreateLogger("Microsoft.Extensions.Hosting.Internal.Host").IsEnabled(LogLevel.Critical));
    }

    [Fact]
    public async Task UnderSystemd_TheIngestLogsInTheJournalsFormat()
    {
        // systemd's integration switches on when the parent process is called systemd: here a bash by that name.
        var systemd = Path.Combine(_dir, "systemd");
        File.CreateSymbolicLink(systemd, "/bin/bash");
        var config = Path.Combine(_dir, "ingest.json");
        File.WriteAllText(config, $$"""
            { "Ingest": { "Mqtt": { "Host": "127.0.0.1", "Port": 1, "SharedSubscription": false },
                          "Influx": { "Url": "http://127.0.0.1:1" }, "DeadLetterDirectory": "{{_dir}}" } }
            """);
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";
        var start = new ProcessStartInfo(systemd) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var word in (string[])["-c", "\"$0\" \"$@\"; exit $?", dotnet, Path.Combine(AppContext.BaseDirectory, "edgegw-ingest.dll"), "--config", config])
        {
            start.ArgumentList.Add(word);
        }

        var lines = new System.Collections.Concurrent.ConcurrentQueue<string>();
        using var process = Process.Start(start)!;
        process.OutputDataReceived += (_, e) => lines.Enqueue(e.Data ?? "");
        process.BeginOutputReadLine();
        try
        {
            // <3> is the journal's priority of an error; the console's own format would begin with "fail: ".
            await Poll.Until(
                () => lines.Any(l => l.StartsWith("<3>EdgeGateway.Ingest.Subscription.MqttSubscriber[501] Not subscribed: cannot reach the broker 127.0.0.1:1", StringComparison.Ordinal)),
                TimeSpan.FromSeconds(30),
                "a journal-format error line",
                () => string.Join('\n', lines));
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }
}
