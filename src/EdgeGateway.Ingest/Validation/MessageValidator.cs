using System.Globalization;
using System.Text;
using System.Text.Json;
using EdgeGateway.Core;
using EdgeGateway.Core.Configuration;
using EdgeGateway.Core.Payload;

namespace EdgeGateway.Ingest.Validation;

/// <summary>
/// Checks every message against payload schema v1 and the topic scheme (src/docs/payloads-and-topics.md): the topic's shape and ids, size,
/// UTF-8, JSON, required and unknown fields, types, ranges, the window (end after start, length fitting its kind), buckets
/// adding up to the window within 1 ms, counts agreeing (good = produced − scrap), and the topic's ids agreeing with the
/// payload's, and the times plausible (<see cref="PlausibleTime"/>). The first problem found is the reason, naming the
/// field: <c>kpi.availability: 1.7 is out of range [0, 1]</c>. Never throws for any input. The topic is parsed by Core's
/// <see cref="TopicScheme"/>; each payload is read by Core's field names in <see cref="KpiPayloadReader"/>,
/// <see cref="StatePayloadReader"/> and <see cref="StatusPayloadReader"/>. With a <see cref="Core.Configuration.Fleet"/>
/// (<c>Ingest:FleetFile</c>) the sender must also be who the fleet file says (<see cref="FleetIdentity"/>), else the
/// message is rejected as <see cref="RejectionKind.Identity"/> and confirmed to nobody.
/// </summary>
public sealed class MessageValidator(string topicPrefix, int maxPayloadBytes, PlausibleTime plausibleTime, Fleet? fleet = null)
{
    private static readonly JsonDocumentOptions s_json = new() { MaxDepth = 8, CommentHandling = JsonCommentHandling.Disallow, AllowTrailingCommas = false };

    /// <summary>A validator with the default <see cref="PlausibleTime"/>.</summary>
    public MessageValidator(string topicPrefix, int maxPayloadBytes)
        : this(topicPrefix, maxPayloadBytes, PlausibleTime.Default)
    {
    }

    /// <summary>The topic prefix messages must be under.</summary>
    public string TopicPrefix { get; } = topicPrefix;

    /// <summary>The payload size limit.</summary>
    public int MaxPayloadBytes { get; } = maxPayloadBytes;

    private static readonly byte[] s_doctorProbe = System.Text.Encoding.UTF8.GetBytes(StatusPayload.Probe);

    /// <summary>The times records may carry.</summary>
    public PlausibleTime PlausibleTime { get; } = plausibleTime;

    /// <summary>The fleet senders are checked against, or null: then only the topic's ids and the payload's must agree.</summary>
    public Fleet? Fleet { get; } = fleet;

