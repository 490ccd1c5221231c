
namespace EdgeGateway.Agent.Outbox;

/// <summary>What the bounds take: whole oldest segments dropped for room, records dropped for age, and how many that was.</summary>
public sealed partial class SegmentOutbox
{
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
}
