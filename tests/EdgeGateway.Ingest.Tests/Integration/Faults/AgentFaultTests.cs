using System.Globalization;
using System.Text.Json;
using Xunit.Abstractions;

namespace EdgeGateway.Ingest.Tests.Integration.Faults;

/// <summary>
/// Issue 11, proof: the gateway itself fails — killed again and again while it delivers and while the broker is away,
/// or its outbox filesystem fills up — and InfluxDB still ends with exactly the records the agent stored (and, for
/// a full disk, the agent counts every record it could not store as dropped).
/// </summary>
[Collection(RealServicesGroup.Name)]
public sealed class AgentFaultTests(ITestOutputHelper output)
{
    private const int Kills = 10;

    /// <remarks>
    /// A killed agent loses the windows in progress (a record covers its whole window), so the simulator's truth of one
    /// uninterrupted run is not what a killed and restarted agent produces. And an agent restarted at the same
    /// simulation start would produce every record again, which would hide any loss. So every restart continues the
    /// simulation where the killed agent's outbox ends (its last minute window or state change), like a real gateway
    /// coming back on the same clock, and the truth is what the agent actually appended: the killed runs' records read
    /// from the outbox files after each kill (each with its sequence number, which InfluxDB must hold too), plus the
    /// simulated truth of the last, uninterrupted run. Kills 6–10 fall into a broker outage (the agent only appends): the
    /// broker frozen (SIGSTOP), which to the gateway is an unreachable broker. A broker restart would mix in the fault of
    /// scenarios 1–4 (Mosquitto forgets the ingest's shared subscription; on a branch without database-confirmed delivery
    /// the backlog the restarted agent drains before the ingest subscribes again is lost: 1 284 records in one run), and
    /// this scenario is about the agent's outbox.
    /// </remarks>
    [Fact]
    public async Task Faults_AgentKilledTenTimesDuringDeliveryAndBrokerOutage_DatabaseEqualsWhatItAppended()
    {
        var seed = Random.Shared.Next();
        var random = new Random(seed);
        using var scenario = await FaultScenario.LaunchAsync("agent-kill", TimeSpan.FromDays(5), 21_600, output);
        var end = AgentRun.SimulationStart + scenario.Simulated;
        var appended = new Dictionary<long, byte[]>();
        var resume = AgentRun.SimulationStart;
        for (var kill = 1; kill <= Kills; kill++)
        {
            if (kill > 1)
            {
                scenario.Agent.Settings["SimulationStart"] = resume.ToString("O", CultureInfo.InvariantCulture);
                scenario.Agent.Start();
            }

            if (kill == Kills / 2 + 1)
            {
                scenario.Broker.Freeze();
            }

            // At a random moment once it appends: a second and more after its start, a few hundred records.
            var before = appended.Count;
            await Poll.Until(
                () => scenario.Agent.Current.HasExited || OutboxFiles.Read(scenario.Agent.OutboxDirectory).Keys.Count(s => !appended.ContainsKey(s)) >= 50,
                TimeSpan.FromSeconds(30), $"seed {seed}, kill {kill}: the agent appending", () => scenario.Agent.Current.Tail());
            await scenario.WhileAgentRunsAsync(TimeSpan.FromMilliseconds(random.Next(0, 1000)));
            await scenario.Agent.Current.KillAsync();

            foreach (var (sequence, payload) in OutboxFiles.Read(scenario.Agent.OutboxDirectory))
            {
                Assert.True(
                    appended.TryAdd(sequence, payload) || appended[sequence].AsSpan().SequenceEqual(payload),
                    $"seed {seed}, kill {kill}: seq {sequence} was appended twice with different contents");
            }

            resume = ResumeAfter(appended.Values);
            Assert.True(resume < end - TimeSpan.FromHours(6), $"seed {seed}: the simulation got to {resume:O} by kill {kill}; lengthen it");
            output.WriteLine($"kill {kill}: {appended.Count - before} records appended by this run, resuming at {resume:O}");
        }

        scenario.Broker.Thaw();
        scenario.Agent.Settings["SimulationStart"] = resume.ToString("O", CultureInfo.InvariantCulture);
        scenario.Agent.Start();
        var expected = StoredRecords.Expected(appended.Values);
        var last = GroundTruth.Points(scenario.Agent.ConfigFile, seed: 1, resume, end, scenario.Agent.GatewayId, EdgeGateway.Agent.Hosting.AgentOptions.DefaultWindows);
        foreach (var (key, point) in last)
        {
            Assert.True(expected.TryAdd(key, point), $"seed {seed}: the last run's {point} has the key of a record a killed run appended");
        }

        var outcome = await scenario.FinishAsync(expected, $"agent SIGKILL {Kills}x (seed {seed}), kills {Kills / 2 + 1}-{Kills} with the broker frozen");
        outcome.AssertExact(scenario.Name);
    }

