using System.Text;
using EdgeGateway.Core.Payload;

namespace EdgeGateway.Core.Tests.Payload;

public sealed class RecordBatchTests
{
    [Fact]
    public void WrittenBatch_ReadsBackEveryRecordByteForByte()
    {
        using var batch = new RecordBatch();
        var first = """{"v":1,"seq":1,"text":"a \"quoted\" ü"}"""u8.ToArray();
        var second = """{"v":1,"seq":2,"nested":{"x":[1,2,{"y":null}]}}"""u8.ToArray();
        batch.Begin("sme-0042", "gw-1");
        batch.Add("edgegw/v1/sme-0042/cell-1/kpi/1m", first);
        batch.Add("edgegw/v1/sme-0042/cell-1/state", second);
        var payload = batch.End();

        var records = new List<BatchedRecord>();
        Assert.True(RecordBatch.TryRead(payload, records, out var site, out var gateway, out var error), error);

        Assert.Equal(("sme-0042", "gw-1"), (site, gateway));
        Assert.Equal(["edgegw/v1/sme-0042/cell-1/kpi/1m", "edgegw/v1/sme-0042/cell-1/state"], records.Select(r => r.Topic));
        Assert.Equal(first, records[0].Payload.ToArray());
        Assert.Equal(second, records[1].Payload.ToArray());
        Assert.Equal("edgegw/v1/sme-0042/batch/gw-1", TopicScheme.BatchTopic("edgegw/v1", "sme-0042", "gw-1"));
    }

    [Fact]
    public void Writer_IsReusable_AndMeasuresItsBytes()
    {
        using var batch = new RecordBatch();
        batch.Begin("s", "g");
        batch.Add("t/1", "{}"u8);
        _ = batch.End();

        batch.Begin("s", "g");
        var empty = batch.Bytes;
        batch.Add("t/2", """{"seq":2}"""u8);
        Assert.InRange(batch.Bytes - empty, 9 + 3, RecordBatch.Overhead("t/2") + 9);
        Assert.Equal(1, batch.Count);
        Assert.Equal("""{"v":1,"site":"s","gateway":"g","records":[{"topic":"t/2","payload":{"seq":2}}]}""", Encoding.UTF8.GetString(batch.End()));
    }

    [Theory]
    [InlineData("""[]""", "batch: expected a JSON object")]
    [InlineData("""{"v":2,"site":"s","gateway":"g","records":[]}""", "batch.v: expected 1")]
    [InlineData("""{"v":1,"gateway":"g","records":[]}""", "batch: site, gateway and records are required")]
    [InlineData("""{"v":1,"site":"s","gateway":"g","records":[],"extra":1}""", "batch.extra: unknown, repeated or of the wrong type")]
    [InlineData("""{"v":1,"site":"s","gateway":"g","records":[{"topic":"t"}]}""", "batch.records[0]: topic and payload are required")]
    [InlineData("""{"v":1,"site":"s","gateway":"g","records":[{"topic":"t","payload":"x"}]}""", "batch.records[0].payload: unknown, repeated or of the wrong type")]
    [InlineData("""{"v":1,"site":"s","gateway":"g","records":[7]}""", "batch.records[0]: expected an object")]
    public void MalformedEnvelope_IsOneReasonNamingTheField(string json, string expected)
    {
        var records = new List<BatchedRecord>();

        Assert.False(RecordBatch.TryRead(Encoding.UTF8.GetBytes(json), records, out _, out _, out var error));
        Assert.Equal(expected, error);
    }

    [Fact]
    public void BrokenJson_IsAReasonNotAnException()
    {
        var records = new List<BatchedRecord>();

        Assert.False(RecordBatch.TryRead("""{"v":1,"records":[{"topic":"t","payload":{"a":"""u8.ToArray(), records, out _, out _, out var error));
        Assert.StartsWith("batch: not valid JSON: ", error, StringComparison.Ordinal);
    }
}
