using EdgeGateway.Agent.Outbox;
using Microsoft.Extensions.Options;
using static EdgeGateway.Agent.Tests.Outbox.OutboxFolder;

namespace EdgeGateway.Agent.Tests.Outbox;

public sealed class OutboxBasicsTests : IDisposable
{
    private readonly OutboxFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Outbox_AppendReadAcknowledge_InOrder()
    {
        using var outbox = _folder.Open();
        Assert.Equal(1, outbox.NextSequence);
        AppendNumbered(outbox, 5);
        Assert.Equal(6, outbox.NextSequence);

        var records = new OutboxRecord[10];
        Assert.Equal(5, outbox.Read(1, records));
        AssertNumbered([1, 2, 3, 4, 5], records.Take(5).ToList());
        Assert.Equal(_folder.Time.GetUtcNow().ToUnixTimeMilliseconds(), records[0].AppendedAtMs);
        Assert.Equal(3, outbox.Read(3, records));
        Assert.Equal(3, records[0].Sequence);
        Assert.Equal(2, outbox.Read(1, records.AsSpan(0, 2)));
        Assert.Equal(0, outbox.Read(6, records));

        outbox.Acknowledge(2);
        var status = outbox.Status;
        Assert.Equal(3, status.Depth);
        Assert.Equal(3, status.OldestSequence);
        Assert.Equal(6, status.NextSequence);
        Assert.Equal(3, outbox.Read(1, records));
        Assert.Equal(3, records[0].Sequence);

        outbox.Acknowledge(5);
        status = outbox.Status;
        Assert.Equal(0, status.Depth);
        Assert.Equal(6, status.OldestSequence);
        Assert.Null(status.OldestAge);
        Assert.Equal(0, outbox.Read(1, records));
        Assert.Equal(0, status.Dropped);
        Assert.Equal(0, status.Corrupt);
    }

    [Fact]
    public void Outbox_ManySegments_ReadsInOrderAcrossFiles_AndDeletesAcknowledgedFiles()
    {
        using var outbox = _folder.Open();
        AppendNumbered(outbox, 1000, payloadLength: 700); // 758-byte frames, 86 to a 64 KiB segment: 12 files
        Assert.Equal(12, _folder.Segments().Length);
        AssertNumbered(Enumerable.Range(1, 1000).Select(i => (long)i), ReadAll(outbox, batch: 13), payloadLength: 700);
        AssertNumbered(Enumerable.Range(500, 501).Select(i => (long)i), ReadAll(outbox, 500, batch: 64), payloadLength: 700);

        outbox.Acknowledge(86 * 3); // exactly the first three files
        Assert.Equal(12, _folder.Segments().Length); // not before the checkpoint that lets them go
        outbox.Flush();
        Assert.Equal(9, _folder.Segments().Length);
        Assert.Equal(1000 - 258, outbox.Status.Depth);
        Assert.Equal((1000 - 258) * 758L, outbox.Status.Bytes);
        AssertNumbered(Enumerable.Range(259, 742).Select(i => (long)i), ReadAll(outbox), payloadLength: 700);
    }

    [Fact]
    public void Outbox_Reopen_ReplaysExactlyTheUnacknowledged_InOrder_WithTheSameSequences()
    {
        List<OutboxRecord> before;
        using (var outbox = _folder.Open())
        {
            AppendNumbered(outbox, 300);
            outbox.Acknowledge(120);
            before = ReadAll(outbox);
        }

        using (var reopened = _folder.Open())
        {
            Assert.Equal(301, reopened.NextSequence);
            var after = ReadAll(reopened);
            AssertNumbered(Enumerable.Range(121, 180).Select(i => (long)i), after);
            Assert.Equal(before.Select(r => (r.Sequence, r.AppendedAtMs, r.Topic)), after.Select(r => (r.Sequence, r.AppendedAtMs, r.Topic)));
            Assert.Equal(180, reopened.Status.Depth);

            AppendNumbered(reopened, 1);
            Assert.Equal(301, ReadAll(reopened, 301).Single().Sequence);
        }
    }

