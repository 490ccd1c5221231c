using System.Buffers;
using Microsoft.Win32.SafeHandles;

namespace EdgeGateway.Agent.Outbox;

/// <summary>
/// Walks the valid frames of one segment file through a read window, resynchronising on the next magic after
/// bytes that are not a frame. Used by recovery, by the head search and by <see cref="SegmentOutbox.Read"/>.
/// </summary>
/// <param name="shareable">
/// True: every refill gets a fresh array, so memory handed out from an earlier window stays valid (records returned
/// to the publisher point into it). False: one pooled array is reused.
/// </param>
internal sealed class SegmentScanner(bool shareable) : IDisposable
{
    /// <summary>Default size of one read from the file.</summary>
    public const int DefaultChunkBytes = 64 * 1024;

    private byte[] _buffer = [];
    private SafeFileHandle? _handle;
    private long _end;
    private long _bufferStart;
    private int _bufferCount;

    /// <summary>Bytes asked of the file per refill (at least one whole frame is always read).</summary>
    public int ChunkBytes { get; set; } = DefaultChunkBytes;

    /// <summary>Bytes read from files so far, all scans together (what opening the outbox costs, for tests and benchmarks).</summary>
    public long BytesRead { get; private set; }

    /// <summary>The current window's array; valid for the frame last returned.</summary>
    public byte[] Buffer => _buffer;

    /// <summary>Scans <paramref name="handle"/> up to <paramref name="end"/> (the segment's valid length).</summary>
    public void Reset(SafeFileHandle handle, long end)
    {
        _handle = handle;
        _end = end;
        _bufferStart = 0;
        _bufferCount = 0;
    }

    /// <summary>Index in <see cref="Buffer"/> of the byte at file offset <paramref name="offset"/> of the current window.</summary>
    public int IndexOf(long offset) => (int)(offset - _bufferStart);

    /// <summary>
    /// Finds the first valid frame at or after <paramref name="position"/>. <paramref name="skippedFrom"/> is the
    /// offset where bytes that are not frames began before it (or before the end, when none is found), else -1.
    /// </summary>
    public bool TryNext(long position, out FrameHeader header, out long frameOffset, out long skippedFrom)
    {
        skippedFrom = -1;
        var pos = position;
        while (pos < _end)
        {
            var window = Window(pos, OutboxFrame.HeaderBytes);
            if (window.IsEmpty)
            {
                skippedFrom = skippedFrom < 0 ? pos : skippedFrom;
                break; // the file ends before its recorded length
            }

            var check = OutboxFrame.Check(window, out header);
            if (check == FrameCheck.Incomplete)
            {
                if (header.Length > 0 && pos + header.Length <= _end && window.Length < header.Length)
                {
                    window = Window(pos, header.Length);
                    check = OutboxFrame.Check(window, out header);
                }
                else if (pos + Math.Max(header.Length, OutboxFrame.Overhead) > _end)
                {
                    check = FrameCheck.Invalid; // cut off by the end of the segment: a torn write
                }
            }

            if (check == FrameCheck.Valid)
            {
                frameOffset = pos;
                return true;
            }

            if (skippedFrom < 0)
            {
                skippedFrom = pos;
            }

            var next = window.Length > 1 ? window[1..].IndexOf(OutboxFrame.MagicBytes) : -1;
            pos = next >= 0
                ? pos + 1 + next
                : Math.Max(pos + 1, pos + window.Length - (OutboxFrame.MagicBytes.Length - 1));
        }

        header = default;
        frameOffset = _end;
        return false;
    }

    /// <summary>Releases the pooled buffer.</summary>
    public void Dispose()
    {
        if (!shareable && _buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
        }

        _buffer = [];
        _handle = null;
    }

    /// <summary>The bytes from <paramref name="pos"/> to the end of the window, which holds at least <paramref name="minBytes"/> (or up to the end).</summary>
    private ReadOnlySpan<byte> Window(long pos, int minBytes)
    {
        var available = _end - pos;
        var wanted = (int)Math.Min(minBytes, available);
        if (pos >= _bufferStart && pos + wanted <= _bufferStart + _bufferCount)
        {
            return _buffer.AsSpan((int)(pos - _bufferStart), (int)(_bufferStart + _bufferCount - pos));
        }

        var size = (int)Math.Min(Math.Max(ChunkBytes, minBytes), available);
        if (shareable || _buffer.Length < size)
        {
            if (!shareable && _buffer.Length > 0)
            {
                ArrayPool<byte>.Shared.Return(_buffer);
            }

            _buffer = shareable ? new byte[size] : ArrayPool<byte>.Shared.Rent(size);
        }

        var read = 0;
        while (read < size)
        {
            var n = RandomAccess.Read(_handle!, _buffer.AsSpan(read, size - read), pos + read);
            if (n == 0)
            {
                break; // the file is shorter than its recorded length: treat the rest as missing
            }

            read += n;
        }

        BytesRead += read;
        _bufferStart = pos;
        _bufferCount = read;
        return _buffer.AsSpan(0, read);
    }
}
