using System.Threading.Channels;
using EdgeGateway.Core.Configuration;
using EdgeGateway.Ingest.Confirmation;
using EdgeGateway.Ingest.DeadLetter;
using EdgeGateway.Ingest.Hosting;
using EdgeGateway.Ingest.Points;
using EdgeGateway.Ingest.Status;
using EdgeGateway.Ingest.Subscription;
using EdgeGateway.Ingest.Validation;
using EdgeGateway.Ingest.Writing;

namespace EdgeGateway.Ingest.Batching;

/// <summary>
/// Validation → bounded channel → one batch writer. <see cref="SubmitAsync"/> runs on the MQTT client's dispatch task:
/// it validates the message and builds its point there, so the two cores share the work. <see cref="RunAsync"/> drains
/// the channel into batches (flushed at <c>BatchSize</c> items or <c>FlushInterval</c> after the first), dead-letters
/// the invalid messages, writes the points, and acknowledges each message only once its point is stored or it is
/// dead-lettered (a written batch's acknowledgements go out while the next batch is written). A failed write is
/// retried for as long as it takes (Retry-After honoured, else exponential backoff with jitter): nothing is dropped.
/// A 413 splits the batch in halves; a 400 bisects it down to the points the database refuses, which are
/// dead-lettered while the rest is written.
/// </summary>
public sealed partial class IngestPipeline
{
    private static readonly TimeSpan s_longestRetryAfter = TimeSpan.FromMinutes(10);

    private readonly IngestOptions _options;
    private readonly IPointWriter _writer;
    private readonly DeadLetterSink _deadLetters;
    private readonly DeliveryConfirmer _confirmer;
    private readonly IngestCounters _counters;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly MessageValidator _validator;
    private readonly Channel<Item> _channel;

    // The acknowledgements of the last written batch, sent while the next batch is written (see WriteAsync).
    private Task _acknowledging = Task.CompletedTask;

