using EdgeGateway.Core.Storage;

namespace EdgeGateway.Queries;

/// <summary>A stretch of one machine state within a day.</summary>
public sealed record StateSpan(DateTimeOffset From, DateTimeOffset To, string State);

/// <summary>One cell's state changes in a time range as spans: the state at the start, then each change.</summary>
public static class StateTimelineQuery
{
    /// <summary>Two statements: the last change before <paramref name="from"/>, and the changes in [from, to).</summary>
    public static string Query(string site, string cell, DateTimeOffset from, DateTimeOffset to)
    {
        var where = $"FROM \"{InfluxSchema.StateMeasurement}\" WHERE time >= 0{InfluxQl.CellFilter(site, cell)}";
        return $"SELECT last(\"state\") AS \"state\" {where} AND time < '{InfluxQl.Timestamp(from)}'; " +
            $"SELECT \"state\" {where}{InfluxQl.TimeRange(from, to)}";
    }

    /// <summary>The spans covering [<paramref name="from"/>, <paramref name="to"/>) from the first known state on.</summary>
    public static List<StateSpan> Read(IReadOnlyList<InfluxSeries> series, DateTimeOffset from, DateTimeOffset to)
    {
        var changes = new List<(DateTimeOffset At, string State)>();
        foreach (var s in series)
        {
            var index = InfluxQl.Columns(s);
            foreach (var row in s.Rows)
            {
                if (InfluxQl.Text(row, index, "state") is { } state)
                {
                    // The selector's row carries the change's own time; it counts from the range's start.
                    var at = InfluxQl.Time(row, index);
                    changes.Add((at < from ? from : at, state));
                }
            }
        }

        changes.Sort((a, b) => a.At.CompareTo(b.At));
        var spans = new List<StateSpan>(changes.Count);
        for (var i = 0; i < changes.Count; i++)
        {
            var end = i + 1 < changes.Count ? changes[i + 1].At : to;
            if (end > changes[i].At)
            {
                spans.Add(new StateSpan(changes[i].At, end, changes[i].State));
            }
        }

        return spans;
    }
}
