using System.Globalization;
using CsCheck;
using EdgeGateway.Core.Kpi;

namespace EdgeGateway.Sensors.Tests.Simulation;

/// <summary>
/// The simulator's contract with context in the mix: stop reasons (given during the stop, within the grace time after it,
/// too late, replaced, never), article changes at setups (multi-cavity tools, other cycle times) and the plant calendar (a
/// holiday, a partial closure, a one-off Sunday shift, a closure announced during the run). Two cells, two weeks anywhere
/// in 2026, random grace and unassigned thresholds, minor-stop thresholds from none to three minutes.
/// </summary>
public sealed class SimulationContextPropertyTests
{
    private const int Seeds = 50;

    private static readonly Gen<Case> s_case = Gen.Select(
        Gen.Long, Gen.Int[0, 350], Gen.OneOf(Gen.Const(0), Gen.Const(60), Gen.Int[300, 900]), Gen.OneOf(Gen.Const(0), Gen.Int[60, 900]),
        Gen.OneOf(Gen.Const(0), Gen.Int[20, 180]), Gen.Double[0.3, 1], Gen.OneOf(Gen.Const(30), Gen.Const(300), Gen.Const(1200)), Gen.Int[1, 12],
        (seed, day, grace, unassigned, minor, share, delay, closureDay) => new Case(seed, day, grace, unassigned, minor, share, delay, closureDay));

    [Fact]
    public void ReplayOfSimulatedTraceWithReasonsArticlesAndClosures_ReproducesTheTruth_Over50Seeds()
    {
        var checkedRecords = 0;
        s_case.Sample(c =>
        {
            var run = SimulatedRun.Simulate(Config(c), c.Seed, Date(c.Start), Date(c.Start.AddDays(14)));

            TruthComparison.AssertReplayMatchesTruth(run);
            AssertBucketsAddUp(run.Replay(), c);
            AssertReasonSecondsAreTheReasonedStops(run, c);
            AssertClosedDayDoesNotRun(run, c);

            // A run without reasons, unassigned stops or a product mix would prove little.
            foreach (var total in run.Truth.Where(r => r.Kind == WindowKind.Total))
            {
                var reasoned = Enumerable.Range(0, total.Cell.Reasons.Codes.Count).Sum(code => total.Totals.ReasonMs[code]);
                Assert.True(reasoned > 0 && total.Failures > 0 && total.Produced > 1000, $"{c}: {total.Cell.Id} too quiet");
                Assert.True(Enumerable.Range(0, total.Cell.Articles.Count).Count(a => total.ArticleProduced(a) > 0) >= 2, $"{c}: {total.Cell.Id} made one article only");
                Assert.True(c.ReasonShare > 0.95 || total.UnassignedStops > 0 || c.UnassignedAfterSeconds > 0, $"{c}: {total.Cell.Id} has no unassigned stop");
            }

            Interlocked.Add(ref checkedRecords, run.Truth.Count);
        }, iter: Seeds);

        Assert.True(checkedRecords > Seeds * 50, $"only {checkedRecords} records compared");
    }

    [Fact]
    public void WithoutTheSimulatedOperator_NoReasonOrArticleIsGenerated_AndReplayStillReproducesTheTruth()
    {
        var c = new Case(3, StartDay: 90, GraceSeconds: 300, UnassignedAfterSeconds: 120, MinorStopSeconds: 120, ReasonShare: 1, ReasonDelayMeanSeconds: 30, ClosureDay: 1);
        var config = Config(c).Replace("\"Simulation\": {", "\"Simulation\": { \"Operator\": false,", StringComparison.Ordinal);

        var withOperator = System.Text.Encoding.UTF8.GetString(SimulatedRun.Simulate(Config(c), c.Seed, Date(c.Start), Date(c.Start.AddDays(5))).Trace);
        var run = SimulatedRun.Simulate(config, c.Seed, Date(c.Start), Date(c.Start.AddDays(5)));
        var without = System.Text.Encoding.UTF8.GetString(run.Trace);

        Assert.Contains(",@reason:", withOperator, StringComparison.Ordinal);
        Assert.Contains(",@article:", withOperator, StringComparison.Ordinal);
        Assert.DoesNotContain(",@reason:", without, StringComparison.Ordinal);
        Assert.DoesNotContain(",@article:", without, StringComparison.Ordinal);
        Assert.Contains(",@closure,", without, StringComparison.Ordinal); // the plant's announcement is not the operator's
        TruthComparison.AssertReplayMatchesTruth(run);
        Assert.All(run.Truth.Where(r => r.Kind == WindowKind.Total), r => Assert.True(r.UnassignedStops > 0 && r.IdealSeconds > 0));
    }

