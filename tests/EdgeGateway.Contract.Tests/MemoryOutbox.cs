using EdgeGateway.Agent.Outbox;

namespace EdgeGateway.Contract.Tests;

/// <summary>An outbox in memory: what the agent's encoder appends, in order, and a <see cref="Status"/> the test sets.</summary>
internal sealed class MemoryOutbox : IOutbox
{
    private readonly List<OutboxRecord> _records = [];

    public long NextSequence { get; private set; } = 1;

    public OutboxStatus Status { get; set; }

    /// <summary>Everything appended.</summary>
    public IReadOnlyList<OutboxRecord> Records => _records;

    public void Append(string topic, ReadOnlySpan<byte> payload) => _records.Add(new OutboxRecord(NextSequence++, 0, topic, payload.ToArray()));

    public bool Flush() => true;

    public int Read(long fromSequence, Span<OutboxRecord> destination)
    {
        var count = 0;
        foreach (var record in _records)
        {
            if (record.Sequence >= fromSequence && count < destination.Length)
            {
                destination[count++] = record;
            }
        }

        return count;
    }

    public void Acknowledge(long sequence) => _records.RemoveAll(r => r.Sequence <= sequence);

    public ValueTask WaitForRecordsAsync(long fromSequence, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public void Dispose()
    {
    }
}
