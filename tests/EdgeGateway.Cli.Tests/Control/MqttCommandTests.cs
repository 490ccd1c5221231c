using System.Text;
using EdgeGateway.Cli.Tests.Pki;
using MQTTnet;

namespace EdgeGateway.Cli.Tests.Control;

/// <summary>
/// Remote commands over MQTT through a real Mosquitto running the config and ACL of <c>edgegw pki broker-config</c>, to a
/// running agent (a real process, TLS with its certificate, the simulator at 60 times real time): an operator's article and
/// reason come back as ok replies and in the records that follow; a command not understood gets an error reply and
/// changes nothing; another gateway's certificate cannot send a command at all (the broker refuses it, the agent never
/// sees it).
/// </summary>
public sealed class MqttCommandTests : IDisposable
{
    private const string Gateway = "gw-cmd", Other = "gw-other";
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(90);
    private readonly string _root = Directory.CreateTempSubdirectory("edgegw-commands-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task An_operator_sets_an_article_and_a_reason_over_mqtt_and_another_gateways_certificate_cannot()
    {
        var dir = Path.Combine(_root, "pki");
        var fleet = Path.Combine(_root, "fleet.csv");
        File.WriteAllText(fleet, $"site,gateway,cells\n{AgentRun.Site},{Gateway},cell-1\n{AgentRun.Site},{Other},cell-2\n");
        FleetPki.Create(dir, AgentRun.Site, Gateway, Other);
        PkiRun.Ok("pki", "issue", "operator", "--dir", dir, "--site", AgentRun.Site, "--name", "tablet-1");
        using var broker = FleetPki.Launch(dir, Path.Combine(_root, "broker"), fleet);
        var ca = Path.Combine(dir, "ca.crt");
        var commandTopic = $"edgegw/v1/{AgentRun.Site}/command/{Gateway}";

        using var monitor = await FleetClient.ConnectAsync(broker.Port, ca, FleetPki.Identity(dir, "monitor"), "monitor");
        await monitor.SubscribeAsync($"edgegw/v1/{AgentRun.Site}/cell-1/kpi/1m");
        using var run = new AgentRun(Gateway, broker.Port, speedFactor: 60);
        run.AddReasonsAndArticles();
        var (certificate, key) = FleetPki.Identity(dir, $"{AgentRun.Site}.{Gateway}");
        run.Settings["Mqtt:Tls"] = "true";
        run.Settings["Mqtt:CaFile"] = ca;
        run.Settings["Mqtt:ClientCertFile"] = certificate;
        run.Settings["Mqtt:ClientKeyFile"] = key;
        run.Settings["Mqtt:BatchRecords"] = "1"; // every record on its own topic, as the monitor reads them
        var agent = run.Start();
        await Poll.Until(() => agent.FindLine("Connected to the broker") is not null, s_timeout, "the agent to connect and subscribe its commands", () => agent.Tail());

        using var tablet = await FleetClient.ConnectAsync(broker.Port, ca, FleetPki.Identity(dir, $"tablet-1@{AgentRun.Site}"), "tablet-1");
        Assert.Equal(MqttClientSubscribeResultCode.GrantedQoS1, await tablet.SubscribeAsync($"edgegw/v1/{AgentRun.Site}/reply/+"));
        async Task<string> AskAsync(string id, string command)
        {
            Assert.Equal(MqttClientPublishReasonCode.Success, await tablet.PublishAsync(commandTopic, command));
            var reply = await Poll.Until(
                () => tablet.Received.FirstOrDefault(m => m.Payload.Contains($"\"id\":\"{id}\"", StringComparison.Ordinal)).Payload,
                r => r is not null, s_timeout, $"the reply to {id}", r => agent.Tail());
            Assert.All(tablet.Received, m => Assert.Equal($"edgegw/v1/{AgentRun.Site}/reply/{Gateway}", m.Topic));
            return reply!;
        }

        // The reason, during a stop: the shift starts with the machine standing (the simulation's start delay); the
        // command is sent until a stop is there to take it, and until then the reply says there is none.
        string reply;
        var attempt = 0;
        while (true)
        {
            attempt++;
            reply = await AskAsync($"r-{attempt}", $$"""{"id":"r-{{attempt}}","command":"reason","cell":"cell-1","code":"tool_change"}""");
            if (reply.Contains("\"ok\":true", StringComparison.Ordinal))
            {
                break;
            }

            Assert.Contains("no stop to give a reason to", reply, StringComparison.Ordinal);
            Assert.True(attempt < 300, $"no stop in {attempt} tries. {agent.Tail()}");
            await Task.Delay(200);
        }

        Assert.Equal($$"""{"id":"r-{{attempt}}","ok":true,"outcome":"done","message":"done"}""", reply);
        await Poll.Until(() => Minutes(monitor).Any(r => ContextRecords.ReasonSeconds(r, "tool_change") > 0), s_timeout, "a minute with seconds of tool_change", () => agent.Tail());

        // The article: ok, and the minutes that follow count their parts as B-200.
        Assert.Equal("""{"id":"art-1","ok":true,"outcome":"done","message":"done"}""",
            await AskAsync("art-1", """{"id":"art-1","command":"article","cell":"cell-1","article":"B-200"}"""));
        await Poll.Until(() => Minutes(monitor).Any(r => ContextRecords.Articles(r).Contains("B-200")), s_timeout, "a minute with B-200's parts", () => agent.Tail());

        // Not understood: an error reply, nothing changed.
        Assert.Equal("""{"id":"bad-1","ok":false,"error":"unknown article 'Z-9' of cell 'cell-1': its articles are A-100, B-200"}""",
            await AskAsync("bad-1", """{"id":"bad-1","command":"article","cell":"cell-1","article":"Z-9"}"""));
        Assert.Equal(MqttClientPublishReasonCode.Success, await tablet.PublishAsync(commandTopic, "article A-100 please"));
        await Poll.Until(() => tablet.Received.Any(m => m.Payload.StartsWith("{\"id\":null,\"ok\":false,\"error\":\"the command is not JSON: ", StringComparison.Ordinal)), s_timeout, "the reply to a command that is not JSON", () => agent.Tail());

        // Another gateway's certificate: the broker refuses the publish, so the agent never sees it.
        using (var other = await FleetClient.ConnectAsync(broker.Port, ca, FleetPki.Identity(dir, $"{AgentRun.Site}.{Other}"), Other))
        {
            Assert.Equal(MqttClientPublishReasonCode.NotAuthorized,
                await other.PublishAsync(commandTopic, """{"id":"spoof-1","command":"article","cell":"cell-1","article":"A-100"}"""));
        }

        // Nothing of what was refused or not understood happened: no minute ever counted A-100, no reply to the spoof.
        Assert.DoesNotContain(Minutes(monitor), r => ContextRecords.Articles(r).Contains("A-100"));
        Assert.DoesNotContain(tablet.Received, m => m.Payload.Contains("spoof-1", StringComparison.Ordinal));
        Assert.Null(agent.FindLine("article A-100"));
        Assert.Equal(1, agent.CountLines("Command (mqtt) article B-200 for cell cell-1: ok, done"));
        Assert.Equal(0, await agent.StopAsync());
    }

    private static List<System.Text.Json.JsonElement> Minutes(FleetClient monitor) =>
        ContextRecords.Minutes(monitor.Received.Select(m => Encoding.UTF8.GetBytes(m.Payload)));
}
