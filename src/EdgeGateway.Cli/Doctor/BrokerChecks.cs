using System.Net;
using System.Net.Sockets;
using System.Text;
using EdgeGateway.Agent.Publishing;
using EdgeGateway.Core.Configuration;
using EdgeGateway.Core.Payload;
using EdgeGateway.Mqtt;
using MQTTnet;
using MQTTnet.Protocol;

namespace EdgeGateway.Cli.Doctor;

/// <summary>
/// The broker lines of <c>edgegw doctor</c>: the name resolves and TCP connects (<c>broker</c>); MQTT CONNECT with TLS
/// against the pinned CA and the credentials (<c>broker session</c>); the broker's ACL lets the gateway read its delivery
/// confirmations (<c>broker ACL</c>) and publish to its own status topic (<c>broker publish</c>).
/// </summary>
internal static class BrokerChecks
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(10);

    public static async Task RunAsync(GatewayConfig gateway, MqttOptions mqtt, string gatewayId, bool agentConnected, List<DoctorCheck> checks, CancellationToken cancellationToken)
    {
        var address = $"{mqtt.Host}:{mqtt.Port}";
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(s_timeout);
        try
        {
            if (!IPAddress.TryParse(mqtt.Host, out _))
            {
                await Dns.GetHostAddressesAsync(mqtt.Host, timeout.Token).ConfigureAwait(false);
            }

            using var tcp = new TcpClient();
            await tcp.ConnectAsync(mqtt.Host, mqtt.Port, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
            var why = e is SocketException { SocketErrorCode: SocketError.HostNotFound or SocketError.TryAgain or SocketError.NoData }
                ? $"the name {mqtt.Host} does not resolve"
                : e is SocketException socket ? $"cannot connect to {address}: {socket.SocketErrorCode}" : $"no answer from {address} within {s_timeout.TotalSeconds:F0} s";
            checks.Add(DoctorCheck.Fail("broker", why, "check Agent.Mqtt.Host and Port, the network and the broker (is it running? a firewall?)"));
            return;
        }

        checks.Add(DoctorCheck.Ok("broker", $"{address} resolves and accepts TCP"));
        if (agentConnected && mqtt.ClientCertFile is not null)
        {
            // A broker made by 'edgegw pki broker-config' takes the certificate's name as the client id, whatever doctor
            // asks for: connecting would take the running agent's session over. The agent's own connection says it all.
            checks.Add(DoctorCheck.Ok("broker session", "the running agent is connected with this certificate (its status file); not connecting as the same identity, which would end the agent's session"));
            return;
        }

        // Its own client id: the running agent's session must not be taken over. MQTT 5 as the agent speaks it: a
        // denied publish is answered (PUBACK NotAuthorized), where MQTT 3.1.1 brokers drop it without a word.
        using var client = new MqttClientFactory().CreateMqttClient();
        var builder = new MqttClientOptionsBuilder()
            .WithTcpServer(mqtt.Host, mqtt.Port)
            .WithClientId($"{gateway.Site}.{gatewayId}.doctor")
            .WithProtocolVersion(MQTTnet.Formatter.MqttProtocolVersion.V500)
            .WithCleanStart(true)
            .WithTimeout(s_timeout);
        BrokerSecurity.Apply(builder, mqtt);
        try
        {
            var connected = await client.ConnectAsync(builder.Build(), timeout.Token).ConfigureAwait(false);
            if (connected.ResultCode != MqttClientConnectResultCode.Success)
            {
                throw new BrokerRefusedException(connected.ResultCode, connected.ReasonString);
            }

            var tls = mqtt.Tls ? $"TLS with the pinned CA {mqtt.CaFile ?? "(none set)"}" : "without TLS";
            checks.Add(DoctorCheck.Ok("broker session", $"{tls}, {(mqtt.Username is null ? "anonymous" : $"user {mqtt.Username}")}: accepted"));
            checks.Add(await SubscribeAsync(client, mqtt, gateway.Site, gatewayId, timeout.Token).ConfigureAwait(false));
            checks.Add(await PublishAsync(client, mqtt, gateway.Site, gatewayId, timeout.Token).ConfigureAwait(false));
            await client.DisconnectAsync(cancellationToken: CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            checks.Add(DoctorCheck.Fail("broker session", BrokerConnection.Describe(e, mqtt, "Agent.Mqtt"), "see the keys named; the broker's log says more (journalctl -u mosquitto)"));
        }
    }

    /// <summary>What the agent subscribes to on every connect; a broker ACL that forbids it leaves records unconfirmed.</summary>
    private static async Task<DoctorCheck> SubscribeAsync(IMqttClient client, MqttOptions mqtt, string site, string gatewayId, CancellationToken cancellationToken)
    {
        var topic = TopicScheme.ConfirmationTopic(mqtt.ConfirmTopicPrefix, site, gatewayId);
        var subscribed = await client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder().WithTopicFilter(topic, MqttQualityOfServiceLevel.AtLeastOnce).Build(), cancellationToken).ConfigureAwait(false);
        var code = subscribed.Items.Single().ResultCode;
        return code <= MqttClientSubscribeResultCode.GrantedQoS2
            ? DoctorCheck.Ok("broker ACL", $"may read its delivery confirmations ({topic})")
            : DoctorCheck.Fail("broker ACL", $"may not read its delivery confirmations ({topic}): {code}", "let the site's user read edgegw/confirm/v1/SITE/# (deploy/backend/mosquitto/edgegw.acl)");
    }

    /// <summary>
    /// May the gateway publish to its status topic (and so, under the shipped ACL, below its site)? A QoS 1 probe, not
    /// retained: the broker keeps the retained status (the birth) as it is, and the PUBACK's reason code says whether the
    /// ACL let it through.
    /// </summary>
    private static async Task<DoctorCheck> PublishAsync(IMqttClient client, MqttOptions mqtt, string site, string gatewayId, CancellationToken cancellationToken)
    {
        var topic = TopicScheme.StatusTopic(mqtt.TopicPrefix, site, gatewayId);
        var probe = new MqttApplicationMessageBuilder()
            .WithTopic(topic)
            .WithPayload(Encoding.UTF8.GetBytes(StatusPayload.Probe))
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .WithRetainFlag(false)
            .Build();
        var published = await client.PublishAsync(probe, cancellationToken).ConfigureAwait(false);
        return published.ReasonCode is MqttClientPublishReasonCode.Success or MqttClientPublishReasonCode.NoMatchingSubscribers
            ? DoctorCheck.Ok("broker publish", $"may publish to its status topic ({topic}; a probe, not retained)")
            : DoctorCheck.Fail("broker publish", $"may not publish to its status topic ({topic}): {published.ReasonCode}", $"let the site's user write {mqtt.TopicPrefix}/{site}/# (deploy/backend/mosquitto/edgegw.acl): the broker drops every record and status the gateway sends");
    }
}
