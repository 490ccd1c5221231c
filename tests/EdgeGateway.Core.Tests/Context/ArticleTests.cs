using System.Buffers;
using System.Text.Json;
using EdgeGateway.Core.Kpi;
using EdgeGateway.Core.Payload;
using static EdgeGateway.Core.Tests.TraceBuilder;

namespace EdgeGateway.Core.Tests.Context;

/// <summary>
/// Articles (src/docs/kpi-model.md, "Articles"), hand-computed: the cell runs 06:00-07:00 on Monday 2026-03-23 (UTC),
/// article A (ideal 20 s, one part a cycle) until 06:30, then B (ideal 60 s, a four-cavity tool).
/// </summary>
public sealed class ArticleTests
{
    private const string Articles = """
        "Articles": { "A": { "IdealCycleSeconds": 20 }, "B": { "Name": "Bracket, 4-cavity", "IdealCycleSeconds": 60, "PartsPerCycle": 4 } },
        """;

    private static readonly string s_config = TestConfig.Cell(TestConfig.Shift("Mon-Fri", "06:00", "14:00"), idealCycleSeconds: 20, extra: Articles);

    [Fact]
    public void ArticleChangeMidShift_EffectivenessFromEachArticlesIdealTime()
    {
        var record = Replay.Total(s_config, MixTrace().ToString());

        Assert.Equal(3_600, record.Seconds(Bucket.Run));
        Assert.Equal(90 + 120, record.Produced);                   // 90 cycles of A, 30 cycles × 4 of B
        Assert.Equal(90 * 20 + 30 * 60, record.IdealSeconds);      // 3600 s
        Assert.Equal(1.0, record.Effectiveness!.Value, 12);        // one ideal cycle time for all would say 210 × 20 / 3600 = 1.17
        Assert.Equal(1, record.Scrap);
        Assert.Equal(((90 * 20) + (119 * 60 / 4.0)) / 3_600, record.Teep!.Value, 12); // good parts at their own ideal time
        Assert.Equal(90, record.ArticleProduced(0));
        Assert.Equal(0, record.ArticleScrap(0));
        Assert.Equal(120, record.ArticleProduced(1));
        Assert.Equal(1, record.ArticleScrap(1));
    }

    [Fact]
    public void ArticleChangeMidShift_RecordCarriesCountsPerArticle_AndTheIdealTime()
    {
        var record = Replay.Total(s_config, MixTrace().ToString());
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            WindowRecordJson.Write(writer, record);
        }

        using var json = JsonDocument.Parse(buffer.WrittenMemory);
        var root = json.RootElement;
        Assert.Equal(3_600, root.GetProperty("ideal_s").GetDouble());
        Assert.Equal(0, root.GetProperty("unassigned_stops").GetInt64());
        Assert.Equal("""{"A":{"produced":90,"scrap":0,"good":90},"B":{"produced":120,"scrap":1,"good":119}}""", root.GetProperty("articles").GetRawText());
        Assert.False(root.TryGetProperty("reasons", out _)); // no reasons configured
    }

    [Fact]
    public void PulseAtTheInstantOfAnArticleLine_CountsForTheArticleBefore_WhenItsLineComesFirst()
    {
        var trace = new TraceBuilder()
            .Context(Utc("2026-03-23T06:00:00Z"), "@article:cell-1", "A")
            .Light(Utc("2026-03-23T06:00:00Z"), "green")
            .At(Utc("2026-03-23T06:10:00Z"), "cycle")
            .Context(Utc("2026-03-23T06:10:00Z"), "@article:cell-1", "B")
            .At(Utc("2026-03-23T06:20:00Z"), "cycle")
            .Light(Utc("2026-03-23T06:30:00Z"), "off");

        var record = Replay.Total(s_config, trace.ToString());

        Assert.Equal(1, record.ArticleProduced(0));
        Assert.Equal(4, record.ArticleProduced(1));
    }

    [Fact]
    public void CyclesBeforeAnyArticle_CountAtTheCellsIdealCycleTime_OnePartEach()
    {
        var trace = new TraceBuilder()
            .Light(Utc("2026-03-23T06:00:00Z"), "green")
            .At(Utc("2026-03-23T06:10:00Z"), "cycle")
            .Context(Utc("2026-03-23T06:15:00Z"), "@article:cell-1", "B")
            .At(Utc("2026-03-23T06:20:00Z"), "cycle")
            .Light(Utc("2026-03-23T06:30:00Z"), "off");

        var record = Replay.Total(s_config, trace.ToString());

        Assert.Equal(5, record.Produced);
        Assert.Equal(20 + 60, record.IdealSeconds);
        Assert.False(record.ArticleSeen(0));
    }

    [Fact]
    public void MinuteRecords_SumToTheTotal_ForArticleCountsAndIdealTime()
    {
        var minutes = Replay.Run(s_config, MixTrace().ToString(), WindowKind.Minute);
        var total = Replay.Total(s_config, MixTrace().ToString());

        Assert.Equal(total.IdealSeconds, minutes.Sum(r => r.IdealSeconds), 9);
        Assert.Equal(total.ArticleProduced(1), minutes.Sum(r => r.ArticleProduced(1)));
        Assert.Equal(total.ArticleScrap(1), minutes.Sum(r => r.ArticleScrap(1)));
    }

    private static TraceBuilder MixTrace()
    {
        var trace = new TraceBuilder()
            .Context(Utc("2026-03-23T06:00:00Z"), "@article:cell-1", "A")
            .Light(Utc("2026-03-23T06:00:00Z"), "green");
        var t = Utc("2026-03-23T06:00:00Z");
        for (var i = 1; i <= 90; i++)
        {
            trace.At(t.AddSeconds(20 * i), "cycle");
        }

        trace.Context(t.AddMinutes(30), "@article:cell-1", "B");
        for (var i = 1; i <= 30; i++)
        {
            trace.At(t.AddMinutes(30).AddSeconds(60 * i), "cycle");
            if (i == 15)
            {
                trace.At(t.AddMinutes(30).AddSeconds(60 * i), "scrap");
            }
        }

        return trace.Light(t.AddMinutes(60), "off");
    }
}
