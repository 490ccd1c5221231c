using System.Buffers;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Text.Json;
using EdgeGateway.Agent.Hosting;
using EdgeGateway.Agent.Outbox;
using EdgeGateway.Agent.Status;
using EdgeGateway.Core.Configuration;
using EdgeGateway.Core.Traces;
using EdgeGateway.Mqtt;
using Microsoft.Extensions.Options;
using MQTTnet;
using MQTTnet.Protocol;

namespace EdgeGateway.Agent.Publishing;

/// <summary>
/// Delivers the outbox to the broker, in sequence order, QoS 1, up to <c>MaxInFlight</c> publishes awaiting their
/// PUBACK; a record leaves the outbox only when acknowledged. Sessions start clean: the outbox, not the broker,
/// is the source of truth, so after a reconnect everything unacknowledged is sent again (at least once; a repeat
/// is byte-identical). Reconnects back off exponentially with jitter and never give up. On connect a retained
/// birth message goes to the gateway's status topic; the last will (and a clean shutdown) marks it offline.
/// </summary>
internal sealed partial class MqttPublisher(
    GatewayConfig config,
    IOptions<AgentOptions> options,
    IOutbox outbox,
    Topics topics,
    AgentState state,
    ConfigFingerprint fingerprint,
    TimeProvider time,
    ILogger<MqttPublisher> logger) : BackgroundService
{
    private const int ReadBatch = 64;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var mqtt = options.Value.Mqtt;
        using var client = new MqttClientFactory().CreateMqttClient();
        var clientOptions = BuildClientOptions(mqtt);
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            using var lost = new CancellationTokenSource();
            Task OnDisconnected(MqttClientDisconnectedEventArgs args)
            {
                lost.Cancel();
                return Task.CompletedTask;
            }

            client.DisconnectedAsync += OnDisconnected;
            try
            {
                var connected = await client.ConnectAsync(clientOptions, stoppingToken).ConfigureAwait(false);
                if (connected.ResultCode != MqttClientConnectResultCode.Success)
                {
                    throw new BrokerRefusedException(connected.ResultCode, connected.ReasonString);
                }

                failures = 0;
                state.Broker = new BrokerState(Connected: true, time.GetUtcNow().ToUnixTimeMilliseconds(), LastError: null);
                Log.Connected(logger, mqtt.Host, mqtt.Port, outbox.Status.Depth);
                await PublishStatusAsync(client, online: true, stoppingToken).ConfigureAwait(false);
                using var linked = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, lost.Token);
                await DrainAsync(client, mqtt.MaxInFlight, linked.Token).ConfigureAwait(false);
            }
            catch (Exception) when (stoppingToken.IsCancellationRequested)
            {
                // Shutting down. MQTTnet reports a publish cancelled by the token as a timeout, which is no delivery
                // problem: what was not acknowledged stays in the outbox for the next start.
                break;
            }
            catch (Exception e)
            {
                failures++;
                var reason = Describe(e, mqtt);
                var delay = Backoff(mqtt, failures);
                state.Broker = new BrokerState(Connected: false, SinceMs: null, reason);
                Log.NotDelivering(logger, reason, delay.TotalSeconds, outbox.Status.Depth, e);
                await Task.Delay(delay, time, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
            finally
            {
                client.DisconnectedAsync -= OnDisconnected;
            }
        }

        await GoOfflineAsync(client).ConfigureAwait(false);
    }

    /// <summary>Publishes from the oldest unacknowledged record on; returns only by exception (disconnect, shutdown).</summary>
    private async Task DrainAsync(IMqttClient client, int maxInFlight, CancellationToken cancellationToken)
    {
        var next = outbox.Status.OldestSequence;
        var inFlight = new Queue<(long Sequence, Task<MqttClientPublishResult> Publish)>();
        var records = new OutboxRecord[ReadBatch];
        while (true)
        {
            if (inFlight.Count < maxInFlight)
            {
                var read = outbox.Read(next, records.AsSpan(0, Math.Min(ReadBatch, maxInFlight - inFlight.Count)));
                for (var i = 0; i < read; i++)
                {
                    var message = new MqttApplicationMessageBuilder()
                        .WithTopic(records[i].Topic)
                        .WithPayload(new ReadOnlySequence<byte>(records[i].Payload))
                        .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
                        .Build();
                    inFlight.Enqueue((records[i].Sequence, client.PublishAsync(message, cancellationToken)));
                    next = records[i].Sequence + 1;
                }

                if (read > 0)
                {
                    continue;
                }
            }

            if (inFlight.Count > 0)
            {
                // PUBACKs are awaited in order, so the acknowledged records are always a prefix of the outbox.
                var (sequence, publish) = inFlight.Dequeue();
                var result = await publish.ConfigureAwait(false);
                if (!result.IsSuccess)
                {
                    throw new BrokerRejectedException($"the broker refused record {sequence}: {result.ReasonCode} {result.ReasonString} (check the broker's ACL for topic prefix {options.Value.Mqtt.TopicPrefix})");
                }

                outbox.Acknowledge(sequence);
                continue;
            }

            await outbox.WaitForRecordsAsync(next, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task PublishStatusAsync(IMqttClient client, bool online, CancellationToken cancellationToken)
    {
        var message = new MqttApplicationMessageBuilder()
            .WithTopic(topics.Status)
            .WithPayload(StatusPayload(online))
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .WithRetainFlag()
            .Build();
        var result = await client.PublishAsync(message, cancellationToken).ConfigureAwait(false);
        if (!result.IsSuccess)
        {
            throw new BrokerRejectedException($"the broker refused the status message on {topics.Status}: {result.ReasonCode} {result.ReasonString}");
        }
    }

    private async Task GoOfflineAsync(IMqttClient client)
    {
        if (!client.IsConnected)
        {
            return;
        }

        var reason = MqttClientDisconnectOptionsReason.NormalDisconnection;
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await PublishStatusAsync(client, online: false, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or MQTTnet.Exceptions.MqttCommunicationException or BrokerRejectedException)
        {
            // A normal disconnect discards the last will, and the retained status would say "online" for good;
            // this reason makes the broker publish the will, which is the same offline status.
            reason = MqttClientDisconnectOptionsReason.DisconnectWithWillMessage;
            Log.OfflineNotSent(logger, e.Message);
        }

        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().WithReason(reason).Build(), timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or MQTTnet.Exceptions.MqttCommunicationException)
        {
            // Without a DISCONNECT the broker publishes the will once it notices the connection is gone.
        }
    }

    /// <summary>The retained status: birth (online, with what a technician or the backend needs) or offline.</summary>
    internal byte[] StatusPayload(bool online)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteNumber("v", 1);
            json.WriteString("site", config.Site);
            json.WriteString("gateway", options.Value.GatewayId);
            json.WriteString("status", online ? "online" : "offline");
            if (online)
            {
                var box = outbox.Status;
                json.WriteString("at", TraceTimestamp.Format(time.GetUtcNow().ToUnixTimeMilliseconds()));
                json.WriteString("software", typeof(MqttPublisher).Assembly.GetName().Version?.ToString(3) ?? "0.0.0");
                json.WriteString("config_sha256", fingerprint.Sha256);
                json.WriteStartArray("cells");
                foreach (var cell in config.Cells)
                {
                    json.WriteStringValue(cell.Id);
                }

                json.WriteEndArray();
                json.WriteStartObject("outbox");
                json.WriteNumber("depth", box.Depth);
                json.WriteNumber("dropped", box.Dropped);
                json.WriteNumber("corrupt", box.Corrupt);
                if (box.OldestAge is { } age)
                {
                    json.WriteNumber("oldest_age_s", Math.Round(age.TotalSeconds, 3));
                }
                else
                {
                    json.WriteNull("oldest_age_s");
                }

                json.WriteEndObject();
                json.WriteBoolean("clock_synced", state.ClockSynced);
            }

            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private MqttClientOptions BuildClientOptions(MqttOptions mqtt)
    {
        var builder = new MqttClientOptionsBuilder()
            .WithTcpServer(mqtt.Host, mqtt.Port)
            .WithClientId($"{config.Site}.{options.Value.GatewayId}")
            .WithProtocolVersion(MQTTnet.Formatter.MqttProtocolVersion.V500)
            .WithCleanStart(true)
            .WithKeepAlivePeriod(mqtt.KeepAlive)
            .WithTimeout(TimeSpan.FromSeconds(10))
            .WithWillTopic(topics.Status)
            .WithWillPayload(StatusPayload(online: false))
            .WithWillRetain(true)
            .WithWillQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce);
        BrokerSecurity.Apply(builder, mqtt);

        return builder.Build();
    }

    private static TimeSpan Backoff(MqttOptions mqtt, int failures)
    {
        var exponential = mqtt.MinBackoff.TotalMilliseconds * Math.Pow(2, Math.Min(failures - 1, 30));
        var capped = Math.Min(exponential, mqtt.MaxBackoff.TotalMilliseconds);
        return TimeSpan.FromMilliseconds(capped * (0.8 + (0.4 * Random.Shared.NextDouble())));
    }

    /// <summary>One line a technician can act on.</summary>
    internal static string Describe(Exception e, MqttOptions mqtt)
    {
        for (var inner = e; inner is not null; inner = inner.InnerException)
        {
            switch (inner)
            {
                case BrokerRefusedException refused:
                    return refused.ResultCode is MqttClientConnectResultCode.BadUserNameOrPassword or MqttClientConnectResultCode.NotAuthorized
                        ? $"the broker {mqtt.Host}:{mqtt.Port} refused the credentials of user '{mqtt.Username}' ({refused.ResultCode}): check Agent:Mqtt:Username and Password"
                        : $"the broker {mqtt.Host}:{mqtt.Port} refused the connection: {refused.ResultCode} {refused.Reason}";
                case MQTTnet.Adapter.MqttConnectingFailedException failed:
                    return $"the broker {mqtt.Host}:{mqtt.Port} refused the connection: {failed.Message}";
                case AuthenticationException:
                    return $"TLS with {mqtt.Host}:{mqtt.Port} failed: the broker's certificate is not trusted (must chain to the pinned CA {mqtt.CaFile ?? "(none set)"} and name {mqtt.Host})";
                case SocketException socket:
                    return $"cannot reach the broker {mqtt.Host}:{mqtt.Port}: {socket.SocketErrorCode}";
                case BrokerRejectedException rejected:
                    return rejected.Message;
            }
        }

        return $"connection to {mqtt.Host}:{mqtt.Port} lost: {e.Message}";
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 300, Level = LogLevel.Information, Message = "Connected to the broker {Host}:{Port}; {Depth} records waiting in the outbox")]
        public static partial void Connected(ILogger logger, string host, int port, long depth);

        [LoggerMessage(EventId = 301, Level = LogLevel.Error, Message = "Not delivering: {Reason}; retrying in {DelaySeconds:0.0} s ({Depth} records kept in the outbox)")]
        public static partial void NotDelivering(ILogger logger, string reason, double delaySeconds, long depth, Exception exception);

        [LoggerMessage(EventId = 302, Level = LogLevel.Warning, Message = "Could not publish the offline status on shutdown ({Reason}); disconnecting so that the broker publishes the last will instead")]
        public static partial void OfflineNotSent(ILogger logger, string reason);
    }
}

/// <summary>The broker answered CONNECT with a failure reason code.</summary>
internal sealed class BrokerRefusedException(MqttClientConnectResultCode resultCode, string? reason)
    : Exception($"the broker refused the connection: {resultCode} {reason}")
{
    public MqttClientConnectResultCode ResultCode { get; } = resultCode;

    public string? Reason { get; } = reason;
}

/// <summary>The broker answered a publish with a failure reason code (e.g. an ACL denial).</summary>
internal sealed class BrokerRejectedException(string message) : Exception(message);

/// <summary>SHA-256 of the config file the agent runs with (reported in the birth message).</summary>
public sealed record ConfigFingerprint(string Sha256);
