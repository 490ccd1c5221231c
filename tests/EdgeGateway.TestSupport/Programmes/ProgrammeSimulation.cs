using System.Globalization;
using EdgeGateway.Evaluation.Panel;
using EdgeGateway.Evaluation.Register;

namespace EdgeGateway.TestSupport.Programmes;

/// <summary>
/// Settings of a simulated programme (src/docs/evaluation.md, "Simulated programmes"): <paramref name="Sites"/> sites holding
/// <paramref name="Cells"/> cells (cell i in site i mod sites), of which <paramref name="TreatedCells"/> (drawn at
/// random) go live on a random day between <paramref name="FirstGoLiveDay"/> and <paramref name="LastGoLiveDay"/>
/// (days from <paramref name="Start"/>), the rest are never-treated controls; <paramref name="Days"/> days of
/// records. OEE of a cell on a working day is its level + its site's level + the shared season, trend and holiday
/// dip + a site-by-week shock + day noise (fractions, not percent), and the effect
/// <paramref name="OeeEffect"/> after go-live, reached linearly over <paramref name="RampUpDays"/>. With
/// <paramref name="OeeEffectAtLastGoLive"/> the effect differs by cohort: <paramref name="OeeEffect"/> for a cell going
/// live on <paramref name="FirstGoLiveDay"/>, <paramref name="OeeEffectAtLastGoLive"/> on <paramref name="LastGoLiveDay"/>,
/// linear in between (the heterogeneous programmes of issue 16).
/// </summary>
public sealed record ProgrammeSettings(
    int Sites = 30,
    int Cells = 60,
    int TreatedCells = 40,
    DateOnly? Start = null,
    int Days = 364,
    int FirstGoLiveDay = 91,
    int LastGoLiveDay = 245,
    int RampUpDays = 28,
    double OeeEffect = 0.06,
    double SeasonalAmplitude = 0.03,
    double TrendPerYear = 0.02,
    double HolidayDip = 0.04,
    double SiteLevelSd = 0.04,
    double SiteWeekShockSd = 0.02,
    double DayNoiseSd = 0.04,
    double MissingDayProbability = 0.01,
    int PeriodDays = 7,
    double? OeeEffectAtLastGoLive = null)
{
    /// <summary>
    /// A pre-trend (issue 16): treated cells' OEE drifts by this much per week (fraction, 0.003 = 0.3 pp), from
    /// <see cref="PreTrendWeeks"/> weeks before their go-live on, and keeps drifting after it — in the data and in
    /// the counterfactual alike, so the true effect is unchanged and a difference in differences is biased.
    /// </summary>
    public double PreTrendPerWeek { get; init; }

    /// <summary>How many weeks before go-live the drift of <see cref="PreTrendPerWeek"/> starts.</summary>
    public int PreTrendWeeks { get; init; } = 20;

    /// <summary>
    /// A shutdown at go-live (issue 16): treated cells have no day records in the this many days before go-live
    /// (installation during a summer or Christmas shutdown), so the period before go-live may hold no data.
    /// </summary>
    public int ShutdownDaysBeforeGoLive { get; init; }

    /// <summary>The full effect of a cell going live <paramref name="goLiveDay"/> days after <see cref="From"/>.</summary>
    public double OeeEffectFor(int goLiveDay) => OeeEffectAtLastGoLive is not { } last || LastGoLiveDay == FirstGoLiveDay
        ? OeeEffect
        : OeeEffect + ((last - OeeEffect) * (goLiveDay - FirstGoLiveDay) / (LastGoLiveDay - FirstGoLiveDay));

    /// <summary>First day of the records: <see cref="Start"/>, or Monday 6 January 2025.</summary>
    public DateOnly From => Start ?? new DateOnly(2025, 1, 6);

    /// <summary>The day after the last record.</summary>
    public DateOnly To => From.AddDays(Days);
}

/// <summary>
/// A simulated programme: its register, its day records, the same records without any effect (the treated cells'
/// counterfactual, from the same random draws) and the true effect on OEE that the evaluation's overall estimate
/// targets: the mean over treated cells and their periods after ramp-up of OEE with minus OEE without the programme.
/// </summary>
public sealed record SimulatedProgramme(
    ProgrammeSettings Settings,
    IReadOnlyList<RegisterEntry> Register,
    IReadOnlyList<CellDays> Data,
    IReadOnlyList<CellDays> Counterfactual,
    double TrueOeeEffect);

