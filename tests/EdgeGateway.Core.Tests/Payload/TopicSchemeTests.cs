using EdgeGateway.Core.Kpi;
using EdgeGateway.Core.Payload;

namespace EdgeGateway.Core.Tests.Payload;

public sealed class TopicSchemeTests
{
    private const string Prefix = "edgegw/v1";

    [Fact]
    public void GatewayTopics_AreTheDocumentedOnes()
    {
        var topics = new TopicScheme(Prefix, "sme-0042", "gw-1");

        Assert.Equal(
            ["edgegw/v1/sme-0042/lathe-1/kpi/1m", "edgegw/v1/sme-0042/lathe-1/kpi/total", "edgegw/v1/sme-0042/lathe-1/state", "edgegw/v1/sme-0042/status/gw-1", "edgegw/v1/sme-0042/batch/gw-1", "edgegw/v1/sme-0042/#"],
            [topics.Kpi("lathe-1", WindowKind.Minute), topics.Kpi("lathe-1", WindowKind.Total), topics.State("lathe-1"), topics.Status, topics.Batch, topics.SiteFilter]);
        Assert.Equal("edgegw/confirm/v1/sme-0042/gw-1", TopicScheme.ConfirmationTopic(DeliveryConfirmation.DefaultTopicPrefix, "sme-0042", "gw-1"));
        Assert.Equal("edgegw/v1/_deadletter/schema", TopicScheme.DeadLetterTopic(Prefix, "schema"));
        Assert.Equal("edgegw/v1/#", TopicScheme.AllFilter(Prefix));
    }

    [Fact]
    public void EveryBuiltTopic_ParsesBackIntoItsParts()
    {
        var topics = new TopicScheme(Prefix, "sme-0042", "gw-1");
        (string Topic, TopicAddress Address)[] cases =
        [
            (topics.Kpi("lathe-1", WindowKind.Shift), new(TopicKind.Kpi, "sme-0042", "lathe-1", "shift", null)),
            (topics.State("lathe-1"), new(TopicKind.State, "sme-0042", "lathe-1", null, null)),
            (topics.Status, new(TopicKind.Status, "sme-0042", null, null, "gw-1")),
            (topics.Batch, new(TopicKind.Batch, "sme-0042", null, null, "gw-1")),
            (topics.Command, new(TopicKind.Command, "sme-0042", null, null, "gw-1")),
            (topics.Reply, new(TopicKind.Reply, "sme-0042", null, null, "gw-1")),
            (TopicScheme.DeadLetterTopic(Prefix, "range"), new(TopicKind.DeadLetter, "", null, null, null)),
        ];

        foreach (var (topic, expected) in cases)
        {
            Assert.True(TopicScheme.TryParse(Prefix, topic, out var address, out var problem), problem);
            Assert.Equal(expected, address);
        }
    }

    [Fact]
    public void AmbiguousLevels_AreReadAsStatusAndBatchOfAGateway()
    {
        Assert.True(TopicScheme.TryParse(Prefix, "edgegw/v1/s/status/state", out var status, out _));
        Assert.True(TopicScheme.TryParse(Prefix, "edgegw/v1/s/batch/state", out var batch, out _));
        Assert.True(TopicScheme.TryParse(Prefix, "edgegw/v1/s/command/state", out var command, out _));
        Assert.True(TopicScheme.TryParse(Prefix, "edgegw/v1/s/reply/state", out var reply, out _));

        Assert.Equal(new TopicAddress(TopicKind.Status, "s", null, null, "state"), status);
        Assert.Equal(new TopicAddress(TopicKind.Batch, "s", null, null, "state"), batch);
        Assert.Equal(new TopicAddress(TopicKind.Command, "s", null, null, "state"), command);
        Assert.Equal(new TopicAddress(TopicKind.Reply, "s", null, null, "state"), reply);
    }

    [Theory]
    [InlineData("other/v1/s/c/state", "topic 'other/v1/s/c/state' is not under the prefix 'edgegw/v1'")]
    [InlineData("edgegw/v1", "topic 'edgegw/v1' is not under the prefix 'edgegw/v1'")]
    [InlineData("edgegw/v1/s/c/kpi", "topic 'edgegw/v1/s/c/kpi' is not a kpi, state, status, batch, command or reply topic under 'edgegw/v1'")]
    [InlineData("edgegw/v1/s!/c/state", "topic site 's!' is not an id (1-64 of A-Z a-z 0-9 . _ -)")]
    [InlineData("edgegw/v1/s/c c/state", "topic cell 'c c' is not an id (1-64 of A-Z a-z 0-9 . _ -)")]
    [InlineData("edgegw/v1/s/status/g+", "topic gateway 'g+' is not an id (1-64 of A-Z a-z 0-9 . _ -)")]
    [InlineData("edgegw/v1/s/c/kpi/5m", "topic window '5m' is not one of total, day, shift, 1m")]
    public void TopicsOutsideTheScheme_AreRefused_WithTheProblem(string topic, string expected)
    {
        Assert.False(TopicScheme.TryParse(Prefix, topic, out _, out var problem));
        Assert.Equal(expected, problem);
    }
}
