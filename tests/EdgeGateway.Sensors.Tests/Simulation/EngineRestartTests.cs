using System.Text.Json;
using EdgeGateway.Core;
using EdgeGateway.Core.Configuration;
using EdgeGateway.Core.Kpi;
using EdgeGateway.Core.Signals;
using EdgeGateway.Core.Traces;
using EdgeGateway.Sensors.Simulation;

namespace EdgeGateway.Sensors.Tests.Simulation;

/// <summary>
/// A restart goes on with the windows in progress (src/docs/kpi-model.md, "Live starts and restarts"): an engine stopped mid-shift,
/// its checkpoint written and read back, and a new engine resumed after a gap give the records of the uninterrupted
/// run except for the gap, which is unknown. The oracle is the uninterrupted run's own one-minute records of the gap.
/// </summary>
public sealed class EngineRestartTests
{
    private const long Minute = 60_000;
    private static readonly WindowKind[] s_kinds = [WindowKind.Day, WindowKind.Shift, WindowKind.Minute];
    private static readonly GatewayConfig s_config = ConfigReader.Read(File.ReadAllBytes(RepoPaths.Sample("simulation-4cells.json")), "simulation-4cells.json");

    private static readonly Lazy<(List<SignalEvent> Events, long From, long To)> s_run = new(() =>
    {
        var from = SimulatedRun.Instant("2026-03-03", s_config.TimeZone);
        var to = SimulatedRun.Instant("2026-03-05", s_config.TimeZone);
        using var trace = new MemoryStream();
        Simulator.Run(s_config, SimulationOptions.ReadAll(s_config), 11, from, to, [WindowKind.Total], trace, out _);
        trace.Position = 0;
        using var reader = new TraceReader(trace, "restart.csv", new SignalMap(s_config));
        var events = new List<SignalEvent>();
        while (reader.TryRead(out var e))
        {
            events.Add(e);
        }

        return (events, from, to);
    });

    [Fact]
    public void A_restart_mid_shift_gives_the_uninterrupted_records_with_the_gap_unknown()
    {
        var (events, from, to) = s_run.Value;
        var full = Run(events, from, to);

        // Stop at the first minute after 09:00 on the first day where no cell holds a stop whose kind is still open
        // (the checkpoint would book it as a stop, as it stood; the oracle's run may find it minor).
        var stopped = new Records();
        var first = new GatewayEngine(s_config, s_kinds, stopped);
        Assert.Empty(first.StartLive(null, from));
        var next = 0;
        var stopAt = from + (9 * 60 * Minute);
        EngineCheckpoint checkpoint;
        while (true)
        {
            next = Feed(first, events, next, stopAt);
            first.AdvanceTo(stopAt);
            checkpoint = first.Checkpoint();
            if (first.Cells.All(c => c.HeldStopSince is null) && checkpoint.Cells.All(c => c.BookedThroughMs == stopAt))
            {
                break;
            }

            stopAt += Minute;
        }

        // Restart 47 minutes or more later, at a minute where every cell runs, sets up or idles with no stop pending:
        // there a real source's first reading gives the engine the state it had (a stop in progress would be a new one).
        var restartAt = FirstCalmMinute(events, from, stopAt + (47 * Minute));
        var read = EngineCheckpointJson.Read(Serialize(checkpoint), "windows.json");
        var resumed = new Records();
        var second = new GatewayEngine(s_config, s_kinds, resumed);
        Assert.Empty(second.StartLive(read, restartAt));
        foreach (var e in CurrentInputs(events, restartAt))
        {
            second.Process(e);
        }

        Feed(second, events, events.FindIndex(e => e.TimestampMs >= restartAt), long.MaxValue);
        second.AdvanceTo(to);
        second.Finish();
        var restarted = stopped.Concat(resumed).ToDictionary(r => (r.Cell.Id, r.Kind, r.Start));

        var gapMinutes = full.Where(r => r.Kind == WindowKind.Minute && r.Start >= stopAt && r.Start < restartAt).ToList();
        Assert.Equal(s_config.Cells.Count * (restartAt - stopAt) / Minute, gapMinutes.Count);
        Assert.Equal(full.Count, restarted.Count);
        foreach (var expected in full)
        {
            Assert.True(restarted.TryGetValue((expected.Cell.Id, expected.Kind, expected.Start), out var got), $"no {expected.Kind} record of {expected.Cell.Id} at {expected.Start}");
            var overlap = expected.Kind == WindowKind.Minute
                ? gapMinutes.Where(m => m.Cell.Id == expected.Cell.Id && m.Start == expected.Start).ToList()
                : gapMinutes.Where(m => m.Cell.Id == expected.Cell.Id && m.Start >= expected.Start && m.Start < expected.Totals.End).ToList();
            AssertMinus(expected, overlap, got);
        }
    }