/// <summary>Generates programmes with a known effect, the test bed of the evaluation (deterministic for a seed).</summary>
public static class ProgrammeSimulation
{
    private const double ShiftSeconds = 7.5 * 3600;

    /// <summary>Simulates the programme of <paramref name="settings"/> from <paramref name="seed"/>.</summary>
    public static SimulatedProgramme Generate(ProgrammeSettings settings, long seed)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.Sites < 1 || settings.Cells < settings.Sites || settings.TreatedCells > settings.Cells || settings.TreatedCells < 0
            || settings.Days < 1 || settings.LastGoLiveDay < settings.FirstGoLiveDay || settings.RampUpDays < 0 || settings.PeriodDays < 1)
        {
            throw new ArgumentException("inconsistent programme settings", nameof(settings));
        }

        var random = new Random(unchecked((int)(seed ^ (seed >>> 32))));
        var from = settings.From;
        var sectors = new string[settings.Sites];
        var sizes = new string[settings.Sites];
        var siteLevel = new double[settings.Sites];
        for (var s = 0; s < settings.Sites; s++)
        {
            // Three sites form a small sector, so that a breakdown by sector has a group to suppress.
            sectors[s] = s < 3 ? "glass" : s % 2 == 0 ? "metal" : "plastics";
            sizes[s] = (s % 3) switch { 0 => "micro", 1 => "small", _ => "medium" };
            siteLevel[s] = settings.SiteLevelSd * Normal(random);
        }

        var order = Enumerable.Range(0, settings.Cells).ToArray();
        random.Shuffle(order);
        var treated = new bool[settings.Cells];
        foreach (var c in order.AsSpan(0, settings.TreatedCells))
        {
            treated[c] = true;
        }

        var weeks = (settings.Days / 7) + 2;
        var shocks = new double[settings.Sites, weeks];
        for (var s = 0; s < settings.Sites; s++)
        {
            for (var w = 0; w < weeks; w++)
            {
                shocks[s, w] = settings.SiteWeekShockSd * Normal(random);
            }
        }

        var register = new List<RegisterEntry>(settings.Cells);
        var data = new List<CellDays>(settings.Cells);
        var counterfactual = new List<CellDays>(settings.Cells);
        var effectSum = 0.0;
        var effectCount = 0;
        for (var c = 0; c < settings.Cells; c++)
        {
            var site = c % settings.Sites;
            var siteId = string.Create(CultureInfo.InvariantCulture, $"site-{site + 1:000}");
            var cellId = string.Create(CultureInfo.InvariantCulture, $"cell-{c + 1:000}");
            DateOnly? goLive = treated[c] ? from.AddDays(random.Next(settings.FirstGoLiveDay, settings.LastGoLiveDay + 1)) : null;
            register.Add(new RegisterEntry(siteId, cellId, treated[c], goLive, treated[c] ? settings.RampUpDays : 0, sectors[site], sizes[site]));

            var cell = new CellModel(
                Level: 0.40 + (0.18 * random.NextDouble()) + siteLevel[site],
                Effectiveness: 0.85 + (0.10 * random.NextDouble()),
                Quality: 0.95 + (0.04 * random.NextDouble()),
                IdealCycleSeconds: 20 + (40 * random.NextDouble()),
                BusySeconds: ShiftSeconds * random.Next(1, 3));
            var actual = new List<DayRecord>(settings.Days);
            var without = new List<DayRecord>(settings.Days);
            for (var d = 0; d < settings.Days; d++)
            {
                var day = from.AddDays(d);
                var noise = settings.DayNoiseSd * Normal(random);
                if (random.NextDouble() < settings.MissingDayProbability)
                {
                    continue;
                }

                if (goLive is { } shut && day < shut && day.DayNumber >= shut.DayNumber - settings.ShutdownDaysBeforeGoLive)
                {
                    continue;
                }

                var drift = goLive is { } start ? settings.PreTrendPerWeek * Math.Max(0, day.DayNumber - start.DayNumber + (7 * settings.PreTrendWeeks)) / 7.0 : 0;
                var baseline = cell.Level + Shared(settings, day, d) + shocks[site, d / 7] + noise + drift;
                var effect = goLive is { } g ? settings.OeeEffectFor(g.DayNumber - from.DayNumber) * RampShare(day, g, settings.RampUpDays) : 0;
                actual.Add(cell.Day(day, baseline + effect));
                without.Add(cell.Day(day, baseline));
            }

            data.Add(new CellDays(siteId, cellId, actual));
            counterfactual.Add(new CellDays(siteId, cellId, without));
            if (goLive is { } live)
            {
                AddTruth(settings, live, actual, without, ref effectSum, ref effectCount);
            }
        }

        return new SimulatedProgramme(settings, register, data, counterfactual, effectCount > 0 ? effectSum / effectCount : double.NaN);
    }

    /// <summary>The share of the full effect reached on <paramref name="day"/>: 0 before go-live, then linear over the ramp-up.</summary>
    public static double RampShare(DateOnly day, DateOnly goLive, int rampUpDays)
    {
        var since = day.DayNumber - goLive.DayNumber;
        return since < 0 ? 0 : rampUpDays == 0 ? 1 : Math.Min(1, (since + 0.5) / rampUpDays);
    }

    /// <summary>What all cells share on <paramref name="day"/>: season (trough mid-April, peak mid-October), trend and the summer holiday dip.</summary>
    private static double Shared(ProgrammeSettings settings, DateOnly day, int index)
    {
        var season = settings.SeasonalAmplitude * Math.Sin(2 * Math.PI * (day.DayOfYear - 196) / 365.25);
        var trend = settings.TrendPerYear * index / 365.25;
        var holiday = day.Month == 8 && day.Day <= 14 ? -settings.HolidayDip : 0;
        return season + trend + holiday;
    }

    /// <summary>Adds the OEE differences with and without the programme over the periods after ramp-up.</summary>
    private static void AddTruth(ProgrammeSettings settings, DateOnly goLive, List<DayRecord> actual, List<DayRecord> without, ref double sum, ref int count)
    {
        var from = settings.From;
        var rampEnd = goLive.AddDays(settings.RampUpDays);
        var firstPeriod = (int)Math.Ceiling((rampEnd.DayNumber - from.DayNumber) / (double)settings.PeriodDays);
        var periods = (settings.Days + settings.PeriodDays - 1) / settings.PeriodDays;
        for (var p = Math.Max(0, firstPeriod); p < periods; p++)
        {
            var start = from.AddDays(p * settings.PeriodDays);
            var end = start.AddDays(settings.PeriodDays);
            if (Oee(actual, start, end) is { } with && Oee(without, start, end) is { } no)
            {
                sum += with - no;
                count++;
            }
        }
    }

    private static double? Oee(List<DayRecord> days, DateOnly start, DateOnly end)
    {
        double good = 0, busy = 0;
        foreach (var day in days)
        {
            if (day.Day >= start && day.Day < end)
            {
                good += day.Good * day.IdealCycleSeconds;
                busy += day.PlannedBusySeconds;
            }
        }

        return busy > 0 ? good / busy : null;
    }

    private static double Normal(Random random)
    {
        // Box–Muller; 1 − u keeps the logarithm finite.
        var u = 1 - random.NextDouble();
        var v = random.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u)) * Math.Cos(2 * Math.PI * v);
    }

    /// <summary>
    /// One cell's fixed traits. A day's OEE enters through availability (more run time in the same planned busy
    /// time); effectiveness and quality are the cell's constants, so the records' ratio of sums reproduces the OEE.
    /// </summary>
    private readonly record struct CellModel(double Level, double Effectiveness, double Quality, double IdealCycleSeconds, double BusySeconds)
    {
        public DayRecord Day(DateOnly day, double oee)
        {
            var working = day.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday) && !(day.Month == 12 && day.Day >= 24) && !(day.Month == 1 && day.Day == 1);
            if (!working)
            {
                return new DayRecord(day, 0, 0, 0, 0, 86_400, 0, 0, 0, 0, 0.3 * 24, IdealCycleSeconds, 1);
            }

            var availability = Math.Clamp(oee / (Effectiveness * Quality), 0.02, 1);
            var run = availability * BusySeconds;
            var loss = BusySeconds - run;
            var produced = Math.Round(Effectiveness * run / IdealCycleSeconds);
            var good = Math.Round(Quality * produced);
            var kwh = (8 * run / 3600) + (2 * loss / 3600) + (0.3 * (86_400 - BusySeconds) / 3600);
            return new DayRecord(day, run, 0.2 * loss, 0.5 * loss, 0.3 * loss, 86_400, produced, good, produced - good, 0, kwh, IdealCycleSeconds, 1);
        }
    }
}
