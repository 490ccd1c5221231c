namespace EdgeGateway.Agent.Outbox;

/// <summary>One stored record: its gateway sequence number, MQTT topic and payload.</summary>
public readonly record struct OutboxRecord(long Sequence, long AppendedAtMs, string Topic, ReadOnlyMemory<byte> Payload);

/// <summary>What the outbox holds and has lost, for status and the birth message.</summary>
public readonly record struct OutboxStatus(long Depth, long Bytes, long OldestSequence, long NextSequence, TimeSpan? OldestAge, long Dropped, long Corrupt);

/// <summary>
/// The durable, bounded, ordered store between the KPI engine and the publisher (src/docs/agent.md, "Outbox").
/// One writer (the pipeline) and one reader (the publisher) may use it concurrently.
/// </summary>
public interface IOutbox : IDisposable
{
    /// <summary>The sequence number the next <see cref="Append"/> must carry (1 for a new outbox; survives restarts).</summary>
    long NextSequence { get; }

    /// <summary>
    /// Stores a record with sequence <see cref="NextSequence"/> (its payload already carries that number).
    /// Written through to the OS at once (a process kill loses nothing); fsync'd within the flush interval.
    /// On a full disk the record is not stored: it is counted in <see cref="OutboxStatus.Dropped"/> and its sequence
    /// is given to the next record.
    /// </summary>
    void Append(string topic, ReadOnlySpan<byte> payload);

    /// <summary>
    /// Forces an fsync of everything appended so far (on a full disk: as far as it goes, the rest with a later batch).
    /// True when all of it is on the disk.
    /// </summary>
    bool Flush();

    /// <summary>
    /// Copies up to <paramref name="destination"/>.Length records with sequence ≥ <paramref name="fromSequence"/>,
    /// in order, skipping corrupt or dropped ones; returns how many. Records stay until acknowledged.
    /// </summary>
    int Read(long fromSequence, Span<OutboxRecord> destination);

    /// <summary>Removes every record with sequence ≤ <paramref name="sequence"/> (the broker acknowledged them).</summary>
    void Acknowledge(long sequence);

    /// <summary>Depth, size, age and losses.</summary>
    OutboxStatus Status { get; }

    /// <summary>Completes when records with sequence ≥ <paramref name="fromSequence"/> exist (or the token is cancelled).</summary>
    ValueTask WaitForRecordsAsync(long fromSequence, CancellationToken cancellationToken);
}
