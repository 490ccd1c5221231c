using System.Buffers.Binary;
using System.Numerics;
using System.Text;

namespace EdgeGateway.Agent.Outbox;

/// <summary>How a candidate frame at some offset checked out.</summary>
internal enum FrameCheck
{
    /// <summary>A whole frame with a matching checksum.</summary>
    Valid,

    /// <summary>Plausible so far, but more bytes are needed to decide (<see cref="FrameHeader.Length"/> says how many).</summary>
    Incomplete,

    /// <summary>Not a frame: wrong magic, impossible length or checksum mismatch.</summary>
    Invalid,
}

/// <summary>The fixed fields of one frame.</summary>
internal readonly record struct FrameHeader(int Length, long Sequence, long AppendedAtMs, int TopicLength)
{
    /// <summary>Offset of the payload inside the frame.</summary>
    public int PayloadOffset => OutboxFrame.HeaderBytes + TopicLength;

    /// <summary>Bytes of the payload.</summary>
    public int PayloadLength => Length - OutboxFrame.Overhead - TopicLength;
}

/// <summary>
/// The on-disk framing of one record (src/docs/agent.md, "Outbox"), little-endian:
/// magic u32 · length u32 (whole frame) · sequence i64 · appended-at Unix ms i64 · topic length u16 · topic UTF-8 ·
/// payload · CRC-32C u32 of every byte before it.
/// </summary>
internal static class OutboxFrame
{
    /// <summary>Bytes before the topic.</summary>
    public const int HeaderBytes = 26;

    /// <summary>Bytes of framing around topic and payload.</summary>
    public const int Overhead = HeaderBytes + 4;

    /// <summary>Largest frame the format admits; a length field beyond it is corruption.</summary>
    public const int MaxFrameBytes = 16 * 1024 * 1024;

    /// <summary>
    /// Not ASCII, so JSON payloads rarely contain it and the resync after corruption meets few false candidates
    /// (each is rejected by its checksum anyway).
    /// </summary>
    public const uint Magic = 0xC75E_0BE6;

    private const int LengthOffset = 4;
    private const int SequenceOffset = 8;
    private const int AppendedAtOffset = 16;
    private const int TopicLengthOffset = 24;

    /// <summary>The magic as it appears in the file.</summary>
    public static ReadOnlySpan<byte> MagicBytes => [0xE6, 0x0B, 0x5E, 0xC7];

    /// <summary>Writes a frame into <paramref name="destination"/> (exactly its length) and returns that length.</summary>
    public static int Write(Span<byte> destination, long sequence, long appendedAtMs, string topic, int topicBytes, ReadOnlySpan<byte> payload)
    {
        var length = Overhead + topicBytes + payload.Length;
        var frame = destination[..length];
        BinaryPrimitives.WriteUInt32LittleEndian(frame, Magic);
        BinaryPrimitives.WriteInt32LittleEndian(frame[LengthOffset..], length);
        BinaryPrimitives.WriteInt64LittleEndian(frame[SequenceOffset..], sequence);
        BinaryPrimitives.WriteInt64LittleEndian(frame[AppendedAtOffset..], appendedAtMs);
        BinaryPrimitives.WriteUInt16LittleEndian(frame[TopicLengthOffset..], (ushort)topicBytes);
        Encoding.UTF8.GetBytes(topic, frame.Slice(HeaderBytes, topicBytes));
        payload.CopyTo(frame[(HeaderBytes + topicBytes)..]);
        var crcOffset = length - 4;
        BinaryPrimitives.WriteUInt32LittleEndian(frame[crcOffset..], Crc32C(frame[..crcOffset]));
        return length;
    }

    /// <summary>Checks the bytes at the start of <paramref name="span"/> for a frame.</summary>
    public static FrameCheck Check(ReadOnlySpan<byte> span, out FrameHeader header)
    {
        header = default;
        if (span.Length < LengthOffset)
        {
            return FrameCheck.Incomplete;
        }

        if (BinaryPrimitives.ReadUInt32LittleEndian(span) != Magic)
        {
            return FrameCheck.Invalid;
        }

        if (span.Length < SequenceOffset)
        {
            header = new FrameHeader(SequenceOffset, 0, 0, 0);
            return FrameCheck.Incomplete;
        }

        var length = BinaryPrimitives.ReadInt32LittleEndian(span[LengthOffset..]);
        if (length is < Overhead or > MaxFrameBytes)
        {
            return FrameCheck.Invalid;
        }

        if (span.Length < length)
        {
            header = new FrameHeader(length, 0, 0, 0);
            return FrameCheck.Incomplete;
        }

        var topicLength = BinaryPrimitives.ReadUInt16LittleEndian(span[TopicLengthOffset..]);
        var crcOffset = length - 4;
        if (HeaderBytes + topicLength > crcOffset
            || BinaryPrimitives.ReadUInt32LittleEndian(span[crcOffset..]) != Crc32C(span[..crcOffset]))
        {
            return FrameCheck.Invalid;
        }

        header = new FrameHeader(
            length,
            BinaryPrimitives.ReadInt64LittleEndian(span[SequenceOffset..]),
            BinaryPrimitives.ReadInt64LittleEndian(span[AppendedAtOffset..]),
            topicLength);
        return FrameCheck.Valid;
    }

    /// <summary>CRC-32C (Castagnoli), as in iSCSI and ext4: hardware instructions where the CPU has them (x64 SSE4.2, Arm64 CRC32).</summary>
    public static uint Crc32C(ReadOnlySpan<byte> data)
    {
        var crc = uint.MaxValue;
        while (data.Length >= sizeof(ulong))
        {
            crc = BitOperations.Crc32C(crc, BinaryPrimitives.ReadUInt64LittleEndian(data));
            data = data[sizeof(ulong)..];
        }

        foreach (var b in data)
        {
            crc = BitOperations.Crc32C(crc, b);
        }

        return ~crc;
    }
}
