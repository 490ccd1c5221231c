using System.Buffers;
using EdgeGateway.Ingest.Batching;
using EdgeGateway.Mqtt;
using MQTTnet;
using MQTTnet.Protocol;

namespace EdgeGateway.Ingest.Subscription;

/// <summary>
/// Keeps the MQTT session connected and subscribed (<c>$share/{Group}/{TopicPrefix}/#</c>, QoS 1) and hands every
/// message to the pipeline without acknowledging it (<c>AutoAcknowledge = false</c>): the pipeline acknowledges after
/// the write. The session is persistent (clean start off, session expiry), so the broker queues messages while the
/// instance restarts and sends unacknowledged ones again. Reconnects back off exponentially with jitter and never
/// give up. Logs <c>Ingest ready</c> once subscribed.
/// </summary>
public sealed partial class MqttSubscriber(MqttSession session, IngestPipeline pipeline, TimeProvider time, ILogger<MqttSubscriber> logger) : BackgroundService
{
    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var client = session.Client;
        var options = session.Options;
        client.ApplicationMessageReceivedAsync += OnMessageAsync;
        try
        {
            await BrokerConnection.KeepConnectedAsync(
                client,
                options,
                "Ingest:Mqtt",
                time,
                async attempt =>
                {
                    session.NextGeneration();
                    var connected = await client.ConnectAsync(session.ClientOptions, attempt.Stopping).ConfigureAwait(false);
                    if (connected.ResultCode != MqttClientConnectResultCode.Success)
                    {
                        throw new BrokerRefusedException(connected.ResultCode, connected.ReasonString);
                    }

                    await SubscribeAsync(client, attempt.Stopping).ConfigureAwait(false);
                    attempt.Connected();
                    if (attempt.Flapping)
                    {
                        Log.ReadyAgain(logger, session.TopicFilter, options.Host, options.Port, connected.IsSessionPresent);
                    }
                    else
                    {
                        Log.Ready(logger, session.TopicFilter, options.Host, options.Port, connected.IsSessionPresent);
                    }

                    await Task.Delay(Timeout.Infinite, attempt.Lost).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                    if (!attempt.Stopping.IsCancellationRequested)
                    {
                        throw new BrokerConnectionLostException();
                    }
                },
                async failure =>
                {
                    if (failure.Report)
                    {
                        Log.NotSubscribed(logger, failure.Reason, failure.Delay.TotalSeconds, failure.InARow);
                    }
                    else
                    {
                        Log.NotSubscribedAgain(logger, failure.Reason, failure.Delay.TotalSeconds, failure.InARow);
                    }

                    // Connected but not subscribed (a refused subscription): start the next attempt from scratch.
                    await DisconnectAsync(client).ConfigureAwait(false);
                },
                session.NextGeneration,
                stoppingToken).ConfigureAwait(false);
        }
        finally
        {
            client.ApplicationMessageReceivedAsync -= OnMessageAsync;
            await DisconnectAsync(client).ConfigureAwait(false);
        }
    }

    private async Task SubscribeAsync(IMqttClient client, CancellationToken cancellationToken)
    {
        var options = session.Options;
        var subscribed = await client.SubscribeAsync(
            new MqttClientSubscribeOptionsBuilder()
                .WithTopicFilter(f => f
                    .WithTopic(session.TopicFilter)
                    .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)

                    // Retained status messages once, not again on every reconnect (shared subscriptions get none).
                    .WithRetainHandling(MqttRetainHandling.SendAtSubscribeIfNewSubscriptionOnly))
                .Build(),
            cancellationToken).ConfigureAwait(false);
        foreach (var item in subscribed.Items)
        {
            if (item.ResultCode != MqttClientSubscribeResultCode.GrantedQoS1)
            {
                throw new BrokerRejectedException(item.ResultCode == MqttClientSubscribeResultCode.SharedSubscriptionsNotSupported
                    ? $"the broker {options.Host}:{options.Port} does not support shared subscriptions ({session.TopicFilter}); set Ingest:Mqtt:SharedSubscription to false to subscribe without a group (then run one instance only)"
                    : $"the broker {options.Host}:{options.Port} did not grant {session.TopicFilter} at QoS 1: {item.ResultCode} (check the broker's ACL for user '{options.Username}')");
            }
        }
    }

    private async Task OnMessageAsync(MqttApplicationMessageReceivedEventArgs args)
    {
        // Acknowledged by the pipeline once the point is stored or the message dead-lettered, not when this returns.
        args.AutoAcknowledge = false;
        var message = args.ApplicationMessage;
        var size = message.Payload.Length;
        var limit = pipeline.MaxPayloadBytes;
        var payload = (size > limit ? message.Payload.Slice(0, limit) : message.Payload).ToArray();
        var inbound = new InboundMessage(message.Topic, payload, size, time.GetUtcNow().ToUnixTimeMilliseconds(), session.AcknowledgementOf(args));
        await pipeline.SubmitAsync(inbound, CancellationToken.None).ConfigureAwait(false);
    }

    private static async Task DisconnectAsync(IMqttClient client)
    {
        if (!client.IsConnected)
        {
            return;
        }

        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));

            // A normal disconnect keeps the session (its expiry is set at connect): the broker queues for the restart.
            await client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().WithReason(MqttClientDisconnectOptionsReason.NormalDisconnection).Build(), timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or MQTTnet.Exceptions.MqttCommunicationException)
        {
            // The broker keeps the session either way.
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 500, Level = LogLevel.Information, Message = "Ingest ready: subscribed to {Filter} on {Host}:{Port} (session present: {SessionPresent})")]
        public static partial void Ready(ILogger logger, string filter, string host, int port, bool sessionPresent);

        // Subscribed again right after the broker ended the last connection within seconds: no news while it flaps.
        [LoggerMessage(EventId = 503, Level = LogLevel.Debug, Message = "Ingest ready (again): subscribed to {Filter} on {Host}:{Port} (session present: {SessionPresent})")]
        public static partial void ReadyAgain(ILogger logger, string filter, string host, int port, bool sessionPresent);

        [LoggerMessage(EventId = 501, Level = LogLevel.Error, Message = "Not subscribed: {Reason}; retrying in {DelaySeconds:0.0} s (failed attempts in a row: {Attempts})")]
        public static partial void NotSubscribed(ILogger logger, string reason, double delaySeconds, int attempts);

        // The same failure again: only at the debug level, the state has not changed (src/docs/ingest.md).
        [LoggerMessage(EventId = 502, Level = LogLevel.Debug, Message = "Not subscribed (again): {Reason}; retrying in {DelaySeconds:0.0} s (failed attempts in a row: {Attempts})")]
        public static partial void NotSubscribedAgain(ILogger logger, string reason, double delaySeconds, int attempts);
    }
}