    [Fact]
    public void MinuteRecordsAddUpToTheDay_AndReplayReproducesThem_WithReasonsArticlesAndClosures()
    {
        // Minute windows split every stop: a sharper check of where reason seconds, unassigned stops and article counts are booked.
        foreach (var seed in new long[] { 5, 6, 7 })
        {
            var c = new Case(seed, StartDay: 88 + (int)seed, GraceSeconds: 300, UnassignedAfterSeconds: (int)seed * 40, MinorStopSeconds: 120,
                ReasonShare: 0.7, ReasonDelayMeanSeconds: 300, ClosureDay: 1);
            var kinds = new[] { WindowKind.Minute, WindowKind.Day };
            var run = SimulatedRun.Simulate(Config(c), c.Seed, Date(c.Start), Date(c.Start.AddDays(4)), kinds);
            var replayed = run.Replay(kinds);
            Assert.Equal(replayed.Count, run.Truth.Count);
            var byWindow = replayed.ToDictionary(r => (r.Cell.Id, r.Kind, r.Start));
            foreach (var truth in run.Truth)
            {
                TruthComparison.AssertSame(truth, byWindow[(truth.Cell.Id, truth.Kind, truth.Start)]);
            }

            foreach (var day in run.Truth.Where(r => r.Kind == WindowKind.Day))
            {
                var minutes = run.Truth.Where(r => r.Kind == WindowKind.Minute && r.Cell == day.Cell && r.Start >= day.Start && r.End <= day.End).ToList();
                AssertSameTotals(day, TotalsSum.Of(minutes, WindowKind.Day), $"{c}: {day.Cell.Id} day {day.Start}");
            }
        }
    }

    [Fact]
    public void SampleConfigWithReasonsArticlesAndPlantCalendar_ShowsThemAll_AndReplaysToItsTruth()
    {
        // deploy/sample/simulation-context.json (src/docs/simulation.md): two weeks with its holiday, closures and Saturday shift.
        var json = File.ReadAllText(RepoPaths.Sample("simulation-context.json"));
        var run = SimulatedRun.Simulate(json, seed: 1, "2026-05-11", "2026-05-25");

        TruthComparison.AssertReplayMatchesTruth(run);
        var total = Assert.Single(run.Truth, r => r.Kind == WindowKind.Total);
        var cell = total.Cell;
        Assert.All(Enumerable.Range(0, cell.Articles.Count), a => Assert.True(total.ArticleProduced(a) > 0, $"{cell.Articles[a].Id} not made"));
        Assert.True(total.UnassignedStops > 0);
        Assert.True(total.ReasonSeconds(cell.Reasons.IndexOf("JAM")) > total.ReasonSeconds(cell.Reasons.IndexOf("TOOL")));
        var trace = System.Text.Encoding.UTF8.GetString(run.Trace);
        Assert.Contains(",@closure,", trace, StringComparison.Ordinal);
        Assert.Contains("@2026-", trace, StringComparison.Ordinal); // reasons naming their stop by its start
    }

    private static void AssertBucketsAddUp(List<WindowRecord> records, Case c)
    {
        foreach (var record in records)
        {
            long sum = 0;
            for (var b = 0; b < BucketDurations.BucketCount; b++)
            {
                sum += record.Ms((Bucket)b);
            }

            Assert.True(sum == record.LengthMs, $"{c}: {record.Cell.Id} {record.Kind.Name()} {record.Start}: buckets add up to {sum} ms, not {record.LengthMs}");
        }
    }

    /// <summary>
    /// The windows' reason seconds add up to the length of the stops the truth gave a reason, and a class's reasons never
    /// hold more time than its bucket.
    /// </summary>
    private static void AssertReasonSecondsAreTheReasonedStops(SimulatedRun run, Case c)
    {
        foreach (var record in run.Truth)
        {
            var reasons = record.Cell.Reasons.Codes;
            foreach (var bucket in new[] { Bucket.Down, Bucket.Idle, Bucket.PlannedStop, Bucket.Setup })
            {
                var ofBucket = Enumerable.Range(0, reasons.Count).Where(code => reasons[code].Bucket == bucket).Sum(code => record.Totals.ReasonMs[code]);
                Assert.True(ofBucket <= record.Ms(bucket), $"{c}: {record.Cell.Id} {record.Kind.Name()} {record.Start}: {ofBucket} ms of {bucket} reasons, {record.Ms(bucket)} ms of {bucket}");
            }

            if (record.Kind == WindowKind.Total)
            {
                var cell = run.Config.Cells.ToList().IndexOf(record.Cell);
                var reasoned = Enumerable.Range(0, reasons.Count).Sum(code => record.Totals.ReasonMs[code]);
                Assert.True(reasoned == run.ReasonedStopMs[cell], $"{c}: {record.Cell.Id}: reason seconds add up to {reasoned} ms, the reasoned stops last {run.ReasonedStopMs[cell]} ms");
            }
        }
    }

