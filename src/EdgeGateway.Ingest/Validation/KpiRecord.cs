namespace EdgeGateway.Ingest.Validation;

/// <summary>A KPI record (payload schema v1 as published: with gateway, seq and clock_synced).</summary>
public sealed class KpiRecord : CellRecord
{
    /// <summary>Window kind: <c>1m</c>, <c>shift</c>, <c>day</c> or <c>total</c> (tag).</summary>
    public required string Window { get; init; }

    /// <summary>Window start, Unix ms (the point's time).</summary>
    public required long StartMs { get; init; }

    /// <summary>Window end, Unix ms.</summary>
    public required long EndMs { get; init; }

    /// <summary>Seconds per bucket, in <see cref="EdgeGateway.Core.Payload.KpiPayload.BucketNames"/> order.</summary>
    public required double[] Buckets { get; init; }

    /// <summary>Cycle pulses.</summary>
    public required long Produced { get; init; }

    /// <summary>Produced minus scrap (may be negative in small windows).</summary>
    public required long Good { get; init; }

    /// <summary>Scrap pulses.</summary>
    public required long Scrap { get; init; }

    /// <summary>Good parts outside staffed time.</summary>
    public required long UnattendedGood { get; init; }

    /// <summary>Down intervals that are not minor stops.</summary>
    public required long Failures { get; init; }

    /// <summary>KPIs in <see cref="EdgeGateway.Core.Payload.KpiPayload.KpiNames"/> order; null when undefined.</summary>
    public required double?[] Kpis { get; init; }

    /// <summary>Energy of the window.</summary>
    public required double Kwh { get; init; }

    /// <summary>kWh per good part.</summary>
    public required double? KwhPerGoodPart { get; init; }

    /// <summary>Energy while not running / all energy.</summary>
    public required double? IdleEnergyShare { get; init; }

    /// <summary>Minor stops counted.</summary>
    public required long MinorStops { get; init; }

    /// <summary>Minor-stop seconds in the window.</summary>
    public required double MinorStopSeconds { get; init; }

    /// <summary><c>Iso22400</c> or <c>Nakajima</c>.</summary>
    public required string MinorStopPolicy { get; init; }

    /// <summary>Minor-stop threshold, s.</summary>
    public required double MinorStopThresholdSeconds { get; init; }

    /// <summary>Ideal cycle time, s.</summary>
    public required double IdealCycleSeconds { get; init; }

    /// <summary>Aux signal statistics (empty without Aux signals).</summary>
    public required IReadOnlyList<AuxStatistics> Aux { get; init; }

    /// <summary>Share of the window with valid signals.</summary>
    public required double? Coverage { get; init; }

    /// <summary>Sensor faults that started in the window.</summary>
    public required long SensorFaults { get; init; }

    /// <summary>Whether the gateway's clock was synchronised.</summary>
    public required bool ClockSynced { get; init; }

    /// <summary>KPI definitions version.</summary>
    public required string Definitions { get; init; }
}

/// <summary>Statistics of one Aux signal in a window.</summary>
public sealed record AuxStatistics(string Signal, long Samples, double? Min, double? Mean, double? Max);
