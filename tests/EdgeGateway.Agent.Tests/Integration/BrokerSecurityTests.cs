using System.Globalization;

namespace EdgeGateway.Agent.Tests.Integration;

/// <summary>
/// A broker that wants a password and offers TLS: a wrong password or a broker certificate that does not chain to the
/// pinned CA is a clear error, the agent keeps trying and keeps its records (within the outbox bound); the right CA works.
/// </summary>
[Collection(MosquittoGroup.Name)]
public sealed class BrokerSecurityTests(SecureBroker fixture) : IClassFixture<SecureBroker>
{
    private const long MaxBytes = 1024 * 1024;
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(30);

    // Each retry is logged only at the debug level (a failure that goes on is one line at the normal level): these tests count retries.
    private const string RetryLogCategory = "EdgeGateway.Agent.Publishing";

    private readonly MosquittoBroker _broker = fixture.Broker;

    [Fact]
    public async Task WrongPassword_ClearError_KeepsRetrying_OutboxGrowsWithinItsBound()
    {
        // Four simulated hours per second (about 230 kB of records a second): the 1 MiB outbox fills in a few seconds.
        using var run = new AgentRun("gw-password", _broker.Port, speedFactor: 14_400);
        run.Settings["Mqtt:Username"] = SecureBroker.Gateway.User;
        run.Settings["Mqtt:Password"] = "not-the-password";
        run.Settings["Outbox:MaxBytes"] = MaxBytes.ToString(CultureInfo.InvariantCulture);
        run.Settings["Outbox:SegmentBytes"] = "65536";
        run.LogLevels[RetryLogCategory] = "Debug";
        await using var subscriber = await RecordSubscriber.ConnectAsync(_broker, run.GatewayId, SecureBroker.Subscriber, confirm: true);
        var agent = run.Start();

        var first = await run.WaitForStatusAsync(s => s.LastError is not null, s_timeout, "the first refused connection");
        Assert.Contains($"refused the credentials of user '{SecureBroker.Gateway.User}'", first.LastError, StringComparison.Ordinal);
        Assert.Contains("Agent:Mqtt:Username and Password", first.LastError, StringComparison.Ordinal);

        // It keeps trying, and the outbox grows up to its bound and no further (the oldest records make room).
        var seen = new List<AgentStatus>();
        var last = await run.WaitForStatusAsync(
            s =>
            {
                seen.Add(s);
                return s.Dropped > 0 && agent.CountLines("Not delivering") >= 3;
            },
            s_timeout,
            "three failed attempts and a full outbox");
        var largest = seen.Max(s => s.Bytes);
        Assert.True(largest <= MaxBytes, $"the outbox grew to {largest} bytes, beyond its bound of {MaxBytes}");
        var growing = seen.Where(s => s.Dropped == 0).Select(s => s.Depth).Distinct().ToList();
        Assert.True(growing.Count >= 2 && growing.SequenceEqual(growing.Order()), $"the outbox did not grow before it was full: depths {string.Join(", ", growing)}");
        Assert.False(last.Connected);
        Assert.Contains("refused the credentials", last.LastError, StringComparison.Ordinal);
        Assert.Equal(last.NextSeq - 1, last.Depth + last.Dropped);

        Assert.Equal(0, await agent.StopAsync());
        Assert.Equal(0, subscriber.Snapshot().Messages);
    }

    [Fact]
    public async Task UntrustedBrokerCertificate_ClearError_KeepsRetrying()
    {
        using var run = SecureRun("gw-untrusted", _broker.UntrustedCaFile);
        var agent = run.Start();

        var status = await run.WaitForStatusAsync(s => s.LastError is not null && agent.CountLines("Not delivering") >= 3, s_timeout, "three failed attempts");
        Assert.False(status.Connected);
        Assert.Contains("certificate is not trusted", status.LastError, StringComparison.Ordinal);
        Assert.Contains(_broker.UntrustedCaFile, status.LastError, StringComparison.Ordinal);
        Assert.Equal(0, await agent.StopAsync());
    }

    [Fact]
    public async Task PinnedCaOfTheBroker_RecordsArrive()
    {
        using var run = SecureRun("gw-pinned", _broker.CaFile);
        run.EndSimulationAfter(TimeSpan.FromDays(1));
        await using var subscriber = await RecordSubscriber.ConnectAsync(_broker, run.GatewayId, SecureBroker.Subscriber, confirm: true);
        run.Start();
        await Poll.Until(() => subscriber.MaxSeq >= 200, s_timeout, "200 records over TLS", () => $"max seq {subscriber.MaxSeq}. {run.Current.Tail()}");

        var drained = await run.DrainAndStopAsync(s_timeout);
        await DeliveryAssert.EveryRecordArrivedAsync(subscriber, drained, run.OpenOutbox(), expectedDropped: 0, ended: run.Bounded);
    }

    private AgentRun SecureRun(string gateway, string caFile)
    {
        var run = new AgentRun(gateway, _broker.TlsPort, speedFactor: 43_200);
        run.LogLevels[RetryLogCategory] = "Debug";
        run.Settings["Mqtt:Tls"] = "true";
        run.Settings["Mqtt:CaFile"] = caFile;
        run.Settings["Mqtt:Username"] = SecureBroker.Gateway.User;
        run.Settings["Mqtt:Password"] = SecureBroker.Gateway.Password;
        return run;
    }
}
