using EdgeGateway.Agent.Outbox;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using static EdgeGateway.Agent.Tests.Outbox.OutboxFolder;

namespace EdgeGateway.Agent.Tests.Outbox;

/// <summary>
/// The outbox on a real small disk (a tmpfs): full, read-only, not a folder. A full disk drops and counts what does not
/// fit and goes on by itself; the checkpoint still moves, so acknowledged files go and nothing is sent again; a disk that
/// refuses writes for good is one <see cref="OutboxUnavailableException"/> naming the folder and the reason.
/// </summary>
public sealed class OutboxDiskTests : IDisposable
{
    private const int PayloadBytes = 1000;

    private readonly SmallFileSystem _disk = SmallFileSystem.Mount(1024 * 1024);
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 5, 4, 6, 0, 0, TimeSpan.Zero));

    public void Dispose() => _disk.Dispose();

    private string Folder => Path.Combine(_disk.Path, "outbox");

    [Fact]
    public void Outbox_DiskFull_CountsExactlyTheRecordsNotStored_AsDropped_AndStoresAgainOnceSpaceReturns()
    {
        _disk.Fill(leaveBytes: 300 * 1024);
        using var outbox = Open();
        var (stored, notStored) = AppendCounting(outbox, 600);

        // 600 frames of about 1 KiB do not fit into 300 KiB: some were stored, the rest refused, none thrown.
        Assert.InRange(stored, 100, 400);
        Assert.Equal(600 - stored, notStored);
        Assert.Equal(notStored, outbox.Status.Dropped);
        Assert.Equal(stored, outbox.Status.Depth);
        Assert.Equal(stored + 1, outbox.NextSequence); // a record not stored does not use its sequence
        AssertNumbered(Enumerable.Range(1, (int)stored).Select(i => (long)i), ReadAll(outbox), PayloadBytes);

        _disk.FreeFiller();
        var (after, refused) = AppendCounting(outbox, 100);

        Assert.Equal((100, 0), (after, refused));
        Assert.Equal(notStored, outbox.Status.Dropped);
        AssertNumbered(Enumerable.Range(1, (int)stored + 100).Select(i => (long)i), ReadAll(outbox), PayloadBytes);
    }

    [Fact]
    public void Outbox_DiskFull_TheDroppedCount_ReachesTheCheckpoint_AndSurvivesARestart()
    {
        _disk.Fill(leaveBytes: 200 * 1024);
        long dropped, next;
        using (var outbox = Open())
        {
            AppendCounting(outbox, 400);
            (dropped, next) = (outbox.Status.Dropped, outbox.NextSequence);
            Assert.True(dropped > 0, "the disk never filled");
        }

        using var reopened = Open();
        Assert.Equal((dropped, next, 0L), (reopened.Status.Dropped, reopened.NextSequence, reopened.Status.Corrupt));
    }

    [Fact]
    public void Outbox_DiskFull_AcknowledgementsStillReachTheCheckpoint_SoAcknowledgedFilesGo_AndARestartSendsNothingAgain()
    {
        _disk.Fill(leaveBytes: 300 * 1024);
        long stored;
        using (var outbox = Open())
        {
            (stored, _) = AppendCounting(outbox, 600);
            Assert.True(outbox.Status.Dropped > 0, "the disk never filled");
            var free = _disk.FreeBytes;

            outbox.Acknowledge(stored - 10);
            outbox.Flush();

            // The checkpoint could not be replaced by a new file (no free block) and was written in place: the floor
            // moved, so the files whose records all left are gone and their space is back.
            Assert.True(_disk.FreeBytes > free + (200 * 1024), $"{_disk.FreeBytes} bytes free after the acknowledgement, {free} before");
            var (after, refused) = AppendCounting(outbox, 50);
            Assert.Equal((50, 0), (after, refused));
        }

        using var reopened = Open();
        // Only what was not acknowledged is sent again after a restart: not the whole outbox, again and again.
        AssertNumbered(Enumerable.Range((int)stored - 9, 60).Select(i => (long)i), ReadAll(reopened), PayloadBytes);
        Assert.Equal(0, reopened.Status.Corrupt);
    }

    [Fact]
    public void Outbox_DiskFull_AndEverythingAcknowledged_FreesItsOpenSegmentToo()
    {
        // One segment as large as the disk: the records that fill it are all in the segment being appended to.
        _disk.Fill(leaveBytes: 200 * 1024);
        using var outbox = Open(o => o.SegmentBytes = 512 * 1024);
        var (stored, _) = AppendCounting(outbox, 400);
        outbox.Acknowledge(stored);
        var dropped = outbox.Status.Dropped;

        var (after, refused) = AppendCounting(outbox, 100);

        Assert.Equal((100, 0), (after, refused));
        Assert.Equal(dropped, outbox.Status.Dropped);
        AssertNumbered(Enumerable.Range((int)stored + 1, 100).Select(i => (long)i), ReadAll(outbox), PayloadBytes);
    }

    [Fact]
    public void Outbox_FlushOnAFullDisk_WhereNotEvenTheCheckpointFits_DoesNotThrow_AndTriesAgainOnceSpaceReturns()
    {
        _disk.Fill(leaveBytes: 100 * 1024);
        using var outbox = Open();
        var (stored, _) = AppendCounting(outbox, 200);
        File.Delete(Path.Combine(Folder, "checkpoint")); // nothing to overwrite in place: the checkpoint needs a new block
        using (var rest = File.Create(Path.Combine(_disk.Path, "rest")))
        {
            // Takes every block left, the checkpoint's freed one included.
            Assert.Throws<IOException>(() => FillUp(rest));
        }

        outbox.Flush();

        Assert.False(File.Exists(Path.Combine(Folder, "checkpoint")));
        _disk.FreeFiller();
        File.Delete(Path.Combine(_disk.Path, "rest"));
        outbox.Flush();
        Assert.True(File.Exists(Path.Combine(Folder, "checkpoint")));
        Assert.Equal(200 - stored, outbox.Status.Dropped);
    }

    [Fact]
    public void Outbox_NewOnAFullDisk_Opens_DropsWhatDoesNotFit_AndStoresOnceSpaceReturns()
    {
        _disk.Fill(leaveBytes: 0);
        using var outbox = Open();
        var (stored, notStored) = AppendCounting(outbox, 10);

        Assert.Equal((0, 10), (stored, notStored));
        Assert.Equal(10, outbox.Status.Dropped);
        _disk.FreeFiller();
        Assert.Equal((10L, 0L), AppendCounting(outbox, 10));
        outbox.Flush();
        Assert.True(File.Exists(Path.Combine(Folder, "checkpoint")));
    }

    [Fact]
    public void Outbox_FolderTurnsReadOnly_AppendThrowsOutboxUnavailable_NamingTheFolderAndTheReason()
    {
        using var outbox = Open();
        AppendCounting(outbox, 10);
        OutboxUnavailableException? refused = null;
        using (_disk.ReadOnlyOver(Folder))
        {
            // The open segment takes records until it is full; the next segment file is refused.
            for (var i = 0; i < 200 && refused is null; i++)
            {
                var sequence = outbox.NextSequence;
                refused = Record.Exception(() => outbox.Append(Topic(sequence), Payload(sequence, PayloadBytes))) as OutboxUnavailableException;
            }
        }

        Assert.NotNull(refused);
        Assert.Equal($"the outbox {Folder} cannot be used: read-only file system", refused.Message);
        Assert.Equal(0, outbox.Status.Dropped);
        AssertNumbered(Enumerable.Range(1, (int)outbox.NextSequence - 1).Select(i => (long)i), ReadAll(outbox), PayloadBytes);
    }

    [Fact]
    public void Outbox_OnAReadOnlyDisk_DoesNotOpen_NamingTheFolderAndTheReason()
    {
        Directory.CreateDirectory(Folder);
        _disk.Remount(readOnly: true);
        try
        {
            var e = Assert.Throws<OutboxUnavailableException>(() => Open());
            Assert.Equal($"the outbox {Folder} cannot be used: read-only file system", e.Message);
        }
        finally
        {
            _disk.Remount(readOnly: false);
        }
    }

    [Fact]
    public void Outbox_InAFile_DoesNotOpen_NamingThePathAndTheReason()
    {
        var e = Assert.Throws<OutboxUnavailableException>(() => Open(directory: "/etc/passwd"));

        Assert.Equal("the outbox /etc/passwd cannot be used: it is a file, not a directory", e.Message);
    }

    private static void FillUp(FileStream file)
    {
        var block = new byte[4096];
        while (true)
        {
            file.Write(block);
            file.Flush();
        }
    }

    private SegmentOutbox Open(Action<OutboxOptions>? configure = null, string? directory = null)
    {
        var options = new OutboxOptions
        {
            Directory = directory ?? Folder,
            SegmentBytes = 64 * 1024,
            MaxBytes = 64L * 1024 * 1024, // far beyond the disk: the disk fills, not the bound
            FlushInterval = TimeSpan.FromSeconds(1),
        };
        configure?.Invoke(options);
        return new SegmentOutbox(Microsoft.Extensions.Options.Options.Create(options), _time, NullLogger<SegmentOutbox>.Instance);
    }

    /// <summary>Appends <paramref name="count"/> numbered records; how many were stored (took a sequence) and how many not.</summary>
    private static (long Stored, long NotStored) AppendCounting(SegmentOutbox outbox, int count)
    {
        long stored = 0;
        for (var i = 0; i < count; i++)
        {
            var sequence = outbox.NextSequence;
            outbox.Append(Topic(sequence), Payload(sequence, PayloadBytes));
            stored += outbox.NextSequence - sequence;
        }

        return (stored, count - stored);
    }
}
