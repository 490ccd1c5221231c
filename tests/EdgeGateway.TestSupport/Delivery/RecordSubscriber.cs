using System.Buffers;
using System.Text.Json;
using System.Threading.Channels;
using EdgeGateway.Core.Payload;
using MQTTnet;
using MQTTnet.Formatter;

namespace EdgeGateway.TestSupport.Delivery;

/// <summary>A status message of the gateway: birth (<c>online</c>, with the outbox numbers) or <c>offline</c>.</summary>
internal sealed record StatusMessage(string Status, long? Dropped, long? Depth);

/// <summary>What a <see cref="RecordSubscriber"/> has seen of one gateway.</summary>
/// <param name="Seqs">Every sequence number received at least once.</param>
/// <param name="FirstArrivals">Sequence numbers in the order of their first arrival.</param>
/// <param name="Messages">Records received, duplicates included.</param>
/// <param name="Duplicates">Records received again.</param>
/// <param name="Problems">Duplicates that differ from the first copy, records arriving out of order, unreadable payloads.</param>
/// <param name="Statuses">The gateway's status messages, in arrival order.</param>
/// <param name="SessionsLost">Reconnects on which the broker had forgotten the subscriber's session (messages may be lost there).</param>
/// <param name="LastArrival">When the last message of any kind arrived.</param>
internal sealed record Deliveries(
    IReadOnlySet<long> Seqs,
    IReadOnlyList<long> FirstArrivals,
    int Messages,
    int Duplicates,
    IReadOnlyList<string> Problems,
    IReadOnlyList<StatusMessage> Statuses,
    int SessionsLost,
    DateTimeOffset LastArrival)
{
    public override string ToString() =>
        $"the subscriber got {Messages} records ({Seqs.Count} distinct, {Duplicates} repeats), the last message {(DateTimeOffset.UtcNow - LastArrival).TotalSeconds:F1} s ago";
}

/// <summary>
/// An MQTTnet 5 subscriber on everything of the site (QoS 1) that keeps, per sequence number, the first payload of one
/// gateway's KPI and state records. Its session is persistent (clean start off, session expiry), and it reconnects
/// by itself, so with broker persistence a broker restart loses nothing that reached the broker. With
/// <c>confirm</c> it is the backend for the agent's tests without an ingest: it confirms every record it receives
/// (src/docs/payloads-and-topics.md, "Delivery confirmations"), as the ingest does once the database holds it.
/// </summary>
internal sealed class RecordSubscriber : IAsyncDisposable
{
    /// <summary>The site of the test configs (deploy/sample).</summary>
    public const string Site = "sme-0042";

    private readonly IMqttClient _client;
    private readonly MqttClientOptions _options;
    private readonly MqttClientSubscribeOptions _subscription;
    private readonly string _gateway;
    private readonly string _statusTopic;
    private readonly Lock _lock = new();
    private readonly Dictionary<long, byte[]> _payloads = [];
    private readonly List<long> _firstArrivals = [];
    private readonly List<string> _problems = [];
    private readonly List<StatusMessage> _statuses = [];
    private int _messages;
    private int _duplicates;
    private int _sessionsLost;
    private int _batches;
    private long _maxSeq;
    private DateTimeOffset _lastArrival;
    private volatile bool _disposed;
    private Task _reconnecting = Task.CompletedTask;
    private readonly Channel<long>? _toConfirm;
    private readonly Task _confirming = Task.CompletedTask;

    private RecordSubscriber(int port, string gateway, (string User, string Password)? credentials, bool confirm)
    {
        _gateway = gateway;
        if (confirm)
        {
            _toConfirm = Channel.CreateUnbounded<long>(new UnboundedChannelOptions { SingleReader = true });
            _confirming = Task.Run(ConfirmAsync);
        }

        _statusTopic = $"edgegw/v1/{Site}/status/{gateway}";
        var builder = new MqttClientOptionsBuilder()
            .WithTcpServer(MosquittoBroker.Host, port)
            // MQTTnet sets SO_RCVBUF/SO_SNDBUF to its BufferSize (8 KiB unless told), which turns off the kernel's
            // autotuning. A receive buffer below one loopback segment (64 KiB) makes the kernel hold back window
            // updates, and the broker then delivers about 40 messages a second whenever a backlog builds (seen
            // here: 900 kB queued at the broker, an empty receive queue). 1 MiB keeps the window open.
            .WithTcpServer(tcp => tcp.BufferSize = 1 << 20)
            .WithClientId($"test-subscriber-{gateway}-{Guid.NewGuid():N}")
            .WithProtocolVersion(MqttProtocolVersion.V500)
            .WithCleanStart(false)
            .WithSessionExpiryInterval(600)
            .WithKeepAlivePeriod(TimeSpan.FromSeconds(30))
            .WithTimeout(TimeSpan.FromSeconds(5));
        if (credentials is var (user, password))
        {
            builder.WithCredentials(user, password);
        }

        _options = builder.Build();
        if (_options.ChannelOptions is not MqttClientTcpOptions { BufferSize: 1 << 20 })
        {
            throw new InvalidOperationException("the subscriber's socket buffers are not 1 MiB (an MQTTnet builder call replaced the TCP options)");
        }

        _subscription = new MqttClientSubscribeOptionsBuilder()
            .WithTopicFilter(f => f.WithTopic($"edgegw/v1/{Site}/#").WithAtLeastOnceQoS())
            .Build();
        _client = new MqttClientFactory().CreateMqttClient();
        _client.ApplicationMessageReceivedAsync += OnMessage;
        _client.DisconnectedAsync += OnDisconnected;
    }

