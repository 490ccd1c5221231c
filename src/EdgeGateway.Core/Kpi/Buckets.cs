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
/// <remarks>
/// Every window holds one, and records and checkpoints copy windows by value: the capacity keeps a window under 1 KB.
/// (With 32 codes and 64-bit article counts, about 1.3 KB, the JIT-compiled arm64 CLI under qemu read a
/// <c>List&lt;WindowRecord&gt;</c> wrongly — 30 extra records, or an access violation; deploy/debian/cli-check.sh.)
/// </remarks>
[InlineArray(Capacity)]
public struct ReasonDurations
{
    /// <summary>Most reason codes a site may configure.</summary>
    public const int Capacity = 16;

    private long _element;
}

/// <summary>
/// A count per article slot: slot 0 is "no article set", slot k the cell's k-th article (config order). 32-bit: a window
/// of 68 years at a cycle a second still fits, and it keeps a window small (see <see cref="ReasonDurations"/>).
/// </summary>
[InlineArray(Capacity)]
public struct ArticleCounts
{
    /// <summary>Slots: one more than the most articles a cell may configure.</summary>
    public const int Capacity = 33;

    private int _element;
}
