using EdgeGateway.Core.Calendar;
using EdgeGateway.Core.Configuration;

namespace EdgeGateway.Sensors.Simulation;

/// <summary>
/// The stochastic model of one work cell (src/docs/simulation.md): an endless, time-ordered stream of
/// activity changes, parts, scrap and power readings, fixed by the seed and the start instant.
/// </summary>
/// <remarks>
/// The machine works only in working time of its <see cref="WorkCalendar"/>. In staffed time production starts after
/// a random delay; then cycles follow each other, and after each cycle a failure (when the run time drawn for it is
/// used up), a setup (likewise, staffed time only) or a minor stop may follow. A cycle that has begun is finished even
/// if a break or the shift end comes first; stops, repairs and setups take their time wherever they fall. Every activity
/// change carries a power reading; between changes power is read every <c>PowerSampleSeconds</c> (instants that
/// are multiples of the period since 1970). Every activity lasts at least a millisecond, and no instant holds two
/// power readings, so the trace never depends on the order of events that share a timestamp.
/// Context (<see cref="SimulationContext"/>) is drawn from a stream of its own, so a config without reasons and articles
/// simulates exactly as before they existed: an operator may give a stop a reason some time after it began (perhaps
/// replaced by another), and a setup may change the article, whose ideal cycle time scales the cycle times after it.
/// A context event follows the signal events of its instant.
/// </remarks>
internal sealed class CellSimulator
{
    private const long MaxDurationMs = 30L * 86_400_000;
    private const long StaffSearchMs = 8L * 86_400_000;

    private readonly CellConfig _cell;
    private readonly SimulationOptions _options;
    private readonly WorkCalendar _work;
    private readonly SimulationRandom _process;
    private readonly SimulationRandom _noise;
    private readonly SimulationRandom _operator;
    private readonly Queue<SimulatedEvent> _queue = new();

    // Context events scheduled for later (a reason comes some time after its stop began), in time order.
    private readonly List<SimulatedEvent> _pending = [];

    // The article the cell makes (-1: none set) and its cycle time relative to the cell's ideal one.
    private int _article = -1;
    private double _cycleScale = 1;

    private long _t;
    private bool _started;
    private CellActivity _activity;
    private CellActivity _emittedActivity;
    private long _nextSample;
    private bool _producing;
    private bool _afterCycle;
    private double _failureBudgetMs;
    private double _setupBudgetMs;

    public CellSimulator(CellConfig cell, SimulationOptions options, TimeZoneInfo zone, long seed, long fromMs, IReadOnlyList<AnnouncedClosure> closures)
    {
        _cell = cell;
        _options = options;
        _work = new WorkCalendar(cell, options, zone, closures);
        _process = new SimulationRandom(seed, cell.Id + "/process");
        _noise = new SimulationRandom(seed, cell.Id + "/power");
        _operator = new SimulationRandom(seed, cell.Id + "/context");
        _t = fromMs;
        var parameters = options.At(fromMs);
        _failureBudgetMs = _process.Exponential(parameters.MtbfHours * 3_600_000);
        _setupBudgetMs = _process.Exponential(parameters.SetupEveryHours * 3_600_000);
        _nextSample = NextSampleAfter(fromMs);
        if (cell.Articles.Count > 0 && options.Context.Operator)
        {
            ChangeArticle(); // the trace says from its start what the cell makes
        }
    }

    /// <summary>The next event; the stream never ends.</summary>
    public SimulatedEvent Next()
    {
        while (_queue.Count == 0)
        {
            Step();
        }

        var head = _queue.Peek();
        if (_pending.Count > 0 && _pending[0].TimestampMs < head.TimestampMs && _pending[0].TimestampMs < _nextSample)
        {
            // Strictly before the next signal event: every signal event of its instant has been emitted.
            var context = _pending[0];
            _pending.RemoveAt(0);
            return context;
        }

        if (_nextSample < head.TimestampMs)
        {
            var at = _nextSample;
            _nextSample = NextSampleAfter(at);
            return new SimulatedEvent(at, SimulatedEventKind.Power, _emittedActivity, PowerOf(_emittedActivity, _options.At(at)));
        }

        if (_nextSample == head.TimestampMs)
        {
            // This instant may carry the reading of an activity change: one reading per instant.
            _nextSample = NextSampleAfter(head.TimestampMs);
        }

        _queue.Dequeue();
        if (head.Kind == SimulatedEventKind.Activity)
        {
            _emittedActivity = head.Activity;
        }

        return head;
    }

