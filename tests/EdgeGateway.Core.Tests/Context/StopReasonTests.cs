using EdgeGateway.Core.Configuration;
using EdgeGateway.Core.Kpi;
using EdgeGateway.Core.Signals;
using static EdgeGateway.Core.Tests.TraceBuilder;

namespace EdgeGateway.Core.Tests.Context;

/// <summary>
/// Stops booked by their reason (src/docs/kpi-model.md, "Stops and reasons"), hand-computed: one shift 06:00-14:00 on
/// Monday 2026-03-23 (UTC), reasons given within 600 s, stops of 300 s or more without one unassigned.
/// </summary>
public sealed class StopReasonTests
{
    private static readonly string s_config = TestConfig.Cell(TestConfig.Shift("Mon-Fri", "06:00", "14:00"), gateway: TestConfig.StopReasons);

    [Fact]
    public void ShiftWithThreeReasonedStops_BooksEachByItsClass_PlannedMaintenanceLeavesTheLossBuckets()
    {
        var trace = new TraceBuilder()
            .Light(Utc("2026-03-23T06:00:00Z"), "green")
            .Light(Utc("2026-03-23T07:00:00Z"), "red")                                 // A: 30 min down, breakdown
            .Context(Utc("2026-03-23T07:05:00Z"), "@reason:cell-1", "breakdown")
            .Light(Utc("2026-03-23T07:30:00Z"), "green")
            .Light(Utc("2026-03-23T09:00:00Z"), "off")                                 // B: 60 min idle, maintenance
            .Light(Utc("2026-03-23T10:00:00Z"), "green")
            .Context(Utc("2026-03-23T10:05:00Z"), "@reason:cell-1", "planned_maintenance") // 5 min after it ended: within grace
            .Light(Utc("2026-03-23T11:00:00Z"), "yellow")                              // C: 20 min idle, waiting for material
            .Context(Utc("2026-03-23T11:10:00Z"), "@reason:cell-1", "waiting_material")
            .Light(Utc("2026-03-23T11:20:00Z"), "green")
            .Light(Utc("2026-03-23T12:00:00Z"), "red")                                 // D: 10 min down, no reason
            .Light(Utc("2026-03-23T12:10:00Z"), "green")
            .Light(Utc("2026-03-23T14:00:00Z"), "off");

        var record = Replay.Total(s_config, trace.ToString());

        Assert.Equal(28_800, record.LengthMs / 1000.0);
        Assert.Equal(21_600, record.Seconds(Bucket.Run));          // 480 − 30 − 60 − 20 − 10 min
        Assert.Equal(2_400, record.Seconds(Bucket.Down));          // A 1800 + D 600
        Assert.Equal(1_200, record.Seconds(Bucket.Idle));          // C
        Assert.Equal(3_600, record.Seconds(Bucket.PlannedStop));   // B: out of the planned busy time
        Assert.Equal(0, record.Seconds(Bucket.Setup));
        Assert.Equal(21_600.0 / 25_200, record.Availability!.Value, 12); // 0.857, not 21 600 / 28 800 = 0.75
        Assert.Equal(2, record.Failures);                          // A and D
        Assert.Equal(1_200, record.MttrSeconds!.Value, 12);
        Assert.Equal(1_800, record.ReasonSeconds(Code("breakdown")));
        Assert.Equal(1_200, record.ReasonSeconds(Code("waiting_material")));
        Assert.Equal(3_600, record.ReasonSeconds(Code("planned_maintenance")));
        Assert.Equal(0, record.ReasonSeconds(Code("changeover")));
        Assert.Equal(1, record.UnassignedStops);                   // D: 600 s ≥ 300 s without a reason
        Assert.Equal(0, record.MinorStops);
    }

