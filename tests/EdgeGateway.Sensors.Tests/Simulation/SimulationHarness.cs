using System.Text;
using EdgeGateway.Core.Calendar;
using EdgeGateway.Core.Configuration;
using EdgeGateway.Core.Kpi;
using EdgeGateway.Core.Traces;
using EdgeGateway.Sensors.Simulation;

namespace EdgeGateway.Sensors.Tests.Simulation;

/// <summary>A simulation run held in memory: the config, the trace text and the ground-truth records.</summary>
internal sealed record SimulatedRun(GatewayConfig Config, byte[] Trace, List<WindowRecord> Truth, long[] ReasonedStopMs)
{
    public static readonly WindowKind[] Kinds = [WindowKind.Total, WindowKind.Day, WindowKind.Shift];

    /// <summary>Simulates <paramref name="configJson"/> over [from, to) (UTC texts, or site-local dates).</summary>
    public static SimulatedRun Simulate(string configJson, long seed, string from, string to, params WindowKind[] kinds)
    {
        var config = ConfigReader.Read(Encoding.UTF8.GetBytes(configJson), "test.json");
        var options = SimulationOptions.ReadAll(config);
        using var trace = new MemoryStream();
        var truth = Simulator.Run(
            config, options, seed, Instant(from, config.TimeZone), Instant(to, config.TimeZone), kinds.Length > 0 ? kinds : Kinds, trace, out _, out var reasonedStopMs);
        return new SimulatedRun(config, trace.ToArray(), truth, reasonedStopMs);
    }

    /// <summary>The engine's records for the trace: the path of <c>edgegw replay</c> (trace reader, gateway engine).</summary>
    public List<WindowRecord> Replay(params WindowKind[] kinds) => EngineReplay.Run(Config, Trace, kinds.Length > 0 ? kinds : Kinds);

    public static long Instant(string text, TimeZoneInfo zone) =>
        text.Length == 10
            ? SiteTime.FromWallClock(DateTime.ParseExact(text, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), zone)
            : TraceTimestamp.TryParse(Encoding.ASCII.GetBytes(text), out var ms) ? ms : throw new ArgumentException(text);
}

/// <summary>Runs a trace through the same path as <c>edgegw replay</c>: trace reader, gateway engine (copied from the Core tests).</summary>
internal static class EngineReplay
{
    public static List<WindowRecord> Run(GatewayConfig config, byte[] trace, params WindowKind[] kinds)
    {
        var sink = new RecordList();
        var engine = new GatewayEngine(config, kinds.Length == 0 ? [WindowKind.Total] : kinds, sink);
        using var stream = new MemoryStream(trace);
        using var reader = new TraceReader(stream, "test.csv", engine.Signals);
        while (reader.TryRead(out var e))
        {
            engine.Process(e);
        }

        engine.Finish();
        return sink;
    }

    private sealed class RecordList : List<WindowRecord>, IWindowRecordSink
    {
        public void OnRecord(in WindowRecord record) => Add(record);
    }
}

/// <summary>Compares ground truth with replayed records: buckets and reason seconds within 1 s per hour of window, counts (per article too) exact, ideal time and OEE equal.</summary>
internal static class TruthComparison
{
    public static void AssertReplayMatchesTruth(SimulatedRun run)
    {
        var replayed = run.Replay();
        var byWindow = new Dictionary<(string Cell, WindowKind Kind, long Start), WindowRecord>();
        foreach (var record in replayed)
        {
            Assert.True(byWindow.TryAdd((record.Cell.Id, record.Kind, record.Start), record), $"engine emitted {Describe(record)} twice");
        }

        Assert.Equal(replayed.Count, run.Truth.Count);
        foreach (var truth in run.Truth)
        {
            Assert.True(byWindow.TryGetValue((truth.Cell.Id, truth.Kind, truth.Start), out var engine), $"the engine has no record for {Describe(truth)}");
            AssertSame(truth, engine);
        }
    }

