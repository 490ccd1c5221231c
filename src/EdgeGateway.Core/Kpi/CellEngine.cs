using EdgeGateway.Core.Calendar;
using EdgeGateway.Core.Configuration;
using EdgeGateway.Core.Signals;
using EdgeGateway.Core.Signals.FromPower;

namespace EdgeGateway.Core.Kpi;

/// <summary>
/// The KPI engine of one work cell: signal events in, window records out (src/docs/kpi-model.md).
/// Events at one timestamp form a batch that takes effect together when time moves past it, so no
/// zero-length state exists between them. Allocation-free per event once its windows are open.
/// </summary>
public sealed partial class CellEngine
{
    private const long MinuteMs = 60_000;
    private const byte RunLevel = 1 << (int)SignalRole.StateRun;
    private const byte IdleLevel = 1 << (int)SignalRole.StateIdle;
    private const byte DownLevel = 1 << (int)SignalRole.StateDown;
    private const byte SetupLevel = 1 << (int)SignalRole.Setup;

    private readonly string _site;
    private readonly CellConfig _cell;
    private readonly ShiftCalendar _calendar;
    private readonly WindowSeries[] _series;
    private readonly IWindowRecordSink _sink;
    private readonly IStateChangeSink? _stateSink;
    private readonly long _minorStopMs;

    private bool _started;
    private long _traceStart;
    private long _now;
    private CalendarSegment _segment;

    private byte _levels;
    private bool _levelSeen;
    private MachineState _state;
    private double _powerKw;

    // The point events at _now, applied when time moves on.
    private CellBatch _batch;

    // Per signal of the cell (its index in the config): role, Aux slot, and which signals are faulted.
    private readonly SignalRole[] _roles;
    private readonly int[] _auxIndex;

    // Per button signal, the reason code or article it gives.
    private readonly int[] _buttonCode;
    private readonly ulong _stateSignals;
    private ulong _faulted;

    // State and parts from power, for cells configured so.
    private readonly PowerStateDetector? _powerState;
    private readonly PowerCycleDetector? _powerCycles;
    private readonly int _stateFromPowerSignal = -1;
    private readonly int _cyclesFromPowerSignal = -1;

    // The stop held back from the windows (src/docs/kpi-model.md, "Stops and reasons"): in progress while _heldEnd is
    // long.MaxValue, then held for the grace time in which a reason may still come. Its time in planned production is
    // kept as pieces of one state each and booked when it is final.
    private bool _held;
    private long _heldStart;
    private long _heldEnd;
    private CalendarSegment _heldSegment;
    private bool _heldMinorCandidate;
    private MachineState _heldStopState;
    private int _heldReason = -1;
    private bool _heldContinuesFailure;
    private StopPiece[] _pieces = new StopPiece[4];
    private int _pieceCount;
    private readonly long _graceMs;
    private readonly long _unassignedMs;

    // Whether the machine has stayed stopped since a calendar boundary ended the last stop, and that stop's reason.
    private bool _stoppedThroughCalendar;
    private int _lastReason = -1;

    // The current article: slot 0 is none, slot k the cell's k-th article.
    private int _articleSlot;
    private int _partsPerCycle = 1;

    private bool _inFailure;

    // Time booked but not yet written to the windows (see BookSpan).
    private bool _spanOpen;
    private long _spanStart;
    private long _spanEnd;
    private Bucket? _spanBucket;
    private SpanFlags _spanFlags;
    private double _spanEnergyKwMs;
    private double _spanPowerKw;
    private long _spanPowerFrom;
    private int _spanSegment;
    private int _segmentVersion;

    /// <summary>Creates the engine for <paramref name="cell"/>, producing records of <paramref name="kinds"/> into <paramref name="sink"/>.</summary>
    public CellEngine(string site, CellConfig cell, TimeZoneInfo zone, IReadOnlyList<WindowKind> kinds, IWindowRecordSink sink)
    {
        _site = site;
        _cell = cell;
        _sink = sink;
        _stateSink = sink as IStateChangeSink;
        _calendar = new ShiftCalendar(cell.Shifts, zone, cell.Calendar);
        _minorStopMs = (long)Math.Round(cell.MinorStopSeconds * 1000);
        _graceMs = (long)Math.Round(cell.Reasons.GraceSeconds * 1000);
        _unassignedMs = (long)Math.Round(cell.Reasons.UnassignedAfterSeconds * 1000);
        _roles = new SignalRole[cell.Signals.Count];
        _auxIndex = new int[cell.Signals.Count];
        _buttonCode = new int[cell.Signals.Count];
        var aux = 0;
        for (var i = 0; i < _roles.Length; i++)
        {
            var signal = cell.Signals[i];
            _roles[i] = signal.Role;
            _auxIndex[i] = signal.Role == SignalRole.Aux ? aux++ : -1;

            _buttonCode[i] = signal.Role switch
            {
                SignalRole.ReasonButton => cell.Reasons.IndexOf(signal.Reason!),
                SignalRole.ArticleButton => cell.ArticleIndex(signal.Article!),
                _ => -1,
            };

            // Signals whose fault makes the machine state unknown.
            if (signal.Role.IsLevel() || signal.Name == cell.StateFromPower?.Signal)
            {
                _stateSignals |= 1UL << i;
            }

            if (signal.Name == cell.StateFromPower?.Signal)
            {
                _stateFromPowerSignal = i;
                _powerState = new PowerStateDetector(cell.StateFromPower);
            }

            if (signal.Name == cell.CyclesFromPower?.Signal)
            {
                _cyclesFromPowerSignal = i;
                _powerCycles = new PowerCycleDetector(cell.CyclesFromPower);
            }
        }

        _batch.AuxUsed = aux;
        _series = new WindowSeries[kinds.Count];
        for (var i = 0; i < kinds.Count; i++)
        {
            _series[i] = new WindowSeries(kinds[i], zone);
        }
    }