    [Fact]
    public void ReasonAfterTheStop_WithinGrace_Labels_AfterGrace_IsRefused_AndTheStopStaysUnassigned()
    {
        var config = ReadConfig();
        var (engine, records) = Engine(config);
        var t = Ms("2026-03-23T06:00:00Z");
        Light(engine, t, run: true);
        Light(engine, t + Min(60), run: false);                                 // idle 07:00-07:10
        Light(engine, t + Min(70), run: true);
        Assert.Equal(ContextOutcome.Done, Reason(engine, t + Min(79), "changeover")); // 9 min after: within 10
        Light(engine, t + Min(120), run: false);                                // idle 08:00-08:10
        Light(engine, t + Min(130), run: true);
        Assert.Equal(ContextOutcome.NoStop, Reason(engine, t + Min(140), "changeover")); // 10 min after: the stop is final
        engine.AdvanceTo(t + Min(180));
        engine.Finish();

        var total = Assert.Single(records);
        Assert.Equal(600, total.Seconds(Bucket.Setup));            // the first stop, by its reason
        Assert.Equal(600, total.Seconds(Bucket.Idle));             // the second, by its signals
        Assert.Equal(600, total.ReasonSeconds(Code("changeover")));
        Assert.Equal(1, total.UnassignedStops);
    }

    [Fact]
    public void LaterReasonForTheSameStop_ReplacesTheEarlierOne()
    {
        var (engine, records) = Engine(ReadConfig());
        var t = Ms("2026-03-23T06:00:00Z");
        Light(engine, t, run: true);
        Light(engine, t + Min(10), run: false);
        Assert.Equal(ContextOutcome.Done, Reason(engine, t + Min(12), "waiting_material"));
        Assert.Equal(ContextOutcome.Replaced, Reason(engine, t + Min(14), "breakdown"));
        Light(engine, t + Min(30), run: true);
        engine.AdvanceTo(t + Min(60));
        engine.Finish();

        var total = Assert.Single(records);
        Assert.Equal(1_200, total.ReasonSeconds(Code("breakdown")));
        Assert.Equal(0, total.ReasonSeconds(Code("waiting_material")));
        Assert.Equal(1_200, total.Seconds(Bucket.Down));
        Assert.Equal(1, total.Failures);
        Assert.Equal(0, total.UnassignedStops);
    }

    [Fact]
    public void ReasonAt_NamesTheStop_BeforeItOrInTheFuture_IsRefused()
    {
        var (engine, _) = Engine(ReadConfig());
        var t = Ms("2026-03-23T06:00:00Z");
        Light(engine, t, run: true);
        Light(engine, t + Min(10), run: false);
        Assert.Equal(ContextOutcome.BeforeTheStop, Reason(engine, t + Min(12), "breakdown", at: t + Min(5)));
        Assert.Equal(ContextOutcome.InTheFuture, Reason(engine, t + Min(12), "breakdown", at: t + Min(13)));
        Assert.Equal(ContextOutcome.Done, Reason(engine, t + Min(12), "breakdown", at: t + Min(10)));
    }

    [Fact]
    public void ReasonWhileRunning_WithNoStopWithinGrace_IsRefused()
    {
        var (engine, _) = Engine(ReadConfig());
        var t = Ms("2026-03-23T06:00:00Z");
        Light(engine, t, run: true);
        Assert.Equal(ContextOutcome.NoStop, Reason(engine, t + Min(5), "breakdown"));
    }

    [Fact]
    public void ReasonedShortStop_IsNotAMinorStop_UnreasonedOneIs()
    {
        var (engine, records) = Engine(ReadConfig());
        var t = Ms("2026-03-23T06:00:00Z");
        Light(engine, t, run: true);
        Light(engine, t + Min(10), run: false);        // 60 s, given a reason: booked by it
        Reason(engine, t + Min(10) + 30_000, "waiting_material");
        Light(engine, t + Min(11), run: true);
        Light(engine, t + Min(20), run: false);        // 60 s without one: a minor stop
        Light(engine, t + Min(21), run: true);
        engine.AdvanceTo(t + Min(60));
        engine.Finish();

        var total = Assert.Single(records);
        Assert.Equal(1, total.MinorStops);
        Assert.Equal(60, total.MinorStopMs / 1000.0);
        Assert.Equal(60, total.ReasonSeconds(Code("waiting_material")));
        Assert.Equal(120, total.Seconds(Bucket.Idle));
        Assert.Equal(0, total.UnassignedStops);        // both under 300 s
    }

