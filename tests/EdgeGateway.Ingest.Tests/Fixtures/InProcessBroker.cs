using System.Collections.Concurrent;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;
using MQTTnet.Server;

namespace EdgeGateway.Ingest.Tests.Fixtures;

/// <summary>An in-process MQTT 5 broker (MQTTnet.Server) on a free loopback port, with persistent sessions and unbounded queues, recording acknowledgements.</summary>
internal sealed class InProcessBroker : IAsyncDisposable
{
    private readonly ConcurrentQueue<(string ClientId, string Topic)> _acknowledged = new();
    private readonly List<IMqttClient> _clients = [];
    private int _dropped;

    private InProcessBroker(MqttServer server, int port)
    {
        Server = server;
        Port = port;
        server.ApplicationMessageEnqueuedOrDroppedAsync += e =>
        {
            if (e.IsDropped)
            {
                Interlocked.Increment(ref _dropped);
            }

            return Task.CompletedTask;
        };
        server.ClientAcknowledgedPublishPacketAsync += e =>
        {
            _acknowledged.Enqueue((e.ClientId, e.PublishPacket.Topic));
            return Task.CompletedTask;
        };
    }

    public MqttServer Server { get; }

    public int Port { get; }

    /// <summary>Publishes the broker sent to a client and that client acknowledged (PUBACK).</summary>
    public IReadOnlyList<(string ClientId, string Topic)> Acknowledged => [.. _acknowledged];

    /// <summary>Messages the broker dropped because a client's queue was full.</summary>
    public int Dropped => Volatile.Read(ref _dropped);

    public int AcknowledgedBy(string clientId) => _acknowledged.Count(a => a.ClientId == clientId);

    public static async Task<InProcessBroker> StartAsync()
    {
        for (var attempt = 0; ; attempt++)
        {
            var port = Loopback.FreePort();
            // MQTTnet.Server drops the oldest queued message beyond 1000 per client by default (like Mosquitto's
            // max_queued_messages): a slow test machine must not lose messages.
            var options = new MqttServerOptionsBuilder().WithDefaultEndpoint().WithDefaultEndpointPort(port).WithPersistentSessions()
                .WithMaxPendingMessagesPerClient(100_000).Build();
            var server = new MqttServerFactory().CreateMqttServer(options);
            try
            {
                await server.StartAsync();
                return new InProcessBroker(server, port);
            }
            catch (System.Net.Sockets.SocketException) when (attempt < 5)
            {
                server.Dispose();
            }
        }
    }

    /// <summary>A connected MQTT 5 client (disposed with the broker).</summary>
    public async Task<IMqttClient> ConnectAsync(string clientId, Func<MqttApplicationMessageReceivedEventArgs, Task>? onMessage = null)
    {
        var client = new MqttClientFactory().CreateMqttClient();
        if (onMessage is not null)
        {
            client.ApplicationMessageReceivedAsync += onMessage;
        }

        await client.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", Port).WithClientId(clientId).WithProtocolVersion(MqttProtocolVersion.V500).Build());
        lock (_clients)
        {
            _clients.Add(client);
        }

        return client;
    }

    public static async Task PublishAsync(IMqttClient client, string topic, byte[] payload)
    {
        var result = await client.PublishAsync(new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload(payload).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build());
        Assert.True(result.IsSuccess, $"publish to {topic}: {result.ReasonCode}");
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var client in _clients)
        {
            client.Dispose();
        }

        await Server.StopAsync(new MqttServerStopOptions());
        Server.Dispose();
    }
}
