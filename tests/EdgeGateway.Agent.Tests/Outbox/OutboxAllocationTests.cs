namespace EdgeGateway.Agent.Tests.Outbox;

/// <summary>The pipeline appends once per record and the publisher acknowledges once per record: neither may allocate.</summary>
public sealed class OutboxAllocationTests : IDisposable
{
    private readonly OutboxFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Outbox_AppendAndAcknowledge_AllocateNothingInSteadyState()
    {
        // One segment holds the whole run: starting a segment (a file, every SegmentBytes) is not steady state.
        using var outbox = _folder.Open(o =>
        {
            o.SegmentBytes = 64 * 1024 * 1024;
            o.MaxBytes = 256L * 1024 * 1024;
        });
        const string topic = "edgegw/sme-0042/gw-1/cell-1/kpi/1m";
        var payload = new byte[500];
        Random.Shared.NextBytes(payload);
        for (var i = 0; i < 2_000; i++)
        {
            outbox.Append(topic, payload);
            outbox.Acknowledge(outbox.NextSequence - 1);
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 20_000; i++)
        {
            outbox.Append(topic, payload);
            outbox.Acknowledge(outbox.NextSequence - 1);
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, allocated);
        Assert.Equal(22_001, outbox.NextSequence);
        Assert.Equal(0, outbox.Status.Depth);
    }
}
