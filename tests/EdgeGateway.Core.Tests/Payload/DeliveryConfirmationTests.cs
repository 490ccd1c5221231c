using System.Buffers;
using System.Text;
using EdgeGateway.Core.Payload;

namespace EdgeGateway.Core.Tests.Payload;

public sealed class DeliveryConfirmationTests
{
    [Fact]
    public void Write_JoinsSequencesIntoSortedRanges()
    {
        var payloads = DeliveryConfirmation.Write("sme-0042", "gw-1", [7, 3, 1, 2, 9, 8, 3]);

        Assert.Equal("""{"v":1,"site":"sme-0042","gateway":"gw-1","seq":[[1,3],[7,9]]}""", Encoding.UTF8.GetString(Assert.Single(payloads)));
    }

    [Fact]
    public void Write_SplitsAfterMaxRanges_AndReadsBackEverySequence()
    {
        var sequences = Enumerable.Range(0, DeliveryConfirmation.MaxRanges + 10).Select(i => 1 + (2L * i)).ToList();

        var payloads = DeliveryConfirmation.Write("s", "g", [.. sequences]);

        Assert.Equal(2, payloads.Count);
        var read = new List<long>();
        var ranges = new List<SequenceRange>();
        foreach (var payload in payloads)
        {
            Assert.True(DeliveryConfirmation.TryRead(new ReadOnlySequence<byte>(payload), "s", "g", ranges, out var error), error);
            read.AddRange(ranges.SelectMany(r => Enumerable.Range(0, (int)(r.To - r.From + 1)).Select(i => r.From + i)));
        }

        Assert.Equal(sequences, read);
    }

    [Theory]
    [InlineData("""{"v":1,"site":"s","gateway":"g","seq":[[1,2],[4,4]]}""", null)]
    [InlineData("""{"v":2,"site":"s","gateway":"g","seq":[]}""", "v: expected 1")]
    [InlineData("""{"v":1,"site":"other","gateway":"g","seq":[]}""", "site: expected \"s\"")]
    [InlineData("""{"v":1,"site":"s","gateway":"h","seq":[]}""", "gateway: expected \"g\"")]
    [InlineData("""{"v":1,"site":"s","gateway":"g","seq":[[2,1]]}""", "seq[0]: expected [from, to] with 1 ≤ from ≤ to, ascending and disjoint")]
    [InlineData("""{"v":1,"site":"s","gateway":"g","seq":[[1,5],[5,6]]}""", "seq[1]: expected [from, to] with 1 ≤ from ≤ to, ascending and disjoint")]
    [InlineData("""{"v":1,"site":"s","gateway":"g","seq":[[0,1]]}""", "seq[0]: expected [from, to] with 1 ≤ from ≤ to, ascending and disjoint")]
    [InlineData("""{"v":1,"site":"s","gateway":"g","seq":[["1",2]]}""", "seq[0]: expected [from, to] with 1 ≤ from ≤ to, ascending and disjoint")]
    [InlineData("""{"v":1,"site":"s","gateway":"g","seq":[[1.5,2]]}""", "seq[0]: expected [from, to] with 1 ≤ from ≤ to, ascending and disjoint")]
    [InlineData("""{"v":1,"site":"s","gateway":"g","seq":7}""", "seq: expected an array of at most 4096 [from, to] pairs")]
    [InlineData("""[1]""", "expected a JSON object")]
    public void TryRead_AcceptsOnlyThisGatewaysWellFormedConfirmation(string json, string? expectedError)
    {
        var ranges = new List<SequenceRange>();

        var ok = DeliveryConfirmation.TryRead(new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes(json)), "s", "g", ranges, out var error);

        Assert.Equal(expectedError is null, ok);
        Assert.Equal(expectedError, error);
        if (ok)
        {
            Assert.Equal([new SequenceRange(1, 2), new SequenceRange(4, 4)], ranges);
        }
    }

    [Fact]
    public void TryRead_BrokenJson_IsAReasonNotAnException()
    {
        var ranges = new List<SequenceRange>();

        Assert.False(DeliveryConfirmation.TryRead(new ReadOnlySequence<byte>("{\"v\":1,"u8.ToArray()), "s", "g", ranges, out var error));
        Assert.StartsWith("not valid JSON: ", error, StringComparison.Ordinal);
    }
}
