using System.Text.Json;
using EdgeGateway.Core.Payload;
using EdgeGateway.Core.Traces;
using EdgeGateway.Ingest.Subscription;
using EdgeGateway.Ingest.Validation;

namespace EdgeGateway.Ingest.DeadLetter;

/// <summary>A message that cannot be stored, with why, as dead-lettered.</summary>
/// <param name="Rejection">Class and reason.</param>
/// <param name="Topic">The topic it came on.</param>
/// <param name="ReceivedAtMs">When it arrived, Unix ms.</param>
/// <param name="Payload">Its bytes (the first <c>MaxPayloadBytes</c> of an oversize one).</param>
/// <param name="PayloadSize">Its size as received.</param>
public sealed record DeadLetterEntry(Rejection Rejection, string Topic, long ReceivedAtMs, ReadOnlyMemory<byte> Payload, long PayloadSize);

/// <summary>
/// Dead-letters invalid messages twice: a QoS 1 publish to <c>{prefix}/_deadletter/{kind}</c> and a line appended to
/// <c>deadletter.jsonl</c>. Both carry <c>{"reason", "kind", "topic", "received_at", "payload_base64", "payload_bytes",
/// "truncated"}</c>. A message counts as dead-lettered when at least one of the two succeeded.
/// </summary>
public sealed partial class DeadLetterSink : IDisposable
{
    /// <summary>The file name in the dead-letter directory.</summary>
    public const string FileName = "deadletter.jsonl";

    private static readonly JsonEncodedText s_reason = JsonEncodedText.Encode("reason");
    private static readonly JsonEncodedText s_kind = JsonEncodedText.Encode("kind");
    private static readonly JsonEncodedText s_topic = JsonEncodedText.Encode("topic");
    private static readonly JsonEncodedText s_receivedAt = JsonEncodedText.Encode("received_at");
    private static readonly JsonEncodedText s_payload = JsonEncodedText.Encode("payload_base64");
    private static readonly JsonEncodedText s_payloadBytes = JsonEncodedText.Encode("payload_bytes");
    private static readonly JsonEncodedText s_truncated = JsonEncodedText.Encode("truncated");

    private readonly IBrokerPublisher _publisher;
    private readonly string _topicPrefix;
    private readonly string _path;
    private readonly ILogger _logger;
    private FileStream? _file;

    /// <summary>A sink publishing under <paramref name="topicPrefix"/> and appending to <paramref name="directory"/>/deadletter.jsonl.</summary>
    public DeadLetterSink(IBrokerPublisher publisher, string topicPrefix, string directory, ILogger<DeadLetterSink> logger)
    {
        _publisher = publisher;
        _topicPrefix = topicPrefix;
        _path = Path.Combine(directory, FileName);
        _logger = logger;
    }

    /// <summary>The file dead letters are appended to.</summary>
    public string FilePath => _path;

    /// <summary>The dead-letter topic of a rejection kind.</summary>
    public string TopicOf(RejectionKind kind) => TopicScheme.DeadLetterTopic(_topicPrefix, kind.Name());

    /// <summary>The JSON document of a dead letter (one line, no trailing newline).</summary>
    public static byte[] Encode(DeadLetterEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString(s_reason, entry.Rejection.Reason);
            json.WriteString(s_kind, entry.Rejection.Kind.Name());
            json.WriteString(s_topic, entry.Topic);
            json.WriteString(s_receivedAt, TraceTimestamp.Format(entry.ReceivedAtMs));
            json.WriteBase64String(s_payload, entry.Payload.Span);
            json.WriteNumber(s_payloadBytes, entry.PayloadSize);
            json.WriteBoolean(s_truncated, entry.PayloadSize > entry.Payload.Length);
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    /// <summary>
    /// Dead-letters <paramref name="entries"/>: appends them to the file (one write, flushed to disk) and publishes them
    /// all at once; returns per entry whether it was dead-lettered somewhere.
    /// </summary>
    public async Task<bool[]> WriteAsync(IReadOnlyList<DeadLetterEntry> entries, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var encoded = new byte[entries.Count][];
        for (var i = 0; i < encoded.Length; i++)
        {
            encoded[i] = Encode(entries[i]);
        }

        var filed = await AppendAsync(encoded, cancellationToken).ConfigureAwait(false);
        var published = new Task<bool>[encoded.Length];
        for (var i = 0; i < encoded.Length; i++)
        {
            published[i] = PublishAsync(TopicOf(entries[i].Rejection.Kind), encoded[i], cancellationToken);
        }

        var done = new bool[encoded.Length];
        for (var i = 0; i < encoded.Length; i++)
        {
            done[i] = await published[i].ConfigureAwait(false) | filed;
        }

        return done;
    }

    /// <inheritdoc />
    public void Dispose() => _file?.Dispose();

    private async Task<bool> PublishAsync(string topic, byte[] payload, CancellationToken cancellationToken)
    {
        try
        {
            return await _publisher.PublishAsync(topic, payload, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            Log.NotPublished(_logger, topic, e.Message);
            return false;
        }
    }

    private async Task<bool> AppendAsync(byte[][] lines, CancellationToken cancellationToken)
    {
        try
        {
            if (_file is null)
            {
                Directory.CreateDirectory(Path.GetDirectoryName(_path)!);
                _file = new FileStream(_path, FileMode.Append, FileAccess.Write, FileShare.Read, bufferSize: 0, FileOptions.Asynchronous);
            }

            var total = 0;
            foreach (var line in lines)
            {
                total += line.Length + 1;
            }

            var block = new byte[total];
            var at = 0;
            foreach (var line in lines)
            {
                line.CopyTo(block, at);
                at += line.Length;
                block[at++] = (byte)'\n';
            }

            await _file.WriteAsync(block, cancellationToken).ConfigureAwait(false);
            _file.Flush(flushToDisk: true);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Log.NotFiled(_logger, _path, e.Message);
            _file?.Dispose();
            _file = null;
            return false;
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 540, Level = LogLevel.Error, Message = "Cannot append dead letters to {Path}: {Reason}")]
        public static partial void NotFiled(ILogger logger, string path, string reason);

        [LoggerMessage(EventId = 541, Level = LogLevel.Warning, Message = "Cannot publish a dead letter to {Topic}: {Reason}")]
        public static partial void NotPublished(ILogger logger, string topic, string reason);
    }
}