    /// <summary>Generates what happens from <see cref="_t"/> on: the events of one activity, queued in time order.</summary>
    private void Step()
    {
        var parameters = _options.At(_t);
        var segment = _work.Locate(_t);
        if (segment.State != CalendarState.Working)
        {
            _producing = false;
            _afterCycle = false;
            Change(segment.State == CalendarState.Break ? CellActivity.Idle : CellActivity.Off, parameters);
            _t = segment.End;
            return;
        }

        if (!_producing)
        {
            _producing = true;
            _afterCycle = false;
            var delay = segment.Staffed ? Duration(_process.Exponential(parameters.StartDelayMinutes * 60_000)) : 0;
            if (delay > 0)
            {
                Change(CellActivity.Idle, parameters);
                MaybeGiveReason(CellActivity.Idle);
                _t = Math.Min(_t + delay, segment.End);
                return;
            }
        }

        if (_afterCycle)
        {
            _afterCycle = false;
            if (_failureBudgetMs <= 0)
            {
                Fail(segment, parameters);
                return;
            }

            if (_setupBudgetMs <= 0 && segment.Staffed)
            {
                Change(CellActivity.Setup, parameters);
                if (_cell.Articles.Count > 1 && _options.Context.Operator && _operator.Chance(_options.Context.ArticleChangeShare))
                {
                    ChangeArticle();
                }

                _t += Math.Max(1, Duration(_process.LogNormal(parameters.SetupMinutes * 60_000, parameters.SetupCv)));
                _setupBudgetMs = _process.Exponential(parameters.SetupEveryHours * 3_600_000);
                return;
            }

            if (_process.Chance(parameters.MinorStopProbability))
            {
                // Like a repair, a stop takes its time even across a break or a shift change (then it is no minor stop).
                var lamp = parameters.MinorStopLamp == MinorStopLamp.Down ? CellActivity.Down : CellActivity.Idle;
                Change(lamp, parameters);
                MaybeGiveReason(lamp);
                _t += Math.Max(1, Duration(_process.Exponential(parameters.MinorStopMeanSeconds * 1000)));
                return;
            }
        }

        Cycle(parameters);
    }

    private void Fail(CalendarSegment segment, in SimulationParameters parameters)
    {
        // Unattended, nobody repairs before the next staffed shift (a week without one: someone comes at once).
        var repairFrom = !segment.Staffed && parameters.FailuresWaitForStaff
            ? _work.NextStaffedWork(_t, _t + StaffSearchMs) ?? _t
            : _t;
        Change(CellActivity.Down, parameters);
        MaybeGiveReason(CellActivity.Down);
        _t = repairFrom + Math.Max(1, Duration(_process.LogNormal(parameters.MttrMinutes * 60_000, parameters.MttrCv)));
        _failureBudgetMs = _process.Exponential(parameters.MtbfHours * 3_600_000);
    }

    private void Cycle(in SimulationParameters parameters)
    {
        var ms = parameters.CycleSeconds * _cycleScale * 1000 * Math.Clamp(1 + (parameters.CycleCv * _process.Normal()), 0.5, 2);
        if (_process.Chance(parameters.SlowCycleProbability))
        {
            ms *= parameters.SlowCycleFactor;
        }

        var length = Math.Max(1, Duration(ms));
        Change(CellActivity.Run, parameters);
        _t += length;
        _queue.Enqueue(new SimulatedEvent(_t, SimulatedEventKind.Cycle, CellActivity.Run, 0));
        if (_process.Chance(parameters.ScrapProbability))
        {
            _queue.Enqueue(new SimulatedEvent(_t, SimulatedEventKind.Scrap, CellActivity.Run, 0));
        }

        _failureBudgetMs -= length;
        _setupBudgetMs -= length;
        _afterCycle = true;
    }