    /// <summary>
    /// The outbox on a 640 KiB tmpfs (below the outbox's own bound of 1 MiB, so the filesystem fills first) while the
    /// broker is away: the agent must keep running, count what it cannot store as dropped, and deliver everything else
    /// once the broker is back and the outbox has room again. CI runs as root, which mounting a tmpfs needs (a loop device
    /// would too); the test fails, saying so, when it cannot mount.
    /// </summary>
    [Fact]
    public async Task Faults_OutboxFilesystemFull_StoredPlusDroppedEqualsGroundTruth()
    {
        using var scenario = new FaultScenario("outbox-full", TimeSpan.FromDays(4), 21_600, output);
        var outbox = scenario.Agent.OutboxDirectory;
        using var disk = SmallFileSystem.MountOn(outbox, 640 * 1024);
        ServiceProcess? agent = null;
        try
        {
            scenario.Agent.Settings["Outbox:MaxBytes"] = (1024 * 1024).ToString(CultureInfo.InvariantCulture);
            scenario.Agent.Settings["Outbox:SegmentBytes"] = (64 * 1024).ToString(CultureInfo.InvariantCulture);
            await scenario.StartIngestsAsync();
            scenario.Broker.Stop();
            agent = scenario.Agent.Start();
            // Six seconds of records (36 simulated hours, about 2 MB) cannot fit.
            await Task.Delay(TimeSpan.FromSeconds(6));
            var full = new DriveInfo(outbox).AvailableFreeSpace;
            scenario.Broker.Start();
            Assert.False(agent.HasExited, $"the agent stopped when its outbox filesystem filled ({full} bytes free). {agent.Tail()}");

            var outcome = await scenario.FinishAsync(scenario.Truth(), $"outbox on a 640 KiB tmpfs, broker away for the first 6 s ({full} bytes free then)");
            Assert.True(outcome.Dropped > 0, $"the outbox never filled: nothing dropped ({outcome.Summary})");
            outcome.AssertExactExceptDropped(scenario.Name);
        }
        finally
        {
            if (agent is { HasExited: false })
            {
                await agent.KillAsync();
            }
        }
    }

    /// <summary>Where a restarted agent continues: after the last minute window and the last state change appended.</summary>
    private static DateTimeOffset ResumeAfter(IEnumerable<byte[]> payloads)
    {
        var resume = AgentRun.SimulationStart;
        foreach (var payload in payloads)
        {
            using var document = JsonDocument.Parse(payload);
            var root = document.RootElement;
            var after = root.TryGetProperty("window", out var window)
                ? DateTimeOffset.Parse(window.GetProperty("end").GetString()!, CultureInfo.InvariantCulture)
                : DateTimeOffset.Parse(root.GetProperty("at").GetString()!, CultureInfo.InvariantCulture).AddMilliseconds(1);
            resume = after > resume ? after : resume;
        }

        return resume;
    }
}
