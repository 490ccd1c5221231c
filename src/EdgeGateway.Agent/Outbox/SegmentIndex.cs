using System.Buffers.Binary;
using EdgeGateway.Hosting;

namespace EdgeGateway.Agent.Outbox;

/// <summary>
/// What a sealed segment held when it was closed: one run of sequences, its length, and where its last frame is and
/// that frame's checksum, so that opening can check the file still ends as it did without reading the rest of it.
/// </summary>
/// <param name="First">The first sequence it holds.</param>
/// <param name="Last">The last sequence it holds.</param>
/// <param name="Records">How many records it holds: <paramref name="Last"/> − <paramref name="First"/> + 1 (one run).</param>
/// <param name="Length">Bytes of the file.</param>
/// <param name="LastFrameOffset">Offset of its last frame, which ends at <paramref name="Length"/>.</param>
/// <param name="LastFrameCrc">The CRC-32C field of that frame.</param>
internal readonly record struct SegmentSummary(long First, long Last, long Records, long Length, long LastFrameOffset, uint LastFrameCrc);

/// <summary>
/// The file <c>index</c> beside the segments: a summary of every sealed segment, replaced atomically (temp file,
/// fsync, rename, fsync of the folder) whenever a segment is sealed or stops being vouched for. Opening trusts a
/// segment it lists once the file's length and last frame match, instead of reading the whole file; the segment is
/// read in full when its records are first used. Without the file (an outbox of an earlier version, a damaged
/// index) every segment is read at open, as before.
/// </summary>
internal static class SegmentIndex
{
    /// <summary>File name of the index.</summary>
    public const string FileName = "index";

    /// <summary>File name of the index being written.</summary>
    public const string TempFileName = "index.tmp";

    /// <summary>Bytes of one entry.</summary>
    public const int EntryBytes = (5 * 8) + 4;

    /// <summary>Bytes before the entries: magic, version, count.</summary>
    public const int HeaderBytes = 4 + 4 + 4;

    private const uint Magic = 0x4958_4745; // "EGXI"
    private const int Version = 1;

    /// <summary>Reads the index of <paramref name="directory"/>, by first sequence; false when there is none or it fails its checksum.</summary>
    public static bool TryRead(string directory, out Dictionary<long, SegmentSummary> summaries)
    {
        summaries = [];
        var path = Path.Combine(directory, FileName);
        if (!File.Exists(path))
        {
            return false;
        }

        var data = File.ReadAllBytes(path);
        if (data.Length < HeaderBytes + 4
            || BinaryPrimitives.ReadUInt32LittleEndian(data) != Magic
            || BinaryPrimitives.ReadInt32LittleEndian(data.AsSpan(4)) != Version
            || BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan(data.Length - 4)) != OutboxFrame.Crc32C(data.AsSpan(0, data.Length - 4)))
        {
            return false;
        }

        var count = BinaryPrimitives.ReadInt32LittleEndian(data.AsSpan(8));
        if (count < 0 || data.Length != HeaderBytes + ((long)count * EntryBytes) + 4)
        {
            return false;
        }

        for (var i = 0; i < count; i++)
        {
            var entry = data.AsSpan(HeaderBytes + (i * EntryBytes), EntryBytes);
            var summary = new SegmentSummary(
                BinaryPrimitives.ReadInt64LittleEndian(entry),
                BinaryPrimitives.ReadInt64LittleEndian(entry[8..]),
                BinaryPrimitives.ReadInt64LittleEndian(entry[16..]),
                BinaryPrimitives.ReadInt64LittleEndian(entry[24..]),
                BinaryPrimitives.ReadInt64LittleEndian(entry[32..]),
                BinaryPrimitives.ReadUInt32LittleEndian(entry[40..]));
            summaries[summary.First] = summary;
        }

        return true;
    }

    /// <summary>Replaces the index of <paramref name="directory"/> with <paramref name="summaries"/>, durably.</summary>
    public static void Write(string directory, IReadOnlyList<SegmentSummary> summaries)
    {
        var data = new byte[HeaderBytes + (summaries.Count * EntryBytes) + 4];
        BinaryPrimitives.WriteUInt32LittleEndian(data, Magic);
        BinaryPrimitives.WriteInt32LittleEndian(data.AsSpan(4), Version);
        BinaryPrimitives.WriteInt32LittleEndian(data.AsSpan(8), summaries.Count);
        for (var i = 0; i < summaries.Count; i++)
        {
            var entry = data.AsSpan(HeaderBytes + (i * EntryBytes), EntryBytes);
            var summary = summaries[i];
            BinaryPrimitives.WriteInt64LittleEndian(entry, summary.First);
            BinaryPrimitives.WriteInt64LittleEndian(entry[8..], summary.Last);
            BinaryPrimitives.WriteInt64LittleEndian(entry[16..], summary.Records);
            BinaryPrimitives.WriteInt64LittleEndian(entry[24..], summary.Length);
            BinaryPrimitives.WriteInt64LittleEndian(entry[32..], summary.LastFrameOffset);
            BinaryPrimitives.WriteUInt32LittleEndian(entry[40..], summary.LastFrameCrc);
        }

        BinaryPrimitives.WriteUInt32LittleEndian(data.AsSpan(data.Length - 4), OutboxFrame.Crc32C(data.AsSpan(0, data.Length - 4)));
        DirectorySync.Replace(directory, Path.Combine(directory, TempFileName), Path.Combine(directory, FileName), data);
    }
}
