using System.Globalization;
using EdgeGateway.Core.Payload;
using EdgeGateway.Core.Storage;
using EdgeGateway.Ingest.Validation;

namespace EdgeGateway.Ingest.Points;

/// <summary>
/// Turns a validated record into the line protocol of its InfluxDB point (src/docs/influxdb-schema.md, names from <see cref="InfluxSchema"/>): one
/// measurement per message kind, ids as tags, numbers as fields (a null is left out), time in milliseconds. A KPI
/// record's time is its window start, so a re-delivered record (same site, cell, window kind and start) overwrites
/// itself. Both writers send exactly these lines.
/// </summary>
/// <remarks>
/// Written here rather than through InfluxDB.Client's <c>PointData</c>: for a KPI record's ~45 fields,
/// <c>PointData.Builder</c> and <c>ToLineProtocol()</c> cost the ingest 10–14 µs and 12 KB per message, a quarter of
/// its CPU, and the ingest could not keep up with InfluxDB (src/docs/ingest.md, "Throughput"); this costs about a
/// fifth of that. The tests hold every line to the point <c>PointData</c> makes of the same record: same measurement,
/// tags, typed field values and time (<c>tests/EdgeGateway.Ingest.Tests/Points</c>). Doubles are written in their
/// shortest round-trip form (<c>PointData</c> writes 17 digits): the same value, in fewer bytes.
/// </remarks>
public static class PointBuilder
{
    private static readonly string s_outboxDepth = InfluxSchema.OutboxPrefix + StatusPayload.Depth;
    private static readonly string s_outboxDropped = InfluxSchema.OutboxPrefix + StatusPayload.Dropped;
    private static readonly string s_outboxCorrupt = InfluxSchema.OutboxPrefix + StatusPayload.Corrupt;
    private static readonly string s_outboxOldest = InfluxSchema.OutboxPrefix + StatusPayload.OldestAgeS;
    private static readonly string s_deliveryConfirmed = InfluxSchema.DeliveryPrefix + StatusPayload.Confirmed;
    private static readonly string s_deliveryUnconfirmed = InfluxSchema.DeliveryPrefix + StatusPayload.Unconfirmed;
    private static readonly string s_deliveryOldest = InfluxSchema.DeliveryPrefix + StatusPayload.OldestUnconfirmedAgeS;
    private static readonly string s_deliveryResent = InfluxSchema.DeliveryPrefix + StatusPayload.Resent;
    private static readonly string s_deliveryNoSubscriber = InfluxSchema.DeliveryPrefix + StatusPayload.NoSubscriber;

    /// <summary>
    /// The lines of every point of <paramref name="record"/>, separated by <c>\n</c>: its <see cref="Line(IngestRecord)"/>,
    /// and for a KPI record one line per reason (<see cref="InfluxSchema.ReasonMeasurement"/>) and per article
    /// (<see cref="InfluxSchema.ArticleMeasurement"/>). One text, so that a record's points go in the same write: the
    /// record is confirmed to its gateway only once all of them are stored.
    /// </summary>
    public static string Lines(IngestRecord record)
    {
        var line = Line(record);
        if (record is not KpiRecord kpi || (kpi.Reasons.Count == 0 && kpi.Articles.Count == 0))
        {
            return line;
        }

        var lines = new List<string>(1 + kpi.Reasons.Count + kpi.Articles.Count) { line };
        foreach (var reason in kpi.Reasons)
        {
            lines.Add(Line(kpi, reason));
        }

        foreach (var article in kpi.Articles)
        {
            lines.Add(Line(kpi, article));
        }

        return string.Join('\n', lines);
    }

    /// <summary>The line of <paramref name="record"/>'s point (of a KPI record, its kpi point).</summary>
    public static string Line(IngestRecord record) => record switch
    {
        KpiRecord kpi => Line(kpi),
        StateRecord state => Line(state),
        StatusRecord status => Line(status),
        _ => throw new ArgumentException($"no point for {record.GetType().Name}", nameof(record)),
    };

    /// <summary>Measurement <c>kpi</c>: tags site, cell, window; time = window start.</summary>
    public static string Line(KpiRecord r)
    {
        ArgumentNullException.ThrowIfNull(r);
        var line = StartWithKpiTags(InfluxSchema.KpiMeasurement, r);
        line.Field(InfluxSchema.WindowSeconds, (r.EndMs - r.StartMs) / 1000.0);
        foreach (var field in KpiFields.All)
        {
            line.Field(field, r[field]);
        }

        foreach (var aux in r.Aux)
        {
            line.Field(InfluxSchema.AuxField(aux.Signal, KpiPayload.Samples), aux.Samples);
            line.Field(InfluxSchema.AuxField(aux.Signal, KpiPayload.Min), aux.Min);
            line.Field(InfluxSchema.AuxField(aux.Signal, KpiPayload.Mean), aux.Mean);
            line.Field(InfluxSchema.AuxField(aux.Signal, KpiPayload.Max), aux.Max);
        }

        line.Field(KpiPayload.ClockSynced, r.ClockSynced);
        line.Field(KpiPayload.Seq, r.Seq);
        line.Field(KpiPayload.Gateway, r.Gateway);
        line.Field(KpiPayload.Definitions, r.Definitions);
        return line.End(r.StartMs);
    }