    [Fact]
    public void A_live_start_mid_window_says_the_time_before_it_is_unknown()
    {
        var (events, from, _) = s_run.Value;
        var startAt = from + (10 * 60 * Minute) + 7_123; // Tuesday 10:00:07.123, in the early shift
        var records = new Records();
        var engine = new GatewayEngine(s_config, s_kinds, records);
        engine.StartLive(null, startAt);
        foreach (var e in CurrentInputs(events, startAt))
        {
            engine.Process(e);
        }

        Feed(engine, events, events.FindIndex(e => e.TimestampMs >= startAt), startAt + (2 * Minute));
        engine.AdvanceTo(startAt + (2 * Minute));
        engine.Finish();

        var minute = records.Single(r => r.Cell.Id == "cell-1" && r.Kind == WindowKind.Minute && r.Start == from + (10 * 60 * Minute));
        Assert.Equal(7_123, minute.Ms(Bucket.Unknown));
        Assert.Equal((60_000 - 7_123) / 60_000.0, minute.Coverage!.Value, 12);
        var shift = records.Single(r => r.Cell.Id == "cell-1" && r.Kind == WindowKind.Shift);
        Assert.Equal(from + (6 * 60 * Minute), shift.Start);
        Assert.True(shift.Ms(Bucket.Unknown) >= startAt - shift.Start, "the shift's first four hours are not unknown");
        var day = records.Single(r => r.Cell.Id == "cell-1" && r.Kind == WindowKind.Day);
        Assert.Equal(from, day.Start);
        Assert.True(day.Ms(Bucket.Unknown) >= startAt - from, "the day's first ten hours are not unknown");
    }

    [Fact]
    public void The_simulators_live_truth_is_what_a_live_engine_measures_from_a_start_mid_window()
    {
        var from = SimulatedRun.Instant("2026-03-03", s_config.TimeZone) + (10 * 60 * Minute) + 7_123;
        var to = from + (30 * 60 * Minute);
        using var trace = new MemoryStream();
        var truth = Simulator.Run(s_config, SimulationOptions.ReadAll(s_config), 11, from, to, s_kinds, trace, out _, live: true);
        var records = new Records();
        var engine = new GatewayEngine(s_config, s_kinds, records);
        engine.StartLive(null, from);
        trace.Position = 0;
        using (var reader = new TraceReader(trace, "live.csv", engine.Signals))
        {
            while (reader.TryRead(out var e))
            {
                engine.Process(e);
            }
        }

        engine.AdvanceTo(to);
        engine.Finish();
        var byWindow = records.ToDictionary(r => (r.Cell.Id, r.Kind, r.Start));
        Assert.Equal(truth.Count, records.Count);
        foreach (var expected in truth)
        {
            Assert.True(byWindow.TryGetValue((expected.Cell.Id, expected.Kind, expected.Start), out var got), $"no {expected.Kind} record of {expected.Cell.Id} at {expected.Start}");
            TruthComparison.AssertSame(expected, got);
        }

        Assert.Contains(truth, r => r.Kind == WindowKind.Shift && r.Start < from && r.Ms(Bucket.Unknown) >= from - r.Start);
    }

