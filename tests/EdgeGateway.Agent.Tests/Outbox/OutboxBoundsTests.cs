using static EdgeGateway.Agent.Tests.Outbox.OutboxFolder;

namespace EdgeGateway.Agent.Tests.Outbox;

/// <summary>The size and age bounds: oldest first, every dropped record counted exactly, the count kept across restarts.</summary>
public sealed class OutboxBoundsTests : IDisposable
{
    private readonly OutboxFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Outbox_MaxBytes_DropsOldestSegments_AndCountsExactlyTheUnacknowledgedDropped()
    {
        const long maxBytes = 1024 * 1024;
        using (var outbox = _folder.Open(o => o.MaxBytes = maxBytes))
        {
            for (var i = 1; i <= 2000; i++)
            {
                AppendNumbered(outbox, 1, payloadLength: 700);
                Assert.True(outbox.Status.Bytes <= maxBytes, $"{outbox.Status.Bytes} bytes after record {i}");
                if (i == 500)
                {
                    outbox.Acknowledge(100);
                }
            }

            // 758-byte frames, 86 to a 64 KiB segment. 16 full segments plus 7 records fill the bound
            // (1,048,314 bytes); the next record drops the oldest segment, and so every 86 records after:
            // at records 1384, 1470, ..., 1986 — 8 segments, records 1..688, of which 1..100 were acknowledged.
            var status = outbox.Status;
            Assert.Equal(588, status.Dropped);
            Assert.Equal(1312, status.Depth);
            Assert.Equal(689, status.OldestSequence);
            Assert.Equal(1312 * 758, status.Bytes);
            AssertNumbered(Enumerable.Range(689, 1312).Select(i => (long)i), ReadAll(outbox, 1, batch: 100), payloadLength: 700);
        }

        using (var reopened = _folder.Open(o => o.MaxBytes = maxBytes))
        {
            Assert.Equal(588, reopened.Status.Dropped);
            Assert.Equal(0, reopened.Status.Corrupt);
            Assert.Equal(2001, reopened.NextSequence);
            AssertNumbered(Enumerable.Range(689, 1312).Select(i => (long)i), ReadAll(reopened), payloadLength: 700);
        }
    }

    [Fact]
    public void Outbox_MaxAge_DropsRecordsOlderThanTheBound_CountsThem_AndKeepsTheCount()
    {
        var start = _folder.Time.GetUtcNow();
        using (var outbox = _folder.Open(o => o.MaxAge = TimeSpan.FromHours(1)))
        {
            for (var i = 0; i < 10; i++)
            {
                AppendNumbered(outbox, 1); // record i + 1 at start + i minutes
                _folder.Time.Advance(TimeSpan.FromMinutes(1));
            }

            Assert.Equal(0, outbox.Status.Dropped);
            _folder.Time.SetUtcNow(start + TimeSpan.FromMinutes(64.5)); // records appended before start + 4.5 min are too old

            var status = outbox.Status;
            Assert.Equal(5, status.Dropped);
            Assert.Equal(5, status.Depth);
            Assert.Equal(6, status.OldestSequence);
            Assert.Equal(TimeSpan.FromMinutes(59.5), status.OldestAge);
            AssertNumbered(Enumerable.Range(6, 5).Select(i => (long)i), ReadAll(outbox));

            _folder.Time.Advance(TimeSpan.FromMinutes(10));
            status = outbox.Status;
            Assert.Equal(10, status.Dropped);
            Assert.Equal(0, status.Depth);
            Assert.Null(status.OldestAge);
            Assert.Empty(ReadAll(outbox));
        }

        using (var reopened = _folder.Open(o => o.MaxAge = TimeSpan.FromHours(1)))
        {
            Assert.Equal(10, reopened.Status.Dropped);
            Assert.Equal(11, reopened.NextSequence);
        }
    }

    [Fact]
    public void Outbox_MaxAge_AcrossSegments_DropsWholeAndPartialSegments_WithoutCountingAcknowledged()
    {
        var start = _folder.Time.GetUtcNow();
        using var outbox = _folder.Open(o =>
        {
            o.MaxAge = TimeSpan.FromHours(2);
            o.FlushInterval = TimeSpan.FromMinutes(10);
        });
        for (var i = 0; i < 600; i++)
        {
            AppendNumbered(outbox, 1); // record i + 1 at start + 10 i seconds; 254 to a segment
            _folder.Time.Advance(TimeSpan.FromSeconds(10));
        }

        Assert.Equal(3, _folder.Segments().Length);
        Assert.Equal(0, outbox.Status.Dropped);
        outbox.Acknowledge(100);

        // Records appended before start + 3995 s, i.e. 1..400, are now too old: the first file whole, part of the second.
        _folder.Time.SetUtcNow(start + TimeSpan.FromSeconds(3995 + 7200));
        var status = outbox.Status;
        Assert.Equal(300, status.Dropped);
        Assert.Equal(200, status.Depth);
        Assert.Equal(401, status.OldestSequence);
        Assert.Equal(TimeSpan.FromSeconds(7195), status.OldestAge);
        AssertNumbered(Enumerable.Range(401, 200).Select(i => (long)i), ReadAll(outbox, 1, batch: 64));

        _folder.Time.Advance(TimeSpan.FromMinutes(10)); // the next batch lets the first file go
        Assert.Equal(2, _folder.Segments().Length);
    }
}