    /// <summary>Measurement <c>kpi_reason</c>: the kpi point's tags and reason; time = window start.</summary>
    public static string Line(KpiRecord r, ReasonTime reason)
    {
        ArgumentNullException.ThrowIfNull(r);
        ArgumentNullException.ThrowIfNull(reason);
        var line = StartWithKpiTags(InfluxSchema.ReasonMeasurement, r, InfluxSchema.ReasonTag, reason.Code);
        line.Field(InfluxSchema.ReasonSecondsField, reason.Seconds);
        return line.End(r.StartMs);
    }

    /// <summary>Measurement <c>kpi_article</c>: tags article and the kpi point's; time = window start.</summary>
    public static string Line(KpiRecord r, ArticleParts article)
    {
        ArgumentNullException.ThrowIfNull(r);
        ArgumentNullException.ThrowIfNull(article);
        var line = StartWithKpiTags(InfluxSchema.ArticleMeasurement, r, InfluxSchema.ArticleTag, article.Article);
        line.Field(KpiPayload.Produced, article.Produced);
        line.Field(KpiPayload.Scrap, article.Scrap);
        line.Field(KpiPayload.Good, article.Good);
        return line.End(r.StartMs);
    }

    /// <summary>
    /// A line of <paramref name="measurement"/> started with the kpi point's tags (cell, site, window) and, for a reason
    /// or an article point, the tag <paramref name="key"/>, all in key order as InfluxDB keeps them.
    /// </summary>
    private static LineWriter StartWithKpiTags(string measurement, KpiRecord r, string? key = null, string? value = null)
    {
        var line = LineWriter.Start(measurement);
        ReadOnlySpan<(string Key, string Value)> tags = [(InfluxSchema.CellTag, r.Cell), (InfluxSchema.SiteTag, r.Site), (InfluxSchema.WindowTag, r.Window)];
        foreach (var tag in tags)
        {
            if (key is not null && string.CompareOrdinal(key, tag.Key) < 0)
            {
                line.Tag(key, value!);
                key = null;
            }

            line.Tag(tag.Key, tag.Value);
        }

        if (key is not null)
        {
            line.Tag(key, value!);
        }

        return line;
    }

    /// <summary>Measurement <c>state</c>: tags site, cell; time = <c>at</c>.</summary>
    public static string Line(StateRecord r)
    {
        ArgumentNullException.ThrowIfNull(r);
        var line = LineWriter.Start(InfluxSchema.StateMeasurement);
        line.Tag(InfluxSchema.CellTag, r.Cell);
        line.Tag(InfluxSchema.SiteTag, r.Site);
        line.Field(StatePayload.State, r.State);
        line.Field(KpiPayload.Seq, r.Seq);
        line.Field(KpiPayload.Gateway, r.Gateway);
        return line.End(r.AtMs);
    }

    /// <summary>Measurement <c>gateway_status</c>: tags site, gateway; time = <c>at</c> of a birth, arrival of an offline.</summary>
    public static string Line(StatusRecord r)
    {
        ArgumentNullException.ThrowIfNull(r);
        var line = LineWriter.Start(InfluxSchema.StatusMeasurement);
        line.Tag(InfluxSchema.GatewayTag, r.Gateway);
        line.Tag(InfluxSchema.SiteTag, r.Site);
        line.Field(StatusPayload.Status, r.Status);
        line.Field(StatusPayload.Software, r.Software);
        line.Field(StatusPayload.ConfigSha256, r.ConfigSha256);
        line.Field(s_outboxDepth, r.OutboxDepth);
        line.Field(s_outboxDropped, r.OutboxDropped);
        line.Field(s_outboxCorrupt, r.OutboxCorrupt);
        line.Field(s_outboxOldest, r.OutboxOldestAgeS);
        if (r.Delivery is { } delivery)
        {
            line.Field(s_deliveryConfirmed, delivery.Confirmed);
            line.Field(s_deliveryUnconfirmed, delivery.Unconfirmed);
            line.Field(s_deliveryOldest, delivery.OldestUnconfirmedAgeS);
            line.Field(s_deliveryResent, delivery.Resent);
            line.Field(s_deliveryNoSubscriber, delivery.NoSubscriber);
        }

        line.Field(KpiPayload.ClockSynced, r.ClockSynced);
        line.Field(StatusPayload.UptimeS, r.UptimeS);
        line.Field(StatusPayload.LastRecordAgeS, r.LastRecordAgeS);
        line.Field(StatusPayload.ClockOffsetS, r.ClockOffsetS);
        line.Field(StatusPayload.DiskFreeBytes, r.DiskFreeBytes);
        line.Field(StatusPayload.CpuTempC, r.CpuTempC);
        return line.End(r.AtMs);
    }

