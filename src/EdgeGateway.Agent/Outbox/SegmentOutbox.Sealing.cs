using System.Buffers.Binary;
using EdgeGateway.Hosting;
using Microsoft.Win32.SafeHandles;

namespace EdgeGateway.Agent.Outbox;

/// <summary>
/// Sealing: a closed segment is summarised in the index so that opening need not read it; opening trusts a summary
/// only when the file still ends as it did; the first use of a trusted segment reads it in full, so damage inside it
/// is found and counted when it is delivered, as it would have been at open.
/// </summary>
public sealed partial class SegmentOutbox
{
    /// <summary>
    /// Lists a closed, fsync'd segment in the index. A segment that is not one run of whole frames (damage found in
    /// it at an earlier start) is not listed: it is read in full at every start, as before the index existed.
    /// </summary>
    private void Seal(OutboxSegment segment)
    {
        segment.Summary = segment.Summarize();
        if (segment.Summary is not null)
        {
            _ = TryWriteIndex();
        }
    }

    /// <summary>
    /// Takes a segment's records from its summary instead of reading it, when the file is the one summarised: its
    /// length, and a valid last frame at the recorded offset with the recorded sequence and checksum, ending the file.
    /// </summary>
    private bool TryTrust(OutboxSegment segment, SafeFileHandle handle, long length, SegmentSummary summary, long lastValid)
    {
        if (summary.Length != length
            || summary.First < segment.FirstSequence
            || summary.First <= lastValid
            || summary.Last < summary.First
            || summary.Records != summary.Last - summary.First + 1
            || summary.LastFrameOffset < 0
            || summary.LastFrameOffset >= length)
        {
            return false;
        }

        // One read: from the last frame to the end of the file (the scanner never reads past the end it is given).
        _scanScanner.Reset(handle, length);
        if (!_scanScanner.TryNext(summary.LastFrameOffset, out var header, out var offset, out _)
            || offset != summary.LastFrameOffset
            || offset + header.Length != length
            || header.Sequence != summary.Last
            || BinaryPrimitives.ReadUInt32LittleEndian(_scanScanner.Buffer.AsSpan(_scanScanner.IndexOf(offset) + header.Length - 4)) != summary.LastFrameCrc)
        {
            return false;
        }

        segment.AddRun(summary.First, summary.Last);
        segment.Length = length;
        segment.LastFrameOffset = offset;
        segment.LastFrameCrc = summary.LastFrameCrc;
        segment.LastAppendedAtMs = header.AppendedAtMs;
        segment.Summary = summary;
        segment.Unverified = true;
        return true;
    }

    /// <summary>
    /// Reads a segment taken from its summary in full before any of its records is used (delivery, the head search,
    /// the age bound). Damage found there is what the scan at open would have found: bytes that are not frames are
    /// logged, and every sequence of the summary above the floor that no valid frame holds is counted as corrupt,
    /// once. The index stops vouching for the segment first, so a later start reads it in full and counts nothing again.
    /// </summary>
    private void EnsureVerified(OutboxSegment segment)
    {
        if (!segment.Unverified)
        {
            return;
        }

        segment.Unverified = false;
        var expected = segment.Runs[0];
        var heldBefore = segment.CountBetween(_floor, long.MaxValue);
        segment.ClearRuns();
        var sound = ScanFrames(segment, HandleFor(segment), segment.Length, expected.First - 1, expected.Last, out var skippedFrom);
        if (skippedFrom >= 0)
        {
            Log.CorruptBytes(_logger, segment.Path, skippedFrom, segment.Length - skippedFrom);
            sound = false;
        }

        if (sound && segment.Runs.Length == 1 && segment.Runs[0] == expected)
        {
            return;
        }

        // Not vouched for any more, durably, before the loss is counted: else a restart would count it a second time.
        segment.Summary = null;
        if (!TryWriteIndex())
        {
            try
            {
                // No index at all is safe: every segment is then read in full at the next start.
                File.Delete(Path.Combine(_directory, SegmentIndex.FileName));
                DirectorySync.Flush(_directory);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                Log.FlushFailed(_logger, _directory, StorageErrors.Reason(e));
            }
        }

        var previous = expected.First - 1;
        foreach (var run in segment.Runs)
        {
            if (run.First > previous + 1)
            {
                CountCorruptOnRead(previous + 1, run.First - 1);
            }

            previous = run.Last;
        }

        CountCorruptOnRead(previous + 1, expected.Last);
        _depth -= heldBefore - segment.CountBetween(_floor, long.MaxValue);
        _checkpointDirty = true;
        MarkPending();
        try
        {
            // At once, not with the next batch: the count must not wait on a crash's mercy either.
            SyncCore();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Log.FlushFailed(_logger, _directory, StorageErrors.Reason(e));
        }
    }

    /// <summary>
    /// Counts the sequences <paramref name="first"/>..<paramref name="last"/> above the floor, found missing in a
    /// segment the index vouched for: never counted before (no start read that segment while the index listed it),
    /// so the mark of <see cref="CountCorrupt"/>, which later starts compare against, is only moved on.
    /// </summary>
    private void CountCorruptOnRead(long first, long last)
    {
        first = Math.Max(first, _floor + 1);
        if (first > last)
        {
            return;
        }

        var count = last - first + 1;
        _corrupt += count;
        _corruptCountedThrough = Math.Max(_corruptCountedThrough, last);
        Log.CorruptRecords(_logger, count, first, last, _corrupt);
    }

    /// <summary>
    /// Replaces the index with the summaries of the sealed segments held. A failure is logged, not thrown: the
    /// segments it leaves out are read in full at the next start, which costs time, never a record.
    /// </summary>
    private bool TryWriteIndex()
    {
        var summaries = new List<SegmentSummary>(_segments.Count);
        foreach (var segment in _segments)
        {
            if (segment.Summary is { } summary && segment.Live)
            {
                summaries.Add(summary);
            }
        }

        try
        {
            SegmentIndex.Write(_directory, summaries);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Log.IndexNotWritten(_logger, _directory, StorageErrors.Reason(e));
            return false;
        }
    }
}