    /// <summary>Records received so far, duplicates included.</summary>
    public int Messages
    {
        get
        {
            lock (_lock)
            {
                return _messages;
            }
        }
    }

    /// <summary>Batch messages received so far (src/docs/payloads-and-topics.md, "Batches").</summary>
    public int Batches
    {
        get
        {
            lock (_lock)
            {
                return _batches;
            }
        }
    }

    /// <summary>The highest sequence number received so far (0 before the first).</summary>
    public long MaxSeq
    {
        get
        {
            lock (_lock)
            {
                return _maxSeq;
            }
        }
    }

    /// <summary>Connects and subscribes to the site of <paramref name="gateway"/>.</summary>
    public static async Task<RecordSubscriber> ConnectAsync(MosquittoBroker broker, string gateway, (string User, string Password)? credentials = null, bool confirm = false)
    {
        var subscriber = new RecordSubscriber(broker.Port, gateway, credentials, confirm);
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await subscriber.ConnectOnceAsync(timeout.Token);
            return subscriber;
        }
        catch
        {
            await subscriber.DisposeAsync();
            throw;
        }
    }

    /// <summary>A copy of everything seen so far.</summary>
    public Deliveries Snapshot()
    {
        lock (_lock)
        {
            return new Deliveries(new HashSet<long>(_payloads.Keys), [.. _firstArrivals], _messages, _duplicates, [.. _problems], [.. _statuses], _sessionsLost, _lastArrival);
        }
    }

    /// <summary>The first payload of every record received so far, by sequence number.</summary>
    public IReadOnlyDictionary<long, byte[]> Payloads()
    {
        lock (_lock)
        {
            return new Dictionary<long, byte[]>(_payloads);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _disposed = true;
        try
        {
            if (_client.IsConnected)
            {
                // Session expiry 0: the broker forgets the session now instead of queueing for it.
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await _client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().WithSessionExpiryInterval(0).Build(), timeout.Token);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or MQTTnet.Exceptions.MqttCommunicationException)
        {
            // The broker may be gone already.
        }

        await _reconnecting.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _toConfirm?.Writer.TryComplete();
        await _confirming.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _client.Dispose();
    }

    private async Task ConnectOnceAsync(CancellationToken cancellationToken)
    {
        var result = await _client.ConnectAsync(_options, cancellationToken);
        if (result.ResultCode != MqttClientConnectResultCode.Success)
        {
            throw new InvalidOperationException($"the test subscriber could not connect: {result.ResultCode} {result.ReasonString}");
        }

        if (!result.IsSessionPresent)
        {
            await _client.SubscribeAsync(_subscription, cancellationToken);
        }
    }

    private Task OnDisconnected(MqttClientDisconnectedEventArgs args)
    {
        if (args.ClientWasConnected && !_disposed)
        {
            _reconnecting = Task.Run(ReconnectAsync);
        }

        return Task.CompletedTask;
    }

    /// <summary>Tries again every 100 ms until connected (the broker may be down for a while) or disposed.</summary>
    private async Task ReconnectAsync()
    {
        while (!_disposed)
        {
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                var result = await _client.ConnectAsync(_options, timeout.Token);
                if (result.ResultCode == MqttClientConnectResultCode.Success)
                {
                    if (!result.IsSessionPresent)
                    {
                        lock (_lock)
                        {
                            _sessionsLost++;
                        }

                        await _client.SubscribeAsync(_subscription, timeout.Token);
                    }

                    return;
                }
            }
            catch (Exception) when (!_disposed)
            {
                // Not up yet.
            }

            await Task.Delay(100);
        }
    }

    private Task OnMessage(MqttApplicationMessageReceivedEventArgs args)
    {
        var message = args.ApplicationMessage;
        var payload = message.Payload.ToArray();
        lock (_lock)
        {
            _lastArrival = DateTimeOffset.UtcNow;
            if (message.Topic.Contains($"/{TopicScheme.BatchLevel}/", StringComparison.Ordinal))
            {
                _batches++;
            }
        }

        if (message.Topic.Contains($"/{TopicScheme.BatchLevel}/", StringComparison.Ordinal))
        {
            // Several records in one message (src/docs/payloads-and-topics.md, "Batches"): each counts as if it had come alone.
            var records = new List<BatchedRecord>();
            if (!RecordBatch.TryRead(payload, records, out _, out _, out var error))
            {
                lock (_lock)
                {
                    _problems.Add($"unreadable batch on {message.Topic}: {error}");
                }

                return Task.CompletedTask;
            }

            foreach (var record in records)
            {
                OnRecord(record.Topic, record.Payload.ToArray());
            }

            return Task.CompletedTask;
        }

        if (message.Topic.Contains("/status/", StringComparison.Ordinal))
        {
            if (message.Topic != _statusTopic)
            {
                return Task.CompletedTask; // another gateway's (an earlier test's) retained status
            }

            var status = ReadStatus(payload);
            lock (_lock)
            {
                _statuses.Add(status);
            }

            return Task.CompletedTask;
        }

        OnRecord(message.Topic, payload);
        return Task.CompletedTask;
    }

    private void OnRecord(string topic, byte[] payload)
    {
        if (!TryReadRecord(payload, out var gateway, out var seq))
        {
            lock (_lock)
            {
                _problems.Add($"unreadable payload on {topic}: {System.Text.Encoding.UTF8.GetString(payload)}");
            }

            return;
        }

        if (gateway != _gateway)
        {
            return;
        }

        _toConfirm?.Writer.TryWrite(seq);
        lock (_lock)
        {
            _messages++;
            if (_payloads.TryGetValue(seq, out var first))
            {
                _duplicates++;
                if (!first.AsSpan().SequenceEqual(payload))
                {
                    _problems.Add($"seq {seq} arrived again with different bytes:\n  first {System.Text.Encoding.UTF8.GetString(first)}\n  again {System.Text.Encoding.UTF8.GetString(payload)}");
                }
            }
            else
            {
                if (seq < _maxSeq)
                {
                    _problems.Add($"seq {seq} arrived for the first time after seq {_maxSeq} (out of order)");
                }

                _payloads.Add(seq, payload);
                _firstArrivals.Add(seq);
                _maxSeq = Math.Max(_maxSeq, seq);
            }
        }

    }

    /// <summary>Confirms what arrived, as ranges, outside the receive handler (a publish awaited in it would wait on itself).</summary>
    private async Task ConfirmAsync()
    {
        var topic = TopicScheme.ConfirmationTopic(DeliveryConfirmation.DefaultTopicPrefix, Site, _gateway);
        var reader = _toConfirm!.Reader;
        while (await reader.WaitToReadAsync())
        {
            var sequences = new List<long>();
            while (reader.TryRead(out var seq))
            {
                sequences.Add(seq);
            }

            foreach (var payload in DeliveryConfirmation.Write(Site, _gateway, sequences))
            {
                try
                {
                    var message = new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload(payload).WithQualityOfServiceLevel(MQTTnet.Protocol.MqttQualityOfServiceLevel.AtLeastOnce).Build();
                    using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                    await _client.PublishAsync(message, timeout.Token);
                }
                catch (Exception e) when (e is OperationCanceledException or MQTTnet.Exceptions.MqttCommunicationException or InvalidOperationException)
                {
                    // Not connected (a broker restart): the agent sends these records again after its timeout.
                }
            }
        }
    }

    private static bool TryReadRecord(byte[] payload, out string? gateway, out long seq)
    {
        gateway = null;
        seq = 0;
        try
        {
            using var document = JsonDocument.Parse(payload);
            var root = document.RootElement;
            if (root.TryGetProperty("gateway", out var g) && root.TryGetProperty("seq", out var s) && s.TryGetInt64(out seq))
            {
                gateway = g.GetString();
                return true;
            }
        }
        catch (JsonException)
        {
        }

        return false;
    }

    private static StatusMessage ReadStatus(byte[] payload)
    {
        using var document = JsonDocument.Parse(payload);
        var root = document.RootElement;
        var status = root.GetProperty("status").GetString() ?? "";
        return root.TryGetProperty("outbox", out var outbox)
            ? new StatusMessage(status, outbox.GetProperty("dropped").GetInt64(), outbox.GetProperty("depth").GetInt64())
            : new StatusMessage(status, null, null);
    }
}
