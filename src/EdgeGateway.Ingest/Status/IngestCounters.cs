using System.Globalization;
using System.Text;
using EdgeGateway.Ingest.Validation;

namespace EdgeGateway.Ingest.Status;

/// <summary>What the ingest has done since it started; safe to update from any thread.</summary>
public sealed class IngestCounters
{
    private readonly long[] _deadLettered = new long[RejectionKinds.Count];
    private long _received;
    private long _written;
    private long _retries;
    private long _acksLost;
    private long _ignored;
    private long _confirmed;

    /// <summary>A message arrived.</summary>
    public void Receive() => Interlocked.Increment(ref _received);

    /// <summary><paramref name="points"/> points were accepted by the database.</summary>
    public void Write(int points) => Interlocked.Add(ref _written, points);

    /// <summary>A message was dead-lettered.</summary>
    public void DeadLetter(RejectionKind kind) => Interlocked.Increment(ref _deadLettered[(int)kind]);

    /// <summary>A write failed and will be tried again.</summary>
    public void Retry() => Interlocked.Increment(ref _retries);

    /// <summary>An acknowledgement could not be sent (its connection is gone; the broker redelivers).</summary>
    public void AckLost() => Interlocked.Increment(ref _acksLost);

    /// <summary>A message of the ingest's own dead-letter topic, or a doctor's probe, was skipped.</summary>
    public void Ignore() => Interlocked.Increment(ref _ignored);

    /// <summary><paramref name="records"/> records were confirmed to their gateway as stored (or dead-lettered).</summary>
    public void Confirm(int records) => Interlocked.Add(ref _confirmed, records);

    /// <summary>The counters now.</summary>
    public IngestCountersSnapshot Snapshot()
    {
        var deadLettered = new long[_deadLettered.Length];
        for (var i = 0; i < deadLettered.Length; i++)
        {
            deadLettered[i] = Interlocked.Read(ref _deadLettered[i]);
        }

        return new IngestCountersSnapshot(
            Interlocked.Read(ref _received), Interlocked.Read(ref _written), deadLettered,
            Interlocked.Read(ref _retries), Interlocked.Read(ref _acksLost), Interlocked.Read(ref _ignored), Interlocked.Read(ref _confirmed));
    }
}

/// <summary>The counters at one instant.</summary>
/// <param name="Received">Messages received.</param>
/// <param name="Written">Points the database accepted.</param>
/// <param name="DeadLetteredByKind">Messages dead-lettered, by <see cref="RejectionKind"/>.</param>
/// <param name="Retries">Writes that failed and were tried again.</param>
/// <param name="AcksLost">Acknowledgements not sent because the connection was gone (those messages come again).</param>
/// <param name="Ignored">The ingest's own dead letters seen through its subscription, and <c>edgegw doctor</c>'s publish probes.</param>
/// <param name="Confirmed">Records confirmed to their gateways as stored or dead-lettered (a record confirmed twice counts twice).</param>
public sealed record IngestCountersSnapshot(long Received, long Written, IReadOnlyList<long> DeadLetteredByKind, long Retries, long AcksLost, long Ignored, long Confirmed)
{
    /// <summary>Messages dead-lettered in all.</summary>
    public long DeadLettered => DeadLetteredByKind.Sum();

    /// <summary>Dead letters of one kind.</summary>
    public long DeadLetteredOf(RejectionKind kind) => DeadLetteredByKind[(int)kind];

    /// <summary><c>range=3, json=1</c>, or <c>none</c>.</summary>
    public string DeadLetteredText()
    {
        var text = new StringBuilder();
        for (var i = 0; i < DeadLetteredByKind.Count; i++)
        {
            if (DeadLetteredByKind[i] > 0)
            {
                text.Append(text.Length > 0 ? ", " : "").Append(RejectionKinds.Names[i]).Append('=').Append(DeadLetteredByKind[i].ToString(CultureInfo.InvariantCulture));
            }
        }

        return text.Length > 0 ? text.ToString() : "none";
    }
}
