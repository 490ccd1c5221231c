using System.Buffers;
using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Text;
using EdgeGateway.Hosting;

namespace EdgeGateway.Agent.Outbox;

/// <summary>Appending: a record framed and stored under the next sequence, and what a disk that refuses it costs.</summary>
public sealed partial class SegmentOutbox
{
    /// <inheritdoc/>
    /// <exception cref="ArgumentException">The topic is longer than 65535 UTF-8 bytes, or the record larger than
    /// 16 MiB or half of <see cref="OutboxOptions.MaxBytes"/>.</exception>
    /// <exception cref="OutboxUnavailableException">The disk refused the write for good (read-only, I/O error); nothing
    /// was stored and the sequence is not used. A full disk does not throw: the record is dropped and counted.</exception>
    public void Append(string topic, ReadOnlySpan<byte> payload)
    {
        ArgumentNullException.ThrowIfNull(topic);
        var topicBytes = Encoding.UTF8.GetByteCount(topic);
        if (topicBytes > ushort.MaxValue)
        {
            ThrowTopicTooLong(topicBytes, nameof(topic));
        }

        var frameLength = (long)OutboxFrame.Overhead + topicBytes + payload.Length;
        if (frameLength > _maxFrameBytes)
        {
            ThrowRecordTooLarge(frameLength, _maxFrameBytes, nameof(payload));
        }

        var length = (int)frameLength;
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var nowMs = NowMs();
            try
            {
                Store(topic, topicBytes, payload, length, nowMs);
            }
            catch (Exception e) when (StorageErrors.IsDiskFull(e))
            {
                DropUnstored(e);
                return;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw Unavailable(e);
            }

            if (_droppedWhileFull >= 0 && _time.GetElapsedTime(_lastDropTimestamp) >= s_fullDiskQuiet)
            {
                Log.DiskSpaceReturned(_logger, _directory, _droppedWhileFull, _dropped);
                _droppedWhileFull = -1;
            }

            if (_waiter is { } waiter)
            {
                _waiter = null;
                waiter.TrySetResult();
            }
        }
    }

    /// <summary>Writes one frame with the next sequence (the caller holds the lock and handles the disk's refusals).</summary>
    private void Store(string topic, int topicBytes, ReadOnlySpan<byte> payload, int length, long nowMs)
    {
        ExpireIfDue(nowMs);
        MakeRoom(length);
        if (_active is null || (_active.Length > 0 && _active.Length + length > _options.SegmentBytes))
        {
            RollOver();
        }

        if (_writeBuffer.Length < length)
        {
            var bigger = ArrayPool<byte>.Shared.Rent(length);
            ArrayPool<byte>.Shared.Return(_writeBuffer);
            _writeBuffer = bigger;
        }

        var sequence = _nextSequence;
        var frame = _writeBuffer.AsSpan(0, length);
        OutboxFrame.Write(frame, sequence, nowMs, topic, topicBytes, payload);
        try
        {
            // One pwrite of the whole frame, straight to the page cache: nothing is buffered in this process.
            RandomAccess.Write(_active!.Handle!, frame, _active.Length);
        }
        catch (Exception e) when (StorageErrors.IsDiskFull(e) && _active is { Length: > 0 } full && full.LastSequence <= _floor)
        {
            // Everything in the open segment left already: a new segment lets the flush delete it and the space come back.
            RollOver();
            FlushCore();
            RandomAccess.Write(_active!.Handle!, frame, _active.Length);
        }

        _active.LastFrameOffset = _active.Length;
        _active.LastFrameCrc = BinaryPrimitives.ReadUInt32LittleEndian(frame[^4..]);
        _active.Length += length;
        _active.Add(sequence);
        _active.LastAppendedAtMs = nowMs;
        _bytes += length;
        _nextSequence = sequence + 1;
        if (++_depth == 1)
        {
            _nextExpiryMs = Math.Min(_nextExpiryMs, ExpiryAfter(nowMs));
        }

        _unflushed = true;
        MarkPending();
        FlushIfDue();
    }

    /// <summary>
    /// The disk is full: the record is not stored and its sequence not used; it is counted as dropped (the checkpoint
    /// keeps the count when it can be written: in place, if need be, see <see cref="OutboxCheckpoint.Write"/>).
    /// </summary>
    private void DropUnstored(Exception e)
    {
        if (_active?.Handle is { } handle)
        {
            try
            {
                // The part of the frame that did fit would otherwise hold space until the segment is closed.
                RandomAccess.SetLength(handle, _active.Length);
            }
            catch (IOException)
            {
                // Cut again when the segment is closed.
            }
        }

        _dropped++;
        _checkpointDirty = true;
        MarkPending();
        if (_droppedWhileFull < 0)
        {
            _droppedWhileFull = 0;
            Log.DiskFull(_logger, _directory, StorageErrors.Reason(e));
        }

        _droppedWhileFull++;
        _lastDropTimestamp = _time.GetTimestamp();
        FlushIfDue();
    }

    [DoesNotReturn]
    private static void ThrowTopicTooLong(int bytes, string paramName) =>
        throw new ArgumentException($"the topic has {bytes} UTF-8 bytes; at most {ushort.MaxValue} fit a record", paramName);

    [DoesNotReturn]
    private static void ThrowRecordTooLarge(long bytes, int max, string paramName) =>
        throw new ArgumentException($"the record would take {bytes} bytes; at most {max} fit the outbox", paramName);
}