    /// <summary>
    /// On the holiday nothing is planned, so nothing stops, and the machine stays off: a cycle or setup begun before may
    /// end in it (the longest cycle: 2 × 1.5 × the slowest article's 54 s).
    /// </summary>
    private static void AssertClosedDayDoesNotRun(SimulatedRun run, Case c)
    {
        var holiday = SimulatedRun.Instant(Date(c.Start.AddDays(c.ClosureDay)), run.Config.TimeZone);
        foreach (var day in run.Truth.Where(r => r.Kind == WindowKind.Day && r.Start == holiday))
        {
            Assert.True(day.Ms(Bucket.Run) <= 162_000 && day.Produced <= 8, $"{c}: {day.Cell.Id} works on the holiday: {day.Ms(Bucket.Run)} ms run, {day.Produced} parts");
            Assert.True(day.Ms(Bucket.Down) + day.Ms(Bucket.Idle) == 0, $"{c}: {day.Cell.Id} stops on the holiday");
        }
    }

    private static void AssertSameTotals(in WindowRecord expected, in WindowRecord actual, string what)
    {
        for (var b = 0; b < BucketDurations.BucketCount; b++)
        {
            Assert.True(expected.Ms((Bucket)b) == actual.Ms((Bucket)b), $"{what}: {(Bucket)b} {expected.Ms((Bucket)b)} vs {actual.Ms((Bucket)b)} ms in the minutes");
        }

        var e = expected.Totals;
        var a = actual.Totals;
        Assert.Equal((e.Produced, e.Scrap, e.UnattendedProduced, e.UnattendedScrap), (a.Produced, a.Scrap, a.UnattendedProduced, a.UnattendedScrap));
        Assert.Equal((e.Failures, e.FailureMs, e.MinorStops, e.MinorStopMs, e.UnassignedStops), (a.Failures, a.FailureMs, a.MinorStops, a.MinorStopMs, a.UnassignedStops));
        for (var code = 0; code < expected.Cell.Reasons.Codes.Count; code++)
        {
            Assert.True(e.ReasonMs[code] == a.ReasonMs[code], $"{what}: reason {code}: {e.ReasonMs[code]} vs {a.ReasonMs[code]} ms in the minutes");
        }

        for (var slot = 0; slot <= expected.Cell.Articles.Count; slot++)
        {
            Assert.True((e.ArticleCycles[slot], e.ArticleScrap[slot]) == (a.ArticleCycles[slot], a.ArticleScrap[slot]), $"{what}: article slot {slot}");
        }

        Assert.Equal(expected.IdealSeconds, actual.IdealSeconds, 6);
        Assert.Equal(expected.Kwh, actual.Kwh, 6);
    }

