using System.Text.Json;
using EdgeGateway.Core.Payload;
using EdgeGateway.Core.Storage;
using EdgeGateway.Evaluation.Panel;

namespace EdgeGateway.Queries;

/// <summary>
/// Reads the cells' <c>day</c> KPI records from InfluxDB (schema in src/docs/influxdb-schema.md): queries grouped by
/// site and cell, selecting only the sums the outcomes are recomputed from. A day record is already the database's
/// aggregate per cell and day; weeks are summed by the evaluation, because ratios need sums of products
/// (good × ideal cycle) that InfluxQL cannot form.
/// </summary>
public static class DayRecordsQuery
{
    /// <summary>
    /// The window is read as this many consecutive time slices, queried at once: influxd spends most of its work on one
    /// core per query, so two keep both cores of a small server busy while the answers are read. Measured on 2 cores
    /// with 2 000 cells × 2 years (December 2026, 6 alternating runs each, a loaded machine): the read took 8.1–23.0 s,
    /// median 11.8 s, in two slices against 11.8–17.8 s, median 15.9 s, in one.
    /// </summary>
    private const int Slices = 2;

    /// <summary>The fields selected, in the order of <see cref="Field"/>'s slots.</summary>
    private static readonly string[] s_fields =
    [
        InfluxSchema.RunSeconds, InfluxSchema.SetupSeconds, InfluxSchema.DownSeconds, InfluxSchema.IdleSeconds, InfluxSchema.WindowSeconds, KpiFields.Produced.Column,
        KpiFields.Good.Column, KpiFields.Scrap.Column, KpiFields.UnattendedGood.Column, KpiFields.Kwh.Column, KpiFields.IdealCycleSeconds.Column, KpiFields.Coverage.Column,
        KpiFields.IdealSeconds.Column,
    ];

    /// <summary>Slots of <see cref="s_fields"/>, so that a row's values are found by index rather than by name.</summary>
    private enum Field
    {
        Run, Setup, Down, Idle, Window, Produced, Good, Scrap, UnattendedGood, Kwh, IdealCycle, Coverage, Ideal,
    }

    /// <summary>
    /// The cells with day records in [<paramref name="from"/>, <paramref name="to"/>) (site-local dates), each with its
    /// days in date order. A day window starts at local midnight, anywhere from 14 h before to 12 h after UTC midnight,
    /// so the queries reach a day beyond each end and keep the days that belong.
    /// </summary>
    /// <exception cref="InfluxUnreachableException">InfluxDB does not answer.</exception>
    /// <exception cref="InfluxQueryException">InfluxDB rejected a query, or a row lacks a time or has a non-numeric field.</exception>
    public static List<CellDays> Read(InfluxQueryClient client, DateOnly from, DateOnly to)
    {
        ArgumentNullException.ThrowIfNull(client);
        var (lower, upper) = (from.AddDays(-1), to.AddDays(1));
        var slices = Math.Min(Slices, upper.DayNumber - lower.DayNumber);
        var readers = new DayRowReader[slices];
        var queries = new Task[slices];
        for (var i = 0; i < slices; i++)
        {
            // Whole UTC days: a record starts at one instant, so it falls into exactly one slice.
            var sliceFrom = lower.AddDays((upper.DayNumber - lower.DayNumber) * i / slices);
            var sliceTo = lower.AddDays((upper.DayNumber - lower.DayNumber) * (i + 1) / slices);
            var reader = readers[i] = new DayRowReader(from, to);
            queries[i] = Task.Run(() => client.QueryRows(SliceQuery(sliceFrom, sliceTo), reader));
        }

        // All are awaited, so none outlives a failure; the first failure is thrown as it is.
        Task.WhenAll(queries).GetAwaiter().GetResult();
        return Merge(readers);
    }

    private static string SliceQuery(DateOnly from, DateOnly to)
    {
        var fields = string.Join(", ", s_fields.Select(f => $"\"{f}\""));
        return $"SELECT {fields} {InfluxSchema.FromDayRecords} AND time >= '{from:yyyy-MM-dd}T00:00:00Z' " +
            $"AND time < '{to:yyyy-MM-dd}T00:00:00Z' GROUP BY \"{InfluxSchema.SiteTag}\", \"{InfluxSchema.CellTag}\"";
    }

    /// <summary>
    /// The slices' cells joined, in the order the first slice's answer lists them. The slices are in time order, and so
    /// are the rows within each: of two records of one date, the later one is kept (as a re-sent record replaces).
    /// </summary>
    private static List<CellDays> Merge(DayRowReader[] readers)
    {
        var cells = new Dictionary<(string Site, string Cell), List<DayRecord>>();
        var order = new List<(string Site, string Cell)>();
        foreach (var reader in readers)
        {
            foreach (var (key, days) in reader.Cells)
            {
                if (cells.TryGetValue(key, out var joined))
                {
                    joined.AddRange(days);
                }
                else
                {
                    cells[key] = days;
                    order.Add(key);
                }
            }
        }

        return order.ConvertAll(key => new CellDays(key.Site, key.Cell, InDateOrder(cells[key])));
    }