    /// <summary>
    /// A stop with <paramref name="lamp"/> began at <see cref="_t"/>: perhaps an operator gives it a reason, after a delay
    /// that may outlast the stop and its grace time, naming the stop by its start or by the moment given; perhaps a second,
    /// different reason replaces the first.
    /// </summary>
    private void MaybeGiveReason(CellActivity lamp)
    {
        var context = _options.Context;
        if (!_cell.Reasons.Any || !context.Operator || !_operator.Chance(context.ReasonShare))
        {
            return;
        }

        var given = _t;
        var code = -1;
        var reasons = _operator.Chance(context.ReasonReplaceShare) ? 2 : 1;
        for (var i = 0; i < reasons; i++)
        {
            given += Math.Max(1, Duration(_operator.Exponential(context.ReasonDelayMeanSeconds * 1000)));
            code = PickReason(lamp, code);
            var at = _operator.Chance(context.ReasonAtStopShare) ? _t : given;
            Schedule(new SimulatedEvent(given, SimulatedEventKind.Reason, lamp, 0, code, at));
        }
    }

    /// <summary>A reason code by the configured weights, or else among those whose class fits the lamp; not <paramref name="other"/> if another can be.</summary>
    private int PickReason(CellActivity lamp, int other)
    {
        var codes = _cell.Reasons.Codes;
        Span<double> weights = stackalloc double[codes.Count];
        var total = 0.0;
        for (var pass = 0; pass < 2 && total == 0; pass++)
        {
            for (var i = 0; i < codes.Count; i++)
            {
                var fits = _options.Context.ReasonWeights is { } configured ? configured[i]
                    : pass == 1 || (lamp == CellActivity.Down) == (codes[i].Class == ReasonClass.Down) ? 1
                    : 0;
                weights[i] = i == other && codes.Count > 1 ? 0 : fits;
                total += weights[i];
            }
        }

        if (total == 0)
        {
            return other; // the configured weights allow only the reason given already
        }

        var draw = _operator.NextDouble() * total;
        for (var i = 0; i < codes.Count; i++)
        {
            draw -= weights[i];
            if (draw < 0 && weights[i] > 0)
            {
                return i;
            }
        }

        return weights.LastIndexOfAnyExcept(0.0);
    }

    /// <summary>From <see cref="_t"/> the cell makes another article (any at the start): an article event, and cycles at its pace.</summary>
    private void ChangeArticle()
    {
        var articles = _cell.Articles;
        var next = (int)(_operator.NextDouble() * (_article < 0 ? articles.Count : articles.Count - 1));
        if (_article >= 0 && next >= _article)
        {
            next++; // another article than the current one
        }

        _article = next;
        _cycleScale = articles[next].IdealCycleSeconds / _cell.IdealCycleSeconds;
        Schedule(new SimulatedEvent(_t, SimulatedEventKind.Article, CellActivity.Setup, 0, next));
    }

    /// <summary>Adds a context event to <see cref="_pending"/>, after those of earlier or equal time.</summary>
    private void Schedule(in SimulatedEvent e)
    {
        var at = _pending.Count;
        while (at > 0 && _pending[at - 1].TimestampMs > e.TimestampMs)
        {
            at--;
        }

        _pending.Insert(at, e);
    }

    private void Change(CellActivity activity, in SimulationParameters parameters)
    {
        if (_started && activity == _activity)
        {
            return;
        }

        _started = true;
        _activity = activity;
        _queue.Enqueue(new SimulatedEvent(_t, SimulatedEventKind.Activity, activity, 0));
        _queue.Enqueue(new SimulatedEvent(_t, SimulatedEventKind.Power, activity, PowerOf(activity, parameters)));
    }

    /// <summary>A noisy reading of the activity's power, in whole watts (so the trace holds it exactly).</summary>
    private double PowerOf(CellActivity activity, in SimulationParameters parameters)
    {
        var level = activity switch
        {
            CellActivity.Off => parameters.PowerOffKw,
            CellActivity.Idle => parameters.PowerIdleKw,
            CellActivity.Run => parameters.PowerRunKw,
            CellActivity.Down => parameters.PowerDownKw,
            _ => parameters.PowerSetupKw,
        };

        var noisy = level * (1 + (parameters.PowerNoise * _noise.Normal()));
        return Math.Round(Math.Max(0, noisy) * 1000) / 1000;
    }

    private long NextSampleAfter(long ms)
    {
        var period = Math.Max(1000, (long)Math.Round(_options.At(ms).PowerSampleSeconds * 1000));
        return ((ms / period) + 1) * period;
    }

    private static long Duration(double ms) => ms >= MaxDurationMs ? MaxDurationMs : (long)Math.Round(ms);
}
