namespace EdgeGateway.Evaluation.Panel;

/// <summary>
/// The sums of one cell's <c>day</c> KPI record (InfluxDB measurement <c>kpi</c>, <c>window = 'day'</c>): buckets in
/// seconds and counts, from which every outcome is recomputed as a ratio of sums (never an average of ratios).
/// <see cref="Day"/> is the site-local date of the window.
/// </summary>
public readonly record struct DayRecord(
    DateOnly Day,
    double RunSeconds,
    double SetupSeconds,
    double DownSeconds,
    double IdleSeconds,
    double WindowSeconds,
    double Produced,
    double Good,
    double Scrap,
    double UnattendedGood,
    double Kwh,
    double IdealCycleSeconds,
    double Coverage)
{
    /// <summary>
    /// The record's <c>ideal_s</c>, the ideal time of its cycles at each article's own ideal cycle time; null for a
    /// record of a gateway older than the field.
    /// </summary>
    public double? IdealSeconds { get; init; }

    /// <summary>Planned busy time (ISO 22400 PBT): run + setup + down + idle.</summary>
    public double PlannedBusySeconds => RunSeconds + SetupSeconds + DownSeconds + IdleSeconds;

    /// <summary>
    /// The ideal time of the parts produced, effectiveness' numerator: <see cref="IdealSeconds"/>, or for an older
    /// record <see cref="IdealCycleSeconds"/> × produced (right while the cell made one article).
    /// </summary>
    public double ProducedIdealSeconds => IdealSeconds ?? (Produced * IdealCycleSeconds);

    /// <summary>The ideal time of the good parts, OEE's and TEEP's numerator: <see cref="ProducedIdealSeconds"/> × good / produced.</summary>
    public double GoodIdealSeconds => IdealSeconds is { } ideal ? (Produced > 0 ? ideal * Good / Produced : 0) : Good * IdealCycleSeconds;
}

/// <summary>One cell's day records in date order (at most one per date).</summary>
public sealed record CellDays(string Site, string Cell, IReadOnlyList<DayRecord> Days);
