using System.Buffers;
using System.Collections.Concurrent;
using EdgeGateway.Core.Payload;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace EdgeGateway.Ingest.Tests.Integration;

/// <summary>A subscriber to every gateway's confirmations, as the gateways would read them.</summary>
internal sealed class ConfirmationListener : IAsyncDisposable
{
    private readonly IMqttClient _client = new MqttClientFactory().CreateMqttClient();
    private readonly ConcurrentQueue<(string Topic, byte[] Payload)> _received = new();

    public IReadOnlyList<(string Topic, byte[] Payload)> Received => [.. _received];

    public static async Task<ConfirmationListener> StartAsync(int port)
    {
        var listener = new ConfirmationListener();
        listener._client.ApplicationMessageReceivedAsync += e =>
        {
            listener._received.Enqueue((e.ApplicationMessage.Topic, e.ApplicationMessage.Payload.ToArray()));
            return Task.CompletedTask;
        };
        await listener._client.ConnectAsync(new MqttClientOptionsBuilder()
            .WithTcpServer(MosquittoBroker.Host, port)
            .WithClientId($"confirmation-listener-{Guid.NewGuid():N}")
            .WithProtocolVersion(MqttProtocolVersion.V500)
            .WithCleanStart(true)
            .Build());
        await listener._client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder()
            .WithTopicFilter($"{DeliveryConfirmation.DefaultTopicPrefix}/#", MqttQualityOfServiceLevel.AtLeastOnce)
            .Build());
        return listener;
    }

    public async ValueTask DisposeAsync()
    {
        await _client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().Build());
        _client.Dispose();
    }
}