    /// <summary>The cell's configuration.</summary>
    public CellConfig Cell => _cell;

    /// <summary>The machine state in force at <see cref="Now"/> (events of the current batch not yet applied).</summary>
    public MachineState State => _state;

    /// <summary>The instant up to which time has been booked.</summary>
    public long Now => _now;

    /// <summary>
    /// The window of <paramref name="kind"/> in progress, up to <see cref="Now"/> (e.g. the shift so far, for
    /// status displays); false when none is open. Reading it changes nothing; a pending minor stop is not in it yet.
    /// </summary>
    public bool TryPeekOpenWindow(WindowKind kind, out WindowRecord record)
    {
        foreach (var series in _series)
        {
            if (series.Kind == kind && series.TryPeekNewest(out var totals) && totals.Start <= _now)
            {
                if (_spanOpen && _spanStart >= totals.Start && _spanEnd <= totals.End)
                {
                    if (_spanBucket is { } bucket)
                    {
                        totals.Buckets[(int)bucket] += _spanEnd - _spanStart;
                    }

                    totals.EnergyKwMs += _spanEnergyKwMs + (_spanPowerKw * (_spanEnd - _spanPowerFrom));
                }

                totals.End = Math.Min(totals.End, _now);
                record = new WindowRecord(_site, _cell, kind, totals);
                return true;
            }
        }

        record = default;
        return false;
    }

    /// <summary>Begins the first window at <paramref name="traceStart"/>; time before the first level event is unknown.</summary>
    public void Start(long traceStart)
    {
        _started = true;
        _traceStart = traceStart;
        _now = traceStart;
        Relocate(traceStart);
        foreach (var series in _series)
        {
            series.Start(traceStart);
        }
    }

    /// <summary>
    /// Applies one event of the cell's signal number <paramref name="signal"/> (its index in the cell's config)
    /// at <paramref name="timestampMs"/> (not before <see cref="Now"/>). A NaN value is a sensor fault of that
    /// signal until its next valid value.
    /// </summary>
    public void Apply(long timestampMs, int signal, double value)
    {
        MoveTo(timestampMs);

        var bit = 1UL << signal;
        if (double.IsNaN(value))
        {
            if ((_faulted & bit) == 0)
            {
                _faulted |= bit;
                _batch.Faults++;
            }
        }
        else
        {
            _faulted &= ~bit;
        }

        switch (_roles[signal])
        {
            case SignalRole.CyclePulse when !double.IsNaN(value):
                _batch.Produced++;
                break;
            case SignalRole.ScrapPulse when !double.IsNaN(value):
                _batch.Scrap++;
                break;
            case SignalRole.PowerKw:
                // Energy is not counted while the power sensor is faulted.
                _powerKw = double.IsNaN(value) ? 0 : value;
                if (signal == _stateFromPowerSignal)
                {
                    _powerState!.Update(timestampMs, value);
                }

                if (signal == _cyclesFromPowerSignal && _powerCycles!.Update(timestampMs, value))
                {
                    _batch.Produced++;
                }

                break;
            case SignalRole.Aux when !double.IsNaN(value):
                _batch.Aux[_auxIndex[signal]].Add(value);
                break;
            case SignalRole.ReasonButton when value == 1:
                ApplyBatch(_now); // as a reason given any other way, after the signal events of its instant so far
                GiveReason(_buttonCode[signal], timestampMs);
                break;
            case SignalRole.ArticleButton when value == 1:
                ApplyBatch(_now);
                SetArticle(_buttonCode[signal]);
                break;
            case SignalRole.StateRun or SignalRole.StateIdle or SignalRole.StateDown or SignalRole.Setup when !double.IsNaN(value):
                var level = (byte)(1 << (int)_roles[signal]);
                _levels = value != 0 ? (byte)(_levels | level) : (byte)(_levels & ~level);
                _levelSeen = true;
                break;
        }
    }

