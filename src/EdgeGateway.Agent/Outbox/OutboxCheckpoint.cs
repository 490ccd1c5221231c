using System.Buffers.Binary;
using EdgeGateway.Hosting;

namespace EdgeGateway.Agent.Outbox;

/// <summary>
/// The small state file beside the segments, replaced atomically (temp file, fsync, rename, fsync of the folder):
/// everything ≤ <see cref="Floor"/> is acknowledged or dropped; <see cref="NextSequence"/> keeps sequences from
/// repeating once the segments are gone; all records below it were on disk when it was written.
/// </summary>
/// <param name="Floor">Every sequence ≤ this has left the outbox (acknowledged or dropped).</param>
/// <param name="NextSequence">The next sequence at the time of writing.</param>
/// <param name="Dropped">Records dropped for space or age, since the outbox was created.</param>
/// <param name="Corrupt">Records lost to corruption, since the outbox was created.</param>
/// <param name="CorruptCountedThrough">Missing sequences up to this one are already in <see cref="Corrupt"/>.</param>
internal readonly record struct OutboxCheckpoint(long Floor, long NextSequence, long Dropped, long Corrupt, long CorruptCountedThrough)
{
    /// <summary>File name of the checkpoint.</summary>
    public const string FileName = "checkpoint";

    /// <summary>File name of the checkpoint being written.</summary>
    public const string TempFileName = "checkpoint.tmp";

    private const uint Magic = 0x4B43_4745; // "EGCK"
    private const int Version = 1;
    private const int Bytes = 4 + 4 + (5 * 8) + 4;

    /// <summary>Reads the checkpoint of <paramref name="directory"/>; false when there is none or it fails its checksum.</summary>
    public static bool TryRead(string directory, out OutboxCheckpoint checkpoint, out bool exists)
    {
        checkpoint = default;
        var path = Path.Combine(directory, FileName);
        exists = File.Exists(path);
        if (!exists)
        {
            return false;
        }

        Span<byte> data = stackalloc byte[Bytes + 1];
        int read;
        using (var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read))
        {
            read = RandomAccess.Read(handle, data, 0);
        }

        if (read != Bytes
            || BinaryPrimitives.ReadUInt32LittleEndian(data) != Magic
            || BinaryPrimitives.ReadInt32LittleEndian(data[4..]) != Version
            || BinaryPrimitives.ReadUInt32LittleEndian(data[(Bytes - 4)..]) != OutboxFrame.Crc32C(data[..(Bytes - 4)]))
        {
            return false;
        }

        checkpoint = new OutboxCheckpoint(
            BinaryPrimitives.ReadInt64LittleEndian(data[8..]),
            BinaryPrimitives.ReadInt64LittleEndian(data[16..]),
            BinaryPrimitives.ReadInt64LittleEndian(data[24..]),
            BinaryPrimitives.ReadInt64LittleEndian(data[32..]),
            BinaryPrimitives.ReadInt64LittleEndian(data[40..]));
        return true;
    }

    /// <summary>Replaces the checkpoint of <paramref name="directory"/> with this one, durably.</summary>
    public void Write(string directory)
    {
        Span<byte> data = stackalloc byte[Bytes];
        BinaryPrimitives.WriteUInt32LittleEndian(data, Magic);
        BinaryPrimitives.WriteInt32LittleEndian(data[4..], Version);
        BinaryPrimitives.WriteInt64LittleEndian(data[8..], Floor);
        BinaryPrimitives.WriteInt64LittleEndian(data[16..], NextSequence);
        BinaryPrimitives.WriteInt64LittleEndian(data[24..], Dropped);
        BinaryPrimitives.WriteInt64LittleEndian(data[32..], Corrupt);
        BinaryPrimitives.WriteInt64LittleEndian(data[40..], CorruptCountedThrough);
        BinaryPrimitives.WriteUInt32LittleEndian(data[(Bytes - 4)..], OutboxFrame.Crc32C(data[..(Bytes - 4)]));

        var temp = Path.Combine(directory, TempFileName);
        var path = Path.Combine(directory, FileName);
        try
        {
            using (var handle = File.OpenHandle(temp, FileMode.Create, FileAccess.Write))
            {
                RandomAccess.Write(handle, data, 0);
                RandomAccess.FlushToDisk(handle);
            }
        }
        catch (IOException e) when (StorageErrors.IsDiskFull(e) && File.Exists(path))
        {
            // A full disk has no block for a new file. Without the checkpoint acknowledgements would never reach the disk,
            // no segment could go, and every restart would send everything again: so the old checkpoint is overwritten in
            // place, which needs no new block. Not atomic, but 52 bytes at the start of one page; a torn write fails the
            // checksum and costs what an unreadable checkpoint costs (everything held is sent again), never a record.
            File.Delete(temp);
            using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Write);
            RandomAccess.Write(handle, data, 0);
            RandomAccess.FlushToDisk(handle);
            return;
        }

        File.Move(temp, path, overwrite: true);
        DirectorySync.Flush(directory);
    }
}
