namespace EdgeGateway.Agent.Publishing;

/// <summary>
/// The records this connection sent whose storage the backend has not yet confirmed, in sequence order, with when each
/// was last sent. Confirmations may come in any order (two ingest instances share the records); the outbox can only let
/// go of a prefix, so confirmed records wait here until everything before them is confirmed too. A fixed ring: bounded
/// memory, nothing allocated per record. Used by the publisher's one drain loop only (not thread-safe).
/// </summary>
internal sealed class UnconfirmedWindow(int capacity)
{
    private readonly long[] _sequence = new long[capacity];
    private readonly long[] _sentAtMs = new long[capacity];
    private readonly bool[] _confirmed = new bool[capacity];
    private int _head;

    /// <summary>Records held (sent, and not yet released as a confirmed prefix).</summary>
    public int Count { get; private set; }

    /// <summary>No room for another record: the publisher waits for confirmations (or re-sends).</summary>
    public bool IsFull => Count == _sequence.Length;

    /// <summary>The highest sequence held, 0 when empty.</summary>
    public long LastSequence => Count == 0 ? 0 : _sequence[Slot(Count - 1)];

    /// <summary>The oldest record held, when it was last sent; null when empty. Sending in order keeps it the earliest.</summary>
    public (long Sequence, long SentAtMs)? Oldest => Count == 0 ? null : (_sequence[_head], _sentAtMs[_head]);

    /// <summary>Adds a record sent for the first time; its sequence must be above <see cref="LastSequence"/>.</summary>
    public void Add(long sequence, long sentAtMs)
    {
        if (IsFull || sequence <= LastSequence)
        {
            throw new InvalidOperationException($"record {sequence} cannot follow {LastSequence} in a window of {Count}/{_sequence.Length}");
        }

        var slot = Slot(Count);
        _sequence[slot] = sequence;
        _sentAtMs[slot] = sentAtMs;
        _confirmed[slot] = false;
        Count++;
    }

    /// <summary>What the window knows of <paramref name="sequence"/>: not held, held and confirmed, or held and waiting.</summary>
    public Held Find(long sequence)
    {
        var index = IndexOf(sequence);
        return index < 0 ? Held.No : _confirmed[Slot(index)] ? Held.Confirmed : Held.Waiting;
    }

    /// <summary>Records that a held record was sent again at <paramref name="sentAtMs"/>.</summary>
    public void Resent(long sequence, long sentAtMs)
    {
        var index = IndexOf(sequence);
        if (index >= 0)
        {
            _sentAtMs[Slot(index)] = sentAtMs;
        }
    }

    /// <summary>Marks the held records in [<paramref name="from"/>, <paramref name="to"/>] confirmed; returns how many were waiting.</summary>
    public int Confirm(long from, long to)
    {
        var confirmed = 0;
        for (var index = LowerBound(from); index < Count; index++)
        {
            var slot = Slot(index);
            if (_sequence[slot] > to)
            {
                break;
            }

            if (!_confirmed[slot])
            {
                _confirmed[slot] = true;
                confirmed++;
            }
        }

        return confirmed;
    }

    /// <summary>
    /// Releases the confirmed records at the front; returns the last one released (the outbox may delete everything up
    /// to it), or 0 when the oldest record is still waiting.
    /// </summary>
    public long ReleaseConfirmedPrefix()
    {
        var released = 0L;
        while (Count > 0 && _confirmed[_head])
        {
            released = _sequence[_head];
            _head = (_head + 1) % _sequence.Length;
            Count--;
        }

        return released;
    }

    /// <summary>Forgets the records below <paramref name="sequence"/>: the outbox no longer holds them (dropped by its bounds).</summary>
    public void ForgetBelow(long sequence)
    {
        while (Count > 0 && _sequence[_head] < sequence)
        {
            _head = (_head + 1) % _sequence.Length;
            Count--;
        }
    }

    private int Slot(int index) => (_head + index) % _sequence.Length;

    private int IndexOf(long sequence)
    {
        var index = LowerBound(sequence);
        return index < Count && _sequence[Slot(index)] == sequence ? index : -1;
    }

    /// <summary>The index of the first held record with a sequence ≥ <paramref name="sequence"/> (sequences ascend).</summary>
    private int LowerBound(long sequence)
    {
        var low = 0;
        var high = Count;
        while (low < high)
        {
            var middle = (low + high) >>> 1;
            if (_sequence[Slot(middle)] < sequence)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }

        return low;
    }

    /// <summary>Whether a record is held.</summary>
    internal enum Held
    {
        /// <summary>Not held: never sent on this connection, or already released.</summary>
        No,

        /// <summary>Held, storage confirmed, waiting for older records.</summary>
        Confirmed,

        /// <summary>Held, waiting for its confirmation.</summary>
        Waiting,
    }
}
