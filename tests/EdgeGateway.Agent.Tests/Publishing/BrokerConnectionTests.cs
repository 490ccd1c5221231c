using System.Net.Sockets;
using System.Security.Authentication;
using EdgeGateway.Agent.Publishing;
using EdgeGateway.Mqtt;
using Microsoft.Extensions.Time.Testing;
using MQTTnet;

namespace EdgeGateway.Agent.Tests.Publishing;

/// <summary>The reconnect delay and the one-line failure reason the agent's publisher and the ingest's subscriber share.</summary>
public sealed class BrokerConnectionTests
{
    private static readonly MqttOptions s_mqtt = new()
    {
        Host = "broker.local",
        Port = 8883,
        Username = "sme-0042",
        CaFile = "/etc/edgegw/ca.pem",
        MinBackoff = TimeSpan.FromSeconds(1),
        MaxBackoff = TimeSpan.FromSeconds(60),
    };

    [Theory]
    [InlineData(1, 0.0, 800)]
    [InlineData(1, 0.5, 1000)]
    [InlineData(2, 0.5, 2000)]
    [InlineData(4, 0.0, 6400)]
    [InlineData(7, 0.5, 60000)] // 64 s capped at MaxBackoff
    [InlineData(1000, 0.999999, 71999.976)] // the exponent is bounded, the cap holds, jitter is below +20 %
    public void Backoff_DoublesPerFailure_CappedAtMax_WithTwentyPercentJitter(int failures, double random, double expectedMs) =>
        Assert.Equal(expectedMs, BrokerConnection.Backoff(s_mqtt, failures, random).TotalMilliseconds, precision: 3);

    [Fact]
    public void Backoff_StaysWithinJitterBounds()
    {
        for (var failures = 1; failures <= 10; failures++)
        {
            var nominal = Math.Min(1000 * Math.Pow(2, failures - 1), 60000);
            var delay = BrokerConnection.Backoff(s_mqtt, failures).TotalMilliseconds;
            Assert.InRange(delay, nominal * 0.8, nominal * 1.2);
        }
    }

    [Fact]
    public void Describe_UnreachableBroker_NamesHostAndSocketError() =>
        Assert.Equal(
            "cannot reach the broker broker.local:8883: ConnectionRefused",
            BrokerConnection.Describe(new InvalidOperationException("outer", new SocketException((int)SocketError.ConnectionRefused)), s_mqtt, "Agent:Mqtt"));

    [Theory]
    [InlineData("Agent:Mqtt")]
    [InlineData("Ingest:Mqtt")]
    public void Describe_RefusedCredentials_NamesUserAndTheServicesKeys(string section) =>
        Assert.Equal(
            $"the broker broker.local:8883 refused the credentials of user 'sme-0042' (BadUserNameOrPassword): check {section}:Username and Password",
            BrokerConnection.Describe(new BrokerRefusedException(MqttClientConnectResultCode.BadUserNameOrPassword, null), s_mqtt, section));

    [Fact]
    public void Describe_OtherRefusal_SaysRefusedTheConnection() =>
        Assert.Equal(
            "the broker broker.local:8883 refused the connection: ServerBusy try later",
            BrokerConnection.Describe(new BrokerRefusedException(MqttClientConnectResultCode.ServerBusy, "try later"), s_mqtt, "Ingest:Mqtt"));

    [Fact]
    public void Describe_UntrustedCertificate_NamesThePinnedCa() =>
        Assert.Equal(
            "TLS with broker.local:8883 failed: the broker's certificate is not trusted (must chain to the pinned CA /etc/edgegw/ca.pem and name broker.local)",
            BrokerConnection.Describe(new AuthenticationException("remote certificate invalid"), s_mqtt, "Agent:Mqtt"));

    [Fact]
    public void Describe_RejectedAndLost_AreTheirOwnLines()
    {
        Assert.Equal("no ACL", BrokerConnection.Describe(new BrokerRejectedException("no ACL"), s_mqtt, "Agent:Mqtt"));
        Assert.Equal("connection to broker.local:8883 lost", BrokerConnection.Describe(new BrokerConnectionLostException(), s_mqtt, "Ingest:Mqtt"));
        Assert.Equal("connection to broker.local:8883 lost: boom", BrokerConnection.Describe(new IOException("boom"), s_mqtt, "Agent:Mqtt"));
    }

