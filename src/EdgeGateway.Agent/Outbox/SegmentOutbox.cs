using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Text;
using EdgeGateway.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.Win32.SafeHandles;

namespace EdgeGateway.Agent.Outbox;

/// <summary>
/// <see cref="IOutbox"/> on append-only segment files plus a checkpoint file (src/docs/agent.md, "Outbox").
/// Appends go to the OS at once (a killed process loses nothing) and are fsync'd in batches, at the latest
/// <see cref="OutboxOptions.FlushInterval"/> after they were made: that is the loss window on power failure.
/// Acknowledgements and drops reach the checkpoint in the same batches; after a crash at most the
/// acknowledgements of that window are lost, and those records are sent again (at least once).
/// </summary>
/// <remarks>
/// One lock guards everything: the pipeline appends, the publisher reads and acknowledges, a timer flushes.
/// Opening the outbox recovers it: torn tails are cut, corrupt records skipped and counted, sequences continue.
/// </remarks>
public sealed partial class SegmentOutbox : IOutbox
{
    private const string LockFileName = "lock";
    private const int TopicCacheSize = 32;

    private readonly Lock _lock = new();
    private readonly OutboxOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<SegmentOutbox> _logger;
    private readonly string _directory;
    private readonly long _maxAgeMs;
    private readonly int _maxFrameBytes;
    private readonly List<OutboxSegment> _segments = [];
    private readonly SegmentScanner _readScanner = new(shareable: true);
    private readonly SegmentScanner _scanScanner = new(shareable: false);
    private readonly (byte[]? Utf8, string? Text)[] _topics = new (byte[]?, string?)[TopicCacheSize];
    private readonly OutboxSegment?[] _openSegments = new OutboxSegment?[2];
    private readonly SafeFileHandle?[] _openHandles = new SafeFileHandle?[2];
    private readonly FileStream _lockFile;
    private readonly ITimer _timer;

    private byte[] _writeBuffer;
    private OutboxSegment? _active;
    private long _nextSequence;
    private long _floor;
    private long _persistedFloor;
    private long _depth;
    private long _bytes;
    private long _dropped;
    private long _corrupt;
    private long _corruptCountedThrough;

    // Batching: whatever is pending (unsynced appends, a changed checkpoint, a new file name) and since when.
    private bool _unflushed;
    private bool _checkpointDirty;
    private bool _directoryDirty;
    private long _pendingSinceTimestamp;

    // The oldest record still held, found by reading the oldest segment; cached until it leaves.
    private OutboxSegment? _headSegment;
    private long _headOffset;
    private long _headSequence;
    private long _headAppendedAtMs;
    private long _nextExpiryMs = long.MinValue;

    // Where the last Read stopped, so the publisher's next Read continues without rescanning.
    private OutboxSegment? _readSegment;
    private long _readOffset;
    private long _readNextSequence;

    // A full disk: records that do not fit are dropped and counted; the episode ends (one line each way) at the first
    // append that fits once none was dropped for s_fullDiskQuiet, so that a disk at the edge, where a small record
    // fits and the next large one does not, does not log two lines per record.
    private static readonly TimeSpan s_fullDiskQuiet = TimeSpan.FromSeconds(5);
    private long _droppedWhileFull = -1;
    private long _lastDropTimestamp;
    private string? _flushFailure;

    private int _topicNext;
    private int _openNext;
    private TaskCompletionSource? _waiter;
    private bool _disposed;

    /// <summary>Opens (and recovers) the outbox in <see cref="OutboxOptions.Directory"/>, creating it if needed.</summary>
    /// <exception cref="OptionsValidationException">The options are out of range.</exception>
    /// <exception cref="IOException">The folder is unusable or another process has the outbox open.</exception>
    public SegmentOutbox(IOptions<OutboxOptions> options, TimeProvider timeProvider, ILogger<SegmentOutbox> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(logger);
        _options = options.Value;
        var validation = new OutboxOptionsValidator().Validate(Options.DefaultName, _options);
        if (validation.Failed)
        {
            throw new OptionsValidationException(Options.DefaultName, typeof(OutboxOptions), validation.Failures);
        }

        _time = timeProvider;
        _logger = logger;
        _directory = Path.GetFullPath(_options.Directory);
        _maxAgeMs = (long)_options.MaxAge.TotalMilliseconds;
        _maxFrameBytes = (int)Math.Min(OutboxFrame.MaxFrameBytes, _options.MaxBytes / 2);
        _writeBuffer = ArrayPool<byte>.Shared.Rent(4096);

        _lockFile = OpenLock(_directory);
        try
        {
            Recover();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            ReleaseResources();
            throw Unavailable(e);
        }
        catch
        {
            ReleaseResources();
            throw;
        }

        var period = _options.FlushInterval > TimeSpan.Zero ? _options.FlushInterval : TimeSpan.FromSeconds(1);
        _timer = _time.CreateTimer(static state => ((SegmentOutbox)state!).OnTimer(), this, period, period);
    }

