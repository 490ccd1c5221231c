using System.Text;
using System.Text.Json;
using EdgeGateway.Core.Kpi;
using EdgeGateway.Core.Payload;
using static EdgeGateway.Core.Tests.TraceBuilder;

namespace EdgeGateway.Core.Tests.Kpi;

public sealed class AuxChannelTests
{
    private static readonly string s_config = TestConfig.Cell(
        TestConfig.Shift("Mon-Fri", "06:00", "14:00"),
        signals: TestConfig.AllSignals + """, "temperature": { "Role": "Aux" }, "vibration": { "Role": "Aux" }""");

    [Fact]
    public void AuxSamples_AreCarriedPerWindow_AsSamplesMinMeanMax()
    {
        var trace = new TraceBuilder()
            .Light(Utc("2026-03-30T08:00:00Z"), "green")
            .At(Utc("2026-03-30T08:00:10Z"), "temperature", 20).At(Utc("2026-03-30T08:00:40Z"), "temperature", 24)
            .At(Utc("2026-03-30T08:01:10Z"), "temperature", 30).At(Utc("2026-03-30T08:01:10Z"), "vibration", 0.5)
            .At(Utc("2026-03-30T08:01:20Z"), "temperature", double.NaN)
            .Light(Utc("2026-03-30T08:02:00Z"), "off");

        var records = Replay.Run(s_config, trace.ToString(), WindowKind.Minute, WindowKind.Total);
        var total = records.Single(r => r.Kind == WindowKind.Total);
        var firstMinute = records.First(r => r.Kind == WindowKind.Minute);

        Assert.Equal((3L, 20.0, 74.0, 30.0), (total.Aux(0).Count, total.Aux(0).Min, total.Aux(0).Sum, total.Aux(0).Max));
        Assert.Equal((1L, 0.5), (total.Aux(1).Count, total.Aux(1).Max));
        Assert.Equal(2, firstMinute.Aux(0).Count);
        Assert.Equal(0, firstMinute.Aux(1).Count);
        Assert.Equal(1, total.SensorFaults);

        using var json = JsonDocument.Parse(Write(total));
        var temperature = json.RootElement.GetProperty("aux").GetProperty("temperature");
        Assert.Equal(3, temperature.GetProperty("samples").GetInt32());
        Assert.Equal(74.0 / 3, temperature.GetProperty("mean").GetDouble(), 12);
        Assert.Equal(1, json.RootElement.GetProperty("data_quality").GetProperty("sensor_faults").GetInt32());

        using var minute = JsonDocument.Parse(Write(firstMinute));
        Assert.Equal(JsonValueKind.Null, minute.RootElement.GetProperty("aux").GetProperty("vibration").GetProperty("mean").ValueKind);
    }

    [Fact]
    public void CellWithoutAux_HasNoAuxObject()
    {
        var total = Replay.Total(TestConfig.Cell(TestConfig.Shift("Mon-Fri", "06:00", "14:00")), new TraceBuilder().Light(Utc("2026-03-30T08:00:00Z"), "green").ToString());

        using var json = JsonDocument.Parse(Write(total));
        Assert.False(json.RootElement.TryGetProperty("aux", out _));
    }

    private static string Write(WindowRecord record)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            WindowRecordJson.Write(writer, record);
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