    /// <summary>
    /// Validates one message. <paramref name="payloadSize"/> is the size as received (the payload itself may be cut to
    /// <see cref="MaxPayloadBytes"/> bytes); <paramref name="receivedAtMs"/>, the ingest's clock when it arrived, is the time
    /// of an offline status and the "now" the times of the others must not lie too far beyond.
    /// </summary>
    public ValidationResult Validate(string topic, ReadOnlyMemory<byte> payload, long payloadSize, long receivedAtMs)
    {
        if (!TopicScheme.TryParse(TopicPrefix, topic, out var address, out var problem))
        {
            return ValidationResult.Reject(RejectionKind.Topic, problem!);
        }

        // Dead letters are the ingest's own output; commands and their replies are between operators and a gateway.
        if (address.Kind is TopicKind.DeadLetter or TopicKind.Command or TopicKind.Reply || (address.Kind == TopicKind.Status && payload.Span.SequenceEqual(s_doctorProbe)))
        {
            return ValidationResult.Ignore();
        }

        if (Fleet is not null && FleetIdentity.OfTopic(Fleet, address) is { } stranger)
        {
            return ValidationResult.Reject(RejectionKind.Identity, stranger);
        }

        if (payloadSize > MaxPayloadBytes)
        {
            return ValidationResult.Reject(RejectionKind.Oversize, $"payload is {payloadSize} bytes, over the limit of {MaxPayloadBytes} bytes");
        }

        if (payload.IsEmpty)
        {
            return ValidationResult.Reject(RejectionKind.Json, "payload is empty");
        }

        if (!System.Text.Unicode.Utf8.IsValid(payload.Span))
        {
            return ValidationResult.Reject(RejectionKind.Encoding, $"payload is not UTF-8: invalid byte sequence at offset {InvalidUtf8Offset(payload.Span)}");
        }

        if (address.Kind == TopicKind.Batch)
        {
            return ReadBatch(payload, address);
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(payload, s_json);
        }
        catch (JsonException e)
        {
            return ValidationResult.Reject(RejectionKind.Json, $"payload is not valid JSON: {InputText.Quote(e.Message, 200)}");
        }

        using (document)
        {
            // JSON lets "\ud800" stand alone; no string holds it, and reading one throws (RFC 7493 forbids it).
            if (LoneSurrogateEscape(payload.Span) is var at and >= 0)
            {
                return ValidationResult.Reject(RejectionKind.Json, $"payload is not valid JSON: the escape {Encoding.ASCII.GetString(payload.Span.Slice(at, 6))} at offset {at} is half a surrogate pair, not a character");
            }

            JsonFields.Begin();
            try
            {
                var clock = new PayloadClock(PlausibleTime, receivedAtMs);
                IngestRecord record = address.Kind switch
                {
                    TopicKind.Kpi => KpiPayloadReader.Read(document.RootElement, address, clock),
                    TopicKind.State => StatePayloadReader.Read(document.RootElement, address, clock),
                    _ => StatusPayloadReader.Read(document.RootElement, address, clock),
                };
                return record is CellRecord fromOutbox && SpoofedSender(address, fromOutbox.Gateway) is { } spoofed
                    ? ValidationResult.Reject(RejectionKind.Identity, spoofed)
                    : ValidationResult.Accept(record);
            }
            catch (InvalidPayloadException e)
            {
                // An invalid record is confirmed to its gateway so that it is not sent again forever; with a fleet, only
                // when that is the gateway of its cell, else the rejection is for identity and confirmed to nobody.
                var sender = SenderOf(document.RootElement, address);
                return sender is { } claimed && SpoofedSender(address, claimed.Gateway) is { } spoofed
                    ? ValidationResult.Reject(RejectionKind.Identity, spoofed)
                    : ValidationResult.Reject(e.Rejection, sender);
            }
        }
    }

    /// <summary>
    /// Validates one record of a batch as if it had come alone on its topic; it must be a kpi or state record of the batch's
    /// site and gateway (with a fleet: of a cell the fleet file gives the batch's gateway). Its sender is kept only when it
    /// is the batch's, so that a confirmation never goes elsewhere.
    /// </summary>
    public ValidationResult ValidateBatched(BatchedRecord record, BatchEnvelope batch, long receivedAtMs)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var result = Validate(record.Topic, record.Payload, record.Payload.Length, receivedAtMs);
        if (result.Batch is not null || result.Ignored || result.Record is StatusRecord)
        {
            return ValidationResult.Reject(RejectionKind.Topic, $"a batch holds only kpi and state records, not '{InputText.Quote(record.Topic, 64)}'");
        }

        // With a fleet, the batch's gateway must be the one of each record's cell: the batch's topic is the only place
        // that names the sender, and the certificate ACL lets a gateway write only its own (src/docs/ingest.md, "Identity").
        if (Fleet is not null && !(result.IsRejected && result.Rejection.Kind == RejectionKind.Identity)
            && TopicScheme.TryParse(TopicPrefix, record.Topic, out var address, out _) && address.Kind is TopicKind.Kpi or TopicKind.State && address.Site == batch.Site
            && FleetIdentity.OfCell(Fleet, address.Site, address.Cell!, batch.Gateway, "the batch's gateway") is { } foreign)
        {
            return ValidationResult.Reject(RejectionKind.Identity, foreign);
        }

