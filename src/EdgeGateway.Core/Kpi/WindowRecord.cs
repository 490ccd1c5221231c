using EdgeGateway.Core.Configuration;

namespace EdgeGateway.Core.Kpi;

/// <summary>
/// One closed window of one cell: the KPI record of schema v1 (src/docs/payloads-and-topics.md). KPIs are computed from the
/// exact totals on read; a ratio whose denominator is zero is null.
/// </summary>
public readonly struct WindowRecord
{
    /// <summary>Payload schema version.</summary>
    public const int SchemaVersion = 1;

    /// <summary>Definitions version of the KPI model.</summary>
    public const string Definitions = "iso22400-2/1";

    private const double MsPerHour = 3_600_000;

    private readonly WindowTotals _totals;

    /// <summary>A record of <paramref name="totals"/> (the engine's, or a simulator's ground truth).</summary>
    public WindowRecord(string site, CellConfig cell, WindowKind kind, in WindowTotals totals)
    {
        Site = site;
        Cell = cell;
        Kind = kind;
        _totals = totals;
    }

    public string Site { get; }

    public CellConfig Cell { get; }

    public WindowKind Kind { get; }

    /// <summary>The exact totals the KPIs derive from.</summary>
    public WindowTotals Totals => _totals;

    public long Start => _totals.Start;

    public long End => _totals.End;

    public long LengthMs => _totals.End - _totals.Start;

    public long Ms(Bucket bucket) => _totals.Buckets[(int)bucket];

    public double Seconds(Bucket bucket) => Ms(bucket) / 1000.0;

    /// <summary>Planned busy time PBT = run + setup + down + idle, in ms.</summary>
    public long PlannedBusyMs => Ms(Bucket.Run) + Ms(Bucket.Setup) + Ms(Bucket.Down) + Ms(Bucket.Idle);

    public long Produced => _totals.Produced;

    public long Scrap => _totals.Scrap;

    public long Good => _totals.Produced - _totals.Scrap;

    public long UnattendedGood => _totals.UnattendedProduced - _totals.UnattendedScrap;

    public long MinorStops => _totals.MinorStops;

    public long MinorStopMs => _totals.MinorStopMs;

    public long Failures => _totals.Failures;

    public double? Availability => Ratio(Ms(Bucket.Run), PlannedBusyMs);

    /// <summary>
    /// Effectiveness: the ideal time of the parts made over the run time; with articles, each article's cycles at its own
    /// ideal cycle time (ISO 22400: Σ produced quantity × planned run time per item), so a product mix is measured right.
    /// </summary>
    public double? Effectiveness => Ms(Bucket.Run) == 0 ? null : IdealSeconds / (Ms(Bucket.Run) / 1000.0);

    /// <summary>The ideal time of the cycles made: Σ over article slots of cycles × ideal cycle time, in seconds.</summary>
    public double IdealSeconds
    {
        get
        {
            var seconds = 0.0;
            for (var slot = 0; slot <= Cell.Articles.Count; slot++)
            {
                seconds += _totals.ArticleCycles[slot] * IdealCycle(slot);
            }

            return seconds;
        }
    }

    /// <summary>Stops at least the configured length that ended without a reason (0 without reasons configured).</summary>
    public long UnassignedStops => _totals.UnassignedStops;

    /// <summary>Seconds booked by reason <paramref name="code"/> (index in the cell's reasons).</summary>
    public double ReasonSeconds(int code) => _totals.ReasonMs[code] / 1000.0;

    /// <summary>Parts made of article <paramref name="article"/> (index in the cell's articles).</summary>
    public long ArticleProduced(int article) => (long)_totals.ArticleCycles[article + 1] * Cell.Articles[article].PartsPerCycle;

    /// <summary>Scrap of article <paramref name="article"/>.</summary>
    public long ArticleScrap(int article) => _totals.ArticleScrap[article + 1];

    /// <summary>Whether article <paramref name="article"/> made or scrapped anything in the window.</summary>
    public bool ArticleSeen(int article) => (_totals.ArticleCycles[article + 1] | _totals.ArticleScrap[article + 1]) != 0;

    public double? Quality => Ratio(Good, Produced);

    public double? Oee => Availability * Effectiveness * Quality;

    /// <summary>Net equipment effectiveness: setup is not counted as a loss.</summary>
    public double? Nee => Ratio(Ms(Bucket.Run) + Ms(Bucket.Setup), PlannedBusyMs) * Effectiveness * Quality;

    public double? TechnicalEfficiency => Ratio(Ms(Bucket.Run), Ms(Bucket.Run) + Ms(Bucket.Down));

    public double? SetupRate => Ratio(Ms(Bucket.Setup), Ms(Bucket.Run) + Ms(Bucket.Setup));

    /// <summary>TEEP: the ideal time of the good parts over the whole window; good parts at their own article's ideal time.</summary>
    public double? Teep
    {
        get
        {
            if (LengthMs == 0)
            {
                return null;
            }

            var seconds = 0.0;
            for (var slot = 0; slot <= Cell.Articles.Count; slot++)
            {
                var parts = PartsPerCycle(slot);
                seconds += IdealCycle(slot) * (((long)_totals.ArticleCycles[slot] * parts) - _totals.ArticleScrap[slot]) / parts;
            }

            return seconds / (LengthMs / 1000.0);
        }
    }

    public double? ScrapRatio => Ratio(Scrap, Produced);

    public double? MtbfSeconds => Failures == 0 ? null : (Ms(Bucket.Run) + Ms(Bucket.Setup)) / 1000.0 / Failures;

    public double? MttrSeconds => Failures == 0 ? null : _totals.FailureMs / 1000.0 / Failures;

    public double? ThroughputPerHour => Ms(Bucket.Run) == 0 ? null : Produced / (Ms(Bucket.Run) / MsPerHour);

    public double Kwh => _totals.EnergyKwMs / MsPerHour;

    /// <summary>kWh per good part; null unless at least one good part.</summary>
    public double? KwhPerGoodPart => Good > 0 ? Kwh / Good : null;

    /// <summary>Share of energy used while not running.</summary>
    public double? IdleEnergyShare => _totals.EnergyKwMs > 0 ? _totals.NonRunEnergyKwMs / _totals.EnergyKwMs : null;

    /// <summary>Sensor faults that started in the window.</summary>
    public long SensorFaults => _totals.SensorFaults;

    /// <summary>Statistics of the cell's <paramref name="index"/>-th Aux signal (config order).</summary>
    public AuxStat Aux(int index) => _totals.Aux[index];

    /// <summary>Share of the window with valid signals.</summary>
    public double? Coverage => Ratio(LengthMs - Ms(Bucket.Unknown), LengthMs);

    private double IdealCycle(int slot) => slot == 0 ? Cell.IdealCycleSeconds : Cell.Articles[slot - 1].IdealCycleSeconds;

    private int PartsPerCycle(int slot) => slot == 0 ? 1 : Cell.Articles[slot - 1].PartsPerCycle;

    private static double? Ratio(long numerator, long denominator) => denominator == 0 ? null : (double)numerator / denominator;
}
