using System.Globalization;
using EdgeGateway.Ingest.Validation;

namespace EdgeGateway.Ingest.Points;

/// <summary>
/// Turns a validated record into the line protocol of its InfluxDB point (src/docs/influxdb-schema.md): one
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
    /// <summary>Measurement of KPI records.</summary>
    public const string KpiMeasurement = "kpi";

    /// <summary>Measurement of state changes.</summary>
    public const string StateMeasurement = "state";

    /// <summary>Measurement of gateway status messages.</summary>
    public const string StatusMeasurement = "gateway_status";

    private static readonly string[] s_bucketFields = [.. KpiRecord.BucketNames.Select(name => name + "_s")];

    /// <summary>The line of <paramref name="record"/>'s point.</summary>
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
        var line = LineWriter.Start(KpiMeasurement);
        line.Tag("cell", r.Cell);
        line.Tag("site", r.Site);
        line.Tag("window", r.Window);
        for (var i = 0; i < s_bucketFields.Length; i++)
        {
            line.Field(s_bucketFields[i], r.Buckets[i]);
        }

        line.Field("window_s", (r.EndMs - r.StartMs) / 1000.0);
        for (var i = 0; i < r.Kpis.Length; i++)
        {
            line.Field(KpiRecord.KpiNames[i], r.Kpis[i]);
        }

        line.Field("produced", r.Produced);
        line.Field("good", r.Good);
        line.Field("scrap", r.Scrap);
        line.Field("unattended_good", r.UnattendedGood);
        line.Field("failures", r.Failures);
        line.Field("kwh", r.Kwh);
        line.Field("kwh_per_good_part", r.KwhPerGoodPart);
        line.Field("idle_energy_share", r.IdleEnergyShare);
        line.Field("minor_stops", r.MinorStops);
        line.Field("minor_stop_s", r.MinorStopSeconds);
        line.Field("minor_stop_threshold_s", r.MinorStopThresholdSeconds);
        line.Field("minor_stop_policy", r.MinorStopPolicy);
        line.Field("ideal_cycle_s", r.IdealCycleSeconds);
        foreach (var aux in r.Aux)
        {
            line.Field($"aux_{aux.Signal}_samples", aux.Samples);
            line.Field($"aux_{aux.Signal}_min", aux.Min);
            line.Field($"aux_{aux.Signal}_mean", aux.Mean);
            line.Field($"aux_{aux.Signal}_max", aux.Max);
        }

        line.Field("coverage", r.Coverage);
        line.Field("sensor_faults", r.SensorFaults);
        line.Field("clock_synced", r.ClockSynced);
        line.Field("seq", r.Seq);
        line.Field("gateway", r.Gateway);
        line.Field("definitions", r.Definitions);
        return line.End(r.StartMs);
    }

    /// <summary>Measurement <c>state</c>: tags site, cell; time = <c>at</c>.</summary>
    public static string Line(StateRecord r)
    {
        ArgumentNullException.ThrowIfNull(r);
        var line = LineWriter.Start(StateMeasurement);
        line.Tag("cell", r.Cell);
        line.Tag("site", r.Site);
        line.Field("state", r.State);
        line.Field("seq", r.Seq);
        line.Field("gateway", r.Gateway);
        return line.End(r.AtMs);
    }

    /// <summary>Measurement <c>gateway_status</c>: tags site, gateway; time = <c>at</c> of a birth, arrival of an offline.</summary>
    public static string Line(StatusRecord r)
    {
        ArgumentNullException.ThrowIfNull(r);
        var line = LineWriter.Start(StatusMeasurement);
        line.Tag("gateway", r.Gateway);
        line.Tag("site", r.Site);
        line.Field("status", r.Status);
        line.Field("software", r.Software);
        line.Field("config_sha256", r.ConfigSha256);
        line.Field("outbox_depth", r.OutboxDepth);
        line.Field("outbox_dropped", r.OutboxDropped);
        line.Field("outbox_corrupt", r.OutboxCorrupt);
        if (r.Delivery is { } delivery)
        {
            line.Field("delivery_confirmed", delivery.Confirmed);
            line.Field("delivery_unconfirmed", delivery.Unconfirmed);
            line.Field("delivery_oldest_unconfirmed_age_s", delivery.OldestUnconfirmedAgeS);
            line.Field("delivery_resent", delivery.Resent);
            line.Field("delivery_no_subscriber", delivery.NoSubscriber);
        }

        line.Field("clock_synced", r.ClockSynced);
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
