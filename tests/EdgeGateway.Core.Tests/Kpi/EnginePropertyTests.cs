using System.Globalization;
using System.Text;
using System.Text.Json;
using CsCheck;
using EdgeGateway.Core.Kpi;
using EdgeGateway.Core.Payload;
using EdgeGateway.Core.Traces;

namespace EdgeGateway.Core.Tests.Kpi;

/// <summary>
/// Invariants of the engine over random traces: a week around the 2026 spring-forward jump, two staffed
/// shifts with breaks and an unstaffed Saturday night, random stack-light levels, parts, scrap and power; with
/// <c>context</c> also random reasons (some naming an earlier instant) and article changes under a config with reason codes
/// of every class and two articles.
/// </summary>
public sealed class EnginePropertyTests
{
    private const int Iterations = 60;

    private static readonly string[] s_levels = ["green", "yellow", "red", "setup"];

    private static readonly string s_config = TestConfig.Cell(
        TestConfig.Shift("Mon-Fri", "06:00", "14:00", breaks: TestConfig.Break("10:00", "10:15")) + ", "
        + TestConfig.Shift("Mon-Fri", "14:00", "22:00", breaks: TestConfig.Break("18:00", "18:30")) + ", "
        + TestConfig.Shift("Sat", "22:00", "06:00", staffed: false),
        idealCycleSeconds: 25, minorStopSeconds: 90, timeZone: "Europe/Amsterdam");

    private static readonly string[] s_reasons = ["breakdown", "waiting_material", "planned_maintenance", "changeover"];

    private static readonly string s_contextConfig = TestConfig.Cell(
        TestConfig.Shift("Mon-Fri", "06:00", "14:00", breaks: TestConfig.Break("10:00", "10:15")) + ", "
        + TestConfig.Shift("Mon-Fri", "14:00", "22:00", breaks: TestConfig.Break("18:00", "18:30")) + ", "
        + TestConfig.Shift("Sat", "22:00", "06:00", staffed: false),
        idealCycleSeconds: 25, minorStopSeconds: 90, timeZone: "Europe/Amsterdam",
        extra: """ "Articles": { "A": { "IdealCycleSeconds": 20 }, "B": { "IdealCycleSeconds": 70, "PartsPerCycle": 3 } },""",
        gateway: TestConfig.StopReasons);

    /// <summary>
    /// A batch of events at one instant: at most one event per level signal, so their order cannot matter; then, after
    /// them, maybe a reason (an index of <see cref="s_reasons"/>, naming an instant <c>ReasonAgoMs</c> before) and an article (0 or 1).
    /// </summary>
    private sealed record Batch(int GapMs, bool[] LevelPresent, bool[] LevelValue, int Parts, int Scrap, double? Power, int Reason, int ReasonAgoMs, int Article);

    private static readonly Gen<Batch> s_batch =
        Gen.Select(
            Gen.OneOf(Gen.Int[0, 2_000], Gen.Int[0, 120_000], Gen.Int[0, 3_600_000]),
            Gen.Bool.Array[4],
            Gen.Bool.Array[4],
            Gen.Int[0, 2],
            Gen.Int[0, 1],
            Gen.Select(Gen.Bool, Gen.Double[0, 20], (sampled, p) => sampled ? Math.Round(p, 3) : (double?)null),
            Gen.Select(Gen.Int[-6, 3], Gen.OneOf(Gen.Const(0), Gen.Int[0, 900_000]), Gen.Int[-8, 1]),
            (gap, present, value, parts, scrap, power, context) => new Batch(gap, present, value, parts, Math.Min(scrap, parts), power, context.Item1, context.Item2, context.Item3));

