using EdgeGateway.Core.Payload;

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

    /// <summary>The measured values, in <see cref="KpiFields.All"/> order (a choice as its index); null when undefined.</summary>
    public required double?[] Values { get; init; }

    /// <summary>The value of <paramref name="field"/>.</summary>
    public double? this[KpiField field] => Values[field.Index];

    /// <summary>Aux signal statistics (empty without Aux signals).</summary>
    public required IReadOnlyList<AuxStatistics> Aux { get; init; }

    /// <summary>Seconds of stop time per reason code, the codes with time (empty without reasons, or from an older gateway).</summary>
    public IReadOnlyList<ReasonTime> Reasons { get; init; } = [];

    /// <summary>Parts per article, the articles with parts (empty without articles, or from an older gateway).</summary>
    public IReadOnlyList<ArticleParts> Articles { get; init; } = [];

    /// <summary>Whether the gateway's clock was synchronised.</summary>
    public required bool ClockSynced { get; init; }

    /// <summary>KPI definitions version.</summary>
    public required string Definitions { get; init; }
}

/// <summary>Statistics of one Aux signal in a window.</summary>
public sealed record AuxStatistics(string Signal, long Samples, double? Min, double? Mean, double? Max);

/// <summary>The seconds of stop time booked to one reason code in a window (<c>reasons.{code}</c>).</summary>
public sealed record ReasonTime(string Code, double Seconds);

/// <summary>The parts of one article in a window (<c>articles.{id}</c>): good is produced − scrap.</summary>
public sealed record ArticleParts(string Article, long Produced, long Scrap, long Good);
