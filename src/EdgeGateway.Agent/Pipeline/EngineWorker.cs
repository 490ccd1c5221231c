using System.Threading.Channels;
using EdgeGateway.Agent.Control;
using EdgeGateway.Agent.Hosting;
using EdgeGateway.Agent.Outbox;
using EdgeGateway.Agent.Status;
using EdgeGateway.Agent.Watchdog;
using EdgeGateway.Core.Configuration;
using EdgeGateway.Core.Kpi;
using EdgeGateway.Core.Signals;
using Microsoft.Extensions.Options;

namespace EdgeGateway.Agent.Pipeline;

/// <summary>
/// The one reader of the event channel: feeds the KPI engine, whose records the encoder puts into the outbox.
/// Events of different sources may interleave by a few milliseconds; a late one is taken as happening at the
/// engine's current time (the engine needs time order). Clock ticks (<see cref="TickSignal"/>) move quiet cells on.
/// Remote commands (<see cref="ControlQueue"/>) are applied here too, between events, at the later of the wall clock
/// (the source's clock for a simulation or a trace: the engine's time) and the engine's time.
/// </summary>
internal sealed partial class EngineWorker(
    GatewayConfig config,
    IOptions<AgentOptions> options,
    Channel<SignalEvent> events,
    ControlQueue commands,
    RecordEncoder encoder,
    IOutbox outbox,
    AgentState state,
    PipelineLiveness liveness,
    TimeProvider time,
    ILogger<EngineWorker> logger) : BackgroundService
{
    /// <summary>The signal number of a clock tick: no signal, only "time has come this far".</summary>
    public const int TickSignal = -1;

    /// <summary>The signal number of a wake-up: a remote command waits in the <see cref="ControlQueue"/>; no time.</summary>
    public const int WakeSignal = -2;

    /// <summary>
    /// Test fault injection, off by default and not a config key: the engine blocks this many seconds after its start,
    /// as a stuck pipeline would, so that a test sees the watchdog feeding stop (tests/EdgeGateway.Agent.Tests/Integration/WatchdogTests.cs).
    /// </summary>
    public const string StallVariable = "EDGEGATEWAY_FAULT_STALL_ENGINE_AFTER_S";

    private static readonly TimeSpan s_statusInterval = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var kinds = options.Value.EffectiveWindows.Select(name => WindowKinds.TryParse(name, out var kind) ? kind : throw new InvalidOperationException($"unknown window '{name}'")).ToArray();
        var engine = new GatewayEngine(config, kinds, encoder);
        var windows = new WindowCheckpointFile(options.Value.Outbox.Directory, logger);
        var calendar = new CalendarEntriesFile(options.Value.Outbox.Directory, logger);
        var calendarEntries = calendar.Read();
        var saved = windows.Read();
        var checkpointEvery = (long)(options.Value.WindowCheckpointInterval.TotalSeconds * time.TimestampFrequency);
        var nextCheckpoint = 0L;
        var started = false;
        var reader = events.Reader;
        var last = long.MinValue;
        var nextStatus = 0L;
        long faults = 0, late = 0;
        var stallAt = double.TryParse(Environment.GetEnvironmentVariable(StallVariable), System.Globalization.CultureInfo.InvariantCulture, out var stallS)
            ? time.GetTimestamp() + (long)(stallS * time.TimestampFrequency)
            : long.MaxValue;
        try
        {
            while (await reader.WaitToReadAsync(stoppingToken).ConfigureAwait(false))
            {
                if (time.GetTimestamp() >= stallAt)
                {
                    await Task.Delay(Timeout.InfiniteTimeSpan, time, stoppingToken).ConfigureAwait(false);
                }

                liveness.EngineMoved();
                while (reader.TryRead(out var e))
                {
                    if (e.Signal == WakeSignal)
                    {
                        if (started)
                        {
                            last = ApplyCommands(engine, last, calendar, calendarEntries);
                        }

                        continue;
                    }

                    var at = Math.Max(e.TimestampMs, last);
                    late += e.TimestampMs < last ? 1 : 0;
                    last = at;
                    if (!started)
                    {
                        // The source's first event or tick is the start: the windows of the last run go on from there.
                        started = true;
                        Start(engine, saved, at);
                        ReapplyCalendar(engine, at, calendar, calendarEntries);
                        saved = null;
                        nextCheckpoint = time.GetTimestamp() + checkpointEvery;
                    }

                    if (e.Signal == TickSignal)
                    {
                        engine.AdvanceTo(at);
                        continue;
                    }

                    faults += double.IsNaN(e.Value) ? 1 : 0;
                    engine.Process(e with { TimestampMs = at }); // a closure or extra shift carries its end in ToMs
                }

                if (started)
                {
                    last = ApplyCommands(engine, last, calendar, calendarEntries);
                }

                var now = time.GetTimestamp();
                if (started && now >= nextCheckpoint)
                {
                    nextCheckpoint = now + checkpointEvery;
                    SaveWindows(engine, windows);
                }

                if (now >= nextStatus)
                {
                    nextStatus = now + (long)(s_statusInterval.TotalSeconds * time.TimestampFrequency);
                    var clock = ClockSync.Read();
                    encoder.ClockSynced = clock.Synced;
                    state.ClockOffsetS = clock.OffsetS;
                    Publish(engine, faults, encoder.ClockSynced);
                    if (late > 0)
                    {
                        Log.LateEvents(logger, late);
                        late = 0;
                    }
                }
            }

            // The source ended (a trace, a simulation's end): close every window, like replay; nothing is left to go on with.
            engine.Finish();
            liveness.EngineIdle();
            outbox.Flush();
            windows.Delete();
            Publish(engine, faults, encoder.ClockSynced);
            Log.SourceEnded(logger, encoder.Records);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutdown: windows in progress are not emitted (a record must cover its whole window); they are saved,
            // and the next start goes on with them.
            if (started)
            {
                SaveWindows(engine, windows);
            }
            else
            {
                outbox.Flush();
            }
        }

        // Anything else stops the host with exit code 1 and one line saying why (Program, ServiceRun).
    }

    private void Start(GatewayEngine engine, EngineCheckpoint? saved, long at)
    {
        foreach (var note in engine.StartLive(saved, at))
        {
            Log.WindowsNotResumed(logger, note);
        }

        // Said only when the file could be used at all (same site, taken before now); the notes say each cell that could not.
        if (saved is not null && saved.Site == config.Site && saved.TakenAtMs <= at)
        {
            var savedAt = DateTimeOffset.FromUnixTimeMilliseconds(saved.TakenAtMs);
            Log.WindowsResumed(logger, savedAt, (at - saved.TakenAtMs) / 1000.0);
        }
    }

    /// <summary>
    /// Applies the commands waiting, each at the later of now and <paramref name="last"/> (the engine's time), and completes
    /// each with the engine's outcome; an accepted closure or extra shift is kept in <paramref name="calendar"/>. Returns the
    /// engine's time after them.
    /// </summary>
    private long ApplyCommands(GatewayEngine engine, long last, CalendarEntriesFile calendar, List<CalendarEntry> entries)
    {
        while (commands.TryTake(out var pending))
        {
            // A live source's events carry the wall clock; a simulation's or a trace's carry their own time, which is the
            // engine's: there "now" is the engine's time.
            var now = options.Value.Source == EventSourceKind.Sensors ? time.GetUtcNow().ToUnixTimeMilliseconds() : last;
            last = Math.Max(now, last);
            var command = pending.Command;
            var outcome = engine.Process(command.ToEvent(last));
            if (outcome.Succeeded() && command.Kind is ContextKind.Closure or ContextKind.ExtraShift)
            {
                entries.RemoveAll(entry => entry.ToMs <= last);
                entries.Add(new CalendarEntry(command.Kind, command.FromMs, command.ToMs));
                if (calendar.Write(entries) is not null)
                {
                    // The engine has taken it and cannot take it back; the person who gave it must know it would not survive a restart.
                    outcome = ContextOutcome.NotSaved;
                }
            }

            pending.Outcome.TrySetResult(outcome);
        }

        return last;
    }

    /// <summary>
    /// Applies the closures and extra shifts accepted by command in earlier runs, at the start <paramref name="at"/>; those
    /// over by now are dropped from the file.
    /// </summary>
    private void ReapplyCalendar(GatewayEngine engine, long at, CalendarEntriesFile calendar, List<CalendarEntry> entries)
    {
        var kept = entries.Count;
        foreach (var entry in entries.ToList())
        {
            var signal = entry.Kind == ContextKind.Closure ? engine.Signals.ClosureSignal : engine.Signals.ExtraShiftSignal;
            var outcome = engine.Process(new SignalEvent(at, signal, entry.FromMs, entry.ToMs));
            if (!outcome.Succeeded())
            {
                entries.Remove(entry);
                if (outcome != ContextOutcome.InThePast)
                {
                    Log.CalendarEntryDropped(logger, entry.Kind == ContextKind.Closure ? "closure" : "extra shift", DateTimeOffset.FromUnixTimeMilliseconds(entry.FromMs), DateTimeOffset.FromUnixTimeMilliseconds(entry.ToMs), outcome.Describe());
                }
            }
        }

        if (entries.Count != kept)
        {
            calendar.Write(entries);
        }

        if (entries.Count > 0)
        {
            Log.CalendarReapplied(logger, entries.Count, calendar.Path);
        }
    }

    /// <summary>
    /// Saves the windows in progress once the outbox holds every record emitted so far on the disk: a checkpoint must
    /// never say a window closed whose record a power cut could still take. On a full disk it waits for a later turn.
    /// </summary>
    private void SaveWindows(GatewayEngine engine, WindowCheckpointFile windows)
    {
        if (outbox.Flush())
        {
            windows.Write(engine.Checkpoint());
        }
    }

    private void Publish(GatewayEngine engine, long faults, bool clockSynced)
    {
        var cells = new CellStatus[engine.Cells.Count];
        for (var i = 0; i < cells.Length; i++)
        {
            var cell = engine.Cells[i];
            var shift = cell.TryPeekOpenWindow(WindowKind.Shift, out var record) ? record : (WindowRecord?)null;
            cells[i] = new CellStatus(cell.Cell.Id, cell.State, shift?.Oee, shift?.Start)
            {
                Article = cell.Article >= 0 ? cell.Cell.Articles[cell.Article].Id : null,
                StopHeldSinceMs = cell.HeldStopSince,
                StopReason = cell.HeldStopReason >= 0 ? cell.Cell.Reasons.Codes[cell.HeldStopReason].Code : null,
            };
        }

        state.Cells = cells;
        state.SensorFaults = faults;
        state.ClockSynced = clockSynced;
        if (encoder.Records != state.Records)
        {
            state.LastRecordMs = time.GetUtcNow().ToUnixTimeMilliseconds();
        }

        state.Records = encoder.Records;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 100, Level = LogLevel.Debug, Message = "{Count} events arrived out of time order and were taken at the engine's current time")]
        public static partial void LateEvents(ILogger logger, long count);

        [LoggerMessage(EventId = 101, Level = LogLevel.Information, Message = "The signal source ended; {Records} window records computed")]
        public static partial void SourceEnded(ILogger logger, long records);

        [LoggerMessage(EventId = 105, Level = LogLevel.Information, Message = "Going on with the windows in progress saved at {SavedAt:u}; the {GapSeconds:F0} s since are unknown")]
        public static partial void WindowsResumed(ILogger logger, DateTimeOffset savedAt, double gapSeconds);

        [LoggerMessage(EventId = 106, Level = LogLevel.Warning, Message = "{Note}")]
        public static partial void WindowsNotResumed(ILogger logger, string note);

        [LoggerMessage(EventId = 109, Level = LogLevel.Information, Message = "{Count} closures and extra shifts set by command apply again ({Path})")]
        public static partial void CalendarReapplied(ILogger logger, int count, string path);

        [LoggerMessage(EventId = 110, Level = LogLevel.Warning, Message = "The {Kind} from {From:u} to {To:u} set by command no longer applies: {Reason}")]
        public static partial void CalendarEntryDropped(ILogger logger, string kind, DateTimeOffset from, DateTimeOffset to, string reason);
    }
}
