namespace EdgeGateway.Evaluation.Panel;

/// <summary>
/// The day records of a set of cells summed per period, and every outcome recomputed from those sums as a ratio of
/// sums (<see cref="Outcome"/>). A missing value is <see cref="double.NaN"/>: no planned busy time in the period,
/// or a zero denominator.
/// </summary>
internal sealed class PeriodPanel
{
    private readonly PeriodSums[][] _sums;

    private PeriodPanel(PeriodSums[][] sums, int[] daysWithData, double[] meanCoverage)
    {
        _sums = sums;
        DaysWithData = daysWithData;
        MeanCoverage = meanCoverage;
    }

    /// <summary>Days of the window with a record, per cell.</summary>
    public int[] DaysWithData { get; }

    /// <summary>Mean <see cref="DayRecord.Coverage"/> of those days, per cell (0 without days).</summary>
    public double[] MeanCoverage { get; }

    /// <summary>Sums the records of each cell (null: no data) into periods of <paramref name="periodDays"/> from <paramref name="from"/>.</summary>
    public static PeriodPanel Build(IReadOnlyList<IReadOnlyList<DayRecord>?> cells, DateOnly from, DateOnly to, int periodDays)
    {
        var periods = (to.DayNumber - from.DayNumber + periodDays - 1) / periodDays;
        var sums = new PeriodSums[cells.Count][];
        var days = new int[cells.Count];
        var coverage = new double[cells.Count];
        for (var c = 0; c < cells.Count; c++)
        {
            sums[c] = new PeriodSums[periods];
            if (cells[c] is not { } records)
            {
                continue;
            }

            var coverageSum = 0.0;
            foreach (var day in records)
            {
                if (day.Day < from || day.Day >= to)
                {
                    continue;
                }

                sums[c][(day.Day.DayNumber - from.DayNumber) / periodDays].Add(day);
                days[c]++;
                coverageSum += day.Coverage;
            }

            coverage[c] = days[c] > 0 ? coverageSum / days[c] : 0;
        }

        return new PeriodPanel(sums, days, coverage);
    }

    /// <summary>The outcome per cell and period (<see cref="double.NaN"/> when missing).</summary>
    public double[][] Values(Outcome outcome)
    {
        var values = new double[_sums.Length][];
        for (var c = 0; c < _sums.Length; c++)
        {
            var cell = _sums[c];
            values[c] = new double[cell.Length];
            for (var p = 0; p < cell.Length; p++)
            {
                values[c][p] = cell[p].Value(outcome);
            }
        }

        return values;
    }

    /// <summary>Running sums of one cell's day records in one period.</summary>
    private struct PeriodSums
    {
        private double _run;
        private double _busy;
        private double _window;
        private double _produced;
        private double _good;
        private double _scrap;
        private double _unattendedGood;
        private double _kwh;
        private double _goodIdealSeconds;
        private double _producedIdealSeconds;
        private int _days;

        public void Add(in DayRecord day)
        {
            _run += day.RunSeconds;
            _busy += day.PlannedBusySeconds;
            _window += day.WindowSeconds;
            _produced += day.Produced;
            _good += day.Good;
            _scrap += day.Scrap;
            _unattendedGood += day.UnattendedGood;
            _kwh += day.Kwh;
            _goodIdealSeconds += day.GoodIdealSeconds;
            _producedIdealSeconds += day.ProducedIdealSeconds;
            _days++;
        }

        public readonly double Value(Outcome outcome)
        {
            if (_days == 0 || _busy <= 0)
            {
                return double.NaN;
            }

            return outcome switch
            {
                Outcome.Oee => _goodIdealSeconds / _busy,
                Outcome.Availability => _run / _busy,
                Outcome.Effectiveness => Ratio(_producedIdealSeconds, _run),
                Outcome.Quality => Ratio(_good, _produced),
                Outcome.GoodPartsPerPlannedHour => _good / (_busy / 3600),
                Outcome.KwhPerGoodPart => Ratio(_kwh, _good),
                Outcome.UnattendedGoodPerWeek => _unattendedGood * 7 / _days,
                Outcome.Teep => Ratio(_goodIdealSeconds, _window),
                Outcome.ScrapRatio => Ratio(_scrap, _produced),
                _ => throw new ArgumentOutOfRangeException(nameof(outcome), outcome, null),
            };
        }

        private static double Ratio(double numerator, double denominator) => denominator > 0 ? numerator / denominator : double.NaN;
    }
}