    [Fact]
    public async Task KeepConnected_RetriesAfterTheBackoff_StartsItOverOnceAConnectionServed_AndEndsOnStop()
    {
        var failures = await KeepConnectingAsync(
            (attempt, number, time) =>
            {
                if (number == 3)
                {
                    attempt.Connected(); // and served long enough: the backoff starts over
                    time.Advance(BrokerConnection.StableAfter);
                }

                throw new SocketException((int)SocketError.ConnectionRefused);
            },
            failures => failures.Count == 5,
            TimeSpan.FromMilliseconds(100));

        Assert.Equal(5, failures.Count);
        Assert.All(failures, f => Assert.Equal("cannot reach the broker broker.local:8883: ConnectionRefused", f.Reason));
        double[] nominal = [1, 2, 1, 2, 4];
        for (var i = 0; i < nominal.Length; i++)
        {
            Assert.InRange(failures[i].Delay.TotalSeconds, nominal[i] * 0.8, nominal[i] * 1.2);
        }
    }

    [Fact]
    public async Task KeepConnected_ReportsAFailureWhenTheStateChanges_NotEveryAttempt()
    {
        // Refused 4 times, then a TLS failure twice, then connected and lost, then refused for 12 minutes.
        var failures = await KeepConnectingAsync(
            (attempt, number, time) =>
            {
                if (number is 5 or 6)
                {
                    throw new AuthenticationException("untrusted");
                }

                if (number == 7)
                {
                    attempt.Connected();
                    time.Advance(BrokerConnection.StableAfter);
                    throw new BrokerConnectionLostException();
                }

                throw new SocketException((int)SocketError.ConnectionRefused);
            },
            failures => failures.Count > 8 && failures[^1].Down > TimeSpan.FromMinutes(12),
            TimeSpan.FromMilliseconds(500));

        var reported = failures.Select((f, i) => (f, i)).Where(x => x.f.Report).Select(x => x.i).ToList();
        // 0: the first refusal; 4: the TLS failure; 6: the connection lost; 7: refused again; then one reminder after 10 minutes.
        Assert.Equal([0, 4, 6, 7], reported.Take(4));
        Assert.Equal(5, reported.Count);
        var reminder = failures[reported[4]];
        Assert.InRange(reminder.Down, BrokerConnection.ReminderInterval, BrokerConnection.ReminderInterval + s_mqtt.MaxBackoff * 1.2);
        Assert.Equal([1, 2, 3, 4, 5, 6, 1, 2], failures.Take(8).Select(f => f.InARow));
    }

    [Fact]
    public async Task KeepConnected_AcceptedButRefusedAtOnce_BacksOffToTheCap_SaysItOnce_AndTheNextAttemptsAreFlapping()
    {
        // A gateway the broker lets in but not publish (an ACL for another site): every connection ends at once.
        var flapping = new List<bool>();
        var failures = await KeepConnectingAsync(
            (attempt, number, time) =>
            {
                flapping.Add(attempt.Flapping);
                attempt.Connected();
                throw new BrokerRejectedException("the broker refused the status publish: NotAuthorized");
            },
            failures => failures.Count == 9,
            TimeSpan.FromMilliseconds(500));

        double[] nominal = [1, 2, 4, 8, 16, 32, 60, 60, 60];
        for (var i = 0; i < nominal.Length; i++)
        {
            Assert.InRange(failures[i].Delay.TotalSeconds, nominal[i] * 0.8, nominal[i] * 1.2);
        }

        Assert.Equal([true, false, false, false, false, false, false, false, false], failures.Select(f => f.Report));
        Assert.Equal([false, true, true, true, true, true, true, true, true], flapping);
    }

    /// <summary>Runs <see cref="BrokerConnection.KeepConnectedAsync"/> on a fake clock, each attempt failing as <paramref name="attempt"/> says (numbered from 1), until <paramref name="enough"/>.</summary>
    private static async Task<List<BrokerFailure>> KeepConnectingAsync(Action<BrokerAttempt, int, FakeTimeProvider> attempt, Func<List<BrokerFailure>, bool> enough, TimeSpan step)
    {
        using var client = new MqttClientFactory().CreateMqttClient();
        var time = new FakeTimeProvider();
        using var stop = new CancellationTokenSource();
        var attempts = 0;
        var failures = new List<BrokerFailure>();
        var run = BrokerConnection.KeepConnectedAsync(
            client,
            s_mqtt,
            "Agent:Mqtt",
            time,
            a =>
            {
                attempt(a, ++attempts, time);
                return Task.CompletedTask;
            },
            failure =>
            {
                failures.Add(failure);
                if (enough(failures))
                {
                    stop.Cancel();
                }

                return Task.CompletedTask;
            },
            onDisconnected: null,
            stop.Token);
        while (!run.IsCompleted)
        {
            time.Advance(step);
            await Task.Delay(1);
        }

        await run;
        Assert.Equal(failures.Count, attempts);
        return failures;
    }
}