    /// <summary>Starts at <paramref name="timestampMs"/> or moves time on to it: an event's instant, not before <see cref="Now"/>.</summary>
    private void MoveTo(long timestampMs)
    {
        if (!_started)
        {
            Start(timestampMs);
        }

        if (timestampMs > _now)
        {
            AdvanceTo(timestampMs);
        }
        else if (timestampMs < _now)
        {
            ThrowTimeWentBackwards(timestampMs);
        }
    }

    /// <summary>Applies the pending batch and books time up to <paramref name="timestampMs"/>; closes the windows that ended before it.</summary>
    public void AdvanceTo(long timestampMs)
    {
        if (!_started || timestampMs <= _now)
        {
            return;
        }

        ApplyBatch(_now);
        while (_now < timestampMs)
        {
            if (_now >= _segment.End)
            {
                CrossCalendarBoundary();
            }

            // Steps of at most one minute keep few windows open across long gaps between events.
            var end = Math.Min(Math.Min(timestampMs, _segment.End), _now - (_now % MinuteMs) + MinuteMs);
            if (_held)
            {
                // Resolve at the threshold instant and at the end of the grace time itself, so that where the clock
                // ticks cannot move them.
                end = Math.Min(end, _heldMinorCandidate ? _heldStart + _minorStopMs : StopInProgress ? long.MaxValue : _heldEnd + _graceMs);
            }

            BookSpan(_now, end);
            _now = end;
            if (_now % MinuteMs == 0)
            {
                FlushSpan(); // every window ends on a minute: a joined span stays inside one window
            }

            if (_held && _heldMinorCandidate && _now - _heldStart >= _minorStopMs)
            {
                // Not a minor stop: without reasons it is final now and the rest of it is booked as it comes.
                _heldMinorCandidate = false;
                if (!_cell.Reasons.Any)
                {
                    FinalizeHeldStop();
                }
            }

            if (_held && !StopInProgress && _now >= _heldEnd + _graceMs)
            {
                FinalizeHeldStop();
            }

            EmitClosedWindows();
        }
    }

    /// <summary>Ends the trace at <see cref="Now"/>: applies the last batch (its pulses count in the window that ends there) and emits every window.</summary>
    public void Finish()
    {
        if (!_started)
        {
            return;
        }

        ApplyBatch(_now > _traceStart ? _now - 1 : _now);
        if (StopInProgress)
        {
            EndHeldStop(intoRun: false);
        }

        if (_held)
        {
            FinalizeHeldStop();
        }

        FlushSpan();
        foreach (var series in _series)
        {
            // A trace of a single instant still has its (zero-length) record.
            if (_now == _traceStart)
            {
                series.Touch(_now, _segment);
            }

            series.EmitAll(_now, _site, _cell, _sink);
        }

        _started = false;
    }

    private void EmitClosedWindows()
    {
        // A window ending exactly now stays open: at the end of a trace, pulses at its last instant belong to it.
        // A held stop's windows wait until it is final: whether it was a minor stop, and its reason.
        var limit = _held ? Math.Min(_heldStart, _now - 1) : _now - 1;
        foreach (var series in _series)
        {
            while (series.OldestEnd <= limit)
            {
                // Flush only a span that reaches into the window: a needless flush would split a span's energy.
                if (_spanOpen && _spanStart < series.OldestEnd)
                {
                    FlushSpan();
                }

                series.EmitOldest(_site, _cell, _sink);
            }
        }
    }

    private void ApplyBatch(long countAt)
    {
        if (!_batch.IsEmpty)
        {
            var segment = countAt >= _segment.End ? _calendar.Locate(countAt) : _segment;
            FlushSpan();
            foreach (var series in _series)
            {
                series.Count(countAt, segment, _batch, unattended: !segment.IsStaffed, _articleSlot, _partsPerCycle);
            }

            _batch.Clear();
        }

        var state = (_faulted & _stateSignals) != 0 ? MachineState.Unknown
            : _powerState is not null ? _powerState.Level switch
            {
                PowerLevel.Run => MachineState.Run,
                PowerLevel.Unknown => MachineState.Unknown,
                _ => MachineState.Idle,
            }
            : !_levelSeen ? MachineState.Unknown
            : (_levels & SetupLevel) != 0 ? MachineState.Setup
            : (_levels & DownLevel) != 0 ? MachineState.Down
            : (_levels & RunLevel) != 0 ? MachineState.Run
            : MachineState.Idle;
        if (state != _state)
        {
            ChangeState(state);
        }
    }

    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    private void ThrowTimeWentBackwards(long timestampMs) =>
        throw new ArgumentOutOfRangeException(nameof(timestampMs), $"cell {_cell.Id}: event at {timestampMs} ms is before the engine's time {_now} ms");
}
