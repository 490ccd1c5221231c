using CsCheck;
using static EdgeGateway.Agent.Tests.Outbox.OutboxFolder;

namespace EdgeGateway.Agent.Tests.Outbox;

/// <summary>Random runs of appends, acknowledgements, flushes, clean restarts and crashes against a model of what must be held.</summary>
public sealed class OutboxPropertyTests
{
    private enum Kind
    {
        Append,
        Acknowledge,
        Flush,
        Reopen,
        Crash,
    }

    [Fact]
    public void Outbox_RandomOperations_HoldExactlyWhatTheModelSays()
    {
        var operation = Gen.Frequency(
            (12, Gen.Int[8, 3000].Select(size => new Operation(Kind.Append, size))),
            (4, Gen.Int[0, 40].Select(ahead => new Operation(Kind.Acknowledge, ahead))),
            (1, Gen.Const(new Operation(Kind.Flush, 0))),
            (1, Gen.Const(new Operation(Kind.Reopen, 0))),
            (1, Gen.Const(new Operation(Kind.Crash, 0))));

        operation.Array[1, 120].Sample(Run, iter: 40, threads: 1, print: ops => string.Join(' ', ops.Select(o => $"{o.Kind}:{o.Value}")));
    }

    private static void Run(Operation[] operations)
    {
        using var folder = new OutboxFolder();
        var directory = folder.Path;
        var outbox = folder.Open();
        try
        {
            var held = new List<(long Sequence, int Size)>();
            long next = 1, floor = 0, persistedFloor = 0;
            foreach (var op in operations)
            {
                switch (op.Kind)
                {
                    case Kind.Append:
                        outbox.Append(Topic(next), Payload(next, op.Value));
                        held.Add((next++, op.Value));
                        break;
                    case Kind.Acknowledge:
                        var through = Math.Min(floor + op.Value, next - 1);
                        outbox.Acknowledge(through);
                        floor = Math.Max(floor, through);
                        held.RemoveAll(r => r.Sequence <= floor);
                        break;
                    case Kind.Flush:
                        outbox.Flush();
                        persistedFloor = floor;
                        break;
                    case Kind.Reopen:
                        outbox.Dispose();
                        outbox = folder.Open(directory: directory);
                        persistedFloor = floor;
                        break;
                    case Kind.Crash:
                        // The disk as a kill leaves it: every append, only the acknowledgements flushed so far.
                        var copy = folder.CrashCopy(directory);
                        outbox.Dispose();
                        outbox = folder.Open(directory: copy);
                        directory = copy;
                        floor = persistedFloor;
                        held = [];
                        break;
                }

                if (op.Kind == Kind.Crash)
                {
                    // Unacknowledged again: everything above the persisted floor that was appended.
                    foreach (var record in ReadAll(outbox))
                    {
                        held.Add((record.Sequence, record.Payload.Length));
                    }

                    Assert.Equal(Enumerable.Range(0, held.Count).Select(i => floor + 1 + i), held.Select(r => r.Sequence));
                    Assert.Equal(next - 1, held.Count == 0 ? floor : held[^1].Sequence);
                }

                var records = ReadAll(outbox, batch: 5);
                Assert.Equal(held.Select(r => r.Sequence), records.Select(r => r.Sequence));
                foreach (var (record, (sequence, size)) in records.Zip(held))
                {
                    Assert.Equal(Topic(sequence), record.Topic);
                    Assert.Equal(Payload(sequence, size), record.Payload.ToArray());
                }

                var status = outbox.Status;
                Assert.Equal(held.Count, status.Depth);
                Assert.Equal(next, outbox.NextSequence);
                Assert.Equal(held.Count == 0 ? next : held[0].Sequence, status.OldestSequence);
                Assert.Equal(0, status.Dropped);
                Assert.Equal(0, status.Corrupt);
            }
        }
        finally
        {
            outbox.Dispose();
        }
    }

    private readonly record struct Operation(Kind Kind, int Value);
}
