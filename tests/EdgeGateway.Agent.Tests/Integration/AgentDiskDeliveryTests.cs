using System.Globalization;
using Xunit.Abstractions;

namespace EdgeGateway.Agent.Tests.Integration;

/// <summary>
/// The built agent, its outbox on a 1 MiB tmpfs that another file keeps full, against a real Mosquitto that is down
/// while the disk fills: once the broker is back the acknowledgements reach the checkpoint although no block is free,
/// the delivered files go, space returns without anyone freeing it, and the outbox a restart would open holds nothing.
/// </summary>
[Collection(MosquittoGroup.Name)]
public sealed class AgentDiskDeliveryTests(PlainBroker fixture, ITestOutputHelper output) : IClassFixture<PlainBroker>, IDisposable
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(60);

    private readonly MosquittoBroker _broker = fixture.Broker;
    private readonly SmallFileSystem _disk = SmallFileSystem.Mount(1024 * 1024);

    public void Dispose()
    {
        if (!_broker.IsRunning)
        {
            _broker.Start();
        }

        _disk.Dispose();
    }

    [Fact]
    public async Task Agent_OutboxDiskFullDuringABrokerOutage_CheckpointStillMoves_SpaceReturns_AndNothingIsSentAgain()
    {
        // One simulated hour per second: about 70 records a second, 200 KiB of outbox in about three seconds.
        using var run = new AgentRun("gw-disk-full", _broker.Port, speedFactor: 3600);
        run.Settings["Outbox:Directory"] = Path.Combine(_disk.Path, "outbox");
        run.Settings["Outbox:SegmentBytes"] = (64 * 1024).ToString(CultureInfo.InvariantCulture);
        run.EndSimulationAfter(TimeSpan.FromHours(20));
        await using var subscriber = await RecordSubscriber.ConnectAsync(_broker, run.GatewayId, confirm: true);
        _broker.Stop();
        _disk.Fill(leaveBytes: 200 * 1024);
        var agent = run.Start();

        var full = await run.WaitForStatusAsync(s => s.Dropped >= 20, s_timeout, "records dropped on the full disk while the broker is down");
        _broker.Start();
        // The filler stays: only the agent's own acknowledged files can make room.
        await Poll.Until(() => agent.FindLine("space returned") is not null, s_timeout, "space to return once records were delivered", () => agent.Tail());
        var drained = await run.DrainAndStopAsync(s_timeout);

        var left = run.OpenOutbox();
        Assert.Empty(left.Held);
        Assert.Equal(drained.NextSeq, left.NextSequence);
        Assert.Equal(drained.Dropped, left.Dropped);
        Assert.Equal(0, left.Corrupt);
        Assert.True(drained.Dropped >= full.Dropped);
        // A record that did not fit took no sequence number: every number the agent gave arrived.
        await Poll.Until(() => subscriber.MaxSeq >= drained.NextSeq - 1, s_timeout, "every record at the subscriber", () => subscriber.Snapshot().ToString());
        var got = subscriber.Snapshot();
        Assert.Empty(got.Problems);
        Assert.Equal(Enumerable.Range(1, (int)drained.NextSeq - 1).Select(i => (long)i), got.Seqs.Order());
        output.WriteLine($"full: {full}; drained: {drained}; {got}");
    }
}
