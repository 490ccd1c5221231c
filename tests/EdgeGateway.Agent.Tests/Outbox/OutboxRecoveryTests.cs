using EdgeGateway.Agent.Outbox;
using static EdgeGateway.Agent.Tests.Outbox.OutboxFolder;

namespace EdgeGateway.Agent.Tests.Outbox;

/// <summary>Opening an outbox whose files a power loss or the medium damaged.</summary>
public sealed class OutboxRecoveryTests : IDisposable
{
    // Topic of 28 bytes + 200-byte payload + 30 bytes of framing.
    private const int Frame = 258;

    private readonly OutboxFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Theory]
    [InlineData(1)] // only the CRC missing
    [InlineData(50)] // inside the payload
    [InlineData(Frame - 8)] // only magic and length written
    [InlineData(Frame - 3)] // a partial magic
    public void Outbox_TornTail_IsCutOff_AndAppendsContinueWithTheRightSequence(int missingBytes)
    {
        string crashed;
        using (var outbox = _folder.Open())
        {
            AppendNumbered(outbox, 10);
            crashed = _folder.CrashCopy(); // power lost: record 10 was inside the flush window, written in part
        }

        var segment = _folder.Segments(crashed).Single();
        TruncateBy(segment, missingBytes);

        using (var outbox = _folder.Open(directory: crashed))
        {
            Assert.Equal(9 * Frame, new FileInfo(segment).Length);
            AssertNumbered(Enumerable.Range(1, 9).Select(i => (long)i), ReadAll(outbox));
            Assert.Equal(10, outbox.NextSequence);
            Assert.Equal(0, outbox.Status.Corrupt);
            AppendNumbered(outbox, 2);
            AssertNumbered(Enumerable.Range(1, 11).Select(i => (long)i), ReadAll(outbox));
        }

        using (var again = _folder.Open(directory: crashed))
        {
            AssertNumbered(Enumerable.Range(1, 11).Select(i => (long)i), ReadAll(again));
            Assert.Equal(0, again.Status.Corrupt);
        }
    }

    [Fact]
    public void Outbox_GarbageAfterTheLastRecord_IsCutOff_NothingLost()
    {
        string crashed;
        using (var outbox = _folder.Open())
        {
            AppendNumbered(outbox, 10);
            crashed = _folder.CrashCopy();
        }

        var segment = _folder.Segments(crashed).Single();
        using (var file = new FileStream(segment, FileMode.Append))
        {
            file.Write([0xE6, 0x0B, 0x5E, 0xC7, 0xFF, 0x00, 0x00, 0x00, 1, 2, 3]); // a magic, an absurd length, junk
            file.Write(new byte[4096]); // a zero-filled block, as a file system shows after a crash
        }

        using var reopened = _folder.Open(directory: crashed);
        Assert.Equal(10 * Frame, new FileInfo(segment).Length);
        AssertNumbered(Enumerable.Range(1, 10).Select(i => (long)i), ReadAll(reopened));
        Assert.Equal(11, reopened.NextSequence);
        Assert.Equal(0, reopened.Status.Corrupt);
    }

    [Theory]
    [InlineData(0)] // magic
    [InlineData(5)] // length
    [InlineData(9)] // sequence
    [InlineData(100)] // payload
    [InlineData(Frame - 1)] // checksum
    public void Outbox_FlippedByteInTheMiddle_SkipsThatRecord_CountsIt_KeepsTheRest(int byteInFrame)
    {
        using (var outbox = _folder.Open())
        {
            AppendNumbered(outbox, 10);
        }

        var segment = _folder.Segments().Single();
        FlipByte(segment, (4 * Frame) + byteInFrame); // record 5

        using (var outbox = _folder.Open())
        {
            AssertNumbered(new long[] { 1, 2, 3, 4, 6, 7, 8, 9, 10 }, ReadAll(outbox, batch: 3));
            var status = outbox.Status;
            Assert.Equal(1, status.Corrupt);
            Assert.Equal(9, status.Depth);
            Assert.Equal(11, status.NextSequence);
            AppendNumbered(outbox, 1);
            Assert.Equal(11, ReadAll(outbox, 11).Single().Sequence);
        }

        // Counted once: not again at the next start, nor once its file is gone.
        using (var outbox = _folder.Open())
        {
            Assert.Equal(1, outbox.Status.Corrupt);
            outbox.Acknowledge(11);
        }

        using (var outbox = _folder.Open())
        {
            Assert.Equal(1, outbox.Status.Corrupt);
            Assert.Equal(12, outbox.NextSequence);
        }
    }

    [Fact]
    public void Outbox_CorruptBlockAcrossRecordsAndSegments_CountsEveryLostSequence()
    {
        using (var outbox = _folder.Open())
        {
            AppendNumbered(outbox, 600); // 254 to a 64 KiB segment: 3 files
        }

        var segments = _folder.Segments();
        Assert.Equal(3, segments.Length);
        // Zero 1200 bytes from the middle of record 250 on: records 250..254 (the end of the first file) are lost.
        using (var file = new FileStream(segments[0], FileMode.Open))
        {
            file.Position = (249 * Frame) + 17;
            file.Write(new byte[1200]);
        }

        using var reopened = _folder.Open();
        var expected = Enumerable.Range(1, 600).Where(i => i is < 250 or > 254).Select(i => (long)i);
        AssertNumbered(expected, ReadAll(reopened, batch: 50));
        Assert.Equal(5, reopened.Status.Corrupt);
        Assert.Equal(595, reopened.Status.Depth);
    }

    [Fact]
    public void Outbox_DamagedTailThatWasOnDisk_CountsAsCorrupt_AndItsSequenceIsNotReused()
    {
        using (var outbox = _folder.Open())
        {
            AppendNumbered(outbox, 10);
        } // closed cleanly: the checkpoint says records up to 10 were on disk

        TruncateBy(_folder.Segments().Single(), 20);

        using var reopened = _folder.Open();
        AssertNumbered(Enumerable.Range(1, 9).Select(i => (long)i), ReadAll(reopened));
        Assert.Equal(1, reopened.Status.Corrupt);
        Assert.Equal(11, reopened.NextSequence); // 10 may have been published: never give it to another record
    }

    [Fact]
    public void Outbox_UnreadableCheckpoint_ReplaysEverythingHeld_AndKeepsSequences()
    {
        using (var outbox = _folder.Open())
        {
            AppendNumbered(outbox, 10);
            outbox.Acknowledge(4);
        }

        FlipByte(Path.Combine(_folder.Path, OutboxCheckpoint.FileName), 10);

        using var reopened = _folder.Open();
        AssertNumbered(Enumerable.Range(1, 10).Select(i => (long)i), ReadAll(reopened)); // at least once
        Assert.Equal(11, reopened.NextSequence);
        Assert.Equal(0, reopened.Status.Corrupt);
    }
}
