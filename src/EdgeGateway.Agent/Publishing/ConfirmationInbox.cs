using System.Threading.Channels;
using EdgeGateway.Core.Payload;
using EdgeGateway.Mqtt;
using MQTTnet;
using MQTTnet.Protocol;

namespace EdgeGateway.Agent.Publishing;

/// <summary>
/// This gateway's delivery confirmations (src/docs/payloads-and-topics.md, "Delivery confirmations"): subscribed on
/// every connect, read on MQTTnet's receive task and queued for the drain loop, which alone owns the unconfirmed window.
/// </summary>
internal sealed partial class ConfirmationInbox(string confirmPrefix, string site, string gateway, ILogger logger)
{
    private readonly Channel<List<SequenceRange>> _confirmations = Channel.CreateUnbounded<List<SequenceRange>>(new UnboundedChannelOptions { SingleReader = true });

    /// <summary>The topic this gateway reads its confirmations on.</summary>
    public string Topic { get; } = TopicScheme.ConfirmationTopic(confirmPrefix, site, gateway);

    /// <summary>The confirmations read so far and not yet taken.</summary>
    public ChannelReader<List<SequenceRange>> Reader => _confirmations.Reader;

    /// <summary>Subscribes <paramref name="client"/> to <see cref="Topic"/>; throws when the broker does not allow it.</summary>
    public async Task SubscribeAsync(IMqttClient client, CancellationToken cancellationToken)
    {
        if (await SubscribeRefusedAsync(client, Topic, cancellationToken).ConfigureAwait(false) is { } refused)
        {
            throw new BrokerRejectedException($"the broker did not let this gateway read its delivery confirmations on {Topic}: {refused} (check the broker's ACL: deploy/backend/mosquitto/edgegw.acl, or edgegw pki broker-config's)");
        }
    }

    /// <summary>Subscribes <paramref name="client"/> to <paramref name="topic"/> at QoS 1; the broker's refusal, or null when granted.</summary>
    internal static async Task<MqttClientSubscribeResultCode?> SubscribeRefusedAsync(IMqttClient client, string topic, CancellationToken cancellationToken)
    {
        var subscribed = await client.SubscribeAsync(
            new MqttClientSubscribeOptionsBuilder().WithTopicFilter(topic, MqttQualityOfServiceLevel.AtLeastOnce).Build(),
            cancellationToken).ConfigureAwait(false);
        foreach (var item in subscribed.Items)
        {
            if (item.ResultCode is not (MqttClientSubscribeResultCode.GrantedQoS0 or MqttClientSubscribeResultCode.GrantedQoS1))
            {
                return item.ResultCode;
            }
        }

        return null;
    }

    /// <summary>Reads one received message: a confirmation of this gateway is queued, anything else logged and ignored.</summary>
    public Task OnReceivedAsync(MqttApplicationMessageReceivedEventArgs args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var message = args.ApplicationMessage;
        var ranges = new List<SequenceRange>();
        if (message.Topic != Topic)
        {
            Log.ConfirmationIgnored(logger, message.Topic, "not this gateway's confirmation topic");
        }
        else if (!DeliveryConfirmation.TryRead(message.Payload, site, gateway, ranges, out var error))
        {
            Log.ConfirmationIgnored(logger, message.Topic, error!);
        }
        else
        {
            _confirmations.Writer.TryWrite(ranges);
        }

        return Task.CompletedTask;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 305, Level = LogLevel.Warning, Message = "Ignored a message on {Topic}: {Reason}")]
        public static partial void ConfirmationIgnored(ILogger logger, string topic, string reason);
    }
}
