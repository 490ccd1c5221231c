using System.Diagnostics;

namespace EdgeGateway.TestSupport.Delivery;

/// <summary>The end-to-end check of a scenario: what the subscriber got against what the agent's outbox says it produced.</summary>
internal static class DeliveryAssert
{
    /// <summary>How long the subscriber may go without a new record before the check gives up waiting.</summary>
    private static readonly TimeSpan s_stalled = TimeSpan.FromSeconds(20);

    /// <summary>The longest wait for the subscriber to catch up, however steadily it progresses.</summary>
    private static readonly TimeSpan s_catchUp = TimeSpan.FromSeconds(120);

    /// <summary>
    /// Every record the agent produced arrived, except exactly the <paramref name="expectedDropped"/> oldest ones,
    /// which the outbox dropped and counted, and a tail appended after <paramref name="drained"/> that the stopped
    /// agent still holds (the next start sends it). First arrivals are in sequence order; a repeat is byte-identical.
    /// </summary>
    /// <remarks>
    /// The broker may still be passing records on to the subscriber when the agent has stopped (after restarts the
    /// agent resends faster than one subscriber takes them), so this first waits, up to a timeout, until the
    /// subscriber has every record it should get and the agent's "offline" (its last message) came after its last birth.
    /// </remarks>
    /// <param name="subscriber">The subscriber that watched the whole scenario.</param>
    /// <param name="drained">The last status before the graceful stop: connected, depth 0.</param>
    /// <param name="left">The outbox after the agent exited.</param>
    /// <param name="expectedDropped">How many of the oldest records the scenario makes the outbox drop.</param>
    /// <param name="ended">Whether the simulation had ended at <paramref name="drained"/>: then nothing can be held at the end.</param>
    public static async Task<Deliveries> EveryRecordArrivedAsync(RecordSubscriber subscriber, AgentStatus drained, LeftOutbox left, long expectedDropped, bool ended)
    {
        if (ended)
        {
            Assert.True(left.Held.Count == 0, $"the outbox still holds {Describe(left.Held)} after the simulation ended and the outbox drained");
            Assert.Equal(drained.NextSeq, left.NextSequence);
        }

        var firstHeld = left.Held.Count > 0 ? left.Held[0] : left.NextSequence;
        var clock = Stopwatch.StartNew();
        var progress = Stopwatch.StartNew();
        var got = subscriber.Snapshot();
        while (clock.Elapsed < s_catchUp && progress.Elapsed < s_stalled && !(got.Statuses.Count > 0 && got.Statuses[^1].Status == "offline" && Missing(got, expectedDropped, firstHeld).Count == 0))
        {
            await Task.Delay(50);
            var before = got.Messages;
            got = subscriber.Snapshot();
            if (got.Messages > before)
            {
                progress.Restart();
            }
        }

        Check(got, drained, left, expectedDropped);
        Assert.True(got.Statuses.Count > 0 && got.Statuses[^1].Status == "offline", $"the agent's last status message is not 'offline' (waited {clock.Elapsed.TotalSeconds:F0} s): {string.Join(", ", got.Statuses.TakeLast(3))}");
        return got;
    }

    private static void Check(Deliveries got, AgentStatus drained, LeftOutbox left, long expectedDropped)
    {
        Assert.True(got.Problems.Count == 0, $"{got.Problems.Count} problems, the first ones:\n{string.Join('\n', got.Problems.Take(5))}");
        Assert.True(got.SessionsLost == 0, "the broker forgot the test subscriber's session on a reconnect: records may have been lost by the broker, not the agent");
        Assert.Equal(0, left.Corrupt);
        Assert.Equal(expectedDropped, left.Dropped);
        Assert.Equal(drained.Dropped, left.Dropped);

        // What the agent still holds is the unacknowledged tail, all of it appended after the drained status.
        var firstHeld = left.Held.Count > 0 ? left.Held[0] : left.NextSequence;
        Assert.True(left.Held.SequenceEqual(Range(firstHeld, left.NextSequence - firstHeld)), $"the outbox holds a gappy or unordered set: {Describe(left.Held)}");
        Assert.True(firstHeld >= drained.NextSeq, $"record {firstHeld} is still held, but the drained status said everything below {drained.NextSeq} was acknowledged");

        var missing = Missing(got, expectedDropped, firstHeld);
        var unexpected = got.Seqs.Where(seq => seq <= expectedDropped).Order().ToList();
        Assert.True(missing.Count == 0, $"{missing.Count} records lost (neither delivered nor held): {Describe(missing)}; produced 1..{left.NextSequence - 1}, dropped {left.Dropped}; {got}");
        Assert.True(unexpected.Count == 0, $"{unexpected.Count} records arrived that the outbox counted as dropped: {Describe(unexpected)}");
        var beyond = got.Seqs.Where(seq => seq >= left.NextSequence).Order().ToList();
        Assert.True(beyond.Count == 0, $"records arrived that the outbox never produced: {Describe(beyond)}");
        Assert.True(got.FirstArrivals.SequenceEqual(got.FirstArrivals.Order()), "first arrivals are not in sequence order");
    }

    /// <summary>Records that should have arrived and did not: not among the dropped oldest ones, not in the held tail.</summary>
    private static List<long> Missing(Deliveries got, long expectedDropped, long firstHeld)
    {
        var missing = new List<long>();
        for (var seq = expectedDropped + 1; seq < firstHeld; seq++)
        {
            if (!got.Seqs.Contains(seq))
            {
                missing.Add(seq);
            }
        }

        return missing;
    }

    private static IEnumerable<long> Range(long start, long count)
    {
        for (var i = 0L; i < count; i++)
        {
            yield return start + i;
        }
    }

    private static string Describe(IReadOnlyList<long> seqs) =>
        seqs.Count <= 12 ? $"[{string.Join(", ", seqs)}]" : $"[{string.Join(", ", seqs.Take(6))}, …, {string.Join(", ", seqs.TakeLast(6))}] ({seqs.Count})";
}