    public static void AssertSame(in WindowRecord truth, in WindowRecord engine)
    {
        var what = Describe(truth);
        Assert.True(truth.End == engine.End, $"{what}: ends at {TraceTimestamp.Format(engine.End)} in the engine");
        var toleranceMs = 1000.0 * truth.LengthMs / 3_600_000;
        long sum = 0;
        for (var b = 0; b < BucketDurations.BucketCount; b++)
        {
            var bucket = (Bucket)b;
            sum += truth.Ms(bucket);
            Assert.True(
                Math.Abs(truth.Ms(bucket) - engine.Ms(bucket)) <= toleranceMs,
                $"{what}: {bucket} is {truth.Ms(bucket)} ms in the truth, {engine.Ms(bucket)} ms in the engine");
        }

        Assert.True(sum == truth.LengthMs, $"{what}: truth buckets add up to {sum} ms, not {truth.LengthMs}");
        Assert.True(truth.Produced == engine.Produced, $"{what}: produced {truth.Produced} vs {engine.Produced}");
        Assert.True(truth.Scrap == engine.Scrap, $"{what}: scrap {truth.Scrap} vs {engine.Scrap}");
        Assert.True(truth.Good == engine.Good, $"{what}: good {truth.Good} vs {engine.Good}");
        Assert.True(truth.UnattendedGood == engine.UnattendedGood, $"{what}: unattended good {truth.UnattendedGood} vs {engine.UnattendedGood}");
        Assert.True(truth.Failures == engine.Failures, $"{what}: failures {truth.Failures} vs {engine.Failures}");
        Assert.True(truth.MinorStops == engine.MinorStops, $"{what}: minor stops {truth.MinorStops} vs {engine.MinorStops}");
        Assert.True(truth.UnassignedStops == engine.UnassignedStops, $"{what}: unassigned stops {truth.UnassignedStops} vs {engine.UnassignedStops}");
        for (var code = 0; code < truth.Cell.Reasons.Codes.Count; code++)
        {
            Assert.True(
                Math.Abs(truth.Totals.ReasonMs[code] - engine.Totals.ReasonMs[code]) <= toleranceMs,
                $"{what}: reason {truth.Cell.Reasons.Codes[code].Code} is {truth.Totals.ReasonMs[code]} ms in the truth, {engine.Totals.ReasonMs[code]} ms in the engine");
        }

        for (var slot = 0; slot <= truth.Cell.Articles.Count; slot++)
        {
            var article = slot == 0 ? "no article" : truth.Cell.Articles[slot - 1].Id;
            Assert.True(truth.Totals.ArticleCycles[slot] == engine.Totals.ArticleCycles[slot], $"{what}: {article} cycles {truth.Totals.ArticleCycles[slot]} vs {engine.Totals.ArticleCycles[slot]}");
            Assert.True(truth.Totals.ArticleScrap[slot] == engine.Totals.ArticleScrap[slot], $"{what}: {article} scrap {truth.Totals.ArticleScrap[slot]} vs {engine.Totals.ArticleScrap[slot]}");
        }

        Assert.True(Math.Abs(truth.IdealSeconds - engine.IdealSeconds) <= 1e-6 * Math.Max(1, truth.IdealSeconds), $"{what}: ideal {truth.IdealSeconds} s vs {engine.IdealSeconds} s");
        Assert.True(
            (truth.Oee is null && engine.Oee is null) || (truth.Oee is { } t && engine.Oee is { } e && Math.Abs(t - e) <= 0.001),
            $"{what}: OEE {truth.Oee} vs {engine.Oee}");
        Assert.True(
            Math.Abs(truth.Kwh - engine.Kwh) <= 1e-6 * Math.Max(1, truth.Kwh),
            $"{what}: {truth.Kwh} kWh vs {engine.Kwh} kWh");
    }

    private static string Describe(in WindowRecord record) =>
        $"{record.Cell.Id} {record.Kind.Name()} {TraceTimestamp.Format(record.Start)}..{TraceTimestamp.Format(record.End)}";
}

/// <summary>Adds up window totals: what a longer window holds is the sum of the shorter windows that tile it.</summary>
internal static class TotalsSum
{
    /// <summary>The record of <paramref name="records"/> (in time order, of one cell) taken together, as one window of <paramref name="kind"/>.</summary>
    public static WindowRecord Of(IReadOnlyList<WindowRecord> records, WindowKind kind)
    {
        Assert.NotEmpty(records);
        var sum = new WindowTotals { Start = records[0].Start, End = records[^1].End };
        foreach (var record in records)
        {
            var t = record.Totals;
            for (var b = 0; b < BucketDurations.BucketCount; b++)
            {
                sum.Buckets[b] += t.Buckets[b];
            }

            for (var code = 0; code < ReasonDurations.Capacity; code++)
            {
                sum.ReasonMs[code] += t.ReasonMs[code];
            }

            for (var slot = 0; slot < ArticleCounts.Capacity; slot++)
            {
                sum.ArticleCycles[slot] += t.ArticleCycles[slot];
                sum.ArticleScrap[slot] += t.ArticleScrap[slot];
            }

            sum.Produced += t.Produced;
            sum.Scrap += t.Scrap;
            sum.UnattendedProduced += t.UnattendedProduced;
            sum.UnattendedScrap += t.UnattendedScrap;
            sum.MinorStops += t.MinorStops;
            sum.MinorStopMs += t.MinorStopMs;
            sum.Failures += t.Failures;
            sum.FailureMs += t.FailureMs;
            sum.UnassignedStops += t.UnassignedStops;
            sum.EnergyKwMs += t.EnergyKwMs;
            sum.NonRunEnergyKwMs += t.NonRunEnergyKwMs;
        }

        return new WindowRecord(records[0].Site, records[0].Cell, kind, sum);
    }
}