    /// <summary>The records by date, the last of each date kept; the common case, already in order, costs one pass.</summary>
    private static DayRecord[] InDateOrder(List<DayRecord> days)
    {
        var ordered = true;
        for (var i = 1; i < days.Count && ordered; i++)
        {
            ordered = days[i - 1].Day < days[i].Day;
        }

        if (ordered)
        {
            return [.. days];
        }

        var byDate = new SortedDictionary<DateOnly, DayRecord>();
        foreach (var day in days)
        {
            byDate[day.Day] = day;
        }

        return [.. byDate.Values];
    }

    /// <summary>
    /// The rows of one answer as day records, kept per cell when their date is in [from, to). A row's date is the UTC
    /// date of its window's middle: local noon falls on the local date in UTC for every offset from −12 h to +12 h. A
    /// field the record lacks (null) counts as zero, but <c>ideal_s</c>, which stays null (<see cref="DayRecord.IdealSeconds"/>).
    /// </summary>
    private sealed class DayRowReader(DateOnly from, DateOnly to) : IInfluxRowReader
    {
        private const int TimeSlot = -1;
        private const int Unused = -2;

        private readonly double[] _values = new double[s_fields.Length];
        private readonly bool[] _present = new bool[s_fields.Length];
        private int[] _slotOf = [];
        private long? _timeNanoseconds;
        private string _site = "";
        private string _cell = "";
        private List<DayRecord> _days = [];

        /// <summary>The cells read, in answer order.</summary>
        public List<((string Site, string Cell) Key, List<DayRecord> Days)> Cells { get; } = [];

        public void Series(string name, IReadOnlyDictionary<string, string> tags, IReadOnlyList<string> columns)
        {
            _site = tags.GetValueOrDefault(InfluxSchema.SiteTag, "");
            _cell = tags.GetValueOrDefault(InfluxSchema.CellTag, "");
            _slotOf = new int[columns.Count];
            for (var i = 0; i < columns.Count; i++)
            {
                _slotOf[i] = columns[i] == "time" ? TimeSlot : Array.IndexOf(s_fields, columns[i]) is var slot and >= 0 ? slot : Unused;
            }

            // A series longer than a chunk is announced again in the next one: its rows continue the same cell.
            if (Cells.Count > 0 && Cells[^1].Key == (_site, _cell))
            {
                _days = Cells[^1].Days;
                return;
            }

            _days = [];
            Cells.Add(((_site, _cell), _days));
        }

        public void Cell(int column, ref Utf8JsonReader value)
        {
            var slot = column < _slotOf.Length ? _slotOf[column] : Unused;
            if (slot == TimeSlot)
            {
                _timeNanoseconds = value.TokenType == JsonTokenType.Number && value.TryGetInt64(out var time) ? time : null;
            }
            else if (slot >= 0 && value.TokenType != JsonTokenType.Null)
            {
                _values[slot] = value.TokenType == JsonTokenType.Number
                    ? value.GetDouble()
                    : throw new InfluxQueryException($"site {_site}, cell {_cell}: field {s_fields[slot]} of a day record is {Kind(value.TokenType)}, not a number");
                _present[slot] = true;
            }
        }

        public void EndRow()
        {
            if (_timeNanoseconds is not { } time)
            {
                throw new InfluxQueryException($"site {_site}, cell {_cell}: a day record without a readable time");
            }

            var start = DateTimeOffset.UnixEpoch.AddTicks(time / TimeSpan.NanosecondsPerTick);
            var length = Value(Field.Window);
            var day = DateOnly.FromDateTime(start.AddSeconds(length > 0 ? length / 2 : 43_200).UtcDateTime);
            if (day >= from && day < to)
            {
                _days.Add(new DayRecord(
                    day, Value(Field.Run), Value(Field.Setup), Value(Field.Down), Value(Field.Idle), length, Value(Field.Produced), Value(Field.Good),
                    Value(Field.Scrap), Value(Field.UnattendedGood), Value(Field.Kwh), Value(Field.IdealCycle), Value(Field.Coverage))
                {
                    // Absent in records of gateways older than the field: the evaluation then uses ideal_cycle_s × produced.
                    IdealSeconds = OptionalValue(Field.Ideal),
                });
            }

            _timeNanoseconds = null;
            Array.Clear(_present);
        }

        private double Value(Field field) => OptionalValue(field) ?? 0;

        private double? OptionalValue(Field field) => _present[(int)field] ? _values[(int)field] : null;

        /// <summary>The JSON kind of a cell's token, named as in <see cref="JsonValueKind"/>.</summary>
        private static string Kind(JsonTokenType token) => token switch
        {
            JsonTokenType.StartObject => nameof(JsonValueKind.Object),
            JsonTokenType.StartArray => nameof(JsonValueKind.Array),
            _ => token.ToString(),
        };
    }
}
