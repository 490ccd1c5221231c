using EdgeGateway.Core.Payload;
using EdgeGateway.Ingest.Hosting;
using EdgeGateway.Ingest.Status;
using EdgeGateway.Mqtt;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace EdgeGateway.Ingest.Subscription;

/// <summary>
/// The ingest's one MQTT client: a persistent MQTT 5 session (clean start off, a session expiry, a Receive Maximum), manual
/// acknowledgement, and the publisher of dead letters. Every connection gets a new generation number; an acknowledgement
/// is sent only on the connection its message came on, because packet ids are per connection: a PUBACK with an old id
/// on a new connection could acknowledge a different message. What was not acknowledged the broker sends again.
/// </summary>
public sealed class MqttSession : IBrokerPublisher, IDisposable
{
    private readonly IngestCounters _counters;
    private int _generation;

    /// <summary>A session for <paramref name="options"/>; nothing connects until <see cref="MqttSubscriber"/> runs.</summary>
    public MqttSession(IngestMqttOptions options, IngestCounters counters)
    {
        ArgumentNullException.ThrowIfNull(options);
        Options = options;
        _counters = counters;
        Client = new MqttClientFactory().CreateMqttClient();
        ClientOptions = BuildClientOptions(options);
    }

    /// <summary>The MQTT options.</summary>
    public IngestMqttOptions Options { get; }

    /// <summary>The client.</summary>
    public IMqttClient Client { get; }

    /// <summary>The connect options.</summary>
    public MqttClientOptions ClientOptions { get; }

    /// <summary>The subscription: <c>$share/{Group}/{TopicPrefix}/#</c>, or <c>{TopicPrefix}/#</c> when not shared.</summary>
    public string TopicFilter => FilterOf(Options);

    /// <summary>Number of the current connection (changes on every connect and disconnect).</summary>
    public int Generation => Volatile.Read(ref _generation);

    /// <summary>The subscription filter for <paramref name="options"/>.</summary>
    public static string FilterOf(IngestMqttOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var all = TopicScheme.AllFilter(options.TopicPrefix);
        return options.SharedSubscription ? $"$share/{options.Group}/{all}" : all;
    }

    /// <summary>Marks the start or end of a connection: acknowledgements of earlier messages are not sent any more.</summary>
    public void NextGeneration() => Interlocked.Increment(ref _generation);

    /// <summary>The acknowledgement of a message received on the current connection.</summary>
    public IDeliveryAcknowledgement AcknowledgementOf(MqttApplicationMessageReceivedEventArgs args) => new Acknowledgement(this, args, Generation);

    /// <inheritdoc />
    public async Task<bool> PublishAsync(string topic, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        if (!Client.IsConnected)
        {
            return false;
        }

        var message = new MqttApplicationMessageBuilder()
            .WithTopic(topic)
            .WithPayload(new System.Buffers.ReadOnlySequence<byte>(payload))
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .Build();
        try
        {
            var result = await Client.PublishAsync(message, cancellationToken).ConfigureAwait(false);
            return result.IsSuccess;
        }
        catch (Exception e) when (e is MQTTnet.Exceptions.MqttCommunicationException or InvalidOperationException)
        {
            return false;
        }
    }

    /// <inheritdoc />
    public void Dispose() => Client.Dispose();

    private static MqttClientOptions BuildClientOptions(IngestMqttOptions mqtt)
    {
        var builder = new MqttClientOptionsBuilder()
            .WithTcpServer(mqtt.Host, mqtt.Port)
            .WithClientId(mqtt.ClientId)
            .WithProtocolVersion(MqttProtocolVersion.V500)
            .WithCleanStart(false)
            .WithSessionExpiryInterval((uint)mqtt.SessionExpiry.TotalSeconds)
            .WithReceiveMaximum((ushort)mqtt.ReceiveMaximum)
            .WithKeepAlivePeriod(mqtt.KeepAlive)
            .WithTimeout(TimeSpan.FromSeconds(10));
        BrokerSecurity.Apply(builder, mqtt);

        var options = builder.Build();

        // MQTTnet sets SO_RCVBUF to this (default 8 KiB), which turns off Linux's receive-window autotuning. With a
        // broker that leaves Nagle on (Mosquitto's set_tcp_nodelay false), a window that small stalled a QoS 1
        // subscriber for good under load here (src/docs/ingest.md); a larger buffer did not.
        ((MqttClientTcpOptions)options.ChannelOptions).BufferSize = mqtt.SocketBufferBytes;
        return options;
    }

    private sealed class Acknowledgement(MqttSession session, MqttApplicationMessageReceivedEventArgs args, int generation) : IDeliveryAcknowledgement
    {
        public async ValueTask<bool> AcknowledgeAsync(CancellationToken cancellationToken)
        {
            if (session.Generation != generation || !session.Client.IsConnected)
            {
                session._counters.AckLost();
                return false;
            }

            try
            {
                await args.AcknowledgeAsync(cancellationToken).ConfigureAwait(false);
                return true;
            }
            catch (Exception e) when (e is MQTTnet.Exceptions.MqttCommunicationException or InvalidOperationException or ObjectDisposedException)
            {
                session._counters.AckLost();
                return false;
            }
        }
    }
}
