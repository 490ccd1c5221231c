using EdgeGateway.Agent.Outbox;
using static EdgeGateway.Agent.Tests.Outbox.OutboxFolder;

namespace EdgeGateway.Agent.Tests.Outbox;

/// <summary>
/// Opening without reading the sealed segments: the index vouches for them, a file that does not end as summarised
/// is read in full, damage inside a trusted segment is counted when it is delivered, once, and an outbox without an
/// index (written by the earlier version) opens as before.
/// </summary>
public sealed class OutboxIndexTests : IDisposable
{
    // Topic of 28 bytes + 200-byte payload + 30 bytes of framing; 254 to a 64 KiB segment.
    private const int Frame = 258;
    private const int PerSegment = 254;

    private readonly OutboxFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private string IndexPath => Path.Combine(_folder.Path, SegmentIndex.FileName);

    [Fact]
    public void Outbox_Open_ReadsOnlyTheOpenSegment_AndTheLastFrameOfEachSealedOne()
    {
        FillThreeSegments();

        using var reopened = _folder.Open();
        // The open segment (92 records) in full, and the last frame of each of the two sealed ones.
        Assert.Equal((92 + 2) * Frame, reopened.BytesReadAtOpen);
        AssertNumbered(Enumerable.Range(1, 600).Select(i => (long)i), ReadAll(reopened, batch: 50));
        var status = reopened.Status;
        Assert.Equal((600, 601L, 0L), (status.Depth, status.NextSequence, status.Corrupt));
    }

    [Theory]
    [InlineData(4)] // the first frame's length field
    [InlineData(100 * Frame + 60)] // a payload in the middle
    public void Outbox_CorruptRecordInATrustedSegment_IsNotReadAtOpen_ButSkippedAndCountedWhenDelivered_Once(int offset)
    {
        FillThreeSegments();
        var damaged = offset / Frame + 1;
        FlipByte(_folder.Segments()[0], offset);

        using (var outbox = _folder.Open())
        {
            Assert.Equal((92 + 2) * Frame, outbox.BytesReadAtOpen); // the damage was not read
            AssertNumbered(Enumerable.Range(1, 600).Where(i => i != damaged).Select(i => (long)i), ReadAll(outbox, batch: 50));
            var status = outbox.Status;
            Assert.Equal((599, 1L), (status.Depth, status.Corrupt));
        }

        // Not vouched for any more: read in full at the next start, where the loss is not counted a second time.
        using (var outbox = _folder.Open())
        {
            Assert.Equal((PerSegment + 92 + 1) * Frame, outbox.BytesReadAtOpen);
            Assert.Equal((599, 1L), (outbox.Status.Depth, outbox.Status.Corrupt));
            AssertNumbered(Enumerable.Range(1, 600).Where(i => i != damaged).Select(i => (long)i), ReadAll(outbox, batch: 50));
            outbox.Acknowledge(600);
        }

        using (var outbox = _folder.Open())
        {
            Assert.Equal((0, 1L, 601L), (outbox.Status.Depth, outbox.Status.Corrupt, outbox.NextSequence));
        }
    }

    [Fact]
    public void Outbox_DamageInATrustedSegment_IsFoundByTheHeadSearch_Too()
    {
        FillThreeSegments();
        FlipByte(_folder.Segments()[0], 60); // record 1, the head

        using var outbox = _folder.Open();
        var status = outbox.Status; // finds the head: reads the first segment
        Assert.Equal((599, 2L, 1L), (status.Depth, status.OldestSequence, status.Corrupt));
    }

    [Theory]
    [InlineData("appended")] // another length
    [InlineData("truncated")] // another length, the last frame cut
    [InlineData("last frame")] // the same length, the last frame's checksum broken
    public void Outbox_SealedSegmentNotAsSummarised_IsReadInFull_AtOpen(string change)
    {
        FillThreeSegments();
        var first = _folder.Segments()[0];
        switch (change)
        {
            case "appended":
                using (var file = new FileStream(first, FileMode.Append))
                {
                    file.Write(new byte[4096]);
                }

                break;
            case "truncated":
                TruncateBy(first, 20);
                break;
            default:
                FlipByte(first, (PerSegment * Frame) - 1);
                break;
        }

        using var outbox = _folder.Open();
        Assert.True(outbox.BytesReadAtOpen >= (PerSegment + 92) * Frame, $"{outbox.BytesReadAtOpen} bytes read at open");
        var lost = change == "appended" ? 0 : 1; // record 254, the last of the file
        Assert.Equal(lost, outbox.Status.Corrupt);
        AssertNumbered(Enumerable.Range(1, 600).Where(i => lost == 0 || i != PerSegment).Select(i => (long)i), ReadAll(outbox, batch: 50));
    }

