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

/// <summary>Milliseconds of stop time per reason code of <see cref="Configuration.StopReasons"/>, stored inline.</summary>
[InlineArray(Capacity)]
public struct ReasonDurations
{
    /// <summary>Most reason codes a site may configure.</summary>
    public const int Capacity = 32;

    private long _element;
}

/// <summary>A count per article slot: slot 0 is "no article set", slot k the cell's k-th article (config order).</summary>
[InlineArray(Capacity)]
public struct ArticleCounts
{
    /// <summary>Slots: one more than the most articles a cell may configure.</summary>
    public const int Capacity = 33;

    private long _element;
}