    /// <inheritdoc/>
    public long NextSequence
    {
        get
        {
            lock (_lock)
            {
                return _nextSequence;
            }
        }
    }

    /// <inheritdoc/>
    /// <remarks>
    /// <see cref="OutboxStatus.OldestSequence"/> is <see cref="NextSequence"/> when the outbox is empty;
    /// <see cref="OutboxStatus.Bytes"/> counts the segment files, acknowledged records included until their file goes.
    /// </remarks>
    public OutboxStatus Status
    {
        get
        {
            lock (_lock)
            {
                if (_disposed)
                {
                    return new OutboxStatus(_depth, _bytes, _nextSequence, _nextSequence, null, _dropped, _corrupt);
                }

                var nowMs = NowMs();
                ExpireIfDue(nowMs);
                return TryFindHead(out _, out _, out var oldest, out var appendedAtMs)
                    ? new OutboxStatus(_depth, _bytes, oldest, _nextSequence, TimeSpan.FromMilliseconds(Math.Max(0, nowMs - appendedAtMs)), _dropped, _corrupt)
                    : new OutboxStatus(_depth, _bytes, _nextSequence, _nextSequence, null, _dropped, _corrupt);
            }
        }
    }

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

    /// <inheritdoc/>
    /// <remarks>A full disk is logged, not thrown (the batch stays pending and is tried again); see <see cref="IOutbox.Flush"/>.</remarks>
    /// <exception cref="OutboxUnavailableException">The disk refused for another reason (read-only, I/O error).</exception>
    public void Flush()
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (FlushReportingFailure() is { } failure && !StorageErrors.IsDiskFull(failure))
            {
                throw Unavailable(failure);
            }
        }
    }

    /// <inheritdoc/>
    public int Read(long fromSequence, Span<OutboxRecord> destination)
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            ExpireIfDue(NowMs());
            var from = Math.Max(fromSequence, _floor + 1);
            if (destination.IsEmpty || _depth == 0 || from >= _nextSequence)
            {
                return 0;
            }

            var index = FindSegment(from);
            var offset = _readSegment == _segments[index] && from >= _readNextSequence ? _readOffset : 0;
            var last = from - 1;
            var count = 0;
            for (; index < _segments.Count && count < destination.Length; index++, offset = 0)
            {
                var segment = _segments[index];
                if (segment.LastSequence < from)
                {
                    continue;
                }

                var records = Math.Max(1, segment.CountBetween(0, long.MaxValue));
                _readScanner.ChunkBytes = (int)Math.Clamp((destination.Length - count) * (segment.Length / records), 4096, 1024 * 1024);
                _readScanner.Reset(HandleFor(segment), segment.Length);
                while (count < destination.Length && _readScanner.TryNext(offset, out var header, out var frameOffset, out _))
                {
                    offset = frameOffset + header.Length;
                    if (header.Sequence <= last)
                    {
                        continue; // before the start, or a stale frame out of order
                    }

                    var buffer = _readScanner.Buffer;
                    var start = _readScanner.IndexOf(frameOffset);
                    destination[count++] = new OutboxRecord(
                        header.Sequence,
                        header.AppendedAtMs,
                        Topic(buffer.AsSpan(start + OutboxFrame.HeaderBytes, header.TopicLength)),
                        buffer.AsMemory(start + header.PayloadOffset, header.PayloadLength));
                    last = header.Sequence;
                    _readSegment = segment;
                    _readOffset = offset;
                    _readNextSequence = last + 1;
                }
            }

            return count;
        }
    }

    /// <inheritdoc/>
    /// <remarks>Persisted with the next batch (checkpoint), not per call; the segment file goes once all of it is acknowledged.</remarks>
    public void Acknowledge(long sequence)
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var through = Math.Min(sequence, _nextSequence - 1);
            if (through <= _floor)
            {
                return;
            }

            _depth -= CountHeld(_floor, through);
            _floor = through;
            _checkpointDirty = true;
            MarkPending();
            FlushIfDue();
        }
    }

    /// <inheritdoc/>
    public async ValueTask WaitForRecordsAsync(long fromSequence, CancellationToken cancellationToken)
    {
        while (true)
        {
            Task signal;
            lock (_lock)
            {
                ObjectDisposedException.ThrowIf(_disposed, this);
                if (_nextSequence - 1 >= Math.Max(fromSequence, _floor + 1))
                {
                    return;
                }

                _waiter ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                signal = _waiter.Task;
            }

            await signal.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Flushes, writes the checkpoint (so the next start knows the sequence) and closes the files.</summary>
    public void Dispose()
    {
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
        }

        _timer.Dispose();
        lock (_lock)
        {
            try
            {
                _checkpointDirty = true;
                FlushCore();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                Log.FlushFailed(_logger, _directory, StorageErrors.Reason(e));
            }
            finally
            {
                ReleaseResources();
                _waiter?.TrySetException(new ObjectDisposedException(nameof(SegmentOutbox)));
                _waiter = null;
            }
        }
    }

    [DoesNotReturn]
    private static void ThrowTopicTooLong(int bytes, string paramName) =>
        throw new ArgumentException($"the topic has {bytes} UTF-8 bytes; at most {ushort.MaxValue} fit a record", paramName);

    [DoesNotReturn]
    private static void ThrowRecordTooLarge(long bytes, int max, string paramName) =>
        throw new ArgumentException($"the record would take {bytes} bytes; at most {max} fit the outbox", paramName);

    private long NowMs() => _time.GetUtcNow().ToUnixTimeMilliseconds();

    private long ExpiryAfter(long appendedAtMs) => appendedAtMs > long.MaxValue - _maxAgeMs - 1 ? long.MaxValue : appendedAtMs + _maxAgeMs + 1;

    private void MarkPending()
    {
        if (_pendingSinceTimestamp == 0)
        {
            _pendingSinceTimestamp = _time.GetTimestamp();
        }
    }

    /// <summary>
    /// Flushes on the append or acknowledgement that finds the batch overdue (the timer normally comes first).
    /// A failure is logged, not thrown: the call itself succeeded (the record is stored, the acknowledgement taken),
    /// and the batch is retried; throwing would make the caller append the record a second time.
    /// </summary>
    private void FlushIfDue()
    {
        if (_options.FlushInterval != TimeSpan.Zero && _time.GetElapsedTime(_pendingSinceTimestamp) < _options.FlushInterval)
        {
            return;
        }

        _ = FlushReportingFailure();
    }

    /// <summary>
    /// Flushes; a failure is logged when it starts (not every batch) and its end too, the batch stays pending, and the
    /// failure is returned (null when the flush worked).
    /// </summary>
    private Exception? FlushReportingFailure()
    {
        try
        {
            FlushCore();
            if (_flushFailure is not null)
            {
                _flushFailure = null;
                Log.FlushRecovered(_logger, _directory);
            }

            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            var reason = StorageErrors.Reason(e);
            if (reason != _flushFailure)
            {
                _flushFailure = reason;
                Log.FlushFailed(_logger, _directory, reason);
            }

            return e;
        }
    }

    /// <summary>The one exception a refusing disk becomes: the folder and the reason.</summary>
    private OutboxUnavailableException Unavailable(Exception e) =>
        e as OutboxUnavailableException ?? new OutboxUnavailableException(_directory, StorageErrors.Reason(e), e);

    private void OnTimer()
    {
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            try
            {
                ExpireIfDue(NowMs());
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                Log.FlushFailed(_logger, _directory, StorageErrors.Reason(e));
            }

            if (_pendingSinceTimestamp != 0)
            {
                _ = FlushReportingFailure();
            }
        }
    }

    /// <summary>
    /// One batch: fsync the open segment, then (if changed) the checkpoint, then delete the files it lets go.
    /// In this order the checkpoint never names a record that is not on disk, and no file goes before the
    /// checkpoint that says its records left.
    /// </summary>
    private void FlushCore()
    {
        if (_unflushed && _active?.Handle is { } handle)
        {
            RandomAccess.FlushToDisk(handle);
        }

        _unflushed = false;
        if (_checkpointDirty)
        {
            new OutboxCheckpoint(_floor, _nextSequence, _dropped, _corrupt, _corruptCountedThrough).Write(_directory);
            _persistedFloor = _floor;
            _checkpointDirty = false;
            _directoryDirty = false;
        }
        else if (_directoryDirty)
        {
            DirectorySync.Flush(_directory);
            _directoryDirty = false;
        }

        while (_segments.Count > 0 && _segments[0] != _active && _segments[0].LastSequence <= _persistedFloor)
        {
            var segment = _segments[0];
            _segments.RemoveAt(0);
            Forget(segment);
            File.Delete(segment.Path);
            _bytes -= segment.Length;
        }

        _pendingSinceTimestamp = 0;
    }

    /// <summary>Starts a new segment named by the next sequence; the old one is cut to its valid length and fsync'd.</summary>
    private void RollOver()
    {
        if (_active?.Handle is { } handle)
        {
            if (RandomAccess.GetLength(handle) != _active.Length)
            {
                RandomAccess.SetLength(handle, _active.Length); // the remains of a write the disk refused
            }

            if (_unflushed)
            {
                RandomAccess.FlushToDisk(handle);
                _unflushed = false;
            }

            handle.Dispose();
            _active.Handle = null;
        }

        _active = null;
        var segment = new OutboxSegment(_nextSequence, Path.Combine(_directory, OutboxSegment.FileName(_nextSequence)));
        segment.Handle = File.OpenHandle(segment.Path, FileMode.Create, FileAccess.ReadWrite, FileShare.Read);
        _segments.Add(segment);
        _active = segment;
        _directoryDirty = true;
        MarkPending();
    }

    /// <summary>Drops whole oldest segments until <paramref name="frameLength"/> more bytes fit under the bound.</summary>
    private void MakeRoom(int frameLength)
    {
        while (_bytes + frameLength > _options.MaxBytes && _segments.Count > 0)
        {
            var oldest = _segments[0];
            if (oldest == _active)
            {
                if (oldest.Length == 0)
                {
                    return;
                }

                RollOver();
            }

            DropThrough(oldest.LastSequence, forAge: false);
            // The checkpoint must carry the drop before the file goes, or a crash would turn it into "corrupt".
            _checkpointDirty = true;
            FlushCore();
        }
    }

    private void ExpireIfDue(long nowMs)
    {
        if (nowMs < _nextExpiryMs)
        {
            return;
        }

        // A record is too old when it was appended more than MaxAge ago.
        var cutoff = nowMs - _maxAgeMs;
        while (TryFindHead(out var segment, out var offset, out _, out var appendedAtMs))
        {
            if (appendedAtMs >= cutoff)
            {
                _nextExpiryMs = ExpiryAfter(appendedAtMs);
                return;
            }

            var through = segment.LastAppendedAtMs < cutoff ? segment.LastSequence : LastAppendedBefore(segment, offset, cutoff);
            DropThrough(through, forAge: true);
            MarkPending();
        }

        _nextExpiryMs = long.MaxValue;
    }

    /// <summary>The last sequence of <paramref name="segment"/>, from the head on, appended before <paramref name="cutoffMs"/>.</summary>
    private long LastAppendedBefore(OutboxSegment segment, long offset, long cutoffMs)
    {
        var through = _floor;
        _scanScanner.Reset(HandleFor(segment), segment.Length);
        while (_scanScanner.TryNext(offset, out var header, out var frameOffset, out _))
        {
            offset = frameOffset + header.Length;
            if (header.Sequence <= through)
            {
                continue;
            }

            if (header.AppendedAtMs >= cutoffMs)
            {
                break;
            }

            through = header.Sequence;
        }

        return through;
    }

    /// <summary>Moves the floor to <paramref name="through"/>, counting the records held up to it as dropped.</summary>
    private void DropThrough(long through, bool forAge)
    {
        if (through <= _floor)
        {
            return;
        }

        var first = _floor + 1;
        var count = CountHeld(_floor, through);
        _floor = through;
        _depth -= count;
        _dropped += count;
        _checkpointDirty = true;
        if (count == 0)
        {
            return;
        }

        if (forAge)
        {
            Log.DroppedForAge(_logger, count, first, through, _options.MaxAge, _dropped);
        }
        else
        {
            Log.DroppedForSpace(_logger, count, first, through, _options.MaxBytes, _dropped);
        }
    }

    /// <summary>How many records the segments hold in (<paramref name="after"/>, <paramref name="through"/>].</summary>
    private long CountHeld(long after, long through)
    {
        long count = 0;
        foreach (var segment in _segments)
        {
            if (segment.FirstSequence > through)
            {
                break;
            }

            if (segment.LastSequence > after)
            {
                count += segment.CountBetween(after, through);
            }
        }

        return count;
    }

    /// <summary>Finds the oldest record still held (sequence above the floor), reading its segment if the cache is stale.</summary>
    private bool TryFindHead([NotNullWhen(true)] out OutboxSegment? segment, out long offset, out long sequence, out long appendedAtMs)
    {
        if (_depth > 0)
        {
            if (_headSegment is { Live: true } && _headSequence > _floor)
            {
                (segment, offset, sequence, appendedAtMs) = (_headSegment, _headOffset, _headSequence, _headAppendedAtMs);
                return true;
            }

            foreach (var candidate in _segments)
            {
                if (candidate.LastSequence <= _floor)
                {
                    continue;
                }

                var position = candidate == _headSegment ? _headOffset : 0;
                _scanScanner.Reset(HandleFor(candidate), candidate.Length);
                while (_scanScanner.TryNext(position, out var header, out var frameOffset, out _))
                {
                    position = frameOffset + header.Length;
                    if (header.Sequence > _floor)
                    {
                        (_headSegment, _headOffset, _headSequence, _headAppendedAtMs) = (candidate, frameOffset, header.Sequence, header.AppendedAtMs);
                        (segment, offset, sequence, appendedAtMs) = (candidate, frameOffset, header.Sequence, header.AppendedAtMs);
                        return true;
                    }
                }
            }
        }

        (segment, offset, sequence, appendedAtMs) = (null, 0, 0, 0);
        return false;
    }

    /// <summary>Index of the last segment starting at or before <paramref name="sequence"/> (0 when none does).</summary>
    private int FindSegment(long sequence)
    {
        int low = 0, high = _segments.Count - 1, found = 0;
        while (low <= high)
        {
            var middle = (low + high) >>> 1;
            if (_segments[middle].FirstSequence <= sequence)
            {
                found = middle;
                low = middle + 1;
            }
            else
            {
                high = middle - 1;
            }
        }

        return found;
    }

    /// <summary>A handle to read <paramref name="segment"/>: its own while it is open for appends, else one of two cached.</summary>
    private SafeFileHandle HandleFor(OutboxSegment segment)
    {
        if (segment.Handle is { } own)
        {
            return own;
        }

        for (var i = 0; i < _openSegments.Length; i++)
        {
            if (_openSegments[i] == segment)
            {
                return _openHandles[i]!;
            }
        }

        var slot = _openNext;
        _openNext = (_openNext + 1) % _openSegments.Length;
        _openHandles[slot]?.Dispose();
        _openSegments[slot] = null;
        _openHandles[slot] = File.OpenHandle(segment.Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        _openSegments[slot] = segment;
        return _openHandles[slot]!;
    }

    /// <summary>Drops every cached reference to a deleted segment.</summary>
    private void Forget(OutboxSegment segment)
    {
        segment.Live = false;
        for (var i = 0; i < _openSegments.Length; i++)
        {
            if (_openSegments[i] == segment)
            {
                _openHandles[i]?.Dispose();
                _openHandles[i] = null;
                _openSegments[i] = null;
            }
        }

        if (_readSegment == segment)
        {
            _readSegment = null;
        }

        if (_headSegment == segment)
        {
            _headSegment = null;
        }
    }

    /// <summary>The topic string for UTF-8 bytes read back; the few topics a gateway has are decoded once.</summary>
    private string Topic(ReadOnlySpan<byte> utf8)
    {
        foreach (var (bytes, text) in _topics)
        {
            if (bytes is not null && utf8.SequenceEqual(bytes))
            {
                return text!;
            }
        }

        var decoded = Encoding.UTF8.GetString(utf8);
        _topics[_topicNext] = (utf8.ToArray(), decoded);
        _topicNext = (_topicNext + 1) % TopicCacheSize;
        return decoded;
    }

    /// <summary>Creates the folder and takes its lock; each way this fails is one <see cref="OutboxUnavailableException"/>.</summary>
    private static FileStream OpenLock(string directory)
    {
        var problem = StorageErrors.DirectoryProblem(directory);
        if (problem is not null)
        {
            throw new OutboxUnavailableException(directory, problem);
        }

        try
        {
            // An exclusive lock (flock on Linux): a second agent on the same folder would interleave appends.
            return new FileStream(Path.Combine(directory, LockFileName), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException e) when (e.HResult == 11) // EWOULDBLOCK: flock found the lock taken
        {
            throw new OutboxUnavailableException(directory, "another process has it open (its lock file is taken)", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new OutboxUnavailableException(directory, StorageErrors.Reason(e), e);
        }
    }

    private void ReleaseResources()
    {
        _active?.Handle?.Dispose();
        foreach (var segment in _segments)
        {
            segment.Handle = null;
        }

        for (var i = 0; i < _openHandles.Length; i++)
        {
            _openHandles[i]?.Dispose();
            _openHandles[i] = null;
            _openSegments[i] = null;
        }

        _readScanner.Dispose();
        _scanScanner.Dispose();
        if (_writeBuffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_writeBuffer);
            _writeBuffer = [];
        }

        _lockFile.Dispose();
    }
}
