using EdgeGateway.Agent.Publishing;
using EdgeGateway.Core.Payload;
using MQTTnet;
using MQTTnet.Protocol;

namespace EdgeGateway.Agent.Control;

/// <summary>
/// Remote commands over MQTT (src/docs/payloads-and-topics.md, "Commands"): this gateway's command topic is subscribed on
/// every connect (QoS 1); each command is handled off MQTTnet's receive task (<see cref="ControlHandler"/>) and its reply
/// published on the gateway's reply topic (QoS 1, not retained). A broker whose ACL does not let the gateway read its
/// command topic costs the commands, not the connection: said once per connection.
/// </summary>
internal sealed partial class CommandInbox(TopicScheme topics, ControlHandler handler, ILogger logger)
{
    /// <summary>The topic this gateway reads its commands on.</summary>
    public string Topic => topics.Command;

    /// <summary>Subscribes <paramref name="client"/> to <see cref="Topic"/>; a refusal is logged.</summary>
    public async Task SubscribeAsync(IMqttClient client, CancellationToken cancellationToken)
    {
        if (await ConfirmationInbox.SubscribeRefusedAsync(client, Topic, cancellationToken).ConfigureAwait(false) is { } refused)
        {
            Log.NotSubscribed(logger, Topic, refused.ToString());
        }
    }

    /// <summary>Handles one command received by <paramref name="client"/> and publishes the reply; never throws on the receive task.</summary>
    public void OnReceived(IMqttClient client, MqttApplicationMessage message, CancellationToken stoppingToken)
    {
        var request = System.Buffers.BuffersExtensions.ToArray(message.Payload);
        _ = Task.Run(
            async () =>
            {
                try
                {
                    var reply = await handler.HandleAsync(request, "mqtt", stoppingToken).ConfigureAwait(false);
                    var published = await client.PublishAsync(
                        new MqttApplicationMessageBuilder().WithTopic(topics.Reply).WithPayload(reply)
                            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).WithRetainFlag(false).Build(),
                        stoppingToken).ConfigureAwait(false);
                    if (!published.IsSuccess && published.ReasonCode != MqttClientPublishReasonCode.NoMatchingSubscribers)
                    {
                        Log.ReplyNotSent(logger, topics.Reply, $"{published.ReasonCode} {published.ReasonString} (check the broker's ACL)");
                    }
                }
                catch (Exception e) when (e is OperationCanceledException or MQTTnet.Exceptions.MqttCommunicationException or InvalidOperationException)
                {
                    // The connection went or the agent stops: the command was applied (or not) as logged; the reply is lost.
                    Log.ReplyNotSent(logger, topics.Reply, e.Message);
                }
            },
            CancellationToken.None);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 720, Level = LogLevel.Warning, Message = "The broker does not let this gateway read its commands on {Topic}: {Code}. MQTT commands are off (check the broker's ACL: edgegw pki broker-config); the control socket still works")]
        public static partial void NotSubscribed(ILogger logger, string topic, string code);

        [LoggerMessage(EventId = 721, Level = LogLevel.Warning, Message = "The reply to a command could not be published on {Topic}: {Reason}")]
        public static partial void ReplyNotSent(ILogger logger, string topic, string reason);
    }
}
