using EdgeGateway.Core.Kpi;

namespace EdgeGateway.Core.Configuration;

/// <summary>
/// What a reason does with a stop's time (src/docs/kpi-model.md, "Stops and reasons"): the ISO 22400 bucket the stop's
/// planned production time is booked to once the stop has this reason.
/// </summary>
public enum ReasonClass
{
    /// <summary>Unplanned downtime (ADET): a failure, counted for MTBF and MTTR (e.g. a breakdown).</summary>
    Down,

    /// <summary>Operational delay (ADOT): the machine could run but is not used (waiting for material, no order).</summary>
    Idle,

    /// <summary>Planned downtime (PDOT): taken out of the planned busy time (planned maintenance, a meeting).</summary>
    PlannedStop,

    /// <summary>Setup (ASUT): a changeover, a loss for OEE but not for NEE.</summary>
    Setup,
}

/// <summary>One downtime reason of the site's taxonomy: a code, a name people read, and its class.</summary>
public sealed record ReasonConfig(string Code, string Name, ReasonClass Class)
{
    /// <summary>The bucket a reasoned stop's planned production time goes to.</summary>
    public Bucket Bucket => Class switch
    {
        ReasonClass.Down => Bucket.Down,
        ReasonClass.Idle => Bucket.Idle,
        ReasonClass.PlannedStop => Bucket.PlannedStop,
        _ => Bucket.Setup,
    };
}

/// <summary>
/// The site's downtime reasons (section <c>EdgeGateway.StopReasons</c>) and the rules of giving them: how long after a stop
/// ended it may still be given, and from which length a stop without one counts as unassigned.
/// </summary>
public sealed record StopReasons(IReadOnlyList<ReasonConfig> Codes, double GraceSeconds, double UnassignedAfterSeconds)
{
    /// <summary>At most this many codes: each has its seconds in every window (<see cref="Kpi.ReasonDurations"/>).</summary>
    public const int MaxCodes = ReasonDurations.Capacity;

    /// <summary>No reasons configured: stops are booked by their signals alone, as before reasons existed.</summary>
    public static readonly StopReasons None = new([], 0, 0);

    /// <summary>Whether any reason can be given.</summary>
    public bool Any => Codes.Count > 0;

    /// <summary>The index of <paramref name="code"/>, or -1.</summary>
    public int IndexOf(string code)
    {
        for (var i = 0; i < Codes.Count; i++)
        {
            if (Codes[i].Code == code)
            {
                return i;
            }
        }

        return -1;
    }
}
