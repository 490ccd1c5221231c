using System.Text.Json;
using EdgeGateway.Core.Configuration;
using EdgeGateway.Core.Kpi;
using EdgeGateway.Core.Payload;
using EdgeGateway.Core.Signals;
using EdgeGateway.Core.Traces;

namespace EdgeGateway.Sensors.Simulation;

/// <summary>What a simulation run wrote.</summary>
public readonly record struct SimulationSummary(long Events, int Records);

/// <summary>
/// Simulates every cell of a gateway over [from, to] and writes the trace (the raw signals) and, separately, the
/// ground-truth KPI records computed from the simulated intervals (src/docs/simulation.md).
/// </summary>
public static class Simulator
{
    /// <summary>
    /// Writes the trace to <paramref name="trace"/> and the truth to <paramref name="truth"/> as one JSON array of
    /// schema-v1 records, one per line (the shape of <c>edgegw replay --format json</c>): per cell, per kind, in time order.
    /// <paramref name="live"/>: the truth as an agent measures it from <paramref name="fromMs"/> on (the first window of
    /// each kind from its own start, the time before unknown), not as the trace's replay does.
    /// </summary>
    public static SimulationSummary Write(
        GatewayConfig config, IReadOnlyList<SimulationOptions> options, long seed, long fromMs, long toMs,
        IReadOnlyList<WindowKind> kinds, Stream trace, Stream truth, bool live = false)
    {
        ArgumentNullException.ThrowIfNull(truth);
        var records = Run(config, options, seed, fromMs, toMs, kinds, trace, out var events, live);
        using var writer = new Utf8JsonWriter(truth);
        for (var i = 0; i < records.Count; i++)
        {
            truth.Write(i == 0 ? "[\n"u8 : ",\n"u8);
            writer.Reset();
            WindowRecordJson.Write(writer, records[i]);
            writer.Flush();
        }

        truth.Write(records.Count > 0 ? "\n]\n"u8 : "[]\n"u8);
        return new SimulationSummary(events, records.Count);
    }

    /// <summary>Writes the trace and returns the truth records.</summary>
    internal static List<WindowRecord> Run(
        GatewayConfig config, IReadOnlyList<SimulationOptions> options, long seed, long fromMs, long toMs,
        IReadOnlyList<WindowKind> kinds, Stream trace, out long events, bool live = false) =>
        Run(config, options, seed, fromMs, toMs, kinds, trace, out events, out _, live);

    /// <summary>Writes the trace and returns the truth records, and per cell the length of its stops that got a reason (ms).</summary>
    internal static List<WindowRecord> Run(
        GatewayConfig config, IReadOnlyList<SimulationOptions> options, long seed, long fromMs, long toMs,
        IReadOnlyList<WindowKind> kinds, Stream trace, out long events, out long[] reasonedStopMs, bool live = false)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(toMs, fromMs);
        var map = new SignalMap(config);
        var signals = new GatewaySignals(config, map);

        // The truth's calendar holds every closure announced before the end, from when it applies.
        var closures = SimulationContext.AllClosures(options, fromMs).Where(c => c.AnnouncedMs < toMs).Select(c => c.Time).ToList();
        var truths = new CellTruth[config.Cells.Count];
        for (var i = 0; i < truths.Length; i++)
        {
            truths[i] = new CellTruth(config.Site, config.Cells[i], config.TimeZone, kinds, fromMs, toMs, live, closures);
        }

        var simulation = new GatewaySimulation(config, options, seed, fromMs, toMs);
        using (var writer = new TraceWriter(trace, map))
        {
            writer.Comment($"simulated by edgegw simulate: seed {seed}, {TraceTimestamp.Format(fromMs)} to {TraceTimestamp.Format(toMs)}");
            writer.Header();
            Span<SignalEvent> buffer = stackalloc SignalEvent[GatewaySignals.MaxPerEvent];
            while (simulation.TryNext(out var cell, out var e))
            {
                if (cell >= 0)
                {
                    truths[cell].On(e);
                }

                var count = signals.Expand(cell, e, buffer);
                for (var i = 0; i < count; i++)
                {
                    writer.Write(buffer[i]);
                }
            }

            events = writer.Events;
        }

        var records = new List<WindowRecord>();
        reasonedStopMs = new long[truths.Length];
        for (var i = 0; i < truths.Length; i++)
        {
            records.AddRange(truths[i].Finish());
            reasonedStopMs[i] = truths[i].ReasonedStopMs;
        }

        return records;
    }
}