    [Fact]
    public void A_checkpoint_holds_every_booked_millisecond_and_reads_back_as_written()
    {
        var (events, from, _) = s_run.Value;
        var engine = new GatewayEngine(s_config, s_kinds, new Records());
        engine.StartLive(null, from);
        var at = from + (11 * 60 * Minute) + 4_321; // mid-minute: the engine holds a span not yet written to its windows
        Feed(engine, events, 0, at);
        engine.AdvanceTo(at);
        var checkpoint = engine.Checkpoint();
        var read = EngineCheckpointJson.Read(Serialize(checkpoint), "windows.json");

        foreach (var cell in checkpoint.Cells)
        {
            foreach (var kind in cell.Kinds)
            {
                var newest = kind.Open[^1];
                long booked = 0;
                for (var b = 0; b < BucketDurations.BucketCount; b++)
                {
                    booked += newest.Buckets[b];
                }

                Assert.True(newest.Start + booked == cell.BookedThroughMs, $"{cell.Cell} {kind.Kind}: {booked} ms booked from {newest.Start}, the checkpoint says through {cell.BookedThroughMs}");
            }
        }

        Assert.Equal(Serialize(checkpoint), Serialize(read));
        Assert.Equal(checkpoint.Cells.Count, read.Cells.Count);
        Assert.Contains(read.Cells, c => c.Kinds.Any(k => k.Open.Any(w => w.Produced > 0 && w.EnergyKwMs > 0)));
    }

    [Fact]
    public void Cells_that_cannot_go_on_start_afresh_and_say_why()
    {
        var (events, from, _) = s_run.Value;
        var engine = new GatewayEngine(s_config, s_kinds, new Records());
        engine.StartLive(null, from);
        var stopAt = from + (8 * 60 * Minute);
        Feed(engine, events, 0, stopAt);
        engine.AdvanceTo(stopAt);
        var checkpoint = engine.Checkpoint();

        // Cell 4 removed, cell 5 added; the clock went back before the restart for nobody.
        var renamed = s_config with { Cells = [.. s_config.Cells.Take(3), s_config.Cells[3] with { Id = "cell-5" }] };
        var notes = new GatewayEngine(renamed, s_kinds, new Records()).StartLive(checkpoint, stopAt + Minute);
        Assert.Equal(
            [
                "cell 'cell-5' has no windows in progress to go on with: it starts afresh",
                "cell 'cell-4' is no longer configured: its windows in progress are dropped",
            ],
            notes);

        var early = new GatewayEngine(s_config, s_kinds, new Records()).StartLive(checkpoint, stopAt - Minute);
        Assert.All(early, note => Assert.Contains($"after the restart at {stopAt - Minute} ms (the clock went back)", note, StringComparison.Ordinal));
        Assert.Equal(4, early.Count);

        var otherSite = new GatewayEngine(s_config with { Site = "sme-0043" }, s_kinds, new Records()).StartLive(checkpoint, stopAt);
        Assert.Equal(["the windows in progress are of site 'sme-0042', not 'sme-0043': every cell starts afresh"], otherSite);
    }

    [Theory]
    [InlineData("{", "windows.json: not a checkpoint of the windows in progress: ")]
    [InlineData("""{"v":2,"site":"s","taken_at_ms":0,"cells":[]}""", "windows.json: not a checkpoint of the windows in progress: format version 2, this agent reads version 1")]
    [InlineData("""{"v":1,"site":"s","taken_at_ms":0,"cells":[{"cell":"c","trace_start_ms":0,"booked_through_ms":0,"aux_signals":0,"kinds":[{"kind":"week","open":[]}]}]}""", "windows.json: not a checkpoint of the windows in progress: unknown window kind 'week'")]
    public void A_damaged_checkpoint_is_refused_with_the_file_and_the_reason(string json, string message)
    {
        var e = Assert.Throws<InputException>(() => EngineCheckpointJson.Read(System.Text.Encoding.UTF8.GetBytes(json), "windows.json"));
        Assert.StartsWith(message, e.Message, StringComparison.Ordinal);
    }

