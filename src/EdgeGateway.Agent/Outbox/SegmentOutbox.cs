using System.Buffers;
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

    /// <summary>Bytes of segment files read while opening: the cost of recovery, which the index keeps to the open segment.</summary>
    internal long BytesReadAtOpen { get; private set; }

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
    /// <remarks>A full disk is logged, not thrown (the batch stays pending and is tried again); see <see cref="IOutbox.Flush"/>.</remarks>
    /// <exception cref="OutboxUnavailableException">The disk refused for another reason (read-only, I/O error).</exception>
    public bool Flush()
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (FlushReportingFailure() is not { } failure)
            {
                return true;
            }

            return StorageErrors.IsDiskFull(failure) ? false : throw Unavailable(failure);
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
                EnsureVerified(segment);
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

    private long NowMs() => _time.GetUtcNow().ToUnixTimeMilliseconds();

    private long ExpiryAfter(long appendedAtMs) => appendedAtMs > long.MaxValue - _maxAgeMs - 1 ? long.MaxValue : appendedAtMs + _maxAgeMs + 1;

    private void MarkPending()
    {
        if (_pendingSinceTimestamp == 0)
        {
            _pendingSinceTimestamp = _time.GetTimestamp();
        }
    }
}
