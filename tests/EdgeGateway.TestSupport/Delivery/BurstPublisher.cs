using System.Buffers;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace EdgeGateway.TestSupport.Delivery;

/// <summary>
/// Publishes a list of messages to a broker at QoS 1 as fast as the broker acknowledges them, with a window of
/// publishes awaiting their PUBACK (as a gateway's publisher does); every PUBACK must be a success.
/// </summary>
internal static class BurstPublisher
{
    /// <summary>Publishes <paramref name="messages"/> in order; returns once the broker acknowledged every one.</summary>
    public static async Task PublishAsync(string host, int port, IEnumerable<(string Topic, byte[] Payload)> messages, int window = 64, CancellationToken cancellationToken = default)
    {
        using var client = new MqttClientFactory().CreateMqttClient();
        var options = new MqttClientOptionsBuilder()
            .WithTcpServer(host, port)
            .WithClientId($"burst-publisher-{Guid.NewGuid():N}")
            .WithProtocolVersion(MqttProtocolVersion.V500)
            .WithCleanStart(true)
            .Build();
        await client.ConnectAsync(options, cancellationToken);
        var inFlight = new Queue<Task<MqttClientPublishResult>>(window);
        foreach (var (topic, payload) in messages)
        {
            if (inFlight.Count == window)
            {
                Check(await inFlight.Dequeue());
            }

            inFlight.Enqueue(client.PublishAsync(
                new MqttApplicationMessageBuilder()
                    .WithTopic(topic)
                    .WithPayload(new ReadOnlySequence<byte>(payload))
                    .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
                    .Build(),
                cancellationToken));
        }

        while (inFlight.Count > 0)
        {
            Check(await inFlight.Dequeue());
        }

        await client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().Build(), cancellationToken);

        static void Check(MqttClientPublishResult result)
        {
            if (!result.IsSuccess)
            {
                throw new InvalidOperationException($"the broker refused a publish: {result.ReasonCode} {result.ReasonString}");
            }
        }
    }
}