        if (result.Sender is { } sender && (sender.Site != batch.Site || sender.Gateway != batch.Gateway))
        {
            return ValidationResult.Reject(RejectionKind.Mismatch, $"a record of {sender.Site}/{sender.Gateway} in the batch of {batch.Site}/{batch.Gateway}");
        }

        return result;
    }

    /// <summary>With a fleet, why a kpi or state record said to be <paramref name="gateway"/>'s is not (its cell is another's), or null.</summary>
    private string? SpoofedSender(TopicAddress address, string gateway) =>
        Fleet is not null && address.Kind is TopicKind.Kpi or TopicKind.State ? FleetIdentity.OfCell(Fleet, address.Site, address.Cell!, gateway, "payload gateway") : null;

    private static ValidationResult ReadBatch(ReadOnlyMemory<byte> payload, TopicAddress address)
    {
        var records = new List<BatchedRecord>();
        if (!RecordBatch.TryRead(payload, records, out var site, out var gateway, out var error))
        {
            return ValidationResult.Reject(RejectionKind.Schema, InputText.Quote(error!, 300));
        }

        if (site != address.Site || gateway != address.Gateway)
        {
            return ValidationResult.Reject(RejectionKind.Mismatch, $"topic site/gateway '{address.Site}/{address.Gateway}' differs from the batch's '{InputText.Quote(site, 64)}/{InputText.Quote(gateway, 64)}'");
        }

        return ValidationResult.Split(new BatchEnvelope(site, gateway, records));
    }

    /// <summary>
    /// The sender of an invalid kpi or state record, read leniently (a valid id and a positive integer seq), so that the
    /// ingest confirms its dead letter and the gateway does not send it again forever; null when unreadable.
    /// </summary>
    private static RecordSender? SenderOf(JsonElement root, TopicAddress address) =>
        address.Kind is TopicKind.Kpi or TopicKind.State
        && root.ValueKind == JsonValueKind.Object
        && root.TryGetProperty(KpiPayload.Gateway, out var gateway) && gateway.ValueKind == JsonValueKind.String && gateway.GetString() is { } id && Ids.IsValid(id)
        && root.TryGetProperty(KpiPayload.Seq, out var seq) && seq.ValueKind == JsonValueKind.Number && seq.TryGetInt64(out var number) && number > 0
            ? new RecordSender(address.Site, id, number)
            : null;

    /// <summary>The offset of the first <c>\uXXXX</c> escape that is half a surrogate pair, or -1; <paramref name="json"/> is well-formed.</summary>
    private static int LoneSurrogateEscape(ReadOnlySpan<byte> json)
    {
        var high = -1; // the escape of a high half, which the very next escape must complete
        var i = json.IndexOf((byte)'\\');
        while (i >= 0)
        {
            var unit = json[i + 1] == (byte)'u' ? int.Parse(json.Slice(i + 2, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture) : -1;
            var low = unit is >= 0xDC00 and <= 0xDFFF;
            if (low != (high >= 0))
            {
                return high >= 0 ? high : i;
            }

            high = unit is >= 0xD800 and <= 0xDBFF ? i : -1;
            i += unit < 0 ? 2 : 6;

            // In a well-formed document a string's closing quote follows every escape: i is within it.
            if (json[i] != (byte)'\\')
            {
                if (high >= 0)
                {
                    return high;
                }

                var next = json[i..].IndexOf((byte)'\\');
                i = next < 0 ? -1 : i + next;
            }
        }

        return -1;
    }

    private static int InvalidUtf8Offset(ReadOnlySpan<byte> bytes)
    {
        var offset = 0;
        while (offset < bytes.Length)
        {
            if (System.Text.Rune.DecodeFromUtf8(bytes[offset..], out _, out var consumed) != System.Buffers.OperationStatus.Done)
            {
                return offset;
            }

            offset += consumed;
        }

        return offset;
    }
}