    /// <summary>Every field of <paramref name="got"/> is <paramref name="full"/>'s less what the gap's minutes held; their time is unknown.</summary>
    private static void AssertMinus(WindowRecord full, List<WindowRecord> gap, WindowRecord got)
    {
        var what = $"{full.Kind} record of {full.Cell.Id} at {full.Start}";
        Assert.Equal(full.Totals.End, got.Totals.End);
        long Sum(Func<WindowTotals, long> field) => gap.Sum(m => field(m.Totals));
        var measuredInGap = gap.Sum(m => m.LengthMs - m.Ms(Bucket.Unknown));
        for (var b = 0; b < BucketDurations.BucketCount; b++)
        {
            var bucket = (Bucket)b;
            var expected = bucket == Bucket.Unknown ? full.Ms(bucket) + measuredInGap : full.Ms(bucket) - gap.Sum(m => m.Ms(bucket));
            Assert.True(expected == got.Ms(bucket), $"{what}: {bucket} {got.Ms(bucket)} ms, expected {expected}");
        }

        Assert.Equal(full.Totals.Produced - Sum(t => t.Produced), got.Totals.Produced);
        Assert.Equal(full.Totals.Scrap - Sum(t => t.Scrap), got.Totals.Scrap);
        Assert.Equal(full.Totals.UnattendedProduced - Sum(t => t.UnattendedProduced), got.Totals.UnattendedProduced);
        Assert.Equal(full.Totals.MinorStops - Sum(t => t.MinorStops), got.Totals.MinorStops);
        Assert.Equal(full.Totals.MinorStopMs - Sum(t => t.MinorStopMs), got.Totals.MinorStopMs);
        Assert.Equal(full.Totals.Failures - Sum(t => t.Failures), got.Totals.Failures);
        Assert.Equal(full.Totals.FailureMs - Sum(t => t.FailureMs), got.Totals.FailureMs);
        Assert.Equal(full.Totals.SensorFaults - Sum(t => t.SensorFaults), got.Totals.SensorFaults);
        var energy = full.Totals.EnergyKwMs - gap.Sum(m => m.Totals.EnergyKwMs);
        Assert.True(Math.Abs(energy - got.Totals.EnergyKwMs) <= 1e-9 * Math.Max(1, Math.Abs(energy)), $"{what}: energy {got.Totals.EnergyKwMs} kW·ms, expected {energy}");
        if (gap.Count == 0)
        {
            Assert.Equal(full.Totals.EnergyKwMs, got.Totals.EnergyKwMs);
        }
    }

    private static List<WindowRecord> Run(List<SignalEvent> events, long from, long to)
    {
        var records = new Records();
        var engine = new GatewayEngine(s_config, s_kinds, records);
        engine.StartLive(null, from);
        Feed(engine, events, 0, long.MaxValue);
        engine.AdvanceTo(to);
        engine.Finish();
        return records;
    }

    /// <summary>Feeds events from index <paramref name="next"/> while they lie before <paramref name="until"/>; returns the next index.</summary>
    private static int Feed(GatewayEngine engine, List<SignalEvent> events, int next, long until)
    {
        while (next < events.Count && events[next].TimestampMs < until)
        {
            engine.Process(events[next++]);
        }

        return next;
    }

    /// <summary>What a source reads from every level and power input when it starts at <paramref name="at"/>: their values then.</summary>
    private static List<SignalEvent> CurrentInputs(List<SignalEvent> events, long at)
    {
        var map = new SignalMap(s_config);
        var last = new Dictionary<int, double>();
        foreach (var e in events.TakeWhile(e => e.TimestampMs < at))
        {
            var role = s_config.Cells[map.Cell(e.Signal)].Signals[map.IndexInCell(e.Signal)].Role;
            if (role.IsLevel() || role == SignalRole.PowerKw)
            {
                last[e.Signal] = e.Value;
            }
        }

        return [.. last.OrderBy(p => p.Key).Select(p => new SignalEvent(at, p.Key, p.Value))];
    }

    /// <summary>The first minute from <paramref name="after"/> on where every cell runs, sets up or idles, and no stop is pending.</summary>
    private static long FirstCalmMinute(List<SignalEvent> events, long from, long after)
    {
        var engine = new GatewayEngine(s_config, s_kinds, new Records());
        engine.StartLive(null, from);
        var next = 0;
        for (var at = after; ; at += Minute)
        {
            next = Feed(engine, events, next, at);
            engine.AdvanceTo(at);
            if (engine.Checkpoint().Cells.All(c => c.BookedThroughMs == at)
                && engine.Cells.All(c => c.State is MachineState.Run or MachineState.Setup or MachineState.Idle))
            {
                return at;
            }
        }
    }

    private static byte[] Serialize(EngineCheckpoint checkpoint)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream))
        {
            EngineCheckpointJson.Write(json, checkpoint);
        }

        return stream.ToArray();
    }

    private sealed class Records : List<WindowRecord>, IWindowRecordSink
    {
        public void OnRecord(in WindowRecord record) => Add(record);
    }
}
