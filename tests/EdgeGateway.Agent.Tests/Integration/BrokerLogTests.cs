namespace EdgeGateway.Agent.Tests.Integration;

/// <summary>
/// The log a technician reads over SSH (src/docs/agent.md, "Logs"): one line when the broker connection changes state,
/// not one per attempt, and no stack traces for network failures that are expected in the field.
/// </summary>
public sealed class BrokerLogTests : IDisposable
{
    private readonly MosquittoBroker _broker = MosquittoBroker.Launch();

    [Fact]
    public async Task A_broker_away_is_one_line_per_change_not_one_per_attempt()
    {
        _broker.Stop();
        using var run = new AgentRun("gw-logs", _broker.Port, speedFactor: 600);
        var agent = run.Start();

        // Backoff 0.2 s to 1 s: some seven attempts in these four seconds.
        await Task.Delay(TimeSpan.FromSeconds(4));
        Assert.Equal(1, agent.CountLines("Not delivering"));
        Assert.Contains($"cannot reach the broker {MosquittoBroker.Host}:{_broker.Port}: ConnectionRefused", agent.FindLine("Not delivering"), StringComparison.Ordinal);
        Assert.False(agent.HasExited, agent.Tail());

        _broker.Start();
        await Poll.Until(() => agent.CountLines("Connected to the broker") == 1, TimeSpan.FromSeconds(15), "the agent connecting", () => agent.Tail());

        // Lost, then refused while it is away: two changes, two lines, however many attempts.
        _broker.Stop();
        await Task.Delay(TimeSpan.FromSeconds(4));
        var lines = agent.LinesAfter("Connected to the broker").Where(line => line.Contains("Not delivering", StringComparison.Ordinal)).ToList();
        Assert.True(lines.Count is 1 or 2, $"{lines.Count} lines for one outage:\n{string.Join('\n', lines)}");
        Assert.Contains(lines, line => line.Contains("ConnectionRefused", StringComparison.Ordinal));
        Assert.DoesNotContain(agent.Lines(""), line => line.TrimStart().StartsWith("at ", StringComparison.Ordinal));
        Assert.Equal(0, await agent.StopAsync());
    }

    public void Dispose() => _broker.Dispose();
}
