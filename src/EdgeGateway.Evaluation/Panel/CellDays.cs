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
    /// <summary>Planned busy time (ISO 22400 PBT): run + setup + down + idle.</summary>
    public double PlannedBusySeconds => RunSeconds + SetupSeconds + DownSeconds + IdleSeconds;
}

/// <summary>One cell's day records in date order (at most one per date).</summary>
public sealed record CellDays(string Site, string Cell, IReadOnlyList<DayRecord> Days);