    private static readonly Gen<(int StartMinute, Batch[] Batches)> s_trace =
        Gen.Select(Gen.Int[0, 7 * 24 * 60], s_batch.Array[1, 150]);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void BucketsAddUpToTheWindow_ForEveryKind(bool context)
    {
        s_trace.Sample(trace =>
        {
            foreach (var record in Replay.Run(Config(context), Render(trace, shuffleSeed: null, context), WindowKind.Total, WindowKind.Day, WindowKind.Shift, WindowKind.Minute))
            {
                long sum = 0;
                for (var b = 0; b < BucketDurations.BucketCount; b++)
                {
                    Assert.True(record.Ms((Bucket)b) >= 0);
                    sum += record.Ms((Bucket)b);
                }

                Assert.Equal(record.LengthMs, sum);

                // Reasons book stop time only: never more than the stop buckets hold.
                var reasoned = Enumerable.Range(0, s_reasons.Length).Sum(code => context ? record.Totals.ReasonMs[code] : 0);
                Assert.True(reasoned <= record.Ms(Bucket.Down) + record.Ms(Bucket.Idle) + record.Ms(Bucket.PlannedStop) + record.Ms(Bucket.Setup));
            }
        }, iter: Iterations);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void MinuteRecords_And_DayRecords_SumExactlyToTheTotal(bool context)
    {
        s_trace.Sample(trace =>
        {
            var records = Replay.Run(Config(context), Render(trace, shuffleSeed: null, context), WindowKind.Total, WindowKind.Day, WindowKind.Minute);
            var total = records.Single(r => r.Kind == WindowKind.Total);
            foreach (var kind in new[] { WindowKind.Minute, WindowKind.Day })
            {
                var parts = records.Where(r => r.Kind == kind).ToList();
                for (var b = 0; b < BucketDurations.BucketCount; b++)
                {
                    Assert.Equal(total.Ms((Bucket)b), parts.Sum(p => p.Ms((Bucket)b)));
                }

                Assert.Equal(total.Produced, parts.Sum(p => p.Produced));
                Assert.Equal(total.Scrap, parts.Sum(p => p.Scrap));
                Assert.Equal(total.UnattendedGood, parts.Sum(p => p.UnattendedGood));
                Assert.Equal(total.MinorStops, parts.Sum(p => p.MinorStops));
                Assert.Equal(total.MinorStopMs, parts.Sum(p => p.MinorStopMs));
                Assert.Equal(total.Failures, parts.Sum(p => p.Failures));
                Assert.Equal(total.UnassignedStops, parts.Sum(p => p.UnassignedStops));
                Assert.Equal(total.IdealSeconds, parts.Sum(p => p.IdealSeconds), tolerance: 1e-9 * Math.Max(1, total.IdealSeconds));
                for (var code = 0; code < s_reasons.Length; code++)
                {
                    Assert.Equal(total.Totals.ReasonMs[code], parts.Sum(p => p.Totals.ReasonMs[code]));
                }

                for (var slot = 0; slot < 3; slot++)
                {
                    Assert.Equal(total.Totals.ArticleCycles[slot], parts.Sum(p => p.Totals.ArticleCycles[slot]));
                    Assert.Equal(total.Totals.ArticleScrap[slot], parts.Sum(p => p.Totals.ArticleScrap[slot]));
                }
                Assert.Equal(total.Kwh, parts.Sum(p => p.Kwh), tolerance: 1e-9 * Math.Max(1, total.Kwh));
                Assert.Equal(total.Start, parts[0].Start);
                Assert.Equal(total.End, parts[^1].End);
            }
        }, iter: Iterations);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Ratios_StayInRange_EffectivenessMayExceedOne(bool context)
    {
        s_trace.Sample(trace =>
        {
            foreach (var r in Replay.Run(Config(context), Render(trace, shuffleSeed: null, context), WindowKind.Total, WindowKind.Shift, WindowKind.Minute))
            {
                foreach (var ratio in new[] { r.Availability, r.Quality, r.TechnicalEfficiency, r.SetupRate, r.ScrapRatio, r.IdleEnergyShare, r.Coverage })
                {
                    Assert.True(ratio is null or (>= 0 and <= 1), $"ratio {ratio} out of [0, 1]");
                }

                Assert.True(r.Effectiveness is null or >= 0);
                Assert.True(r.Oee is null or >= 0);
                Assert.True(r.Nee is null || r.Nee >= r.Oee);
            }
        }, iter: Iterations);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Replay_IsDeterministic_AndShufflingSameTimestampEventsChangesNothing(bool context)
    {
        Gen.Select(s_trace, Gen.Int).Sample((trace, seed) =>
        {
            var first = Json(Replay.Run(Config(context), Render(trace, shuffleSeed: null, context), WindowKind.Minute, WindowKind.Shift));
            var again = Json(Replay.Run(Config(context), Render(trace, shuffleSeed: null, context), WindowKind.Minute, WindowKind.Shift));
            var shuffled = Json(Replay.Run(Config(context), Render(trace, shuffleSeed: seed, context), WindowKind.Minute, WindowKind.Shift));
            Assert.Equal(first, again);
            Assert.Equal(first, shuffled);
        }, iter: Iterations);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void LiveClockTicksBetweenEvents_ChangeNothing(bool context)
    {
        // Replay and live operation on the same events must produce identical records, wherever the clock ticks.
        Gen.Select(s_trace, Gen.Int).Sample((trace, seed) =>
        {
            var text = Render(trace, shuffleSeed: null, context);
            var replayed = Json(Replay.Run(Config(context), text, WindowKind.Minute, WindowKind.Shift, WindowKind.Day));
            var live = Json(Replay.RunLive(Config(context), text, (new Random(seed), 0.7), WindowKind.Minute, WindowKind.Shift, WindowKind.Day));
            Assert.Equal(replayed, live);
        }, iter: Iterations);
    }

    private static string Config(bool context) => context ? s_contextConfig : s_config;

    private static string Render((int StartMinute, Batch[] Batches) trace, int? shuffleSeed, bool context)
    {
        var random = shuffleSeed is { } seed ? new Random(seed) : null;
        var text = new StringBuilder("timestamp,signal,value\n");
        var at = Core.Calendar.SiteTime.ToUnixMs(TraceBuilder.Utc("2026-03-23T00:00:00Z")) + (trace.StartMinute * 60_000L);

        // Every trace has at least one event, so it has a span and records.
        text.Append(TraceTimestamp.Format(at)).Append(",power,0\n");
        var first = at;
        var lines = new List<string>();
        foreach (var batch in trace.Batches)
        {
            at += batch.GapMs;
            var stamp = TraceTimestamp.Format(at);
            lines.Clear();
            for (var i = 0; i < s_levels.Length; i++)
            {
                if (batch.LevelPresent[i])
                {
                    lines.Add($"{stamp},{s_levels[i]},{(batch.LevelValue[i] ? 1 : 0)}");
                }
            }

            for (var p = 0; p < batch.Parts; p++)
            {
                lines.Add($"{stamp},cycle,1");
            }

            for (var s = 0; s < batch.Scrap; s++)
            {
                lines.Add($"{stamp},scrap,1");
            }

            if (batch.Power is { } power)
            {
                lines.Add(string.Create(CultureInfo.InvariantCulture, $"{stamp},power,{power}"));
            }

            if (random is not null)
            {
                random.Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(lines));
            }

            foreach (var line in lines)
            {
                text.Append(line).Append('\n');
            }

            // Context lines take effect after the signal events of their instant before them (src/docs/traces.md).
            if (context && batch.Reason >= 0)
            {
                var named = Math.Max(at - batch.ReasonAgoMs, first);
                text.Append(stamp).Append(",@reason:cell-1,").Append(s_reasons[batch.Reason]);
                text.Append(named == at ? "" : "@" + TraceTimestamp.Format(named)).Append('\n');
            }

            if (context && batch.Article >= 0)
            {
                text.Append(stamp).Append(",@article:cell-1,").Append(batch.Article == 0 ? "A" : "B").Append('\n');
            }
        }

        return text.ToString();
    }

    private static string Json(List<WindowRecord> records)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            foreach (var record in records)
            {
                WindowRecordJson.Write(writer, record);
            }

            writer.WriteEndArray();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
