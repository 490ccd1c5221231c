using EdgeGateway.Core;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using EdgeGateway.Core.Kpi;
using EdgeGateway.Core.Payload;
using EdgeGateway.Core.Traces;

namespace EdgeGateway.Ingest.Validation;

/// <summary>What became of a message: a record to store, a rejection to dead-letter, or the ingest's own dead letter to skip.</summary>
public readonly struct ValidationResult
{
    private ValidationResult(IngestRecord? record, Rejection rejection, bool ignored, RecordSender? sender, BatchEnvelope? batch = null)
    {
        Record = record;
        Rejection = rejection;
        Ignored = ignored;
        Sender = sender;
        Batch = batch;
    }

    /// <summary>Set when the message is a readable batch: its records, each to be validated with <see cref="MessageValidator.ValidateBatched"/>.</summary>
    public BatchEnvelope? Batch { get; }

    /// <summary>
    /// The gateway and sequence number of a record from a gateway's outbox (kpi, state), valid or not, where they could be
    /// read: the ingest confirms it to that gateway once it is stored or dead-lettered.
    /// </summary>
    public RecordSender? Sender { get; }

    /// <summary>Set when the message is valid.</summary>
    public IngestRecord? Record { get; }

    /// <summary>Set when <see cref="IsRejected"/>.</summary>
    public Rejection Rejection { get; }

    /// <summary>The message is a dead letter the ingest published itself (its subscription covers the dead-letter topic).</summary>
    public bool Ignored { get; }

    /// <summary>The message is invalid.</summary>
    public bool IsRejected => Record is null && !Ignored && Batch is null;

    internal static ValidationResult Accept(IngestRecord record) => new(record, default, ignored: false, record switch
    {
        KpiRecord kpi => new RecordSender(kpi.Site, kpi.Gateway, kpi.Seq),
        StateRecord change => new RecordSender(change.Site, change.Gateway, change.Seq),
        _ => null,
    });

    internal static ValidationResult Reject(RejectionKind kind, string reason) => new(null, new Rejection(kind, reason), ignored: false, null);

    internal static ValidationResult Reject(Rejection rejection, RecordSender? sender = null) => new(null, rejection, ignored: false, sender);

    internal static ValidationResult Ignore() => new(null, default, ignored: true, null);

    internal static ValidationResult Split(BatchEnvelope batch) => new(null, default, ignored: false, null, batch);
}

/// <summary>A batch's site and gateway (from its topic, checked against its payload) and its records.</summary>
public sealed record BatchEnvelope(string Site, string Gateway, IReadOnlyList<BatchedRecord> Records);

/// <summary>
/// Checks every message against payload schema v1 and the topic scheme (src/docs/payloads-and-topics.md): the topic's shape and ids, size,
/// UTF-8, JSON, required and unknown fields, types, ranges, the window (end after start, length fitting its kind), buckets
/// adding up to the window within 1 ms, counts agreeing (good = produced − scrap), and the topic's ids agreeing with the
/// payload's, and the times plausible (<see cref="PlausibleTime"/>). The first problem found is the reason, naming the
/// field: <c>kpi.availability: 1.7 is out of range [0, 1]</c>. Never throws for any input.
/// </summary>
public sealed class MessageValidator(string topicPrefix, int maxPayloadBytes, PlausibleTime plausibleTime)
{
    /// <summary>Bound of counts and of quantities without a natural one; larger values are typing or overflow errors.</summary>
    internal const double Large = 1e12;

    private const double BucketToleranceSeconds = 0.001;
    private const int MaxAuxSignals = 8;
    private const int MaxCells = 1000;

    private static readonly JsonDocumentOptions s_json = new() { MaxDepth = 8, CommentHandling = JsonCommentHandling.Disallow, AllowTrailingCommas = false };
    private static readonly string[] s_policies = ["Iso22400", "Nakajima"];
    private static readonly string[] s_states = ["unknown", "idle", "run", "down", "setup"];
    private static readonly string[] s_statuses = ["online", "offline"];

    // Ranges of the kpi block, in KpiRecord.KpiNames order. Quality, OEE, NEE and TEEP go negative when a minute's
    // scrap exceeds its parts (good < 0 is allowed, see src/docs/payloads-and-topics.md); effectiveness may exceed 1.
    private static readonly (double Min, double Max)[] s_kpiRanges =
    [
        (0, 1), (0, Large), (-Large, 1), (-Large, Large), (-Large, Large), (0, 1), (0, 1), (-Large, Large), (0, Large), (0, Large), (0, Large), (0, Large),
    ];