    /// <summary>
    /// One line being written into a per-thread buffer: measurement, tags (in the order given: the callers give them
    /// sorted by key, as InfluxDB keeps them), fields (a null one left out), time. Escaping as the line protocol
    /// defines it: measurement <c>,</c> and space; tag keys, tag values and field keys also <c>=</c>; string field
    /// values <c>"</c> and <c>\</c>.
    /// </summary>
    private ref struct LineWriter
    {
        [ThreadStatic]
        private static char[]? s_buffer;

        private char[] _buffer;
        private int _length;
        private bool _hasField;

        public static LineWriter Start(string measurement)
        {
            var line = new LineWriter { _buffer = s_buffer ??= new char[1024] };
            line.Escaped(measurement, equalsToo: false);
            return line;
        }

        public void Tag(string key, string value)
        {
            Append(',');
            Escaped(key, equalsToo: true);
            Append('=');
            Escaped(value, equalsToo: true);
        }

        /// <summary>A measured field of a KPI record, typed as <paramref name="field"/> says (a null is left out).</summary>
        public void Field(KpiField field, double? value)
        {
            if (value is not { } v)
            {
                return;
            }

            switch (field.Type)
            {
                case KpiFieldType.WholeNumber:
                    Field(field.Column, (long)v);
                    break;
                case KpiFieldType.Choice:
                    Field(field.Column, field.Choices[(int)v]);
                    break;
                default:
                    Field(field.Column, v);
                    break;
            }
        }

        public void Field(string key, double value)
        {
            Key(key);
            int written;
            while (!value.TryFormat(_buffer.AsSpan(_length), out written, "R", CultureInfo.InvariantCulture))
            {
                Grow(32);
            }

            _length += written;
        }

        public void Field(string key, double? value)
        {
            if (value is { } v)
            {
                Field(key, v);
            }
        }

        public void Field(string key, long value)
        {
            Key(key);
            Integer(value);
            Append('i');
        }

        public void Field(string key, long? value)
        {
            if (value is { } v)
            {
                Field(key, v);
            }
        }

        public void Field(string key, bool value)
        {
            Key(key);
            Append(value ? "true" : "false");
        }

        public void Field(string key, bool? value)
        {
            if (value is { } v)
            {
                Field(key, v);
            }
        }

        public void Field(string key, string? value)
        {
            if (value is null)
            {
                return;
            }

            Key(key);
            Append('"');
            foreach (var c in value)
            {
                if (c is '"' or '\\')
                {
                    Append('\\');
                }

                Append(c);
            }

            Append('"');
        }

        /// <summary>The line, with its time in milliseconds.</summary>
        public string End(long timeMs)
        {
            Append(' ');
            Integer(timeMs);
            var line = new string(_buffer, 0, _length);
            if (_buffer.Length > 64 * 1024)
            {
                // Not kept: a record with a huge string would pin its buffer for the thread's life.
                s_buffer = null;
            }

            return line;
        }

        private void Integer(long value)
        {
            int written;
            while (!value.TryFormat(_buffer.AsSpan(_length), out written, default, CultureInfo.InvariantCulture))
            {
                Grow(32);
            }

            _length += written;
        }

        private void Key(string key)
        {
            Append(_hasField ? ',' : ' ');
            _hasField = true;
            Escaped(key, equalsToo: true);
            Append('=');
        }

        private void Escaped(string text, bool equalsToo)
        {
            foreach (var c in text)
            {
                if (c is ',' or ' ' || (equalsToo && c == '='))
                {
                    Append('\\');
                }

                Append(c);
            }
        }

        private void Append(string text)
        {
            foreach (var c in text)
            {
                Append(c);
            }
        }

        private void Append(char c)
        {
            if (_length == _buffer.Length)
            {
                Grow(1);
            }

            _buffer[_length++] = c;
        }

        private void Grow(int atLeast)
        {
            var larger = new char[Math.Max(_buffer.Length * 2, _length + atLeast)];
            _buffer.AsSpan(0, _length).CopyTo(larger);
            _buffer = larger;
            s_buffer = larger;
        }
    }
}