    [Fact]
    public void StopThroughABreak_KeepsItsReason_AndIsOneFailure()
    {
        var config = ReadConfig(TestConfig.Shift("Mon-Fri", "06:00", "14:00", breaks: TestConfig.Break("09:00", "09:30")));
        var (engine, records) = Engine(config);
        var t = Ms("2026-03-23T06:00:00Z");
        Light(engine, t, run: true);
        Light(engine, t + Min(150), run: false, lamp: "red");      // 08:30 down, through the break, until 10:00
        Reason(engine, t + Min(155), "breakdown");
        Light(engine, t + Min(240), run: true);
        engine.AdvanceTo(t + Min(480));
        engine.Finish();

        var total = Assert.Single(records);
        Assert.Equal(3_600, total.Seconds(Bucket.Down));             // 30 min before the break, 30 after
        Assert.Equal(1_800, total.Seconds(Bucket.PlannedStop));      // the break
        Assert.Equal(3_600, total.ReasonSeconds(Code("breakdown")));
        Assert.Equal(1, total.Failures);
        Assert.Equal(0, total.UnassignedStops);
    }

    [Fact]
    public void HeldStop_DelaysItsMinuteRecords_UntilFinal_AndTheyStillFillTheirWindows()
    {
        var (engine, records) = Engine(ReadConfig(), WindowKind.Minute);
        var t = Ms("2026-03-23T06:00:00Z");
        Light(engine, t, run: true);
        Light(engine, t + Min(10), run: false);
        Light(engine, t + Min(20), run: true);
        engine.AdvanceTo(t + Min(25));
        Assert.Equal(10, records.Count);                             // 06:00-06:10: the stop's minutes wait for its reason
        engine.AdvanceTo(t + Min(31));
        Assert.Equal(30, records.Count);                             // final at 06:30, the end of its grace time
        Assert.All(records, r => Assert.Equal(60_000, Enum.GetValues<Bucket>().Sum(b => r.Ms(b))));
        Assert.Equal(1, records.Sum(r => r.UnassignedStops));
        Assert.Equal(1, records[10].UnassignedStops);                // counted where the stop began
    }

    [Fact]
    public void WithoutReasonsConfigured_StopsAreBookedAsBefore_AndNothingIsUnassigned()
    {
        var config = TestConfig.Cell(TestConfig.Shift("Mon-Fri", "06:00", "14:00"));
        var (engine, records) = Engine(ConfigReader.Read(System.Text.Encoding.UTF8.GetBytes(config), "test.json"), WindowKind.Minute);
        var t = Ms("2026-03-23T06:00:00Z");
        Light(engine, t, run: true);
        Light(engine, t + Min(10), run: false);
        engine.AdvanceTo(t + Min(15));
        Assert.Equal(14, records.Count);                             // held only up to the minor-stop threshold (2 min)
        Assert.All(records, r => Assert.Equal(0, r.UnassignedStops));
    }

    private static int Code(string code) => ReadConfig().Cells[0].Reasons.IndexOf(code);

    private static GatewayConfig ReadConfig(string? shifts = null) => ConfigReader.Read(
        System.Text.Encoding.UTF8.GetBytes(shifts is null ? s_config : TestConfig.Cell(shifts, gateway: TestConfig.StopReasons)), "test.json");

    private static (GatewayEngine Engine, List<WindowRecord> Records) Engine(GatewayConfig config, WindowKind kind = WindowKind.Total)
    {
        var sink = new RecordSink();
        return (new GatewayEngine(config, [kind], sink), sink.Records);
    }

    private static void Light(GatewayEngine engine, long at, bool run, string lamp = "yellow")
    {
        foreach (var signal in new[] { "green", "yellow", "red" })
        {
            engine.Signals.TryFind(signal, out var number);
            engine.Process(new SignalEvent(at, number, run ? (signal == "green" ? 1 : 0) : (signal == lamp ? 1 : 0)));
        }
    }

    private static ContextOutcome Reason(GatewayEngine engine, long now, string code, long? at = null) =>
        engine.Process(new SignalEvent(now, engine.Signals.ReasonSignal(0, Code(code)), at ?? now));

    private static long Ms(string utc) => Core.Calendar.SiteTime.ToUnixMs(Utc(utc));

    private static long Min(int minutes) => minutes * 60_000L;

    private sealed class RecordSink : IWindowRecordSink
    {
        public List<WindowRecord> Records { get; } = [];

        public void OnRecord(in WindowRecord record) => Records.Add(record);
    }
}
