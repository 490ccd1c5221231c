using System.Buffers.Binary;
using EdgeGateway.Hosting;
using Microsoft.Win32.SafeHandles;

namespace EdgeGateway.Agent.Outbox;

/// <summary>Opening: rebuilding the state from the checkpoint and the segment files.</summary>
public sealed partial class SegmentOutbox
{
    /// <summary>
    /// Takes each sealed segment the index lists from its summary when the file still ends as summarised, and scans
    /// every other segment in order. Bytes that are not a valid frame at the end of the last segment are a write
    /// that power loss cut short: they are cut off (the record was inside the loss window). Anywhere else they are
    /// skipped to the next valid frame, and the sequences they held are counted as corrupt: every sequence in
    /// (floor, checkpoint's next) that no valid frame holds, each counted once across restarts. A segment scanned
    /// whole and sound is added to the index (an outbox of an earlier version is read in full once).
    /// </summary>
    private void Recover()
    {
        File.Delete(Path.Combine(_directory, OutboxCheckpoint.TempFileName));
        File.Delete(Path.Combine(_directory, SegmentIndex.TempFileName));
        _ = SegmentIndex.TryRead(_directory, out var summaries);
        var haveCheckpoint = OutboxCheckpoint.TryRead(_directory, out var checkpoint, out var checkpointExists);
        if (!haveCheckpoint && checkpointExists)
        {
            // Written by rename, so this is media damage; without it every record held is sent again.
            Log.CheckpointUnreadable(_logger, _directory);
        }

        _floor = _persistedFloor = checkpoint.Floor;
        _dropped = checkpoint.Dropped;
        _corrupt = checkpoint.Corrupt;
        _corruptCountedThrough = checkpoint.CorruptCountedThrough;

        var files = new List<(long First, string Path)>();
        foreach (var path in System.IO.Directory.EnumerateFiles(_directory, "*" + OutboxSegment.Extension))
        {
            if (OutboxSegment.TryParseFileName(Path.GetFileName(path), out var first))
            {
                files.Add((first, path));
            }
        }

        files.Sort(static (a, b) => a.First.CompareTo(b.First));
        long lastValid = 0;
        long tornBytes = 0;
        var readInFull = 0;
        var indexChanged = false;
        for (var i = 0; i < files.Count; i++)
        {
            var segment = new OutboxSegment(files[i].First, files[i].Path);
            using (var handle = File.OpenHandle(segment.Path, FileMode.Open, FileAccess.ReadWrite, FileShare.Read))
            {
                var length = RandomAccess.GetLength(handle);
                if (summaries.Remove(segment.FirstSequence, out var summary) && TryTrust(segment, handle, length, summary, lastValid))
                {
                    lastValid = segment.LastSequence;
                    _segments.Add(segment);
                    continue;
                }

                // Not listed, or not as listed (another length, another last frame): read in full, as always.
                indexChanged |= summary != default;
                readInFull++;
                var sound = ScanFrames(segment, handle, length, lastValid, long.MaxValue, out var skippedFrom);
                if (!segment.IsEmpty)
                {
                    lastValid = segment.LastSequence;
                }

                segment.Length = length;
                if (sound && skippedFrom < 0 && i < files.Count - 1 && segment.Summarize() is { } found)
                {
                    // Sealed by an earlier version (or its summary lost): made durable and indexed, so the next start need not read it.
                    RandomAccess.FlushToDisk(handle);
                    segment.Summary = found;
                    indexChanged = true;
                }

                if (skippedFrom >= 0)
                {
                    if (i == files.Count - 1)
                    {
                        RandomAccess.SetLength(handle, skippedFrom);
                        RandomAccess.FlushToDisk(handle);
                        segment.Length = skippedFrom;
                        tornBytes = length - skippedFrom;
                        Log.TornTail(_logger, segment.Path, skippedFrom, tornBytes);
                    }
                    else
                    {
                        Log.CorruptBytes(_logger, segment.Path, skippedFrom, length - skippedFrom);
                    }
                }
            }

            _segments.Add(segment);
        }

        // Segments with nothing valid, or only records that had left before the stop, go now.
        for (var i = _segments.Count - 1; i >= 0; i--)
        {
            var segment = _segments[i];
            if (segment.IsEmpty || segment.LastSequence <= _floor)
            {
                File.Delete(segment.Path);
                _segments.RemoveAt(i);
                indexChanged |= segment.Summary is not null;
            }
        }

        // Entries of files no longer there are left out too.
        if (indexChanged || summaries.Count > 0)
        {
            _ = TryWriteIndex();
        }

        long missing = 0;
        if (_segments.Count > 0 || haveCheckpoint)
        {
            // Without a checkpoint the files deleted after acknowledgement are unknown: start at the first record held.
            var previous = haveCheckpoint ? _floor : _segments[0].Runs[0].First - 1;
            foreach (var segment in _segments)
            {
                foreach (var run in segment.Runs)
                {
                    if (run.First > previous + 1)
                    {
                        missing += CountCorrupt(previous + 1, run.First - 1);
                    }

                    previous = Math.Max(previous, run.Last);
                }
            }

            // Records below the checkpoint's next sequence were on disk when it was written: gone now means damaged.
            if (checkpoint.NextSequence - 1 > previous)
            {
                missing += CountCorrupt(previous + 1, checkpoint.NextSequence - 1);
            }
        }

        _nextSequence = Math.Max(Math.Max(checkpoint.NextSequence, lastValid + 1), Math.Max(_floor + 1, 1));
        foreach (var segment in _segments)
        {
            _bytes += segment.Length;
            _depth += segment.CountBetween(_floor, long.MaxValue);
        }

        // A sealed last segment (its successor was created empty when the agent stopped) is not appended to again.
        if (_segments.Count > 0 && _segments[^1].Summary is null && _segments[^1].Length < _options.SegmentBytes)
        {
            _active = _segments[^1];
            _active.Handle = File.OpenHandle(_active.Path, FileMode.Open, FileAccess.ReadWrite, FileShare.Read);
        }

        if (missing > 0 || !haveCheckpoint)
        {
            _checkpointDirty = true;
            // On a full disk the checkpoint waits for space (tried with every batch): the records are all there.
            if (FlushReportingFailure() is { } failure && !StorageErrors.IsDiskFull(failure))
            {
                throw Unavailable(failure);
            }
        }

        BytesReadAtOpen = _scanScanner.BytesRead;
        Log.Recovered(_logger, _directory, _segments.Count, readInFull, _depth, _bytes, _nextSequence, _dropped, _corrupt, tornBytes);
        var room = new DriveInfo(_directory).AvailableFreeSpace + _bytes;
        if (room < _options.MaxBytes)
        {
            // Then the disk fills before the bound: new records are dropped, not the oldest (see "Full and broken disks").
            Log.BoundBeyondDisk(_logger, _directory, _options.MaxBytes, room);
        }
    }