    /// <summary>A validator with the default <see cref="PlausibleTime"/>.</summary>
    public MessageValidator(string topicPrefix, int maxPayloadBytes)
        : this(topicPrefix, maxPayloadBytes, PlausibleTime.Default)
    {
    }

    /// <summary>The topic prefix messages must be under.</summary>
    public string TopicPrefix { get; } = topicPrefix;

    /// <summary>The payload size limit.</summary>
    public int MaxPayloadBytes { get; } = maxPayloadBytes;

    /// <summary>The times records may carry.</summary>
    public PlausibleTime PlausibleTime { get; } = plausibleTime;

    /// <summary>
    /// Validates one message. <paramref name="payloadSize"/> is the size as received (the payload itself may be cut to
    /// <see cref="MaxPayloadBytes"/> bytes); <paramref name="receivedAtMs"/>, the ingest's clock when it arrived, is the time
    /// of an offline status and the "now" the times of the others must not lie too far beyond.
    /// </summary>
    public ValidationResult Validate(string topic, ReadOnlyMemory<byte> payload, long payloadSize, long receivedAtMs)
    {
        if (!TopicParser.TryParse(TopicPrefix, topic, out var address, out var rejection))
        {
            return ValidationResult.Reject(rejection);
        }

        if (address.Kind == MessageKind.DeadLetter)
        {
            return ValidationResult.Ignore();
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

        if (address.Kind == MessageKind.Batch)
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

            Fields.Begin();
            try
            {
                var clock = new Clock(PlausibleTime, receivedAtMs);
                IngestRecord record = address.Kind switch
                {
                    MessageKind.Kpi => ReadKpi(document.RootElement, address, clock),
                    MessageKind.State => ReadState(document.RootElement, address, clock),
                    _ => ReadStatus(document.RootElement, address, clock),
                };
                return ValidationResult.Accept(record);
            }
            catch (InvalidPayloadException e)
            {
                return ValidationResult.Reject(e.Rejection, SenderOf(document.RootElement, address));
            }
        }
    }

    /// <summary>
    /// Validates one record of a batch as if it had come alone on its topic; it must be a kpi or state record of the batch's
    /// site and gateway. Its sender is kept only when it is the batch's, so that a confirmation never goes elsewhere.
    /// </summary>
    public ValidationResult ValidateBatched(BatchedRecord record, BatchEnvelope batch, long receivedAtMs)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var result = Validate(record.Topic, record.Payload, record.Payload.Length, receivedAtMs);
        if (result.Batch is not null || result.Ignored || result.Record is StatusRecord)
        {
            return ValidationResult.Reject(RejectionKind.Topic, $"a batch holds only kpi and state records, not '{InputText.Quote(record.Topic, 64)}'");
        }

        if (result.Sender is { } sender && (sender.Site != batch.Site || sender.Gateway != batch.Gateway))
        {
            return ValidationResult.Reject(RejectionKind.Mismatch, $"a record of {sender.Site}/{sender.Gateway} in the batch of {batch.Site}/{batch.Gateway}");
        }

