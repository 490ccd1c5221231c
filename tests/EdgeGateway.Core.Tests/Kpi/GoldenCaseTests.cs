using EdgeGateway.Core.Kpi;
using static EdgeGateway.Core.Tests.TraceBuilder;

namespace EdgeGateway.Core.Tests.Kpi;

/// <summary>
/// Published worked OEE examples, each replayed as a trace of one shift on Monday 2026-03-30 (UTC):
/// the machine runs from 06:00, is down for a stretch, idles through its breaks, and the trace ends at 14:00.
/// Parts are spread evenly over run time.
/// </summary>
public sealed class GoldenCaseTests
{
    [Fact]
    public void PlannedTime420_Down47_Gives_OEE_0_747937_Not_77_8Percent()
    {
        // 480 min shift − 60 min breaks = 420 planned; 47 min down; ideal 1 s; 19 271 produced, 423 scrap.
        var record = ReplayShift(
            breaks: [("09:00", "09:30"), ("12:00", "12:30")], downMinutes: 47, idealCycleSeconds: 1, produced: 19_271, scrap: 423);

        Assert.Equal(373 * 60, record.Seconds(Bucket.Run));
        Assert.Equal(47 * 60, record.Seconds(Bucket.Down));
        Assert.Equal(60 * 60, record.Seconds(Bucket.PlannedStop));
        Assert.Equal(420 * 60_000, record.PlannedBusyMs);
        Assert.Equal(0.888095, record.Availability!.Value, 6);
        Assert.Equal(0.861081, record.Effectiveness!.Value, 6);
        Assert.Equal(0.978050, record.Quality!.Value, 6);
        Assert.Equal(0.747937, record.Oee!.Value, 6);
        Assert.Equal(18_848, record.Good);
    }

    [Fact]
    public void PlannedTime480_Down80_Gives_OEE_0_653333()
    {
        var record = ReplayShift(breaks: [], downMinutes: 80, idealCycleSeconds: 1, produced: 19_200, scrap: 384);

        Assert.Equal(0.833333, record.Availability!.Value, 6);
        Assert.Equal(0.8, record.Effectiveness!.Value, 6);
        Assert.Equal(0.98, record.Quality!.Value, 6);
        Assert.Equal(0.653333, record.Oee!.Value, 6);
    }

    [Fact]
    public void PlannedTime480_Run420_Ideal60s_Gives_OEE_0_791667_WithoutRoundingPerformanceFirst()
    {
        var record = ReplayShift(breaks: [], downMinutes: 60, idealCycleSeconds: 60, produced: 400, scrap: 20);

        Assert.Equal(420 * 60, record.Seconds(Bucket.Run));
        Assert.Equal(0.875, record.Availability!.Value, 6);
        Assert.Equal(0.952381, record.Effectiveness!.Value, 6);
        Assert.Equal(0.95, record.Quality!.Value, 6);
        Assert.Equal(0.791667, record.Oee!.Value, 6);
    }

    [Fact]
    public void GoldenCase_FormulaMatchesRecord_ForEveryDerivedKpi()
    {
        var r = ReplayShift(breaks: [("09:00", "09:30"), ("12:00", "12:30")], downMinutes: 47, idealCycleSeconds: 1, produced: 19_271, scrap: 423);

        double run = 22_380, down = 2_820, setup = 0, pbt = 25_200, produced = 19_271, good = 18_848;
        Assert.Equal(run / (run + down), r.TechnicalEfficiency!.Value, 12);
        Assert.Equal(0.0, r.SetupRate!.Value, 12);
        Assert.Equal((run + setup) / pbt * (produced / run) * (good / produced), r.Nee!.Value, 12);
        Assert.Equal(good / (8 * 3600), r.Teep!.Value, 12);
        Assert.Equal(423 / produced, r.ScrapRatio!.Value, 12);
        Assert.Equal(produced / (run / 3600), r.ThroughputPerHour!.Value, 9);
        Assert.Equal(1, r.Failures);
        Assert.Equal(2_820, r.MttrSeconds!.Value, 9);
        Assert.Equal(run, r.MtbfSeconds!.Value, 9);
        Assert.Equal(1.0, r.Coverage!.Value, 12);
    }

    /// <summary>One 06:00–14:00 shift: run, one down stretch from 07:00, idle in breaks, parts spread over run time.</summary>
    internal static WindowRecord ReplayShift((string Start, string End)[] breaks, int downMinutes, double idealCycleSeconds, int produced, int scrap)
    {
        var day = Utc("2026-03-30T00:00:00Z");
        var stops = new List<(DateTime From, DateTime To, string Lamp)> { (day.AddHours(7), day.AddHours(7).AddMinutes(downMinutes), "red") };
        foreach (var (start, end) in breaks)
        {
            stops.Add((day + TimeSpan.Parse(start, System.Globalization.CultureInfo.InvariantCulture), day + TimeSpan.Parse(end, System.Globalization.CultureInfo.InvariantCulture), "yellow"));
        }

        stops.Sort((a, b) => a.From.CompareTo(b.From));
        var shiftStart = day.AddHours(6);
        var shiftEnd = day.AddHours(14);

        var runs = new List<(DateTime From, DateTime To)>();
        var cursor = shiftStart;
        foreach (var stop in stops)
        {
            runs.Add((cursor, stop.From));
            cursor = stop.To;
        }

        runs.Add((cursor, shiftEnd));
        var runSeconds = runs.Sum(r => (r.To - r.From).TotalSeconds);

        // Part i completes at (i + 0.5) × spacing seconds into the concatenated run time.
        var parts = new List<DateTime>();
        var spacing = runSeconds / produced;
        var runIndex = 0;
        var runOffset = 0.0;
        for (var i = 0; i < produced; i++)
        {
            var at = (i + 0.5) * spacing;
            while (at - runOffset >= (runs[runIndex].To - runs[runIndex].From).TotalSeconds)
            {
                runOffset += (runs[runIndex].To - runs[runIndex].From).TotalSeconds;
                runIndex++;
            }

            parts.Add(runs[runIndex].From.AddMilliseconds(Math.Floor((at - runOffset) * 1000)));
        }

        var trace = new TraceBuilder().Light(shiftStart, "green");
        var part = 0;
        foreach (var stop in stops)
        {
            for (; part < parts.Count && parts[part] < stop.From; part++)
            {
                AddPart(trace, parts[part], part < scrap);
            }

            trace.Light(stop.From, stop.Lamp).Light(stop.To, "green");
        }

        for (; part < parts.Count; part++)
        {
            AddPart(trace, parts[part], part < scrap);
        }

        trace.Light(shiftEnd, "off");

        var breakJson = string.Join(", ", breaks.Select(b => TestConfig.Break(b.Start, b.End)));
        var config = TestConfig.Cell(TestConfig.Shift("Mon-Fri", "06:00", "14:00", breaks: breakJson), idealCycleSeconds);
        return Replay.Total(config, trace.ToString());

        static void AddPart(TraceBuilder trace, DateTime at, bool scrapped)
        {
            trace.At(at, "cycle");
            if (scrapped)
            {
                trace.At(at, "scrap");
            }
        }
    }
}
