using System.Collections.Concurrent;
using EdgeGateway.Agent.Publishing;
using EdgeGateway.Mqtt;
using System.Text;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace EdgeGateway.Cli.Tests.Pki;

/// <summary>An MQTT 5 client of the fleet's broker over TLS (the broker pinned to the programme CA), as a gateway, the ingest or the monitor connects; it keeps what it receives.</summary>
internal sealed class FleetClient : IDisposable
{
    private FleetClient(IMqttClient client) => Client = client;

    public IMqttClient Client { get; }

    /// <summary>Messages received: topic and payload.</summary>
    public ConcurrentQueue<(string Topic, string Payload)> Received { get; } = new();

    /// <summary>How many times the broker disconnected it.</summary>
    public int Disconnects { get; private set; }

    /// <summary>
    /// Connects to <paramref name="port"/> as the agent does (<see cref="BrokerSecurity"/>: the broker pinned to
    /// <paramref name="caFile"/>), with the certificate and key of <paramref name="identity"/> (none: no client
    /// certificate), <paramref name="clientId"/>, and optionally a user name and a last will.
    /// </summary>
    public static async Task<FleetClient> ConnectAsync(int port, string caFile, (string Certificate, string Key)? identity, string clientId, string? username = null, string? willTopic = null, bool tls = true)
    {
        var builder = new MqttClientOptionsBuilder().WithTcpServer(MosquittoBroker.Host, port).WithClientId(clientId)
            .WithProtocolVersion(MqttProtocolVersion.V500).WithCleanStart(true).WithTimeout(TimeSpan.FromSeconds(5));
        BrokerSecurity.Apply(builder, new MqttOptions
        {
            Host = MosquittoBroker.Host,
            Port = port,
            Tls = tls,
            CaFile = tls ? caFile : null,
            ClientCertFile = identity?.Certificate,
            ClientKeyFile = identity?.Key,
            Username = username,
            Password = username is null ? null : "not-a-password",
        });
        if (willTopic is not null)
        {
            builder.WithWillTopic(willTopic).WithWillPayload("{\"status\":\"offline\"}").WithWillRetain(false).WithWillQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce);
        }

        var client = new MqttClientFactory().CreateMqttClient();
        var fleet = new FleetClient(client);
        client.ApplicationMessageReceivedAsync += e =>
        {
            fleet.Received.Enqueue((e.ApplicationMessage.Topic, Encoding.UTF8.GetString(e.ApplicationMessage.Payload)));
            return Task.CompletedTask;
        };
        try
        {
            await client.ConnectAsync(builder.Build());
        }
        catch
        {
            client.Dispose();
            throw;
        }

        client.DisconnectedAsync += _ =>
        {
            fleet.Disconnects++;
            return Task.CompletedTask;
        };
        return fleet;
    }

    /// <summary>Publishes at QoS 1 and returns the PUBACK's reason code.</summary>
    public async Task<MqttClientPublishReasonCode> PublishAsync(string topic, string payload = "{}")
    {
        var result = await Client.PublishAsync(new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload(payload).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build());
        return result.ReasonCode;
    }

    /// <summary>Subscribes at QoS 1 and returns the SUBACK's result code.</summary>
    public async Task<MqttClientSubscribeResultCode> SubscribeAsync(string filter)
    {
        var result = await Client.SubscribeAsync(filter, MqttQualityOfServiceLevel.AtLeastOnce);
        return result.Items.Single().ResultCode;
    }

    public void Dispose() => Client.Dispose();
}