        return result;
    }

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
        address.Kind is MessageKind.Kpi or MessageKind.State
        && root.ValueKind == JsonValueKind.Object
        && root.TryGetProperty("gateway", out var gateway) && gateway.ValueKind == JsonValueKind.String && gateway.GetString() is { } id && Ids.IsValid(id)
        && root.TryGetProperty("seq", out var seq) && seq.ValueKind == JsonValueKind.Number && seq.TryGetInt64(out var number) && number > 0
            ? new RecordSender(address.Site, id, number)
            : null;

    private static KpiRecord ReadKpi(JsonElement root, TopicAddress topic, Clock clock)
    {
        var f = Fields.Of(root, "");
        ReadVersion(f);
        var site = f.Id("site");
        var cell = f.Id("cell");
        var gateway = f.Id("gateway");
        Agree("site", topic.Site, site);
        Agree("cell", topic.Cell!, cell);
        var seq = f.Integer("seq", 0, long.MaxValue);

        var w = f.Object("window");
        var kind = w.OneOf("kind", WindowKinds.Names);
        if (kind != topic.Window)
        {
            throw Mismatch($"topic window '{topic.Window}' differs from payload window.kind '{kind}'");
        }

        var start = w.Timestamp("start", clock);
        var end = w.Timestamp("end", clock);
        w.End();
        if (end <= start)
        {
            throw Range($"window.end {TraceTimestamp.Format(end)} is not after window.start {TraceTimestamp.Format(start)}");
        }

        var lengthMs = end - start;
        var longest = kind switch { "1m" => 60_000L, "shift" or "day" => 25 * 3_600_000L, _ => 10 * 366 * 86_400_000L };
        if (lengthMs > longest)
        {
            throw Range($"window is {Seconds(lengthMs)} s long, longer than a '{kind}' window can be ({Seconds(longest)} s)");
        }

        var length = lengthMs / 1000.0;
        var b = f.Object("buckets");
        var buckets = new double[KpiRecord.BucketNames.Count];
        var sum = 0.0;
        for (var i = 0; i < buckets.Length; i++)
        {
            buckets[i] = b.Number(KpiRecord.BucketNames[i], 0, length, BucketToleranceSeconds);
            sum += buckets[i];
        }

        b.End();
        if (Math.Abs(sum - length) > BucketToleranceSeconds + (1e-12 * length))
        {
            throw Range($"buckets add up to {Format(Math.Round(sum, 3))} s, not the window's {Format(length)} s (more than 1 ms apart)");
        }

        var c = f.Object("counts");
        var produced = c.Integer("produced", 0, (long)Large);
        var good = c.Integer("good", -(long)Large, (long)Large);
        var scrap = c.Integer("scrap", 0, (long)Large);
        var unattendedGood = c.Integer("unattended_good", -(long)Large, (long)Large);
        var failures = c.Integer("failures", 0, (long)Large);
        c.End();
        if (good != produced - scrap)
        {
            throw Range($"counts.good: {good} is not produced - scrap ({produced} - {scrap} = {produced - scrap})");
        }

        if (unattendedGood < -scrap || unattendedGood > produced)
        {
            throw Range($"counts.unattended_good: {unattendedGood} is out of range [{-scrap}, {produced}]");
        }

        var k = f.Object("kpi");
        var kpis = new double?[KpiRecord.KpiNames.Count];
        for (var i = 0; i < kpis.Length; i++)
        {
            kpis[i] = k.NullableNumber(KpiRecord.KpiNames[i], s_kpiRanges[i].Min, s_kpiRanges[i].Max);
        }

        k.End();

        var e = f.Object("energy");
        var kwh = e.Number("kwh", 0, Large);
        var kwhPerGoodPart = e.NullableNumber("kwh_per_good_part", 0, Large);
        var idleEnergyShare = e.NullableNumber("idle_energy_share", 0, 1);
        e.End();

        var m = f.Object("minor_stops");
        var minorStops = m.Integer("count", 0, (long)Large);
        var minorStopSeconds = m.Number("seconds", 0, length, BucketToleranceSeconds);
        var policy = m.OneOf("policy", s_policies);
        var threshold = m.Number("threshold_s", 0, Large);
        m.End();

        var idealCycle = f.Number("ideal_cycle_s", 0, Large, minExclusive: true);
        var aux = f.Optional("aux") is { } auxElement ? ReadAux(auxElement) : [];

        var q = f.Object("data_quality");
        var coverage = q.NullableNumber("coverage", 0, 1);
        var sensorFaults = q.Integer("sensor_faults", 0, (long)Large);
        var clockSynced = q.Boolean("clock_synced");
        q.End();

        var definitions = f.String("definitions", IsDefinitions, "a definitions version (1-64 of A-Z a-z 0-9 . _ / -)");
        f.End();

        return new KpiRecord
        {
            Site = site, Cell = cell, Gateway = gateway, Seq = seq, Window = kind, StartMs = start, EndMs = end, Buckets = buckets,
            Produced = produced, Good = good, Scrap = scrap, UnattendedGood = unattendedGood, Failures = failures, Kpis = kpis,
            Kwh = kwh, KwhPerGoodPart = kwhPerGoodPart, IdleEnergyShare = idleEnergyShare,
            MinorStops = minorStops, MinorStopSeconds = minorStopSeconds, MinorStopPolicy = policy, MinorStopThresholdSeconds = threshold,
            IdealCycleSeconds = idealCycle, Aux = aux, Coverage = coverage, SensorFaults = sensorFaults, ClockSynced = clockSynced,
            Definitions = definitions,
        };
    }

    private static List<AuxStatistics> ReadAux(JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw Schema($"aux: expected an object, got {Describe(element)}");
        }

        var aux = new List<AuxStatistics>();
        foreach (var property in element.EnumerateObject())
        {
            if (aux.Count == MaxAuxSignals)
            {
                throw Range($"aux: more than {MaxAuxSignals} signals");
            }

            var path = $"aux.{InputText.Quote(property.Name, 64)}";
            if (!Ids.IsValid(property.Name))
            {
                throw Schema($"{path}: the signal name is not an id ({Ids.Rule})");
            }

            if (aux.Exists(a => a.Signal == property.Name))
            {
                throw Schema($"{path}: appears more than once");
            }

            var s = Fields.Of(property.Value, path);
            var samples = s.Integer("samples", 0, (long)Large);
            var min = s.NullableNumber("min", -Large, Large);
            var mean = s.NullableNumber("mean", -Large, Large);
            var max = s.NullableNumber("max", -Large, Large);
            s.End();
            if (samples == 0)
            {
                if (min is not null || mean is not null || max is not null)
                {
                    throw Range($"{path}: samples is 0 but min, mean and max are not all null");
                }
            }
            else
            {
                if (min is not { } lo || mean is not { } mid || max is not { } hi)
                {
                    throw Range($"{path}: min, mean and max must be numbers when samples is {samples}");
                }

                var slack = 1e-9 * Math.Max(1, Math.Max(Math.Abs(lo), Math.Abs(hi)));
                if (mid < lo - slack || mid > hi + slack)
                {
                    throw Range($"{path}: min {Format(lo)}, mean {Format(mid)} and max {Format(hi)} are not in order");
                }
            }

            aux.Add(new AuxStatistics(property.Name, samples, min, mean, max));
        }

        return aux;
    }

    private static StateRecord ReadState(JsonElement root, TopicAddress topic, Clock clock)
    {
        var f = Fields.Of(root, "");
        ReadVersion(f);
        var site = f.Id("site");
        var cell = f.Id("cell");
        Agree("site", topic.Site, site);
        Agree("cell", topic.Cell!, cell);
        var record = new StateRecord
        {
            Site = site,
            Cell = cell,
            Gateway = f.Id("gateway"),
            Seq = f.Integer("seq", 0, long.MaxValue),
            AtMs = f.Timestamp("at", clock),
            State = f.OneOf("state", s_states),
        };
        f.End();
        return record;
    }

    private static StatusRecord ReadStatus(JsonElement root, TopicAddress topic, Clock clock)
    {
        var f = Fields.Of(root, "");
        ReadVersion(f);
        var site = f.Id("site");
        var gateway = f.Id("gateway");
        Agree("site", topic.Site, site);
        Agree("gateway", topic.Gateway!, gateway);
        var status = f.OneOf("status", s_statuses);
        if (status == "offline")
        {
            // The last will carries no time: it is published by the broker when the gateway is gone.
            f.End();
            return new StatusRecord { Site = site, Gateway = gateway, Status = status, AtMs = clock.NowMs };
        }

        var at = f.Timestamp("at", clock);
        var software = f.String("software", IsSoftwareVersion, "a software version (1-64 of A-Z a-z 0-9 . + _ -)");
        var sha = f.String("config_sha256", IsSha256, "a SHA-256 in lower-case hex (64 digits)");
        ReadCells(f.Required("cells"));
        var o = f.Object("outbox");
        var depth = o.Integer("depth", 0, (long)Large);
        var dropped = o.Integer("dropped", 0, (long)Large);
        var corrupt = o.Integer("corrupt", 0, (long)Large);
        o.NullableNumber("oldest_age_s", 0, Large);
        o.End();

        // Optional: gateways before delivery confirmations do not send it.
        DeliveryCounts? delivery = null;
        if (f.Optional("delivery") is { } element)
        {
            var d = Fields.Of(element, "delivery");
            delivery = new DeliveryCounts(
                d.Integer("confirmed", 0, (long)Large), d.Integer("unconfirmed", 0, (long)Large), d.NullableNumber("oldest_unconfirmed_age_s", 0, Large),
                d.Integer("resent", 0, (long)Large), d.Integer("no_subscriber", 0, (long)Large));
            d.End();
        }

        var clockSynced = f.Boolean("clock_synced");
        f.End();
        return new StatusRecord
        {
            Site = site, Gateway = gateway, Status = status, AtMs = at, Software = software, ConfigSha256 = sha,
            OutboxDepth = depth, OutboxDropped = dropped, OutboxCorrupt = corrupt, Delivery = delivery, ClockSynced = clockSynced,
        };
    }

    private static void ReadCells(JsonElement cells)
    {
        if (cells.ValueKind != JsonValueKind.Array)
        {
            throw Schema($"cells: expected an array of cell ids, got {Describe(cells)}");
        }

        var index = 0;
        foreach (var cell in cells.EnumerateArray())
        {
            if (index == MaxCells)
            {
                throw Range($"cells: more than {MaxCells} cells");
            }

            if (cell.ValueKind != JsonValueKind.String || !Ids.IsValid(cell.GetString()))
            {
                throw Schema($"cells[{index}]: expected a cell id ({Ids.Rule}), got {Describe(cell)}");
            }

            index++;
        }
    }

    private static void ReadVersion(Fields f)
    {
        var v = f.Integer("v", long.MinValue, long.MaxValue);
        if (v != WindowRecord.SchemaVersion)
        {
            throw Range($"v: {v} is not a supported schema version (expected {WindowRecord.SchemaVersion})");
        }
    }

    private static void Agree(string level, string inTopic, string inPayload)
    {
        if (inTopic != inPayload)
        {
            throw Mismatch($"topic {level} '{inTopic}' differs from payload {level} '{inPayload}'");
        }
    }

    private static bool IsDefinitions(string text) => text.Length is > 0 and <= 64 && text.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '/' or '-');

    private static bool IsSoftwareVersion(string text) => text.Length is > 0 and <= 64 && text.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '+' or '_' or '-');

    private static bool IsSha256(string text) => text.Length == 64 && text.All(c => char.IsAsciiDigit(c) || c is >= 'a' and <= 'f');

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

    private static string Seconds(long ms) => Format(ms / 1000.0);

    /// <summary>An integer bound as a reason shows it (±1e12 as such).</summary>
    internal static string Format(long value) => value switch
    {
        (long)Large => "1e12",
        -(long)Large => "-1e12",
        _ => value.ToString(CultureInfo.InvariantCulture),
    };

    /// <summary>A number as a reason shows it: integers without a fraction, 1e12 as <c>1e12</c>, otherwise round-trip.</summary>
    internal static string Format(double value) => value switch
    {
        Large => "1e12",
        -Large => "-1e12",
        _ when value == Math.Floor(value) && Math.Abs(value) < 1e15 => value.ToString("0", CultureInfo.InvariantCulture),
        _ => value.ToString("R", CultureInfo.InvariantCulture),
    };

    internal static string Describe(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => $"the string \"{InputText.Quote(element.GetString()!, 40)}\"",
        JsonValueKind.Number => $"the number {InputText.Quote(element.GetRawText(), 40)}",
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        JsonValueKind.Null => "null",
        JsonValueKind.Object => "an object",
        _ => "an array",
    };

    private static InvalidPayloadException Schema(string reason) => new(new Rejection(RejectionKind.Schema, reason));

    private static InvalidPayloadException Range(string reason) => new(new Rejection(RejectionKind.Range, reason));

    private static InvalidPayloadException Mismatch(string reason) => new(new Rejection(RejectionKind.Mismatch, reason));

    private static InvalidPayloadException Implausible(string reason) => new(new Rejection(RejectionKind.Time, reason));

    /// <summary>The limits of times and the ingest's clock when the message arrived.</summary>
    private readonly record struct Clock(PlausibleTime Limits, long NowMs);

    /// <summary>The fields of one JSON object: each read at most once, none unknown, none repeated.</summary>
    /// <remarks>
    /// An object's properties are listed as the document holds them, their names compared in place: copying them into a
    /// dictionary, each name made a string and hashed, was most of the validator's time and of the 6.5 KB it allocated
    /// per KPI message (src/docs/ingest.md, "Throughput"). <see cref="End"/> counts: when the object has as many
    /// properties as distinct fields were read, none is unknown or repeated; only otherwise does it look for the one to
    /// name. Instances are reused, per thread, from one message to the next (<see cref="Begin"/> starts a message); none
    /// is used after the message's validation returns.
    /// </remarks>
    private sealed class Fields
    {
        // More fields than any valid object has.
        private const int LargestKept = 64;

        [ThreadStatic]
        private static List<Fields>? s_pool;

        [ThreadStatic]
        private static int s_inUse;

        private readonly List<JsonProperty> _properties = [];
        private readonly List<string> _read = [];
        private int _next;
        private Fields? _parent;
        private string _name = "";
        private string? _path;

        /// <summary>A new message: every instance of this thread may be reused.</summary>
        public static void Begin() => s_inUse = 0;

        /// <summary>The fields of <paramref name="element"/>, named <paramref name="path"/> in reasons.</summary>
        public static Fields Of(JsonElement element, string path) => Of(element, null, "", path);

        private static Fields Of(JsonElement element, Fields? parent, string name, string? path)
        {
            if (element.ValueKind != JsonValueKind.Object)
            {
                path ??= parent!.PathOf(name);
                throw Schema(path.Length == 0
                    ? $"payload is not a JSON object, got {Describe(element)}"
                    : $"{path}: expected an object, got {Describe(element)}");
            }

            var pool = s_pool ??= [];
            if (s_inUse == pool.Count)
            {
                pool.Add(new Fields());
            }
            else if (pool[s_inUse]._properties.Capacity > LargestKept)
            {
                // Not kept: a hostile message with a huge object would pin its table for the thread's life.
                pool[s_inUse] = new Fields();
            }

            var fields = pool[s_inUse++];
            fields._properties.Clear();
            foreach (var property in element.EnumerateObject())
            {
                fields._properties.Add(property);
            }

            fields._read.Clear();
            fields._next = 0;
            (fields._parent, fields._name, fields._path) = (parent, name, path);
            return fields;
        }

        /// <summary>
        /// The value of field <paramref name="name"/>, or null when there is none. Fields are looked for where the last
        /// one was found, then from the start: a publisher writes them in the order they are read here, so that is
        /// one comparison of names per field, where a lookup in the document compared half the object's names.
        /// </summary>
        public JsonElement? Optional(string name)
        {
            var index = _next;
            if (index >= _properties.Count || !_properties[index].NameEquals(name))
            {
                index = 0;
                while (index < _properties.Count && !_properties[index].NameEquals(name))
                {
                    index++;
                }

                if (index == _properties.Count)
                {
                    return null;
                }
            }

            _next = index + 1;
            _read.Add(name);
            return _properties[index].Value;
        }

        public JsonElement Required(string name) => Optional(name) ?? throw Schema($"{PathOf(name)}: required field is missing");

        public Fields Object(string name) => Of(Required(name), this, name, null);

        /// <summary>Every field was read: anything left is unknown or repeated; the first such property is named.</summary>
        public void End()
        {
            if (_properties.Count == _read.Count)
            {
                return;
            }

            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var property in _properties)
            {
                if (!seen.Add(property.Name))
                {
                    throw Schema($"{PathOf(property.Name)}: appears more than once");
                }

                if (!_read.Contains(property.Name))
                {
                    throw Schema($"{PathOf(property.Name)}: unknown field");
                }
            }
        }

        public string Id(string name)
        {
            var element = Required(name);
            if (element.ValueKind != JsonValueKind.String)
            {
                throw Schema($"{PathOf(name)}: expected an id string, got {Describe(element)}");
            }

            var id = element.GetString()!;
            return Ids.IsValid(id) ? id : throw Range($"{PathOf(name)}: \"{InputText.Quote(id, 64)}\" is not an id ({Ids.Rule})");
        }

        public string String(string name, Func<string, bool> isValid, string what)
        {
            var element = Required(name);
            if (element.ValueKind != JsonValueKind.String)
            {
                throw Schema($"{PathOf(name)}: expected a string, got {Describe(element)}");
            }

            var text = element.GetString()!;
            return isValid(text) ? text : throw Range($"{PathOf(name)}: \"{InputText.Quote(text, 64)}\" is not {what}");
        }

        public string OneOf(string name, IReadOnlyList<string> allowed)
        {
            var element = Required(name);
            if (element.ValueKind != JsonValueKind.String)
            {
                throw Schema($"{PathOf(name)}: expected a string, got {Describe(element)}");
            }

            foreach (var candidate in allowed)
            {
                if (element.ValueEquals(candidate))
                {
                    return candidate;
                }
            }

            throw Range($"{PathOf(name)}: \"{InputText.Quote(element.GetString()!, 64)}\" is not one of {string.Join(", ", allowed)}");
        }

        /// <summary>A timestamp of the contract's form, within the years 0001–9999 and plausible at <paramref name="clock"/>.</summary>
        public long Timestamp(string name, Clock clock)
        {
            var element = Required(name);
            if (element.ValueKind != JsonValueKind.String)
            {
                throw Schema($"{PathOf(name)}: expected a timestamp string, got {Describe(element)}");
            }

            // The token's own bytes between its quotes, without making a string; only a value written with escapes is decoded first.
            var text = JsonMarshal.GetRawUtf8Value(element)[1..^1];
            if (text.Contains((byte)'\\'))
            {
                text = Encoding.UTF8.GetBytes(element.GetString()!);
            }

            // Any year of the form is read: a well-formed 1677 or 9999 is a time out of range, not text of the wrong form.
            if (text.Length > TraceTimestamp.Length + 8 || !TraceTimestamp.TryParseAnyYear(text, out var ms))
            {
                throw Range($"{PathOf(name)}: \"{InputText.Quote(element.GetString()!, 64)}\" is not a UTC timestamp like 2026-03-30T06:00:00.000Z");
            }

            return clock.Limits.Problem(ms, clock.NowMs) is { } problem
                ? throw Implausible($"{PathOf(name)} {TraceTimestamp.Format(ms)} {problem}")
                : ms;
        }

        public bool Boolean(string name)
        {
            var element = Required(name);
            return element.ValueKind switch
            {
                JsonValueKind.True => true,
                JsonValueKind.False => false,
                _ => throw Schema($"{PathOf(name)}: expected true or false, got {Describe(element)}"),
            };
        }

        public long Integer(string name, long min, long max)
        {
            var element = Required(name);
            if (element.ValueKind != JsonValueKind.Number || !element.TryGetInt64(out var value))
            {
                var raw = element.ValueKind == JsonValueKind.Number ? element.GetRawText() : "";
                if (raw.Length > 0 && raw.AsSpan(raw[0] == '-' ? 1 : 0).IndexOfAnyExceptInRange('0', '9') < 0)
                {
                    // All digits, but beyond 64 bits.
                    throw Range($"{PathOf(name)}: {InputText.Quote(raw, 40)} is out of range [{Format(min)}, {Format(max)}]");
                }

                throw Schema($"{PathOf(name)}: expected an integer, got {Describe(element)}");
            }

            return value >= min && value <= max
                ? value
                : throw Range($"{PathOf(name)}: {value} is out of range [{Format(min)}, {Format(max)}]");
        }

        public double Number(string name, double min, double max, double tolerance = 0, bool minExclusive = false) =>
            ReadNumber(Required(name), name, min, max, tolerance, minExclusive, nullable: false) ?? 0;

        public double? NullableNumber(string name, double min, double max) =>
            ReadNumber(Required(name), name, min, max, 0, minExclusive: false, nullable: true);

        private double? ReadNumber(JsonElement element, string name, double min, double max, double tolerance, bool minExclusive, bool nullable)
        {
            if (nullable && element.ValueKind == JsonValueKind.Null)
            {
                return null;
            }

            if (element.ValueKind != JsonValueKind.Number)
            {
                throw Schema($"{PathOf(name)}: expected {(nullable ? "a number or null" : "a number")}, got {Describe(element)}");
            }

            if (!element.TryGetDouble(out var value) || !double.IsFinite(value))
            {
                throw Range($"{PathOf(name)}: {InputText.Quote(element.GetRawText(), 40)} is not a finite number");
            }

            var belowMin = minExclusive ? value <= min : value < min - tolerance;
            if (belowMin || value > max + tolerance)
            {
                throw Range($"{PathOf(name)}: {InputText.Quote(element.GetRawText(), 40)} is out of range {(minExclusive ? '(' : '[')}{Format(min)}, {Format(max)}]");
            }

            return value;
        }

        private string PathOf(string name)
        {
            // Made only for a reason: most messages never need one.
            var path = _path ??= _parent!.PathOf(_name);
            return path.Length == 0 ? InputText.Quote(name, 64) : $"{path}.{InputText.Quote(name, 64)}";
        }
    }

    /// <summary>Thrown only for invalid input, inside <see cref="Validate"/>, which turns it into a rejection.</summary>
    private sealed class InvalidPayloadException(Rejection rejection) : Exception(rejection.Reason)
    {
        public Rejection Rejection { get; } = rejection;
    }
}
