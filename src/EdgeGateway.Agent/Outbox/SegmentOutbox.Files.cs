using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Text;
using EdgeGateway.Hosting;
using Microsoft.Win32.SafeHandles;

namespace EdgeGateway.Agent.Outbox;

/// <summary>The files behind the records: finding the head and a sequence's segment, cached read handles, decoded topics, the folder lock.</summary>
public sealed partial class SegmentOutbox
{
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

                EnsureVerified(candidate);
                if (candidate.LastSequence <= _floor)
                {
                    continue; // it held less than its summary said
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
        var problem = StorageErrors.DirectoryProblem(directory, create: true);
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