    /// <summary>
    /// Reads <paramref name="segment"/> frame by frame up to <paramref name="length"/> and adds, in order, every valid
    /// frame above <paramref name="after"/> and at most <paramref name="through"/>. Bytes that are not frames are logged
    /// and skipped to the next valid frame; a checksummed frame out of order (a stale copy of an older record, never a
    /// new one) is logged and ignored. True when nothing was skipped or ignored before the last valid frame;
    /// <paramref name="skippedFrom"/> is where bytes that are not frames run to the end (else -1): the caller decides
    /// whether that is a torn write or damage.
    /// </summary>
    private bool ScanFrames(OutboxSegment segment, SafeFileHandle handle, long length, long after, long through, out long skippedFrom)
    {
        _scanScanner.Reset(handle, length);
        var sound = true;
        var last = after;
        long position = 0;
        while (_scanScanner.TryNext(position, out var header, out var offset, out skippedFrom))
        {
            if (skippedFrom >= 0)
            {
                Log.CorruptBytes(_logger, segment.Path, skippedFrom, offset - skippedFrom);
                sound = false;
            }

            position = offset + header.Length;
            if (header.Sequence <= last || header.Sequence < segment.FirstSequence || header.Sequence > through)
            {
                Log.OutOfOrder(_logger, segment.Path, offset, header.Sequence, last);
                sound = false;
                continue;
            }

            segment.Add(header.Sequence);
            segment.LastAppendedAtMs = header.AppendedAtMs;
            segment.LastFrameOffset = offset;
            segment.LastFrameCrc = BinaryPrimitives.ReadUInt32LittleEndian(_scanScanner.Buffer.AsSpan(_scanScanner.IndexOf(offset) + header.Length - 4));
            last = header.Sequence;
        }

        return sound;
    }

    /// <summary>Counts the sequences <paramref name="first"/>..<paramref name="last"/> as corrupt, except those counted by an earlier start.</summary>
    private long CountCorrupt(long first, long last)
    {
        first = Math.Max(first, _corruptCountedThrough + 1);
        if (first > last)
        {
            return 0;
        }

        var count = last - first + 1;
        _corrupt += count;
        _corruptCountedThrough = last;
        Log.CorruptRecords(_logger, count, first, last, _corrupt);
        return count;
    }
}
