using System.Buffers;
using System.Runtime.InteropServices;
using EdgeGateway.Agent.Control;
using EdgeGateway.Agent.Hosting;
using EdgeGateway.Agent.Outbox;
using EdgeGateway.Agent.Status;
using EdgeGateway.Agent.Watchdog;
using EdgeGateway.Core.Configuration;
using EdgeGateway.Core.Payload;
using EdgeGateway.Mqtt;
using Microsoft.Extensions.Options;
using MQTTnet;
using MQTTnet.Protocol;

namespace EdgeGateway.Agent.Publishing;

/// <summary>
/// Delivers the outbox to the broker, in sequence order, QoS 1, up to <c>MaxInFlight</c> publishes awaiting their
/// PUBACK. A record leaves the outbox only when the backend confirms that the database holds it (src/docs/payloads-and-topics.md,
/// "Delivery confirmations"), not on the broker's PUBACK: a broker acknowledges records nobody receives (a lost
/// shared subscription, no ingest running). Up to <c>MaxUnconfirmed</c> records await their confirmation at once;
/// those not confirmed within <c>ConfirmTimeout</c> of being sent are sent again, for as long as it takes. Sessions
/// start clean: the outbox is the source of truth, so after a reconnect everything unconfirmed is sent again (at least
/// once; a repeat is byte-identical and overwrites itself in the database). Reconnects back off exponentially with
/// jitter and never give up. On connect a retained birth message goes to the gateway's status topic; the last will
/// (and a clean shutdown) marks it offline (both <see cref="StatusMessages"/>). Confirmations come in through the
/// <see cref="ConfirmationInbox"/>, remote commands through the <see cref="CommandInbox"/>.
/// </summary>
internal sealed partial class MqttPublisher(
    GatewayConfig config,
    IOptions<AgentOptions> options,
    IOutbox outbox,
    TopicScheme topics,
    AgentState state,
    StatusMessages status,
    PipelineLiveness liveness,
    ControlHandler commands,
    TimeProvider time,
    ILogger<MqttPublisher> logger) : BackgroundService
{
    private const int ReadBatch = 64;

    // Confirmations arrive on MQTTnet's receive task; the drain loop applies them (it alone owns the window).
    private readonly ConfirmationInbox _confirmations = new(options.Value.Mqtt.ConfirmTopicPrefix, config.Site, options.Value.GatewayId, logger);
    private readonly CommandInbox _commands = new(topics, commands, logger);
    private readonly UnconfirmedWindow _window = new(options.Value.Mqtt.MaxUnconfirmed);
    private readonly RecordBatch _batch = new();
    private long _confirmed;
    private long _resent;
    private long _noSubscriber;
    private int _roundsWithoutConfirmation;

    public override void Dispose()
    {
        _batch.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var mqtt = options.Value.Mqtt;
        using var client = new MqttClientFactory().CreateMqttClient();
        Task OnReceivedAsync(MqttApplicationMessageReceivedEventArgs args)
        {
            if (args.ApplicationMessage.Topic == _commands.Topic)
            {
                _commands.OnReceived(client, args.ApplicationMessage, stoppingToken);
                return Task.CompletedTask;
            }

            return _confirmations.OnReceivedAsync(args);
        }

        client.ApplicationMessageReceivedAsync += OnReceivedAsync;
        await BrokerConnection.KeepConnectedAsync(
            client,
            mqtt,
            "Agent:Mqtt",
            time,
            async attempt =>
            {
                // The TLS files are read for every connection, so that a renewed certificate is used without a restart.
                var files = CredentialFiles.Of(mqtt);
                var connected = await client.ConnectAsync(BuildClientOptions(mqtt), attempt.Stopping).ConfigureAwait(false);
                if (connected.ResultCode != MqttClientConnectResultCode.Success)
                {
                    throw new BrokerRefusedException(connected.ResultCode, connected.ReasonString);
                }

                await _confirmations.SubscribeAsync(client, attempt.Stopping).ConfigureAwait(false);
                await _commands.SubscribeAsync(client, attempt.Stopping).ConfigureAwait(false);
                attempt.Connected();
                state.Broker = new BrokerState(Connected: true, time.GetUtcNow().ToUnixTimeMilliseconds(), LastError: null);
                if (attempt.Flapping)
                {
                    Log.ConnectedAgain(logger, mqtt.Host, mqtt.Port, outbox.Status.Depth);
                }
                else
                {
                    Log.Connected(logger, mqtt.Host, mqtt.Port, outbox.Status.Depth);
                    if (mqtt.ClientCertFile is { } certificate)
                    {
                        // Its serial and end of validity in the journal: which certificate is in use, and when it runs out.
                        var described = CredentialFiles.Describe(certificate);
                        Log.ClientCertificate(logger, described);
                    }
                }

                await status.PublishAsync(client, online: true, attempt.Stopping).ConfigureAwait(false);

                // MQTTnet reports a publish cancelled by the stop as a timeout, which is no delivery problem: what was
                // not confirmed stays in the outbox for the next start (or the next connection).
                using var renewal = CancellationTokenSource.CreateLinkedTokenSource(attempt.Lost);
                var renewed = WatchAsync(files, renewal);
                try
                {
                    await DrainAsync(client, mqtt, renewal.Token).ConfigureAwait(false);
                }
                catch (Exception) when (renewed.IsCompletedSuccessfully && renewed.Result is not null && !attempt.Lost.IsCancellationRequested)
                {
                    Log.CredentialsChanged(logger, renewed.Result);
                    await client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().WithReason(MqttClientDisconnectOptionsReason.NormalDisconnection).Build(), CancellationToken.None).ConfigureAwait(false);

                    // MQTTnet says "disconnected" on its own task: wait for it here, or it would end the next connection.
                    using var said = CancellationTokenSource.CreateLinkedTokenSource(attempt.Lost);
                    said.CancelAfter(TimeSpan.FromSeconds(5));
                    await Task.Delay(Timeout.Infinite, said.Token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                    throw new BrokerReconnectRequestedException();
                }
                finally
                {
                    await renewal.CancelAsync().ConfigureAwait(false);
                    await renewed.ConfigureAwait(false);
                }
            },
            failure =>
            {
                state.Broker = new BrokerState(Connected: false, SinceMs: null, failure.Reason);
                if (failure.Report)
                {
                    Log.NotDelivering(logger, failure.Reason, failure.Delay.TotalSeconds, outbox.Status.Depth, failure.InARow);
                }
                else
                {
                    Log.NotDeliveringAgain(logger, failure.Reason, failure.Delay.TotalSeconds, outbox.Status.Depth, failure.InARow);
                }

                return Task.CompletedTask;
            },
            onDisconnected: null,
            stoppingToken).ConfigureAwait(false);

        liveness.PublisherStopped();
        client.ApplicationMessageReceivedAsync -= OnReceivedAsync;
        await GoOfflineAsync(client).ConfigureAwait(false);
    }

    /// <summary>The changed TLS files once they change (and <paramref name="renewal"/> cancelled); null when the connection ended first.</summary>
    private async Task<string?> WatchAsync(CredentialFiles files, CancellationTokenSource renewal)
    {
        try
        {
            var changed = await files.WaitForChangeAsync(time, renewal.Token).ConfigureAwait(false);
            await renewal.CancelAsync().ConfigureAwait(false);
            return changed;
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    /// <summary>
    /// Publishes from the oldest unconfirmed record on, applies confirmations, releases the confirmed prefix from the
    /// outbox and sends again what stays unconfirmed; returns only by exception (disconnect, shutdown).
    /// </summary>
    private async Task DrainAsync(IMqttClient client, MqttOptions mqtt, CancellationToken cancellationToken)
    {
        var heartbeatMs = (long)mqtt.HeartbeatInterval.TotalMilliseconds;
        var nextHeartbeatMs = time.GetUtcNow().ToUnixTimeMilliseconds() + heartbeatMs;
        var next = outbox.Status.OldestSequence;
        var inFlight = new Queue<Task<MqttClientPublishResult>>();
        var records = new OutboxRecord[Math.Max(ReadBatch, mqtt.BatchRecords)];
        var toSend = new List<OutboxRecord>(records.Length);
        var reportedNoSubscriber = false;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            ApplyConfirmations();
            var now = time.GetUtcNow().ToUnixTimeMilliseconds();
            var timeoutMs = ConfirmTimeoutMs(mqtt);
            if (now >= nextHeartbeatMs)
            {
                // The retained status again, so that the backend's gateway_status is never older than this interval.
                await status.PublishAsync(client, online: true, cancellationToken).ConfigureAwait(false);
                nextHeartbeatMs = now + heartbeatMs;
            }

            if (_window.Oldest is { } overdue && overdue.SentAtMs + timeoutMs <= now && next > overdue.Sequence)
            {
                // Not confirmed in time (lost on its way, or no ingest received it): send everything unconfirmed again,
                // from the oldest on. The outbox may have dropped the oldest meanwhile (its bounds): those are gone.
                _window.ForgetBelow(outbox.Status.OldestSequence);
                ApplyConfirmations();
                if (_window.Oldest is { } oldest && oldest.SentAtMs + timeoutMs <= now)
                {
                    Log.Resending(logger, _window.Count, oldest.Sequence, timeoutMs / 1000.0);
                    next = oldest.Sequence;
                    _roundsWithoutConfirmation++;
                }
            }

            if (inFlight.Count < mqtt.MaxInFlight)
            {
                var from = next;
                var read = outbox.Read(next, records.AsSpan(0, Math.Min(records.Length, (mqtt.MaxInFlight - inFlight.Count) * mqtt.BatchRecords)));
                toSend.Clear();
                for (var i = 0; i < read; i++)
                {
                    var record = records[i];
                    var held = _window.Find(record.Sequence);
                    if (held == UnconfirmedWindow.Held.No && _window.IsFull)
                    {
                        break;
                    }

                    next = record.Sequence + 1;
                    if (held == UnconfirmedWindow.Held.Confirmed)
                    {
                        continue;
                    }

                    toSend.Add(record);
                    if (held == UnconfirmedWindow.Held.Waiting)
                    {
                        _window.Resent(record.Sequence, now);
                        _resent++;
                    }
                    else
                    {
                        _window.Add(record.Sequence, now);
                    }
                }

                PublishAll(client, CollectionsMarshal.AsSpan(toSend), mqtt, inFlight, cancellationToken);
                if (next > from)
                {
                    continue;
                }
            }

            if (inFlight.Count > 0)
            {
                var result = await inFlight.Dequeue().ConfigureAwait(false);
                if (result.ReasonCode == MqttClientPublishReasonCode.NoMatchingSubscribers)
                {
                    // Accepted by the broker and given to nobody: the confirmation will not come, the record is sent
                    // again after ConfirmTimeout. Said once per connection, counted always.
                    _noSubscriber++;
                    if (!reportedNoSubscriber)
                    {
                        reportedNoSubscriber = true;
                        Log.NoSubscriber(logger, mqtt.Host, mqtt.Port, mqtt.ConfirmTimeout.TotalSeconds);
                    }
                }
                else if (!result.IsSuccess)
                {
                    throw new BrokerRejectedException($"the broker refused a record: {result.ReasonCode} {result.ReasonString} (check the broker's ACL for topic prefix {mqtt.TopicPrefix})");
                }

                continue;
            }

            await WaitAsync(next, timeoutMs, nextHeartbeatMs, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Publishes <paramref name="records"/>: one alone as itself, consecutive ones as batches of up to <c>BatchRecords</c>
    /// records and <c>BatchBytes</c> bytes (src/docs/payloads-and-topics.md, "Batches"): in a backlog one message carries many records.
    /// </summary>
    private void PublishAll(IMqttClient client, ReadOnlySpan<OutboxRecord> records, MqttOptions mqtt, Queue<Task<MqttClientPublishResult>> inFlight, CancellationToken cancellationToken)
    {
        var start = 0;
        var bytes = 0L;
        for (var i = 0; i <= records.Length; i++)
        {
            var size = i < records.Length ? records[i].Payload.Length + RecordBatch.Overhead(records[i].Topic) : 0;
            if (i - start > 0 && (i == records.Length || i - start == mqtt.BatchRecords || bytes + size > mqtt.BatchBytes))
            {
                inFlight.Enqueue(client.PublishAsync(Message(records[start..i]), cancellationToken));
                (start, bytes) = (i, 0);
            }

            bytes += size;
        }
    }

    private MqttApplicationMessage Message(ReadOnlySpan<OutboxRecord> records)
    {
        string topic;
        ReadOnlySequence<byte> payload;
        if (records.Length == 1)
        {
            (topic, payload) = (records[0].Topic, new ReadOnlySequence<byte>(records[0].Payload));
        }
        else
        {
            _batch.Begin(config.Site, options.Value.GatewayId);
            foreach (var record in records)
            {
                _batch.Add(record.Topic, record.Payload.Span);
            }

            (topic, payload) = (topics.Batch, new ReadOnlySequence<byte>(_batch.End()));
        }

        return new MqttApplicationMessageBuilder()
            .WithTopic(topic)
            .WithPayload(payload)
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .Build();
    }

    /// <summary>
    /// Waits for whatever comes first: a confirmation, a new record (when there is room for it), the oldest unconfirmed
    /// record's timeout or the heartbeat.
    /// </summary>
    private async Task WaitAsync(long next, long timeoutMs, long nextHeartbeatMs, CancellationToken cancellationToken)
    {
        using var done = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var waits = new List<Task>(3) { _confirmations.Reader.WaitToReadAsync(done.Token).AsTask() };
        if (!_window.IsFull)
        {
            waits.Add(outbox.WaitForRecordsAsync(next, done.Token).AsTask());
        }

        var dueMs = _window.Oldest is { } oldest ? Math.Min(nextHeartbeatMs, oldest.SentAtMs + timeoutMs) : nextHeartbeatMs;
        var dueIn = dueMs - time.GetUtcNow().ToUnixTimeMilliseconds();
        waits.Add(Task.Delay(TimeSpan.FromMilliseconds(Math.Max(1, dueIn)), time, done.Token));

        await Task.WhenAny(waits).ConfigureAwait(false);
        await done.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(waits).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    /// <summary>
    /// <c>ConfirmTimeout</c>, doubled for every re-send round that brought no confirmation at all, up to 16 times: a backend
    /// down for hours is not flooded by every gateway's whole backlog twice a minute. The first confirmation (a live record
    /// stored once the backend is back) resets it, and the overdue records go again at once.
    /// </summary>
    private long ConfirmTimeoutMs(MqttOptions mqtt) => (long)mqtt.ConfirmTimeout.TotalMilliseconds << Math.Min(_roundsWithoutConfirmation, 4);

    /// <summary>Marks confirmed records, lets the outbox delete the confirmed prefix, and updates the delivery status.</summary>
    private void ApplyConfirmations()
    {
        while (_confirmations.Reader.TryRead(out var ranges))
        {
            foreach (var range in ranges)
            {
                var confirmed = _window.Confirm(range.From, range.To);
                _confirmed += confirmed;
                if (confirmed > 0)
                {
                    _roundsWithoutConfirmation = 0;
                }
            }
        }

        if (_window.ReleaseConfirmedPrefix() is var released and > 0)
        {
            outbox.Acknowledge(released);
        }

        var delivery = state.Delivery;
        if (delivery.Confirmed != _confirmed || delivery.Resent != _resent || delivery.NoSubscriber != _noSubscriber)
        {
            state.Delivery = new DeliveryState(_confirmed, _resent, _noSubscriber);
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
            await status.PublishAsync(client, online: false, timeout.Token).ConfigureAwait(false);
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

    private MqttClientOptions BuildClientOptions(MqttOptions mqtt)
    {
        var builder = new MqttClientOptionsBuilder()
            .WithTcpServer(mqtt.Host, mqtt.Port)
            .WithClientId($"{config.Site}.{options.Value.GatewayId}")
            .WithProtocolVersion(MQTTnet.Formatter.MqttProtocolVersion.V500)
            .WithCleanStart(true)
            .WithKeepAlivePeriod(mqtt.KeepAlive)
            .WithTimeout(TimeSpan.FromSeconds(10))
            .WithWillTopic(status.Topic)
            .WithWillPayload(status.Offline())
            .WithWillRetain(true)
            .WithWillQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce);
        BrokerSecurity.Apply(builder, mqtt);

        return builder.Build();
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 300, Level = LogLevel.Information, Message = "Connected to the broker {Host}:{Port}; {Depth} records waiting in the outbox")]
        public static partial void Connected(ILogger logger, string host, int port, long depth);

        [LoggerMessage(EventId = 308, Level = LogLevel.Information, Message = "Client certificate {Certificate}")]
        public static partial void ClientCertificate(ILogger logger, string certificate);

        [LoggerMessage(EventId = 309, Level = LogLevel.Information, Message = "The broker's TLS files changed ({Files}): connecting again with them; unconfirmed records are sent again")]
        public static partial void CredentialsChanged(ILogger logger, string files);

        // Connected again right after the broker ended the last connection within seconds: no news while it flaps.
        [LoggerMessage(EventId = 307, Level = LogLevel.Debug, Message = "Connected to the broker {Host}:{Port} (again); {Depth} records waiting in the outbox")]
        public static partial void ConnectedAgain(ILogger logger, string host, int port, long depth);

        [LoggerMessage(EventId = 301, Level = LogLevel.Error, Message = "Not delivering: {Reason}; retrying in {DelaySeconds:0.0} s ({Depth} records kept in the outbox; failed attempts in a row: {Attempts})")]
        public static partial void NotDelivering(ILogger logger, string reason, double delaySeconds, long depth, int attempts);

        // The same failure again: only at the debug level, the state has not changed (src/docs/agent.md, "Logs").
        [LoggerMessage(EventId = 306, Level = LogLevel.Debug, Message = "Not delivering (again): {Reason}; retrying in {DelaySeconds:0.0} s ({Depth} records kept in the outbox; failed attempts in a row: {Attempts})")]
        public static partial void NotDeliveringAgain(ILogger logger, string reason, double delaySeconds, long depth, int attempts);

        [LoggerMessage(EventId = 302, Level = LogLevel.Warning, Message = "Could not publish the offline status on shutdown ({Reason}); disconnecting so that the broker publishes the last will instead")]
        public static partial void OfflineNotSent(ILogger logger, string reason);

        [LoggerMessage(EventId = 303, Level = LogLevel.Warning, Message = "{Count} records not confirmed as stored within {TimeoutSeconds:0.#} s of sending; sending them again from record {Sequence}")]
        public static partial void Resending(ILogger logger, int count, long sequence, double timeoutSeconds);

        [LoggerMessage(EventId = 304, Level = LogLevel.Warning, Message = "The broker {Host}:{Port} has no subscriber for this gateway's records (is the ingest running?); they stay in the outbox and are sent again after {TimeoutSeconds:0} s")]
        public static partial void NoSubscriber(ILogger logger, string host, int port, double timeoutSeconds);
    }
}