    [Fact]
    public void Outbox_WrittenByTheEarlierVersion_WithoutIndex_IsReadInFull_ThenIndexed()
    {
        // The earlier version wrote the same segments and checkpoint, and no index.
        FillThreeSegments();
        File.Delete(IndexPath);

        using (var outbox = _folder.Open())
        {
            Assert.Equal(600 * Frame, outbox.BytesReadAtOpen);
            AssertNumbered(Enumerable.Range(1, 600).Select(i => (long)i), ReadAll(outbox, batch: 50));
            Assert.Equal((600, 601L, 0L), (outbox.Status.Depth, outbox.NextSequence, outbox.Status.Corrupt));
        }

        Assert.True(File.Exists(IndexPath));
        using (var outbox = _folder.Open())
        {
            Assert.Equal((92 + 2) * Frame, outbox.BytesReadAtOpen);
            AssertNumbered(Enumerable.Range(1, 600).Select(i => (long)i), ReadAll(outbox, batch: 50));
        }
    }

    [Theory]
    [InlineData("flipped")]
    [InlineData("truncated")]
    [InlineData("empty")]
    public void Outbox_DamagedIndex_IsIgnored_EverySegmentReadInFull_NothingLost(string damage)
    {
        FillThreeSegments();
        switch (damage)
        {
            case "flipped":
                FlipByte(IndexPath, 20);
                break;
            case "truncated":
                TruncateBy(IndexPath, 7);
                break;
            default:
                File.WriteAllBytes(IndexPath, []);
                break;
        }

        using var outbox = _folder.Open();
        Assert.Equal(600 * Frame, outbox.BytesReadAtOpen);
        AssertNumbered(Enumerable.Range(1, 600).Select(i => (long)i), ReadAll(outbox, batch: 50));
        Assert.Equal(0, outbox.Status.Corrupt);
    }

    [Fact]
    public void Outbox_KilledWhileWritingTheIndex_OpensWithTheOldOne_AndReadsTheSegmentItMissed()
    {
        string crashed;
        using (var outbox = _folder.Open())
        {
            AppendNumbered(outbox, PerSegment + 1); // the first segment is sealed: indexed alone
            var oldIndex = File.ReadAllBytes(IndexPath);
            AppendNumbered(outbox, PerSegment); // the second one too
            crashed = _folder.CrashCopy();
            // Killed after the new index was begun, before it replaced the old one.
            File.WriteAllBytes(Path.Combine(crashed, SegmentIndex.FileName), oldIndex);
            File.WriteAllBytes(Path.Combine(crashed, SegmentIndex.TempFileName), File.ReadAllBytes(IndexPath)[..30]);
        }

        using var reopened = _folder.Open(directory: crashed);
        Assert.False(File.Exists(Path.Combine(crashed, SegmentIndex.TempFileName)));
        Assert.Equal((PerSegment + 1 + 1) * Frame, reopened.BytesReadAtOpen); // the second in full, the third has one record
        AssertNumbered(Enumerable.Range(1, (2 * PerSegment) + 1).Select(i => (long)i), ReadAll(reopened, batch: 50));
        Assert.Equal(0, reopened.Status.Corrupt);
    }

    [Fact]
    public void Outbox_KilledBetweenSealingAndTheFirstRecordOfTheNext_TheSealedLastSegmentIsNotAppendedTo()
    {
        string crashed;
        using (var outbox = _folder.Open())
        {
            AppendNumbered(outbox, PerSegment + 1);
            crashed = _folder.CrashCopy();
        }

        // The next segment was created, and nothing written to it yet.
        var next = _folder.Segments(crashed)[1];
        File.WriteAllBytes(next, []);

        using (var reopened = _folder.Open(directory: crashed))
        {
            Assert.Equal(Frame, reopened.BytesReadAtOpen); // the sealed one's last frame only
            Assert.Equal(PerSegment + 1, reopened.NextSequence);
            AppendNumbered(reopened, 3);
            AssertNumbered(Enumerable.Range(1, PerSegment + 3).Select(i => (long)i), ReadAll(reopened, batch: 50));
        }

        Assert.Equal(PerSegment * Frame, new FileInfo(_folder.Segments(crashed)[0]).Length); // sealed files never grow
        using var again = _folder.Open(directory: crashed);
        AssertNumbered(Enumerable.Range(1, PerSegment + 3).Select(i => (long)i), ReadAll(again, batch: 50));
        Assert.Equal(0, again.Status.Corrupt);
    }

    /// <summary>600 records: two sealed segments of 254 and an open one of 92, closed cleanly.</summary>
    private void FillThreeSegments()
    {
        using var outbox = _folder.Open();
        AppendNumbered(outbox, 600);
        Assert.Equal(3, _folder.Segments().Length);
    }
}
