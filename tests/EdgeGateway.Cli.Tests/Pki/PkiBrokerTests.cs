using EdgeGateway.Cli.Pki;
using MQTTnet;

namespace EdgeGateway.Cli.Tests.Pki;

/// <summary>
/// What the generated broker config and ACL hold, tried against a real Mosquitto 2 with the certificates
/// <c>edgegw pki</c> issued (the matrix of src/docs/cli.md, "edgegw pki"): a gateway writes only its own topics and reads
/// only its confirmations, cannot take over another's client id, and no certificate the CA did not sign, or revoked, or
/// expired, or none at all gets in.
/// </summary>
public sealed class PkiBrokerTests(FleetPki fleet) : IClassFixture<FleetPki>
{
    private const string Prefix = "edgegw/v1";
    private static readonly TimeSpan s_quiet = TimeSpan.FromSeconds(1);

    private int Port => fleet.Broker.Port;

    private string Ca => Path.Combine(fleet.Dir, "ca.crt");

    [Fact]
    public async Task A_gateway_with_its_certificate_publishes_its_cells_status_and_batch_and_the_ingest_receives_them()
    {
        using var ingest = await ConnectAsync("ingest");
        Assert.Equal(MqttClientSubscribeResultCode.GrantedQoS1, await ingest.SubscribeAsync($"$share/edgegw/{Prefix}/#"));
        using var a = await ConnectAsync(FleetPki.A);
        Assert.Equal(MqttClientSubscribeResultCode.GrantedQoS1, await a.SubscribeAsync("edgegw/confirm/v1/sme-0042/gw-1"));

        string[] own = [$"{Prefix}/sme-0042/lathe-1/kpi/1m", $"{Prefix}/sme-0042/press-2/state", $"{Prefix}/sme-0042/status/gw-1", $"{Prefix}/sme-0042/batch/gw-1"];
        foreach (var topic in own)
        {
            Assert.Equal(MqttClientPublishReasonCode.Success, await a.PublishAsync(topic));
        }

        await Poll.Until(() => ingest.Received.Count >= own.Length, TimeSpan.FromSeconds(5), "the ingest to receive the gateway's messages", () => string.Join(", ", ingest.Received));
        Assert.Equal(own, ingest.Received.Select(m => m.Topic));

        // And the ingest confirms: the gateway reads its confirmation. The ingest may set dead letters aside.
        Assert.Equal(MqttClientPublishReasonCode.Success, await ingest.PublishAsync("edgegw/confirm/v1/sme-0042/gw-1", "{\"seq\":[[1,4]]}"));
        await Poll.Until(() => !a.Received.IsEmpty, TimeSpan.FromSeconds(5), "the gateway to receive its confirmation", () => "nothing");
        Assert.NotEqual(MqttClientPublishReasonCode.NotAuthorized, await ingest.PublishAsync($"{Prefix}/_deadletter/kpi"));
    }

