using EdgeGateway.Agent.Outbox;
using static EdgeGateway.Agent.Tests.Outbox.OutboxFolder;

namespace EdgeGateway.Agent.Tests.Outbox;

/// <summary>The pipeline appending while the publisher reads, waits and acknowledges, as in the agent.</summary>
public sealed class OutboxConcurrencyTests : IDisposable
{
    private readonly OutboxFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Theory]
    [InlineData(false)]
    [InlineData(true)] // with flushes: checkpoints written and acknowledged files deleted while the reader reads
    public async Task Outbox_AppendWhilePublishing_EveryRecordReadOnceInOrder_AcrossSegments(bool flushing)
    {
        const int records = 20_000;
        using var outbox = _folder.Open(); // 64 KiB segments: a new file about every 250 records
        var writer = Task.Run(() =>
        {
            for (var i = 0; i < records; i++)
            {
                AppendNumbered(outbox, 1);
                if (flushing && i % 100 == 0)
                {
                    _folder.Time.Advance(TimeSpan.FromSeconds(1)); // the flush timer runs on this thread
                }

                if (i % 1000 == 0)
                {
                    Thread.Sleep(1); // let the reader catch up now and then, so it also waits
                }
            }
        });

        var buffer = new OutboxRecord[32];
        var next = outbox.Status.OldestSequence;
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        while (next <= records)
        {
            var read = outbox.Read(next, buffer);
            if (read == 0)
            {
                await outbox.WaitForRecordsAsync(next, timeout.Token);
                continue;
            }

            for (var i = 0; i < read; i++)
            {
                Assert.Equal(next, buffer[i].Sequence);
                Assert.Equal(Payload(next), buffer[i].Payload.ToArray());
                outbox.Acknowledge(next);
                next++;
            }
        }

        await writer;
        Assert.Equal(0, outbox.Status.Depth);
        if (flushing)
        {
            _folder.Time.Advance(TimeSpan.FromSeconds(1));
            Assert.Single(_folder.Segments()); // only the file being appended to is left
        }

        Assert.Equal(records + 1, outbox.NextSequence);
    }
}
