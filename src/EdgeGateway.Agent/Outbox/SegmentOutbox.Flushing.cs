using EdgeGateway.Hosting;

namespace EdgeGateway.Agent.Outbox;

/// <summary>Durability: the batched fsync of segments, checkpoint and folder, the flush timer and the roll-over to a new segment.</summary>
public sealed partial class SegmentOutbox
{
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
        SyncCore();
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

    /// <summary>The first half of a batch: fsync the open segment, then write the checkpoint (or fsync the folder); no file goes.</summary>
    private void SyncCore()
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
    }

    /// <summary>
    /// Starts a new segment named by the next sequence; the old one is cut to its valid length, fsync'd and sealed
    /// (listed in the index, so that the next start need not read it).
    /// </summary>
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
            Seal(_active);
        }

        _active = null;
        var segment = new OutboxSegment(_nextSequence, Path.Combine(_directory, OutboxSegment.FileName(_nextSequence)));
        segment.Handle = File.OpenHandle(segment.Path, FileMode.Create, FileAccess.ReadWrite, FileShare.Read);
        _segments.Add(segment);
        _active = segment;
        _directoryDirty = true;
        MarkPending();
    }
}
