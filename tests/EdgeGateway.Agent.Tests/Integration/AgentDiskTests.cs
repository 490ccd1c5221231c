using System.Globalization;
using System.Text.RegularExpressions;

namespace EdgeGateway.Agent.Tests.Integration;

/// <summary>
/// The built agent with its outbox on a real 1 MiB tmpfs (root, as CI runs): a full disk keeps it running, counting every
/// record it could not store, until space returns; a folder that turns read-only stops it with exit code 1 and one line.
/// No broker: nothing is acknowledged, so what the outbox holds is everything the agent stored.
/// </summary>
public sealed partial class AgentDiskTests : IDisposable
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(90);

    private readonly SmallFileSystem _disk = SmallFileSystem.Mount(1024 * 1024);
    private readonly AgentRun _run;

    public AgentDiskTests()
    {
        _run = new AgentRun("gw-disk", Loopback.FreePort(), speedFactor: 600);
        _run.Settings["Outbox:Directory"] = Outbox;
        _run.Settings["Outbox:SegmentBytes"] = (64 * 1024).ToString(CultureInfo.InvariantCulture);
    }

    private string Outbox => Path.Combine(_disk.Path, "outbox");

    public void Dispose()
    {
        _run.Dispose();
        _disk.Dispose();
    }

    [Fact]
    public async Task Agent_OutboxDiskFull_KeepsRunning_CountsEveryRecordNotStored_AndStoresAgainWhenSpaceReturns()
    {
        _disk.Fill(leaveBytes: 96 * 1024);
        var agent = _run.Start();
        var full = await _run.WaitForStatusAsync(s => s.Dropped >= 20, s_timeout, "records dropped on the full disk");

        _disk.FreeFiller();
        await _run.WaitForStatusAsync(s => s.NextSeq >= full.NextSeq + 50, s_timeout, "records stored again once space returned");
        await Poll.Until(() => agent.FindLine("space returned") is not null, s_timeout, "the line saying space returned", () => agent.Tail());
        var exit = await agent.StopAsync();

        Assert.True(exit == 0, $"exit code {exit}. {agent.Tail()}");
        var left = _run.OpenOutbox();
        // Nothing stored was lost, nothing is corrupt, and every record that did not fit is in the dropped count: the
        // count the agent logged when space returned is the one its outbox kept.
        Assert.Equal(Enumerable.Range(1, (int)left.NextSequence - 1).Select(i => (long)i), left.Held);
        Assert.Equal(0, left.Corrupt);
        var returned = SpaceReturned().Match(Assert.Single(agent.Lines("space returned")));
        Assert.True(returned.Success, agent.Tail());
        Assert.Equal(left.Dropped, long.Parse(returned.Groups["count"].Value, CultureInfo.InvariantCulture));
        Assert.Equal(left.Dropped, long.Parse(returned.Groups["total"].Value, CultureInfo.InvariantCulture));
        Assert.True(left.Dropped >= full.Dropped);
        Assert.Single(agent.Lines("records are dropped and counted until space returns"));
        Assert.Single(agent.Lines("when the disk fills, new records are dropped instead of the oldest"));
        AssertNoStack(agent);
    }

    [Fact]
    public async Task Agent_OutboxFolderTurnsReadOnlyWhileRunning_Exits1_WithOneLineNamingIt_NoStack()
    {
        var agent = _run.Start();
        await _run.WaitForStatusAsync(s => s.NextSeq > 10, s_timeout, "records in the outbox");

        using (_disk.ReadOnlyOver(Outbox))
        {
            // Appends go on into the open segment; the next segment file is refused.
            await Poll.Until(() => agent.HasExited, s_timeout, "the agent to stop", () => agent.Tail());
        }

        Assert.Equal(1, await agent.StopAsync());
        Assert.Equal([$"edgegw-agent: the outbox {Outbox} cannot be used: read-only file system"], agent.Lines("edgegw-agent: "));
        AssertNoStack(agent);
    }

    /// <summary>No stack in the log but the publisher's, which logs why it cannot reach the (absent) broker with its exception.</summary>
    private static void AssertNoStack(ServiceProcess agent) =>
        Assert.DoesNotContain(agent.Lines("   at "), line => !line.Contains("EdgeGateway.Agent.Publishing.MqttPublisher", StringComparison.Ordinal));

    [GeneratedRegex(@"space returned; (?<count>\d+) records were dropped while the disk was full, (?<total>\d+) dropped in all")]
    private static partial Regex SpaceReturned();
}
