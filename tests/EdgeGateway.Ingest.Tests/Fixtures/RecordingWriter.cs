using System.Collections.Concurrent;
using EdgeGateway.Ingest.Writing;

namespace EdgeGateway.Ingest.Tests.Fixtures;

/// <summary>
/// A point writer that keeps what it accepted (as line protocol). Each call first waits for <see cref="Gate"/> and asks
/// <see cref="Decide"/> (default: accept).
/// </summary>
internal sealed class RecordingWriter : IPointWriter
{
    private readonly ConcurrentQueue<string> _stored = new();
    private int _calls;

    /// <summary>Completed: writes go through; replace with a pending task to hold them.</summary>
    public Task Gate { get; set; } = Task.CompletedTask;

    public Func<IReadOnlyList<string>, WriteOutcome> Decide { get; set; } = _ => WriteOutcome.Ok;

    public int Calls => Volatile.Read(ref _calls);

    /// <summary>Lines of every accepted write, in order (duplicates included).</summary>
    public IReadOnlyList<string> Stored => [.. _stored];

    public async Task<WriteOutcome> WriteAsync(IReadOnlyList<string> lines, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _calls);
        await Gate.WaitAsync(cancellationToken);
        var outcome = Decide(lines);
        if (outcome.Status == WriteStatus.Ok)
        {
            foreach (var line in lines)
            {
                _stored.Enqueue(line);
            }
        }

        return outcome;
    }
}
