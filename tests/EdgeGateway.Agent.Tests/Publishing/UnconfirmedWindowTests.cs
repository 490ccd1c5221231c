using EdgeGateway.Agent.Publishing;

namespace EdgeGateway.Agent.Tests.Publishing;

public sealed class UnconfirmedWindowTests
{
    [Fact]
    public void ConfirmedOutOfOrder_ReleasedOnlyAsAPrefix()
    {
        var window = new UnconfirmedWindow(8);
        for (var seq = 1; seq <= 5; seq++)
        {
            window.Add(seq, sentAtMs: 100 + seq);
        }

        // Two ingest instances: the second confirms its share first.
        Assert.Equal(2, window.Confirm(3, 4));
        Assert.Equal(0, window.ReleaseConfirmedPrefix());
        Assert.Equal(UnconfirmedWindow.Held.Confirmed, window.Find(3));
        Assert.Equal(UnconfirmedWindow.Held.Waiting, window.Find(1));

        Assert.Equal(2, window.Confirm(1, 2));
        Assert.Equal(4, window.ReleaseConfirmedPrefix());
        Assert.Equal(1, window.Count);
        Assert.Equal((5L, 105L), window.Oldest);
        Assert.Equal(UnconfirmedWindow.Held.No, window.Find(2));
    }

    [Fact]
    public void RepeatedAndForeignConfirmations_CountOnlyRecordsStillWaiting()
    {
        var window = new UnconfirmedWindow(4);
        window.Add(10, 0);
        window.Add(12, 0);

        Assert.Equal(1, window.Confirm(10, 11));
        Assert.Equal(0, window.Confirm(10, 10));
        Assert.Equal(0, window.Confirm(1, 9));
        Assert.Equal(0, window.Confirm(13, 100));
        Assert.Equal(10, window.ReleaseConfirmedPrefix());
        Assert.Equal(UnconfirmedWindow.Held.Waiting, window.Find(12));
    }

    [Fact]
    public void FullRing_WrapsAroundAndRefusesOneMore()
    {
        var window = new UnconfirmedWindow(3);
        for (var seq = 1L; seq <= 30; seq++)
        {
            window.Add(seq, seq);
            if (window.IsFull)
            {
                Assert.Throws<InvalidOperationException>(() => window.Add(seq + 1, 0));
                window.Confirm(seq - 2, seq - 1);
                Assert.Equal(seq - 1, window.ReleaseConfirmedPrefix());
            }
        }

        Assert.Equal(2, window.Count);
        Assert.Equal(30, window.LastSequence);
        Assert.Equal((29L, 29L), window.Oldest);
    }

    [Fact]
    public void Resent_MovesTheSendTime_ForgetBelow_DropsWhatTheOutboxNoLongerHolds()
    {
        var window = new UnconfirmedWindow(4);
        window.Add(1, 10);
        window.Add(2, 20);
        window.Add(3, 30);
        window.Resent(1, 99);
        Assert.Equal((1L, 99L), window.Oldest);

        window.ForgetBelow(3);
        Assert.Equal((3L, 30L), window.Oldest);
        Assert.Equal(1, window.Count);
    }

    [Fact]
    public void AddingOutOfOrder_Throws()
    {
        var window = new UnconfirmedWindow(4);
        window.Add(5, 0);
        Assert.Throws<InvalidOperationException>(() => window.Add(5, 0));
        Assert.Throws<InvalidOperationException>(() => window.Add(4, 0));
    }
}
