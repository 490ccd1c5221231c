using System.Runtime.CompilerServices;

namespace EdgeGateway.Core.Kpi;

/// <summary>The time buckets of the KPI model; every millisecond of a window is in exactly one.</summary>
public enum Bucket
{
    /// <summary>Producing (ISO 22400 APT).</summary>
    Run,

    /// <summary>Changeover / setup (ASUT).</summary>
    Setup,

    /// <summary>Unplanned stop inside planned time (ADET).</summary>
    Down,

    /// <summary>Available but not producing, inside planned time (ADOT).</summary>
    Idle,

    /// <summary>Not busy during a break.</summary>
    PlannedStop,

    /// <summary>Not busy outside every shift.</summary>
    UnplannedTime,

    /// <summary>No valid signal.</summary>
    Unknown,
}

/// <summary>Milliseconds per <see cref="Bucket"/>, stored inline.</summary>
[InlineArray(BucketCount)]
public struct BucketDurations
{
    /// <summary>Number of buckets.</summary>
    public const int BucketCount = 7;

    private long _element;
}
