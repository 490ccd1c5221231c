using System.Buffers;
using System.Text;
using System.Text.Json;

namespace EdgeGateway.Core.Payload;

/// <summary>One record inside a batch: the topic it would have been published on alone, and its payload, byte for byte.</summary>
public readonly record struct BatchedRecord(string Topic, ReadOnlyMemory<byte> Payload);

/// <summary>
/// Several records of one gateway in one MQTT message (src/docs/payloads-and-topics.md, "Batches"), on <c>{prefix}/{site}/batch/{gateway}</c>:
/// <c>{"v":1,"site":"sme-0042","gateway":"gw-1","records":[{"topic":"edgegw/v1/sme-0042/cell-1/kpi/1m","payload":{…}}, …]}</c>.
/// Each payload is exactly the record's own payload; the backend reads each record as if it had come alone on its topic.
/// A gateway sends batches while it drains a backlog: one message, one PUBACK and one broker hop for many records.
/// </summary>
public sealed class RecordBatch : IDisposable
{
    private static readonly JsonEncodedText s_v = JsonEncodedText.Encode("v");
    private static readonly JsonEncodedText s_site = JsonEncodedText.Encode("site");
    private static readonly JsonEncodedText s_gateway = JsonEncodedText.Encode("gateway");
    private static readonly JsonEncodedText s_records = JsonEncodedText.Encode("records");
    private static readonly JsonEncodedText s_topic = JsonEncodedText.Encode("topic");
    private static readonly JsonEncodedText s_payload = JsonEncodedText.Encode("payload");

    private readonly ArrayBufferWriter<byte> _buffer = new(4096);
    private readonly Utf8JsonWriter _json;

    /// <summary>A writer of batches (reused: one batch at a time).</summary>
    public RecordBatch() => _json = new Utf8JsonWriter(_buffer, new JsonWriterOptions { SkipValidation = true });

    /// <summary>Records in the batch begun last.</summary>
    public int Count { get; private set; }

    /// <summary>The batch's size so far, closing brackets not included.</summary>
    public long Bytes => _buffer.WrittenCount + _json.BytesPending;

    /// <summary>The bytes a record adds to a batch besides its topic and payload.</summary>
    public static int Overhead(string topic) => Encoding.UTF8.GetByteCount(topic) + 24;

    /// <inheritdoc />
    public void Dispose() => _json.Dispose();

    /// <summary>Starts a batch.</summary>
    public void Begin(string site, string gateway)
    {
        _buffer.ResetWrittenCount();
        _json.Reset(_buffer);
        _json.WriteStartObject();
        _json.WriteNumber(s_v, 1);
        _json.WriteString(s_site, site);
        _json.WriteString(s_gateway, gateway);
        _json.WriteStartArray(s_records);
        Count = 0;
    }

    /// <summary>Adds a record; <paramref name="payload"/> must be one JSON object (as the encoder wrote it).</summary>
    public void Add(string topic, ReadOnlySpan<byte> payload)
    {
        _json.WriteStartObject();
        _json.WriteString(s_topic, topic);
        _json.WritePropertyName(s_payload);
        _json.WriteRawValue(payload, skipInputValidation: true);
        _json.WriteEndObject();
        Count++;
    }

    /// <summary>Ends the batch and returns its payload.</summary>
    public byte[] End()
    {
        _json.WriteEndArray();
        _json.WriteEndObject();
        _json.Flush();
        return _buffer.WrittenSpan.ToArray();
    }

    /// <summary>
    /// Reads a batch's envelope: its site and gateway, and each record's topic and payload (slices of
    /// <paramref name="payload"/>, not copies). False with the reason, naming the field, for anything else; never throws.
    /// The records themselves are not checked here: each is validated as a message of its own.
    /// </summary>
    public static bool TryRead(ReadOnlyMemory<byte> payload, List<BatchedRecord> records, out string site, out string gateway, out string? error)
    {
        ArgumentNullException.ThrowIfNull(records);
        records.Clear();
        site = gateway = "";
        try
        {
            var reader = new Utf8JsonReader(payload.Span, new JsonReaderOptions { MaxDepth = 10 });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return Fail("batch: expected a JSON object", out error);
            }

            var version = 0;
            var sawRecords = false;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = reader.GetString();
                reader.Read();
                switch (name)
                {
                    case "v" when reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out version):
                        break;
                    case "site" when reader.TokenType == JsonTokenType.String:
                        site = reader.GetString()!;
                        break;
                    case "gateway" when reader.TokenType == JsonTokenType.String:
                        gateway = reader.GetString()!;
                        break;
                    case "records" when reader.TokenType == JsonTokenType.StartArray:
                        sawRecords = true;
                        if (!TryReadRecords(ref reader, payload, records, out error))
                        {
                            return false;
                        }

                        break;
                    default:
                        return Fail($"batch.{name}: unknown, repeated or of the wrong type", out error);
                }
            }

            if (version != 1)
            {
                return Fail("batch.v: expected 1", out error);
            }

            if (site.Length == 0 || gateway.Length == 0 || !sawRecords)
            {
                return Fail("batch: site, gateway and records are required", out error);
            }

            error = null;
            return true;
        }
        catch (JsonException e)
        {
            return Fail($"batch: not valid JSON: {e.Message}", out error);
        }
    }

    private static bool TryReadRecords(ref Utf8JsonReader reader, ReadOnlyMemory<byte> payload, List<BatchedRecord> records, out string? error)
    {
        while (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
        {
            string? topic = null;
            ReadOnlyMemory<byte>? body = null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = reader.GetString();
                reader.Read();
                if (name == "topic" && topic is null && reader.TokenType == JsonTokenType.String)
                {
                    topic = reader.GetString();
                }
                else if (name == "payload" && body is null && reader.TokenType == JsonTokenType.StartObject)
                {
                    var start = (int)reader.TokenStartIndex;
                    reader.Skip();
                    body = payload.Slice(start, (int)reader.BytesConsumed - start);
                }
                else
                {
                    return Fail($"batch.records[{records.Count}].{name}: unknown, repeated or of the wrong type", out error);
                }
            }

            if (topic is null || body is null)
            {
                return Fail($"batch.records[{records.Count}]: topic and payload are required", out error);
            }

            records.Add(new BatchedRecord(topic, body.Value));
        }

        if (reader.TokenType != JsonTokenType.EndArray)
        {
            return Fail($"batch.records[{records.Count}]: expected an object", out error);
        }

        error = null;
        return true;
    }

    private static bool Fail(string reason, out string? error)
    {
        error = reason;
        return false;
    }
}