    private static string Date(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string Config(Case c)
    {
        var holiday = Date(c.Start.AddDays(c.ClosureDay));
        var partial = Date(c.Start.AddDays(c.ClosureDay + 1));
        var announced = c.Start.AddDays(c.ClosureDay + 3);
        var sunday = c.Start.AddDays(((int)DayOfWeek.Sunday - (int)c.Start.DayOfWeek + 7) % 7 + 7);
        return $$"""
        { "EdgeGateway": { "Site": "sme-0042", "TimeZone": "Europe/Amsterdam",
          "StopReasons": { "GraceSeconds": {{c.GraceSeconds}}, "UnassignedAfterSeconds": {{c.UnassignedAfterSeconds}}, "Codes": {
            "JAM": { "Name": "Jam", "Class": "Down" }, "TOOL": { "Name": "Tool change", "Class": "Down" }, "NOMAT": { "Class": "Idle" },
            "MEETING": { "Class": "PlannedStop" }, "ADJUST": { "Class": "Setup" } } },
          "PlantCalendar": {
            "Closures": [ { "Name": "holiday", "From": "{{holiday}}", "To": "{{holiday}}" }, { "From": "{{partial}}T10:30", "To": "{{partial}}T15:00" } ],
            "ExtraShifts": [ { "Date": "{{Date(sunday)}}", "Start": "08:00", "End": "12:00" } ] },
          "Cells": [
          { "Id": "lathe", "IdealCycleSeconds": 30, "MinorStopSeconds": {{c.MinorStopSeconds}},
            "Articles": { "A-100": { "IdealCycleSeconds": 30 }, "A-200": { "Name": "Flange", "IdealCycleSeconds": 45 }, "A-300": { "IdealCycleSeconds": 20, "PartsPerCycle": 2 } },
            "Signals": { "green": { "Role": "StateRun" }, "yellow": { "Role": "StateIdle" }, "red": { "Role": "StateDown" },
                         "setup": { "Role": "Setup" }, "cycle": { "Role": "CyclePulse" }, "scrap": { "Role": "ScrapPulse" },
                         "power": { "Role": "PowerKw" } },
            "Simulation": { "CycleSeconds": 36, "MinorStopProbability": 0.03, "MinorStopMeanSeconds": 60, "MtbfHours": 4,
                            "SetupEveryHours": 3, "PowerSampleSeconds": 60,
                            "ReasonShare": {{c.ReasonShare.ToString("0.###", CultureInfo.InvariantCulture)}}, "ReasonDelayMeanSeconds": {{c.ReasonDelayMeanSeconds}},
                            "ReasonAtStopShare": 0.5, "ReasonReplaceShare": 0.2,
                            "AnnouncedClosures": [ { "Announced": "{{Date(announced)}}T10:00:00Z", "From": "{{Date(announced)}}", "To": "{{Date(announced)}}" } ] },
            "Shifts": [ { "Days": "Mon-Fri", "Start": "06:00", "End": "14:00", "Breaks": [ { "Start": "10:00", "End": "10:15" } ] },
                        { "Days": "Mon-Fri", "Start": "14:00", "End": "22:00", "Breaks": [ { "Start": "18:00", "End": "18:30" } ] },
                        { "Days": "Sat", "Start": "22:00", "End": "06:00", "Staffed": false } ] },
          { "Id": "press", "IdealCycleSeconds": 10, "MinorStopSeconds": {{c.MinorStopSeconds / 2}}, "MinorStopPolicy": "Nakajima",
            "Articles": { "P-4": { "IdealCycleSeconds": 10, "PartsPerCycle": 4 }, "P-2": { "IdealCycleSeconds": 12, "PartsPerCycle": 2 } },
            "Signals": { "p-green": { "Role": "StateRun" }, "p-yellow": { "Role": "StateIdle" }, "p-red": { "Role": "StateDown" },
                         "p-setup": { "Role": "Setup" }, "p-cycle": { "Role": "CyclePulse" }, "p-scrap": { "Role": "ScrapPulse" },
                         "p-power": { "Role": "PowerKw" } },
            "Simulation": { "CycleSeconds": 12, "MinorStopProbability": 0.01, "MinorStopMeanSeconds": 25, "MinorStopLamp": "Idle",
                            "MtbfHours": 6, "MttrMinutes": 20, "SetupEveryHours": 4, "FailuresWaitForStaff": false, "PowerSampleSeconds": 60,
                            "ReasonShare": {{(1 - (c.ReasonShare / 2)).ToString("0.###", CultureInfo.InvariantCulture)}}, "ReasonDelayMeanSeconds": {{c.ReasonDelayMeanSeconds * 2}},
                            "ReasonMix": [ { "Reason": "JAM", "Weight": 3 }, { "Reason": "NOMAT", "Weight": 2 }, { "Reason": "MEETING" }, { "Reason": "ADJUST" } ],
                            "ArticleChangeShare": 0.7 },
            "Shifts": [ { "Days": "Mon-Fri", "Start": "06:00", "End": "14:00", "Breaks": [ { "Start": "09:30", "End": "09:45" } ] },
                        { "Days": "Sun-Thu", "Start": "22:00", "End": "06:00", "Breaks": [ { "Start": "23:45", "End": "00:15" } ] } ] } ] } }
        """;
    }

    private sealed record Case(
        long Seed, int StartDay, int GraceSeconds, int UnassignedAfterSeconds, int MinorStopSeconds, double ReasonShare, int ReasonDelayMeanSeconds, int ClosureDay)
    {
        public DateOnly Start => new DateOnly(2026, 1, 1).AddDays(StartDay);

        public override string ToString() =>
            $"seed {Seed}, start {Start:yyyy-MM-dd}, grace {GraceSeconds} s, unassigned from {UnassignedAfterSeconds} s, minor stop < {MinorStopSeconds} s, " +
            $"reasons for {ReasonShare:P0} after {ReasonDelayMeanSeconds} s, holiday on day {ClosureDay}";
    }
}