    [Fact]
    public void Outbox_Acknowledgements_ReachTheCheckpointInBatches_AndACrashResendsOnlyTheUnpersisted()
    {
        using var outbox = _folder.Open();
        AppendNumbered(outbox, 50);
        outbox.Acknowledge(20);

        // Killed now: the acknowledgement is not on disk yet (batched), so 1..20 come again (at least once).
        var early = _folder.CrashCopy();
        Assert.True(OutboxCheckpoint.TryRead(early, out var checkpoint, out _));
        Assert.Equal(0, checkpoint.Floor);

        _folder.Time.Advance(TimeSpan.FromSeconds(1)); // the flush timer writes the checkpoint
        var late = _folder.CrashCopy();
        Assert.True(OutboxCheckpoint.TryRead(late, out checkpoint, out _));
        Assert.Equal(20, checkpoint.Floor);
        Assert.Equal(51, checkpoint.NextSequence);

        using (var fromEarly = _folder.Open(directory: early))
        {
            AssertNumbered(Enumerable.Range(1, 50).Select(i => (long)i), ReadAll(fromEarly));
        }

        using (var fromLate = _folder.Open(directory: late))
        {
            AssertNumbered(Enumerable.Range(21, 30).Select(i => (long)i), ReadAll(fromLate));
            Assert.Equal(51, fromLate.NextSequence);
        }
    }

    [Fact]
    public void Outbox_AllAcknowledged_Reopen_SequencesNeverRepeat()
    {
        using (var outbox = _folder.Open())
        {
            AppendNumbered(outbox, 1000, payloadLength: 700);
            outbox.Acknowledge(1000);
        }

        using (var outbox = _folder.Open())
        {
            Assert.Empty(_folder.Segments());
            Assert.Equal(1001, outbox.NextSequence);
            Assert.Equal(0, outbox.Status.Depth);
            AppendNumbered(outbox, 2);
            outbox.Acknowledge(1002);
            _folder.Time.Advance(TimeSpan.FromSeconds(1));
        }

        // And after a crash once everything was acknowledged and flushed.
        using (var outbox = _folder.Open())
        {
            AppendNumbered(outbox, 1);
            outbox.Acknowledge(1003);
            _folder.Time.Advance(TimeSpan.FromSeconds(1));
            using var crashed = _folder.Open(directory: _folder.CrashCopy());
            Assert.Equal(1004, crashed.NextSequence);
            Assert.Equal(0, crashed.Status.Depth);
        }
    }

    [Fact]
    public void Outbox_FlushIntervalZero_CheckpointsEveryAcknowledgement()
    {
        using var outbox = _folder.Open(o => o.FlushInterval = TimeSpan.Zero);
        AppendNumbered(outbox, 3);
        outbox.Acknowledge(2);
        Assert.True(OutboxCheckpoint.TryRead(_folder.Path, out var checkpoint, out _));
        Assert.Equal(2, checkpoint.Floor);
    }

    [Fact]
    public async Task Outbox_WaitForRecords_CompletesOnAppend_AndHonoursCancellation()
    {
        using var outbox = _folder.Open();
        AppendNumbered(outbox, 2);
        await outbox.WaitForRecordsAsync(2, CancellationToken.None); // already there

        var waiting = outbox.WaitForRecordsAsync(3, CancellationToken.None).AsTask();
        await Task.Delay(50);
        Assert.False(waiting.IsCompleted);
        AppendNumbered(outbox, 1);
        await waiting.WaitAsync(TimeSpan.FromSeconds(10));

        outbox.Acknowledge(3);
        using var cancel = new CancellationTokenSource();
        var cancelled = outbox.WaitForRecordsAsync(1, cancel.Token).AsTask(); // everything acknowledged: nothing to wait for
        await Task.Delay(50);
        Assert.False(cancelled.IsCompleted);
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public void Outbox_SecondOpenOfTheSameFolder_IsRefused_SayingAnotherProcessHasIt()
    {
        using var outbox = _folder.Open();
        var e = Assert.Throws<OutboxUnavailableException>(() => _folder.Open());
        Assert.Equal($"the outbox {_folder.Path} cannot be used: another process has it open (its lock file is taken)", e.Message);
    }

    [Fact]
    public void Outbox_RejectsOptionsOutOfRange()
    {
        var error = Assert.Throws<OptionsValidationException>(() => _folder.Open(o =>
        {
            o.MaxBytes = 1024 * 1024;
            o.SegmentBytes = 1024 * 1024;
            o.FlushInterval = TimeSpan.FromMinutes(11);
        }));
        Assert.Contains(error.Failures, f => f.Contains("SegmentBytes", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.Contains("FlushInterval", StringComparison.Ordinal));
    }

    [Fact]
    public void Outbox_RejectsRecordsThatCannotFit_WithoutUsingASequence()
    {
        using var outbox = _folder.Open(o => o.MaxBytes = 1024 * 1024);
        Assert.Throws<ArgumentException>(() => outbox.Append("t", new byte[600 * 1024]));
        Assert.Throws<ArgumentException>(() => outbox.Append(new string('x', 70_000), [1]));
        Assert.Equal(1, outbox.NextSequence);
    }
}
