using System.Buffers.Binary;

namespace EdgeGateway.Ingest.Tests.Integration.Faults;

/// <summary>
/// Reads the records a stopped agent's outbox files hold, acknowledged or not, straight from the segment files in the
/// documented frame format (src/docs/agent.md, "Outbox": magic, length, sequence, appended at, topic, payload, CRC-32C),
/// without the agent's code. A segment file is deleted only once all its records were acknowledged and it is no longer
/// the one appended to, so reading after every stop sees every record appended since the previous read, as long as one
/// run appends less than a segment (<c>Outbox:SegmentBytes</c>, 8 MiB: about 9 000 records).
/// </summary>
internal static class OutboxFiles
{
    private const int HeaderBytes = 26;
    private const int Overhead = HeaderBytes + 4;
    private static readonly byte[] s_magic = [0xE6, 0x0B, 0x5E, 0xC7];

    /// <summary>
    /// Every whole frame in the folder's segment files (magic and length checked; not the CRC: a killed agent's frame
    /// is one <c>pwrite</c>, there or cut short at the end), payload by sequence number.
    /// </summary>
    public static Dictionary<long, byte[]> Read(string directory)
    {
        var records = new Dictionary<long, byte[]>();
        foreach (var file in Directory.GetFiles(directory, "*.seg").Order(StringComparer.Ordinal))
        {
            var bytes = File.ReadAllBytes(file);
            var at = 0;
            while (at + Overhead <= bytes.Length)
            {
                var frame = bytes.AsSpan(at);
                var length = BinaryPrimitives.ReadInt32LittleEndian(frame[4..]);
                if (!frame[..4].SequenceEqual(s_magic) || length < Overhead || length > frame.Length)
                {
                    break; // a tail cut short (the agent cuts it off at its next start) or a gap: nothing whole follows here
                }

                var sequence = BinaryPrimitives.ReadInt64LittleEndian(frame[8..]);
                var topicLength = BinaryPrimitives.ReadUInt16LittleEndian(frame[24..]);
                records[sequence] = frame[(HeaderBytes + topicLength)..(length - 4)].ToArray();
                at += length;
            }
        }

        return records;
    }
}
