using System.Globalization;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace EdgeGateway.Agent.Outbox;

/// <summary>A run of consecutive sequence numbers held by a segment.</summary>
internal readonly record struct SequenceRun(long First, long Last);

/// <summary>
/// What the outbox knows of one segment file without reading it: its valid length and which sequences it holds,
/// as runs (one run, unless corruption cut holes into it), so depth and drops are counted exactly.
/// </summary>
internal sealed class OutboxSegment(long firstSequence, string path)
{
    /// <summary>Extension of segment files.</summary>
    public const string Extension = ".seg";

    private readonly List<SequenceRun> _runs = [];

    /// <summary>The sequence the file is named by: the first one appended to it.</summary>
    public long FirstSequence { get; } = firstSequence;

    /// <summary>Full path of the file.</summary>
    public string Path { get; } = path;

    /// <summary>Bytes of valid content; anything after it is ignored (and cut off when the segment is closed).</summary>
    public long Length { get; set; }

    /// <summary>The open handle while this is the segment being appended to.</summary>
    public SafeFileHandle? Handle { get; set; }

    /// <summary>Appended-at of the newest record (Unix ms).</summary>
    public long LastAppendedAtMs { get; set; }

    /// <summary>False once the file is deleted (stale cursors compare against it).</summary>
    public bool Live { get; set; } = true;

    /// <summary>Offset of the last valid frame (it ends at <see cref="Length"/> once the segment is sealed).</summary>
    public long LastFrameOffset { get; set; }

    /// <summary>The CRC-32C field of the last valid frame.</summary>
    public uint LastFrameCrc { get; set; }

    /// <summary>What the index says of the file: set once it is sealed (or found whole at open), null while appended to or when damaged.</summary>
    public SegmentSummary? Summary { get; set; }

    /// <summary>
    /// True while its records are known from the index only: nothing of it was read but its last frame. It is read
    /// in full before any of its records is used (<see cref="SegmentOutbox"/>, "Sealing").
    /// </summary>
    public bool Unverified { get; set; }

    /// <summary>True when it holds no valid record.</summary>
    public bool IsEmpty => _runs.Count == 0;

    /// <summary>The newest sequence held (<see cref="FirstSequence"/> − 1 when empty).</summary>
    public long LastSequence => _runs.Count == 0 ? FirstSequence - 1 : _runs[^1].Last;

    /// <summary>The runs, oldest first.</summary>
    public ReadOnlySpan<SequenceRun> Runs => CollectionsMarshal.AsSpan(_runs);

    /// <summary>The file name of the segment starting at <paramref name="sequence"/>: 20 digits, so names sort as numbers.</summary>
    public static string FileName(long sequence) => sequence.ToString("D20", CultureInfo.InvariantCulture) + Extension;

    /// <summary>Parses a segment file name back into its first sequence.</summary>
    public static bool TryParseFileName(string fileName, out long sequence)
    {
        sequence = 0;
        return fileName.Length == 20 + Extension.Length
            && fileName.EndsWith(Extension, StringComparison.Ordinal)
            && long.TryParse(fileName.AsSpan(0, 20), NumberStyles.None, CultureInfo.InvariantCulture, out sequence)
            && sequence > 0;
    }

    /// <summary>Records that <paramref name="sequence"/> (greater than any held) is in the file.</summary>
    public void Add(long sequence) => AddRun(sequence, sequence);

    /// <summary>Records that <paramref name="first"/>..<paramref name="last"/> (all greater than any held) are in the file.</summary>
    public void AddRun(long first, long last)
    {
        if (_runs.Count > 0 && _runs[^1].Last + 1 == first)
        {
            _runs[^1] = _runs[^1] with { Last = last };
        }
        else
        {
            _runs.Add(new SequenceRun(first, last));
        }
    }

    /// <summary>Forgets which sequences it holds (before reading the file again).</summary>
    public void ClearRuns() => _runs.Clear();

    /// <summary>The summary of the file as it is now, when it is one run of whole frames; else null (it will be read in full at open).</summary>
    public SegmentSummary? Summarize() =>
        _runs.Count == 1 && Length > 0
            ? new SegmentSummary(_runs[0].First, _runs[0].Last, _runs[0].Last - _runs[0].First + 1, Length, LastFrameOffset, LastFrameCrc)
            : null;

    /// <summary>How many held sequences lie in (<paramref name="after"/>, <paramref name="through"/>].</summary>
    public long CountBetween(long after, long through)
    {
        long count = 0;
        foreach (var run in Runs)
        {
            var first = Math.Max(run.First, after + 1);
            var last = Math.Min(run.Last, through);
            if (last >= first)
            {
                count += last - first + 1;
            }
        }

        return count;
    }
}
