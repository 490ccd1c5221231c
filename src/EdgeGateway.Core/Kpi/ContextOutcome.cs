namespace EdgeGateway.Core.Kpi;

/// <summary>What the engine did with a context event: done, or why not (said to whoever sent it).</summary>
public enum ContextOutcome
{
    /// <summary>A sensor event: nothing to say.</summary>
    None,

    /// <summary>Taken.</summary>
    Done,

    /// <summary>The stop had a reason; this one replaces it.</summary>
    Replaced,

    /// <summary>The machine is not stopped in planned production time and no stop ended within the grace time.</summary>
    NoStop,

    /// <summary>The instant named is before the stop that may still get a reason began.</summary>
    BeforeTheStop,

    /// <summary>The instant named is after the engine's time.</summary>
    InTheFuture,

    /// <summary>The calendar entry ends before the engine's time: time already booked is never booked again.</summary>
    InThePast,

    /// <summary>The extra shift overlaps a shift of some cell.</summary>
    Overlaps,

    /// <summary>
    /// A closure or extra shift taken by the engine that the agent could not save: it holds while the agent runs and
    /// is saved with the next one that can be written, else it is lost when the agent stops.
    /// </summary>
    NotSaved,
}

/// <summary>Helpers on <see cref="ContextOutcome"/>.</summary>
public static class ContextOutcomes
{
    /// <summary>Whether the event changed something.</summary>
    public static bool Succeeded(this ContextOutcome outcome) => outcome is ContextOutcome.Done or ContextOutcome.Replaced or ContextOutcome.NotSaved;

    /// <summary>The outcome in words, for a reply or a log line.</summary>
    public static string Describe(this ContextOutcome outcome) => outcome switch
    {
        ContextOutcome.Done => "done",
        ContextOutcome.Replaced => "done: it replaces the reason the stop had",
        ContextOutcome.NoStop => "no stop to give a reason to: the machine is not stopped in planned production time, and no stop ended within the grace time",
        ContextOutcome.BeforeTheStop => "the time given is before the stop that can still get a reason began",
        ContextOutcome.InTheFuture => "the time given is in the future",
        ContextOutcome.InThePast => "it ends before now: time already booked is not booked again",
        ContextOutcome.Overlaps => "it overlaps a shift",
        ContextOutcome.NotSaved => "taken, but not saved: the agent cannot write calendar.json in its outbox folder (its log says why); it holds until the agent stops unless a later closure or extra shift can be saved",
        _ => "nothing to do",
    };
}
