using System.Diagnostics;
using Xunit.Abstractions;

namespace EdgeGateway.Agent.Tests.Integration;

/// <summary>The agent killed (SIGKILL) while it publishes, again and again, on one outbox: no record is lost.</summary>
[Collection(MosquittoGroup.Name)]
public sealed class AgentKillTests(PlainBroker fixture, ITestOutputHelper output) : IClassFixture<PlainBroker>
{
    private const int Kills = 20;
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(30);

    private readonly MosquittoBroker _broker = fixture.Broker;

    [Fact]
    public async Task AgentKilledMidPublish20Times_NoRecordLost()
    {
        var seed = Random.Shared.Next();
        var random = new Random(seed);
        // Six simulated hours per second: about 400 records a second, so the publisher is always busy, while the
        // records sent again after each kill stay few enough for one subscriber to take them all.
        using var run = new AgentRun("gw-kill", _broker.Port, speedFactor: 21_600);
        // Each start simulates from the same instant; two days (8 s) outlast every kill, and let the last start finish.
        run.EndSimulationAfter(TimeSpan.FromDays(2));
        await using var subscriber = await RecordSubscriber.ConnectAsync(_broker, run.GatewayId, confirm: true);
        var clock = Stopwatch.StartNew();
        var rounds = new List<string>();
        for (var kill = 1; kill <= Kills; kill++)
        {
            var roundStart = clock.Elapsed;
            var before = subscriber.Messages;
            var agent = run.Start();
            await Poll.Until(
                () => subscriber.Messages >= before + 50,
                s_timeout,
                $"seed {seed}, kill {kill}: the restarted agent publishing",
                () => $"{subscriber.Messages - before} records since the start. {agent.Tail()}");

            // A random moment while it publishes: sometimes before, sometimes after it made its acknowledgements
            // durable (Outbox:FlushInterval, 1 s).
            await Task.Delay(random.Next(0, 1500));
            Assert.False(agent.HasExited, $"seed {seed}, kill {kill}: the agent ended by itself. {agent.Tail()}");
            await agent.KillAsync();
            rounds.Add($"{(clock.Elapsed - roundStart).TotalSeconds:F1}");
        }

        var killed = clock.Elapsed;
        run.Start();
        var drained = await run.DrainAndStopAsync(s_timeout);
        var stopped = clock.Elapsed;

        var got = await DeliveryAssert.EveryRecordArrivedAsync(subscriber, drained, run.OpenOutbox(), expectedDropped: 0, ended: run.Bounded);
        Assert.Equal(Kills + 1, got.Statuses.Count(s => s.Status == "online"));
        // The kills interrupted deliveries: records acknowledged by the broker but not yet durably by the outbox came again.
        Assert.True(got.Duplicates > 0, $"no record was sent twice in {Kills} kills: {got}");
        output.WriteLine($"seed {seed}: {Kills} kills in {killed.TotalSeconds:F0} s (rounds {string.Join(' ', rounds)} s), last start drained and stopped after {(stopped - killed).TotalSeconds:F0} s, all arrived after {(clock.Elapsed - stopped).TotalSeconds:F0} s more; produced 1..{drained.NextSeq - 1}; {got}");
    }
}