    [Fact]
    public async Task A_gateway_using_another_gateways_client_id_gets_its_own_and_the_other_stays_connected_without_its_will()
    {
        using var monitor = await ConnectAsync("monitor");
        await monitor.SubscribeAsync($"{Prefix}/#");
        var bStatus = $"{Prefix}/sme-0117/status/gw-1";
        using var b = await ConnectAsync(FleetPki.B, willTopic: bStatus);

        // A connects claiming B's client id: accepted, as itself (its client id replaced by its CN).
        using var a = await FleetClient.ConnectAsync(Port, Ca, fleet.Identity(FleetPki.A), clientId: FleetPki.B);
        Assert.True(a.Client.IsConnected);
        await Task.Delay(s_quiet);

        Assert.True(b.Client.IsConnected);
        Assert.Equal(0, b.Disconnects);
        await b.Client.PingAsync();
        Assert.Equal(MqttClientPublishReasonCode.Success, await b.PublishAsync($"{Prefix}/sme-0117/lathe-1/state"));
        Assert.Contains($"as {FleetPki.A} (p5", fleet.Broker.Describe(), StringComparison.Ordinal);
        Assert.DoesNotContain(monitor.Received, m => m.Topic == bStatus);

        // A publishes as A, not as B: B's topics stay closed to it.
        Assert.Equal(MqttClientPublishReasonCode.NotAuthorized, await a.PublishAsync($"{Prefix}/sme-0117/lathe-1/kpi/1m"));

        // The check above could have failed: B's will does reach the monitor when B goes.
        await b.Client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().WithReason(MqttClientDisconnectOptionsReason.DisconnectWithWillMessage).Build());
        await Poll.Until(() => monitor.Received.Any(m => m.Topic == bStatus), TimeSpan.FromSeconds(5), "B's will", () => string.Join(", ", monitor.Received));
    }

    [Fact]
    public async Task A_gateway_may_not_publish_to_another_gateways_cells_or_status_nor_as_the_ingest()
    {
        using var monitor = await ConnectAsync("monitor");
        await monitor.SubscribeAsync($"{Prefix}/#");
        await monitor.SubscribeAsync("edgegw/confirm/v1/#");

        string[] foreign =
        [
            $"{Prefix}/sme-0117/lathe-1/kpi/1m",       // B's cell (another site, same cell id)
            $"{Prefix}/sme-0117/lathe-1/state",
            $"{Prefix}/sme-0117/status/gw-1",          // B's status
            $"{Prefix}/sme-0117/batch/gw-1",           // B's batch
            $"{Prefix}/sme-0042/status/gw-2",          // the neighbour's status at A's own site
            $"{Prefix}/sme-0042/mill-3/kpi/shift",     // the neighbour's cell at A's own site
            $"{Prefix}/sme-0042/unknown-cell/state",   // a cell of A's site nobody has
            $"{Prefix}/_deadletter/kpi",               // the ingest's dead letters
            "edgegw/confirm/v1/sme-0117/gw-1",         // a forged confirmation to B
            "edgegw/confirm/v1/sme-0042/gw-1",         // or to itself
            $"{Prefix}/sme-0042/command/gw-2",         // a command to the neighbour
            $"{Prefix}/sme-0042/command/gw-1",         // or to itself: only an operator sends commands
            $"{Prefix}/sme-0117/command/gw-1",         // or to B
            $"{Prefix}/sme-0042/reply/gw-2",           // a forged reply of the neighbour
        ];
        foreach (var topic in foreign)
        {
            // Mosquitto 2.0.11 answers PUBACK NotAuthorized and then closes the connection: one connection a try.
            using var attempt = await ConnectAsync(FleetPki.A);
            Assert.True(await attempt.PublishAsync(topic) == MqttClientPublishReasonCode.NotAuthorized, $"{topic} was not refused");
        }

        // The control, sent last: once it arrives, nothing refused will.
        using var a = await ConnectAsync(FleetPki.A);
        var own = $"{Prefix}/sme-0042/lathe-1/kpi/1m";
        Assert.Equal(MqttClientPublishReasonCode.Success, await a.PublishAsync(own));
        await Poll.Until(() => !monitor.Received.IsEmpty, TimeSpan.FromSeconds(5), "the control message", () => "nothing");
        await Task.Delay(s_quiet);
        Assert.Equal([own], monitor.Received.Select(m => m.Topic));
    }

    [Fact]
    public async Task A_gateway_may_not_read_another_gateways_topics_nor_everything_even_naming_itself_ingest()
    {
        // A sends the user name "ingest": ignored, the certificate's CN is its user name.
        using var a = await FleetClient.ConnectAsync(Port, Ca, fleet.Identity(FleetPki.A), FleetPki.A, username: "ingest");
        string[] filters = ["#", $"{Prefix}/#", $"$share/edgegw/{Prefix}/#", $"{Prefix}/sme-0117/#", $"{Prefix}/sme-0117/lathe-1/kpi/+", "edgegw/confirm/v1/sme-0117/gw-1", "edgegw/confirm/v1/#"];
        foreach (var filter in filters)
        {
            // Mosquitto 2.0.11 grants the subscription and then delivers nothing the ACL does not let A read.
            Assert.Contains(await a.SubscribeAsync(filter), new[] { MqttClientSubscribeResultCode.GrantedQoS1, MqttClientSubscribeResultCode.NotAuthorized });
        }

        using var b = await ConnectAsync(FleetPki.B);
        await b.SubscribeAsync("edgegw/confirm/v1/sme-0117/gw-1");
        using var ingest = await ConnectAsync("ingest");
        using var monitor = await ConnectAsync("monitor");
        await monitor.SubscribeAsync($"{Prefix}/#");
        Assert.Equal(MqttClientPublishReasonCode.Success, await b.PublishAsync($"{Prefix}/sme-0117/lathe-1/kpi/1m"));
        Assert.Equal(MqttClientPublishReasonCode.Success, await ingest.PublishAsync("edgegw/confirm/v1/sme-0117/gw-1", "{\"seq\":[[1,1]]}"));

        await Poll.Until(() => !b.Received.IsEmpty && !monitor.Received.IsEmpty, TimeSpan.FromSeconds(5), "B's confirmation and record to arrive where they may", () => "not yet");
        await Task.Delay(s_quiet);
        Assert.Empty(a.Received);
    }

    [Fact]
    public async Task An_operator_sends_commands_to_its_sites_gateways_and_reads_their_replies_and_nothing_else()
    {
        using var a = await ConnectAsync(FleetPki.A);
        Assert.Equal(MqttClientSubscribeResultCode.GrantedQoS1, await a.SubscribeAsync($"{Prefix}/sme-0042/command/gw-1"));
        using var neighbour = await ConnectAsync(FleetPki.Neighbour);
        await neighbour.SubscribeAsync($"{Prefix}/sme-0042/command/gw-1");  // another gateway's commands: delivered to nobody else
        using var tablet = await ConnectAsync(FleetPki.Operator);
        Assert.Equal(MqttClientSubscribeResultCode.GrantedQoS1, await tablet.SubscribeAsync($"{Prefix}/sme-0042/reply/+"));
        await tablet.SubscribeAsync($"{Prefix}/#");                         // granted or not, it reads only the replies

        Assert.Equal(MqttClientPublishReasonCode.Success, await tablet.PublishAsync($"{Prefix}/sme-0042/command/gw-1", "{\"command\":\"article\"}"));
        await Poll.Until(() => !a.Received.IsEmpty, TimeSpan.FromSeconds(5), "the gateway to receive its command", () => "nothing");
        Assert.Equal(MqttClientPublishReasonCode.Success, await a.PublishAsync($"{Prefix}/sme-0042/reply/gw-1", "{\"ok\":true}"));
        Assert.Equal(MqttClientPublishReasonCode.Success, await a.PublishAsync($"{Prefix}/sme-0042/lathe-1/kpi/1m"));
        await Poll.Until(() => !tablet.Received.IsEmpty, TimeSpan.FromSeconds(5), "the operator to receive the reply", () => "nothing");
        await Task.Delay(s_quiet);
        Assert.Equal([$"{Prefix}/sme-0042/reply/gw-1"], tablet.Received.Select(m => m.Topic).Distinct());
        Assert.Empty(neighbour.Received);

        foreach (var topic in new[] { $"{Prefix}/sme-0117/command/gw-1", $"{Prefix}/sme-0042/reply/gw-1", $"{Prefix}/sme-0042/lathe-1/kpi/1m", $"{Prefix}/sme-0042/status/gw-1", "edgegw/confirm/v1/sme-0042/gw-1" })
        {
            using var attempt = await ConnectAsync(FleetPki.Operator);
            Assert.True(await attempt.PublishAsync(topic) == MqttClientPublishReasonCode.NotAuthorized, $"{topic} was not refused");
        }
    }

    [Fact]
    public async Task The_monitor_reads_everything_and_may_write_nothing()
    {
        using (var monitor = await ConnectAsync("monitor"))
        {
            Assert.Equal(MqttClientSubscribeResultCode.GrantedQoS1, await monitor.SubscribeAsync($"{Prefix}/#"));
            Assert.Equal(MqttClientSubscribeResultCode.GrantedQoS1, await monitor.SubscribeAsync("edgegw/confirm/v1/#"));
        }

        foreach (var topic in new[] { $"{Prefix}/sme-0042/lathe-1/kpi/1m", $"{Prefix}/sme-0042/status/gw-1", "edgegw/confirm/v1/sme-0042/gw-1", $"{Prefix}/_deadletter/kpi" })
        {
            using var monitor = await ConnectAsync("monitor");
            Assert.True(await monitor.PublishAsync(topic) == MqttClientPublishReasonCode.NotAuthorized, $"{topic} was not refused");
        }
    }

    [Theory]
    [InlineData("another CA", "certificate verify failed")]
    [InlineData("expired", "certificate verify failed")]
    [InlineData("no certificate", "peer did not return a certificate")]
    [InlineData("anonymous", "peer did not return a certificate")]
    [InlineData("no TLS", "Client <unknown> disconnected")]
    public async Task The_broker_refuses_in_the_handshake(string who, string logged)
    {
        var other = Path.Combine(fleet.Root, "refused-" + who.Replace(' ', '-'));
        var (certificate, username, tls) = who switch
        {
            "another CA" => (OtherCa(other), null, true),
            "expired" => (Expired(other), null, true),
            "no certificate" => (null, "ingest", true),
            "anonymous" => (null, null, true),
            _ => (((string, string)?)null, (string?)null, false),
        };

        var connected = Connections(fleet.Broker);
        await Assert.ThrowsAnyAsync<Exception>(() => FleetClient.ConnectAsync(Port, Ca, certificate, FleetPki.A, username, tls: tls));
        Assert.Equal(connected, Connections(fleet.Broker));
        await Poll.Until(() => fleet.Broker.Describe().Contains(logged, StringComparison.Ordinal), TimeSpan.FromSeconds(5), $"the broker to log '{logged}'", fleet.Broker.Describe);
    }

    [Fact]
    public async Task A_revoked_certificate_is_refused_once_the_list_is_signed_and_the_broker_restarted()
    {
        var root = Directory.CreateTempSubdirectory("edgegw-pki-revoke-").FullName;
        try
        {
            var dir = Path.Combine(root, "pki");
            PkiRun.Ok("pki", "init", "--dir", dir);
            PkiRun.Ok("pki", "issue", "broker", "--dir", dir, "--host", "127.0.0.1");
            PkiRun.Ok("pki", "issue", "gateway", "--dir", dir, "--site", "sme-0042", "--gateway", "gw-1");
            using var broker = FleetPki.Launch(dir, Path.Combine(root, "broker"), fleet.FleetFile);
            var ca = Path.Combine(dir, "ca.crt");
            using (var before = await FleetClient.ConnectAsync(broker.Port, ca, FleetPki.Identity(dir, FleetPki.A), FleetPki.A))
            {
                Assert.Equal(MqttClientPublishReasonCode.NoMatchingSubscribers, await before.PublishAsync($"{Prefix}/sme-0042/lathe-1/state"));
            }

            PkiRun.Ok("pki", "revoke", "--dir", dir, FleetPki.A);
            PkiRun.Ok("pki", "crl", "--dir", dir);
            broker.Restart();

            await Assert.ThrowsAnyAsync<Exception>(() => FleetClient.ConnectAsync(broker.Port, ca, FleetPki.Identity(dir, FleetPki.A), FleetPki.A));
            // Mosquitto logs OpenSSL's last error only; openssl verify names the reason (PkiCommandTests).
            await Poll.Until(() => broker.Describe().Contains("certificate verify failed", StringComparison.Ordinal), TimeSpan.FromSeconds(5), "the broker to log the revoked certificate", broker.Describe);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    // Clients the broker accepted so far, counted in its log.
    private static int Connections(MosquittoBroker broker) =>
        File.ReadLines(Path.Combine(broker.Folder, "mosquitto.log")).Count(line => line.Contains("New client connected", StringComparison.Ordinal));

    private Task<FleetClient> ConnectAsync(string name, string? willTopic = null) =>
        FleetClient.ConnectAsync(Port, Ca, fleet.Identity(name), name, willTopic: willTopic);

    private static (string Certificate, string Key) OtherCa(string dir)
    {
        PkiRun.Ok("pki", "init", "--dir", dir);
        PkiRun.Ok("pki", "issue", "gateway", "--dir", dir, "--site", "sme-0042", "--gateway", "gw-1");
        return FleetPki.Identity(dir, FleetPki.A);
    }

    // The programme's own CA, a certificate whose validity ended yesterday.
    private (string Certificate, string Key) Expired(string dir)
    {
        var folder = new PkiFolder(dir);
        folder.Create();
        File.Copy(Path.Combine(fleet.Dir, "ca.crt"), folder.CaCertificate);
        File.Copy(Path.Combine(fleet.Dir, "ca.key"), folder.CaKey);
        var now = DateTimeOffset.UtcNow;
        PkiOperations.Issue(folder, IdentityKind.Gateway, FleetPki.A, [], null, force: false, now.AddDays(-30), now.AddDays(-1));
        return FleetPki.Identity(dir, FleetPki.A);
    }
}
