using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text;
using EdgeGateway.Agent.Pipeline;
using EdgeGateway.Agent.Watchdog;
using Microsoft.Extensions.Time.Testing;

namespace EdgeGateway.Agent.Tests.Integration;

/// <summary>
/// The systemd watchdog (src/docs/agent.md, "Watchdog") without systemd: the test is the service manager, a Unix datagram
/// socket in NOTIFY_SOCKET, and the real agent feeds it while its pipeline moves, then stops feeding once the engine is
/// stalled by the test fault switch, while the process stays up (systemd would kill and restart it).
/// </summary>
[Collection(MosquittoGroup.Name)]
public sealed class WatchdogTests(PlainBroker fixture) : IClassFixture<PlainBroker>
{
    [Fact]
    public async Task Agent_SaysReady_FeedsTheWatchdogEverySecond_StopsWhenTheEngineStalls_AndSaysStopping()
    {
        var socketPath = Path.Combine(Directory.CreateTempSubdirectory("edgegw-notify-").FullName, "notify");
        using var socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        socket.Bind(new UnixDomainSocketEndPoint(socketPath));
        using var run = new AgentRun("gw-watchdog", fixture.Broker.Port, speedFactor: 60);
        run.Environment["NOTIFY_SOCKET"] = socketPath;
        run.Environment["WATCHDOG_USEC"] = "2000000"; // WatchdogSec=2: fed every second
        run.Environment[EngineWorker.StallVariable] = "6";
        var clock = Stopwatch.StartNew();
        var agent = run.Start();

        // Not started by systemd, the runtime does not see systemd (as under the unit's ProtectProc=invisible): the
        // agent itself must say READY=1 once started, or systemd would kill the Type=notify service at its start timeout.
        var feeds = new List<double>();
        var readies = 0;
        var buffer = new byte[256];
        using var end = new CancellationTokenSource(TimeSpan.FromSeconds(16));
        try
        {
            while (true)
            {
                var length = await socket.ReceiveAsync(buffer, SocketFlags.None, end.Token);
                var message = Encoding.ASCII.GetString(buffer, 0, length);
                if (message == "READY=1")
                {
                    readies++;
                    continue;
                }

                Assert.Equal("WATCHDOG=1", message);
                feeds.Add(clock.Elapsed.TotalSeconds);
            }
        }
        catch (OperationCanceledException)
        {
        }

        Assert.Equal(1, readies);
        var gaps = feeds.Zip(feeds.Skip(1), (a, b) => b - a).ToArray();
        Assert.False(agent.HasExited, agent.Tail());
        Assert.True(feeds.Count >= 3, $"fed at {string.Join(", ", feeds.Select(f => f.ToString("0.0", CultureInfo.InvariantCulture)))} s\n{agent.Tail()}");
        // Every second on average (a periodic timer: one tick late on a loaded machine is followed by one early), and never
        // as late as the 2 s timeout.
        Assert.All(gaps, gap => Assert.InRange(gap, 0.05, 1.9));
        Assert.InRange(gaps.Average(), 0.8, 1.2);
        // The stall comes 6 s after the engine's start; at most one more feed (1 s) follows, then none for the rest.
        Assert.InRange(clock.Elapsed.TotalSeconds - feeds[^1], 4, 16);
        Assert.NotNull(agent.FindLine("no longer feeding the systemd watchdog"));
        var stopped = agent.StopAsync();
        using (var stopping = new CancellationTokenSource(TimeSpan.FromSeconds(20)))
        {
            var length = await socket.ReceiveAsync(buffer, SocketFlags.None, stopping.Token);
            Assert.Equal("STOPPING=1", Encoding.ASCII.GetString(buffer, 0, length));
        }

        await stopped;
    }

    [Fact]
    public void Liveness_IsMovingWithinTheInterval_IdleIsHealthy_AStoppedPublisherIsNot()
    {
        var time = new FakeTimeProvider();
        var liveness = new PipelineLiveness(time);
        var within = TimeSpan.FromSeconds(30);
        Assert.True(liveness.IsMoving(within));
        time.Advance(TimeSpan.FromSeconds(31));
        Assert.False(liveness.IsMoving(within));
        liveness.EngineMoved();
        Assert.True(liveness.IsMoving(within));
        time.Advance(TimeSpan.FromHours(1));
        liveness.EngineIdle();
        Assert.True(liveness.IsMoving(within));
        liveness.PublisherStopped();
        Assert.False(liveness.IsMoving(within));
    }

    [Theory]
    [InlineData("60000000", null, 60, 30.0)]
    [InlineData("60000000", "4242", 4242, 30.0)]
    [InlineData("60000000", "4243", 4242, null)]
    [InlineData(null, null, 4242, null)]
    [InlineData("0", null, 4242, null)]
    [InlineData("soon", null, 4242, null)]
    public void Interval_IsHalfTheTimeout_OnlyForThisProcess(string? usec, string? pid, int processId, double? expectedSeconds)
    {
        Assert.Equal(expectedSeconds, WatchdogFeeder.Interval(usec, pid, processId)?.TotalSeconds);
    }
}
