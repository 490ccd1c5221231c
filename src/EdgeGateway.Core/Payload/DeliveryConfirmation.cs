using System.Buffers;
using System.Text.Json;

namespace EdgeGateway.Core.Payload;

/// <summary>A run of a gateway's sequence numbers, both ends included.</summary>
public readonly record struct SequenceRange(long From, long To);

/// <summary>
/// The backend's word that records are stored (src/docs/payloads-and-topics.md, "Delivery confirmations"): published by the ingest on
/// <c>{ConfirmTopicPrefix}/{site}/{gateway}</c> once InfluxDB (or the dead-letter store) holds them, read by that gateway,
/// which only then deletes them from its outbox. Payload:
/// <c>{"v":1,"site":"sme-0042","gateway":"gw-1","seq":[[1,1000],[1003,1003]]}</c>, ranges ascending and disjoint.
/// </summary>
public static class DeliveryConfirmation
{
    /// <summary>The default topic prefix: outside the records' <c>edgegw/v1/#</c>, so the ingest does not receive its own confirmations.</summary>
    public const string DefaultTopicPrefix = "edgegw/confirm/v1";

    /// <summary>Most ranges one confirmation may hold (more are split over several messages).</summary>
    public const int MaxRanges = 4096;

    private static readonly JsonEncodedText s_v = JsonEncodedText.Encode("v");
    private static readonly JsonEncodedText s_site = JsonEncodedText.Encode("site");
    private static readonly JsonEncodedText s_gateway = JsonEncodedText.Encode("gateway");
    private static readonly JsonEncodedText s_seq = JsonEncodedText.Encode("seq");

    /// <summary>
    /// Sorts <paramref name="sequences"/> (in place), joins them into ranges and returns the payloads, at most
    /// <see cref="MaxRanges"/> ranges each.
    /// </summary>
    public static List<byte[]> Write(string site, string gateway, List<long> sequences)
    {
        ArgumentNullException.ThrowIfNull(sequences);
        sequences.Sort();
        var payloads = new List<byte[]>(1);
        var buffer = new ArrayBufferWriter<byte>(256);
        var json = new Utf8JsonWriter(buffer);
        var i = 0;
        while (i < sequences.Count)
        {
            buffer.ResetWrittenCount();
            json.Reset(buffer);
            json.WriteStartObject();
            json.WriteNumber(s_v, 1);
            json.WriteString(s_site, site);
            json.WriteString(s_gateway, gateway);
            json.WriteStartArray(s_seq);
            for (var ranges = 0; ranges < MaxRanges && i < sequences.Count; ranges++)
            {
                var from = sequences[i];
                var to = from;
                while (++i < sequences.Count && sequences[i] <= to + 1)
                {
                    to = sequences[i];
                }

                json.WriteStartArray();
                json.WriteNumberValue(from);
                json.WriteNumberValue(to);
                json.WriteEndArray();
            }

            json.WriteEndArray();
            json.WriteEndObject();
            json.Flush();
            payloads.Add(buffer.WrittenSpan.ToArray());
        }

        return payloads;
    }

    /// <summary>
    /// Reads a confirmation meant for <paramref name="site"/> and <paramref name="gateway"/>; false with the reason (one
    /// line naming the field) for anything else. Never throws for any input.
    /// </summary>
    public static bool TryRead(ReadOnlySequence<byte> payload, string site, string gateway, List<SequenceRange> ranges, out string? error)
    {
        ArgumentNullException.ThrowIfNull(ranges);
        ranges.Clear();
        try
        {
            var reader = new Utf8JsonReader(payload, new JsonReaderOptions { MaxDepth = 4 });
            using var document = JsonDocument.ParseValue(ref reader);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return Fail("expected a JSON object", out error);
            }

            if (!root.TryGetProperty("v", out var v) || v.ValueKind != JsonValueKind.Number || !v.TryGetInt32(out var version) || version != 1)
            {
                return Fail("v: expected 1", out error);
            }

            if (!root.TryGetProperty("site", out var s) || s.ValueKind != JsonValueKind.String || s.GetString() != site)
            {
                return Fail($"site: expected \"{site}\"", out error);
            }

            if (!root.TryGetProperty("gateway", out var g) || g.ValueKind != JsonValueKind.String || g.GetString() != gateway)
            {
                return Fail($"gateway: expected \"{gateway}\"", out error);
            }

            if (!root.TryGetProperty("seq", out var seq) || seq.ValueKind != JsonValueKind.Array || seq.GetArrayLength() > MaxRanges)
            {
                return Fail($"seq: expected an array of at most {MaxRanges} [from, to] pairs", out error);
            }

            var previous = 0L;
            foreach (var range in seq.EnumerateArray())
            {
                if (range.ValueKind != JsonValueKind.Array || range.GetArrayLength() != 2
                    || !TryGetSequence(range[0], out var from) || !TryGetSequence(range[1], out var to)
                    || from < 1 || to < from || from <= previous)
                {
                    return Fail($"seq[{ranges.Count}]: expected [from, to] with 1 ≤ from ≤ to, ascending and disjoint", out error);
                }

                ranges.Add(new SequenceRange(from, to));
                previous = to;
            }

            error = null;
            return true;
        }
        catch (JsonException e)
        {
            return Fail($"not valid JSON: {e.Message}", out error);
        }
    }

    private static bool TryGetSequence(JsonElement element, out long sequence)
    {
        sequence = 0;
        return element.ValueKind == JsonValueKind.Number && element.TryGetInt64(out sequence);
    }

    private static bool Fail(string reason, out string? error)
    {
        error = reason;
        return false;
    }
}
