using System.Globalization;
using System.Text;
using EdgeGateway.Core.Configuration;
using EdgeGateway.Core.Kpi;
using EdgeGateway.Core.Traces;

namespace EdgeGateway.Core.Tests;

/// <summary>Runs a trace through the same path as <c>edgegw replay</c>: config reader, trace reader, gateway engine.</summary>
internal static class Replay
{
    public static List<WindowRecord> Run(string configJson, string traceCsv, params WindowKind[] kinds) =>
        RunLive(configJson, traceCsv, clockTicks: null, kinds);

    /// <summary>
    /// Replays like a live gateway whose clock ticks between events: before each event, with the given
    /// probability, every cell is moved to a random instant between the previous event and this one.
    /// </summary>
    public static List<WindowRecord> RunLive(string configJson, string traceCsv, (Random Random, double Probability)? clockTicks, params WindowKind[] kinds)
    {
        var config = ConfigReader.Read(Encoding.UTF8.GetBytes(configJson), "test.json");
        var sink = new RecordList();
        var engine = new GatewayEngine(config, kinds.Length == 0 ? [WindowKind.Total] : kinds, sink);
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(traceCsv));
        using var reader = new TraceReader(stream, "test.csv", engine.Signals);
        long? previous = null;
        while (reader.TryRead(out var e))
        {
            if (clockTicks is var (random, probability) && previous is { } from && e.TimestampMs > from && random.NextDouble() < probability)
            {
                engine.AdvanceTo(random.NextInt64(from, e.TimestampMs + 1));
            }

            engine.Process(e);
            previous = e.TimestampMs;
        }

        engine.Finish();
        return sink;
    }

    public static WindowRecord Total(string configJson, string traceCsv) => Assert.Single(Run(configJson, traceCsv, WindowKind.Total));

    private sealed class RecordList : List<WindowRecord>, IWindowRecordSink
    {
        public void OnRecord(in WindowRecord record) => Add(record);
    }
}

/// <summary>Builds a one-cell config in the contract's shape.</summary>
internal static class TestConfig
{
    public const string AllSignals = """
        "green": { "Role": "StateRun" }, "yellow": { "Role": "StateIdle" }, "red": { "Role": "StateDown" },
        "setup": { "Role": "Setup" }, "cycle": { "Role": "CyclePulse" }, "scrap": { "Role": "ScrapPulse" },
        "power": { "Role": "PowerKw" }
        """;

    /// <summary>Four reasons, one per class, given within 600 s after a stop; a stop of 300 s or more without one is unassigned.</summary>
    public const string StopReasons = """
        "StopReasons": { "GraceSeconds": 600, "UnassignedAfterSeconds": 300, "Codes": {
          "breakdown": { "Name": "Breakdown", "Class": "Down" },
          "waiting_material": { "Name": "Waiting for material", "Class": "Idle" },
          "planned_maintenance": { "Name": "Planned maintenance", "Class": "PlannedStop" },
          "changeover": { "Name": "Changeover", "Class": "Setup" } } },
        """;

    public static string Cell(string shifts, double idealCycleSeconds = 30, double minorStopSeconds = 120, string policy = "Iso22400", string timeZone = "Etc/UTC", string signals = AllSignals, string extra = "", string gateway = "") =>
        $$"""
        { "EdgeGateway": { "Site": "sme-0042", "TimeZone": "{{timeZone}}",{{gateway}}
          "Cells": [ { "Id": "cell-1", "IdealCycleSeconds": {{idealCycleSeconds.ToString(CultureInfo.InvariantCulture)}},
            "MinorStopSeconds": {{minorStopSeconds.ToString(CultureInfo.InvariantCulture)}}, "MinorStopPolicy": "{{policy}}",
            "Signals": { {{signals}} },{{extra}}
            "Shifts": [ {{shifts}} ] } ] } }
        """;

    public static string Shift(string days, string start, string end, bool staffed = true, string breaks = "") =>
        $$"""{ "Days": "{{days}}", "Start": "{{start}}", "End": "{{end}}", "Staffed": {{(staffed ? "true" : "false")}}, "Breaks": [ {{breaks}} ] }""";

    public static string Break(string start, string end) => $$"""{ "Start": "{{start}}", "End": "{{end}}" }""";
}

/// <summary>Builds trace text; events must be added in time order.</summary>
internal sealed class TraceBuilder
{
    private readonly StringBuilder _text = new("timestamp,signal,value\n");

    public int Count { get; private set; }

    /// <summary>A context line (src/docs/traces.md, "Context lines"): <c>@reason:cell-1</c> and its value as written.</summary>
    public TraceBuilder Context(DateTime utc, string signal, string value)
    {
        _text.Append(TraceTimestamp.Format(Core.Calendar.SiteTime.ToUnixMs(utc))).Append(',').Append(signal).Append(',').Append(value).Append('\n');
        Count++;
        return this;
    }

    public TraceBuilder At(DateTime utc, string signal, double value = 1)
    {
        _text.Append(TraceTimestamp.Format(Core.Calendar.SiteTime.ToUnixMs(utc)))
            .Append(',').Append(signal).Append(',').Append(double.IsNaN(value) ? "fault" : value.ToString(CultureInfo.InvariantCulture)).Append('\n');
        Count++;
        return this;
    }

    /// <summary>Switches the stack light to one lamp (or none for "off") at <paramref name="utc"/>.</summary>
    public TraceBuilder Light(DateTime utc, string lamp)
    {
        foreach (var signal in new[] { "green", "yellow", "red", "setup" })
        {
            At(utc, signal, signal == lamp ? 1 : 0);
        }

        return this;
    }

    public override string ToString() => _text.ToString();

    public static DateTime Utc(string text) => DateTime.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);
}