    /// <summary>
    /// A pipeline writing through <paramref name="writer"/>; <see cref="RunAsync"/> must run for anything to happen. With
    /// <paramref name="fleet"/> (<c>Ingest:FleetFile</c>, read at start) every sender is checked against it.
    /// </summary>
    public IngestPipeline(IngestOptions options, IPointWriter writer, DeadLetterSink deadLetters, DeliveryConfirmer confirmer, IngestCounters counters, TimeProvider time, ILogger<IngestPipeline> logger, Fleet? fleet = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _writer = writer;
        _deadLetters = deadLetters;
        _confirmer = confirmer;
        _counters = counters;
        _time = time;
        _logger = logger;
        _validator = new MessageValidator(options.Mqtt.TopicPrefix, options.MaxPayloadBytes, new PlausibleTime(options.MaxFutureSkew, options.EarliestTime), fleet);

        // The broker holds back more than ReceiveMaximum unacknowledged messages, so this rarely fills; when it does,
        // the MQTT dispatch waits and TCP pushes back to the broker.
        _channel = Channel.CreateBounded<Item>(new BoundedChannelOptions(Math.Max(options.BatchSize, options.Mqtt.ReceiveMaximum))
        {
            SingleReader = true,
            SingleWriter = false,
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    /// <summary>The payload size limit; a receiver needs to keep no more than this many bytes of a larger payload.</summary>
    public int MaxPayloadBytes => _options.MaxPayloadBytes;

    /// <summary>
    /// Validates <paramref name="message"/> and queues it for the batch writer; waits while the queue is full. False when
    /// the pipeline is shutting down (the message is then not acknowledged: the broker delivers it again).
    /// </summary>
    public async ValueTask<bool> SubmitAsync(InboundMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var result = Validate(() => _validator.Validate(message.Topic, message.Payload, message.PayloadSize, message.ReceivedAtMs), message.Topic);
        if (result.Batch is not { } batch)
        {
            return await QueueAsync(message, result, cancellationToken).ConfigureAwait(false);
        }

        // A batch: each record goes on as if it had come alone (its own line, dead letter and confirmation); the message is
        // acknowledged to the broker once all of them are handled. An empty batch is acknowledged at once.
        if (batch.Records.Count == 0)
        {
            return await QueueAsync(message, ValidationResult.Ignore(), cancellationToken).ConfigureAwait(false);
        }

        var acknowledgement = new SharedAcknowledgement(message.Acknowledgement, batch.Records.Count);
        foreach (var record in batch.Records)
        {
            var part = new InboundMessage(record.Topic, record.Payload, record.Payload.Length, message.ReceivedAtMs, acknowledgement);
            var partResult = Validate(() => _validator.ValidateBatched(record, batch, message.ReceivedAtMs), record.Topic);
            if (!await QueueAsync(part, partResult, cancellationToken).ConfigureAwait(false))
            {
                return false;
            }
        }

        return true;
    }

    private ValidationResult Validate(Func<ValidationResult> validate, string topic)
    {
        try
        {
            return validate();
        }
        catch (Exception e)
        {
            // A bug, not bad input (the validator never throws for input): keep the message, keep going.
            Log.ValidatorFailed(_logger, topic, e);
            return ValidationResult.Reject(RejectionKind.Schema, $"the ingest could not validate it: {e.GetType().Name}: {e.Message}");
        }
    }

    /// <summary>Queues one record (or message) for the batch writer and counts it received (not when the pipeline is closing: the gateway sends it again).</summary>
    private async ValueTask<bool> QueueAsync(InboundMessage message, ValidationResult result, CancellationToken cancellationToken)
    {
        var item = result.Ignored ? new Item(message, null, null, null)
            : result.Record is { } record ? new Item(message, PointBuilder.Lines(record), null, result.Sender)
            : new Item(message, null, result.Rejection, result.Sender);
        try
        {
            await _channel.Writer.WriteAsync(item, cancellationToken).ConfigureAwait(false);
            _counters.Receive();
            return true;
        }
        catch (ChannelClosedException)
        {
            return false;
        }
    }

    /// <summary>No more messages: <see cref="RunAsync"/> writes what it holds and returns.</summary>
    public void Complete() => _channel.Writer.TryComplete();

    /// <summary>The batch writer; returns when <see cref="Complete"/> was called and everything is handled, or when cancelled.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var prepared = await _writer.PrepareAsync(cancellationToken).ConfigureAwait(false);
        if (prepared.Status != WriteStatus.Ok)
        {
            // Not fatal: the writer tries again before its first write, and writes are retried until they succeed.
            Log.NotPrepared(_logger, prepared.Reason);
        }

        if (_validator.Fleet is { } fleet)
        {
            var cells = fleet.Gateways.Sum(g => g.Cells.Count);
            Log.CheckingIdentity(_logger, fleet.Name, fleet.Gateways.Count, cells);
        }

        var reader = _channel.Reader;
        var batch = new List<Item>(_options.BatchSize);
        Task<bool>? waiting = null;
        while (true)
        {
            if (!reader.TryRead(out var first))
            {
                waiting ??= reader.WaitToReadAsync(cancellationToken).AsTask();
                var more = await waiting.ConfigureAwait(false);
                waiting = null;
                if (!more)
                {
                    await _acknowledging.ConfigureAwait(false);
                    return;
                }

                continue;
            }

            batch.Add(first);
            using (var flushTimer = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                var due = Task.Delay(_options.FlushInterval, _time, flushTimer.Token);
                while (batch.Count < _options.BatchSize)
                {
                    if (reader.TryRead(out var next))
                    {
                        batch.Add(next);
                        continue;
                    }

                    waiting ??= reader.WaitToReadAsync(cancellationToken).AsTask();
                    if (await Task.WhenAny(waiting, due).ConfigureAwait(false) == due)
                    {
                        break;
                    }

                    var more = await waiting.ConfigureAwait(false);
                    waiting = null;
                    if (!more)
                    {
                        break;
                    }
                }

                await flushTimer.CancelAsync().ConfigureAwait(false);
            }

            await FlushAsync(batch, cancellationToken).ConfigureAwait(false);
            batch.Clear();
        }
    }

    private async Task FlushAsync(List<Item> batch, CancellationToken cancellationToken)
    {
        List<Item>? rejected = null;
        List<Item>? stored = null;
        foreach (var item in batch)
        {
            if (item.Line is not null)
            {
                (stored ??= new List<Item>(batch.Count)).Add(item);
            }
            else if (item.Rejection is not null)
            {
                (rejected ??= []).Add(item);
            }
            else
            {
                _counters.Ignore();
                await item.Message.Acknowledgement.AcknowledgeAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        if (rejected is not null)
        {
            await DeadLetterAsync(rejected, cancellationToken).ConfigureAwait(false);
        }

        if (stored is not null)
        {
            await WriteAsync(stored, 0, stored.Count, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Writes items [start, start + count): retried until the database accepts; split on 413, bisected on 400.</summary>
    private async Task WriteAsync(List<Item> items, int start, int count, CancellationToken cancellationToken)
    {
        var lines = new string[count];
        for (var i = 0; i < count; i++)
        {
            lines[i] = items[start + i].Line!;
        }

        for (var attempt = 1; ; attempt++)
        {
            var outcome = await TryWriteAsync(lines, cancellationToken).ConfigureAwait(false);
            switch (outcome.Status)
            {
                case WriteStatus.Ok:
                    // One PUBACK per message, a socket write each: a batch's acknowledgements took about a tenth of the
                    // time of its write, and the database waited for them. So they go out while the next batch is
                    // written; the previous batch's are awaited first, so that no more than one batch's are pending.
                    _counters.Write(count);
                    await _acknowledging.ConfigureAwait(false);
                    _acknowledging = AcknowledgeAsync(items, start, count, cancellationToken);
                    return;

                case WriteStatus.TooLarge or WriteStatus.RejectedInvalid when count == 1:
                    var reason = outcome.Status == WriteStatus.TooLarge
                        ? $"the database refused the point as too large: {outcome.Reason}"
                        : $"the database rejected the point: {outcome.Reason}";
                    await DeadLetterAsync([items[start] with { Rejection = new Rejection(RejectionKind.Database, reason) }], cancellationToken).ConfigureAwait(false);
                    return;

                case WriteStatus.TooLarge or WriteStatus.RejectedInvalid:
                    // Halves: a 413 until each part fits, a 400 down to the points the database refuses.
                    Log.Splitting(_logger, count, outcome.Status == WriteStatus.TooLarge ? "too large" : "holding invalid points", outcome.Reason);
                    var half = count / 2;
                    await WriteAsync(items, start, half, cancellationToken).ConfigureAwait(false);
                    await WriteAsync(items, start + half, count - half, cancellationToken).ConfigureAwait(false);
                    return;

                default:
                    _counters.Retry();
                    var delay = outcome.Status == WriteStatus.RetryAfter && outcome.RetryAfter is { } after
                        ? (after < s_longestRetryAfter ? after : s_longestRetryAfter)
                        : Backoff(attempt);
                    Log.WriteRetry(_logger, count, outcome.Reason, attempt, delay.TotalSeconds);
                    await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
                    break;
            }
        }
    }

    private async Task AcknowledgeAsync(List<Item> items, int start, int count, CancellationToken cancellationToken)
    {
        // Off the writer's path: the writer goes on to the next batch at once. The database holds these points now, so
        // their gateways may delete them; then the broker may too.
        await Task.Yield();
        await _confirmer.ConfirmAsync(SendersOf(items.Skip(start).Take(count)), cancellationToken).ConfigureAwait(false);
        for (var i = start; i < start + count; i++)
        {
            await items[i].Message.Acknowledgement.AcknowledgeAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<WriteOutcome> TryWriteAsync(string[] lines, CancellationToken cancellationToken)
    {
        try
        {
            return await _writer.WriteAsync(lines, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // Writers report failures as outcomes; anything thrown is a bug, and is retried like a failure.
            return new WriteOutcome(WriteStatus.Failed, $"{e.GetType().Name}: {e.Message}");
        }
    }

    /// <summary>Dead-letters <paramref name="items"/> (retrying those that reached neither the topic nor the file), then acknowledges them.</summary>
    private async Task DeadLetterAsync(List<Item> items, CancellationToken cancellationToken)
    {
        var pending = items;
        for (var attempt = 1; pending.Count > 0; attempt++)
        {
            var entries = new DeadLetterEntry[pending.Count];
            for (var i = 0; i < entries.Length; i++)
            {
                var message = pending[i].Message;
                entries[i] = new DeadLetterEntry(pending[i].Rejection!.Value, message.Topic, message.ReceivedAtMs, message.Payload, message.PayloadSize);
            }

            var done = await _deadLetters.WriteAsync(entries, cancellationToken).ConfigureAwait(false);
            await _confirmer.ConfirmAsync(SendersOf(pending.Where((_, i) => done[i])), cancellationToken).ConfigureAwait(false);
            var failed = new List<Item>();
            for (var i = 0; i < done.Length; i++)
            {
                if (!done[i])
                {
                    failed.Add(pending[i]);
                    continue;
                }

                var rejection = entries[i].Rejection;
                _counters.DeadLetter(rejection.Kind);
                Log.DeadLettered(_logger, entries[i].Topic, rejection.Kind.Name(), rejection.Reason);
                await pending[i].Message.Acknowledgement.AcknowledgeAsync(cancellationToken).ConfigureAwait(false);
            }

            if (failed.Count > 0)
            {
                var delay = Backoff(attempt);
                _counters.Retry();
                Log.DeadLetterRetry(_logger, failed.Count, delay.TotalSeconds);
                await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
            }

            pending = failed;
        }
    }

    private static IEnumerable<RecordSender> SendersOf(IEnumerable<Item> items)
    {
        foreach (var item in items)
        {
            if (item.Sender is { } sender)
            {
                yield return sender;
            }
        }
    }

    private TimeSpan Backoff(int attempt)
    {
        var exponential = _options.MinRetryDelay.TotalMilliseconds * Math.Pow(2, Math.Min(attempt - 1, 30));
        var capped = Math.Min(exponential, _options.MaxRetryDelay.TotalMilliseconds);
        return TimeSpan.FromMilliseconds(capped * (0.8 + (0.4 * Random.Shared.NextDouble())));
    }

    /// <summary>
    /// One message on its way: its points' line protocol (a KPI record's kpi, kpi_reason and kpi_article lines as one text,
    /// written, split and bisected together, so the record is confirmed only once all of them are stored), or why it is dead-lettered, or neither (the ingest's own dead
    /// letter); and its sender, to confirm it to once it is stored. The line, not a point object: InfluxDB.Client's <c>PointData</c> of a KPI record was ~8 KB of objects (its
    /// fields boxed in a sorted dictionary), its line is ~0.5 KB; items wait for their batch and its write long enough to
    /// survive gen 0, and holding points made the garbage collector's gen 1 work a quarter of the ingest's time
    /// (src/docs/ingest.md).
    /// </summary>
    private sealed record Item(InboundMessage Message, string? Line, Rejection? Rejection, RecordSender? Sender);

    private static partial class Log
    {
        [LoggerMessage(EventId = 520, Level = LogLevel.Warning, Message = "Dead-lettered a message on {Topic} ({Kind}): {Reason}")]
        public static partial void DeadLettered(ILogger logger, string topic, string kind, string reason);

        [LoggerMessage(EventId = 521, Level = LogLevel.Warning, Message = "The database did not take {Count} points ({Reason}); attempt {Attempt}, trying again in {DelaySeconds:0.0} s")]
        public static partial void WriteRetry(ILogger logger, int count, string? reason, int attempt, double delaySeconds);

        [LoggerMessage(EventId = 522, Level = LogLevel.Warning, Message = "Splitting a batch of {Count} points: the database found it {Why} ({Reason})")]
        public static partial void Splitting(ILogger logger, int count, string why, string? reason);

        [LoggerMessage(EventId = 523, Level = LogLevel.Error, Message = "{Count} dead letters reached neither the dead-letter topic nor the file; trying again in {DelaySeconds:0.0} s")]
        public static partial void DeadLetterRetry(ILogger logger, int count, double delaySeconds);

        [LoggerMessage(EventId = 525, Level = LogLevel.Warning, Message = "The database is not ready yet ({Reason}); writes will try again")]
        public static partial void NotPrepared(ILogger logger, string? reason);

        [LoggerMessage(EventId = 526, Level = LogLevel.Information, Message = "Checking every sender against the fleet file {FleetFile}: {Gateways} gateways, {Cells} cells")]
        public static partial void CheckingIdentity(ILogger logger, string fleetFile, int gateways, int cells);

        [LoggerMessage(EventId = 524, Level = LogLevel.Error, Message = "Could not validate a message on {Topic}; dead-lettering it")]
        public static partial void ValidatorFailed(ILogger logger, string topic, Exception exception);
    }
}
