using System.Diagnostics;
using System.Globalization;
using EdgeGateway.Evaluation.Estimation;

namespace EdgeGateway.Benchmarks;

/// <summary>
/// The full coverage study of the evaluation (issue 6, section 3): simulated programmes of 60 cells in 30 sites,
/// 40 treated with staggered go-lives, +6 pp OEE over a 4-week ramp-up (src/docs/evaluation.md, "Simulated programmes"),
/// each evaluated with the full bootstrap; prints coverage of the 95 % CI, bias, RMSE, CI width, the naive estimate's
/// bias and the pre-trend test's rejection rate, then times one evaluation of 200 cells × 2 years (all outcomes).
/// </summary>
internal static class CoverageStudyCommand
{
    public static int Run(string[] args)
    {
        var programmes = 200;
        var replications = 999;
        var seed = 1L;
        var simulator = false;
        var scenarios = false;
        var preTrends = false;
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--simulator")
            {
                simulator = true;
                continue;
            }

            if (args[i] == "--scenarios")
            {
                scenarios = true;
                continue;
            }

            if (args[i] == "--pre-trends")
            {
                preTrends = true;
                continue;
            }

            var ok = i + 1 < args.Length && args[i] switch
            {
                "--programmes" => int.TryParse(args[++i], NumberStyles.None, CultureInfo.InvariantCulture, out programmes) && programmes > 0,
                "--replications" => int.TryParse(args[++i], NumberStyles.None, CultureInfo.InvariantCulture, out replications) && replications >= 19,
                "--seed" => long.TryParse(args[++i], NumberStyles.None, CultureInfo.InvariantCulture, out seed),
                _ => false,
            };
            if (!ok)
            {
                Console.Error.WriteLine("usage: coverage [--simulator | --scenarios | --pre-trends] [--programmes N] [--replications B (≥ 19)] [--seed S]");
                return 2;
            }
        }

        if (simulator)
        {
            return RunOnSimulator(programmes, replications, seed);
        }

        if (scenarios)
        {
            return RunScenarios(programmes, replications, seed);
        }

        if (preTrends)
        {
            return RunPreTrendScenarios(programmes, replications, seed);
        }

        var settings = new ProgrammeSettings();
        var result = CoverageStudy.Run(settings, programmes, replications, seed, new Progress<string>(m => Console.Error.WriteLine(m)));
        var inv = CultureInfo.InvariantCulture;
        Console.WriteLine(string.Create(inv, $"coverage study: {programmes} programmes ({settings.Cells} cells in {settings.Sites} sites, {settings.TreatedCells} treated, true effect +{settings.OeeEffect * 100:0.#} pp OEE, {settings.RampUpDays}-day ramp-up), {replications} bootstrap replications, seeds {seed}…{seed + programmes - 1}"));
        Console.WriteLine(string.Create(inv, $"  coverage of the 95 % CI   {result.Coverage * 100,6:0.0} %  ({result.Covered}/{programmes}; target 92–98 %)"));
        Console.WriteLine(string.Create(inv, $"  mean bias                 {result.MeanBias * 100,6:0.00} pp  (target |bias| < 1 pp)"));
        Console.WriteLine(string.Create(inv, $"  RMSE                      {result.Rmse * 100,6:0.00} pp"));
        Console.WriteLine(string.Create(inv, $"  mean standard error       {result.MeanStandardError * 100,6:0.00} pp"));
        Console.WriteLine(string.Create(inv, $"  mean CI width             {result.MeanCiWidth * 100,6:0.00} pp"));
        Console.WriteLine(string.Create(inv, $"  naive before/after bias   {result.NaiveMeanBias * 100,6:0.00} pp"));
        Console.WriteLine(string.Create(inv, $"  pre-trend test rejections {result.PreTrendRejections * 100.0 / programmes,6:0.0} %  at the 5 % level (no pre-trends simulated)"));
        Console.WriteLine(string.Create(inv, $"  elapsed                   {result.Elapsed.TotalSeconds,6:0.0} s"));

        var big = new ProgrammeSettings(Sites: 100, Cells: 200, TreatedCells: 130, Days: 730, FirstGoLiveDay: 120, LastGoLiveDay: 600, MissingDayProbability: 0);
        var programme = ProgrammeSimulation.Generate(big, seed);
        var stopwatch = Stopwatch.StartNew();
        var evaluation = ProgrammeEvaluator.Evaluate(programme.Register, programme.Data, new EvaluationOptions(big.From, big.To, Seed: seed));
        var records = programme.Data.Sum(c => c.Days.Count);
        Console.WriteLine(string.Create(inv,
            $"evaluation of {big.Cells} cells × {big.Days} days ({records} day records, {evaluation.Effects.Count} outcomes, 999 replications): {stopwatch.Elapsed.TotalSeconds:0.00} s; OEE effect {evaluation.Effects[0].Overall?.Value * 100:0.00} pp (truth {programme.TrueOeeEffect * 100:0.00} pp)"));
        return 0;
    }

    /// <summary>
    /// The scenarios of issue 16 (<c>--scenarios</c>), <paramref name="programmes"/> programmes each: the default
    /// programme; 2, 3, 5 and 10 treated sites among 30 sites of one cell each (few treated clusters); 2 and 3 treated
    /// cells of the default 60 in 30 sites (few treated sites, each with a control cell beside); and the default
    /// programme with cohort effects from −1 pp (first go-live) to +13 pp (last go-live). One table row per scenario.
    /// </summary>
    private static int RunScenarios(int programmes, int replications, long seed)
    {
        var inv = CultureInfo.InvariantCulture;
        var scenarios = new List<(string Name, ProgrammeSettings Settings)> { ("default: 40 of 60 cells treated, 30 sites", new ProgrammeSettings()) };
        foreach (var treatedSites in new[] { 2, 3, 5, 10 })
        {
            scenarios.Add((string.Create(inv, $"{treatedSites} treated sites of 30 (1 cell each)"), new ProgrammeSettings(Sites: 30, Cells: 30, TreatedCells: treatedSites)));
        }

        foreach (var treatedCells in new[] { 2, 3 })
        {
            // Two cells a site: a treated site's other cell is a control, and the site is no placebo site.
            scenarios.Add((string.Create(inv, $"{treatedCells} treated cells of 60 in 30 sites"), new ProgrammeSettings(TreatedCells: treatedCells)));
        }

        scenarios.Add(("cohort effects −1 … +13 pp, 40 of 60 cells", new ProgrammeSettings(OeeEffect: -0.01, OeeEffectAtLastGoLive: 0.13)));

        Console.WriteLine(string.Create(inv, $"coverage scenarios: {programmes} programmes per row, {replications} bootstrap replications, seeds {seed}…{seed + programmes - 1}"));
        Console.WriteLine("| scenario | programmes | coverage of 95 % CI | mean bias (pp) | RMSE (pp) | mean SE (pp) | mean SE / RMSE | mean CI width (pp) |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var (name, settings) in scenarios)
        {
            var r = CoverageStudy.Run(settings, programmes, replications, seed);
            Console.WriteLine(string.Create(inv,
                $"| {name} | {programmes} | {r.Coverage * 100:0.0} % | {r.MeanBias * 100:0.00} | {r.Rmse * 100:0.00} | {r.MeanStandardError * 100:0.00} | {r.MeanStandardError / r.Rmse:0.00} | {r.MeanCiWidth * 100:0.00} |"));
        }

        return 0;
    }

    /// <summary>
    /// The study on programmes of the real cell simulator (<c>--simulator</c>): 60 cells in 30 sites, 40 with an
    /// investment going live over weeks 10–20 of 30, one shift; truth = the sample effect from re-simulating without
    /// the investments (<see cref="CellSimulatorProgramme"/>). Slower: about 20 s of CPU
    /// per programme. No seasonality: the simulator has none.
    /// </summary>
    private static int RunOnSimulator(int programmes, int replications, long seed)
    {
        var inv = CultureInfo.InvariantCulture;
        var stopwatch = Stopwatch.StartNew();
        var rows = new (double Error, double Se, bool Covered, double Truth)[programmes];
        var done = 0;
        // One programme per core: the thread pool would otherwise keep adding threads to CPU-bound work.
        Parallel.For(0, programmes, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, i =>
        {
            var programme = CellSimulatorProgramme.Random(sites: 30, cellsPerSite: 2, treated: 40, weeks: 30, seed + i);
            var truth = programme.TrueOeeEffect();
            var options = new EvaluationOptions(programme.From, programme.To, BootstrapReplications: replications, Seed: seed + i, Outcomes: [Evaluation.Panel.Outcome.Oee]);
            var overall = ProgrammeEvaluator.Evaluate(programme.Register, programme.Actual, options).Effects[0].Overall!.Value;
            rows[i] = (overall.Value - truth, overall.StandardError, overall.Lower <= truth && truth <= overall.Upper, truth);
            Console.Error.WriteLine(string.Create(inv, $"programme {seed + i}: truth {truth * 100:0.00} pp, estimate {overall.Value * 100:0.00} pp [{overall.Lower * 100:0.00}, {overall.Upper * 100:0.00}] ({Interlocked.Increment(ref done)}/{programmes})"));
        });

        var covered = rows.Count(r => r.Covered);
        Console.WriteLine(string.Create(inv, $"coverage study on the cell simulator: {programmes} programmes (60 cells in 30 sites, 40 with an investment, 30 weeks), {replications} bootstrap replications, seeds {seed}…{seed + programmes - 1}"));
        Console.WriteLine(string.Create(inv, $"  mean true effect          {rows.Average(r => r.Truth) * 100,6:0.00} pp"));
        Console.WriteLine(string.Create(inv, $"  coverage of the 95 % CI   {covered * 100.0 / programmes,6:0.0} %  ({covered}/{programmes})"));
        Console.WriteLine(string.Create(inv, $"  mean bias                 {rows.Average(r => r.Error) * 100,6:0.00} pp"));
        Console.WriteLine(string.Create(inv, $"  RMSE                      {Math.Sqrt(rows.Average(r => r.Error * r.Error)) * 100,6:0.00} pp"));
        Console.WriteLine(string.Create(inv, $"  mean standard error       {rows.Average(r => r.Se) * 100,6:0.00} pp"));
        Console.WriteLine(string.Create(inv, $"  elapsed                   {stopwatch.Elapsed.TotalSeconds,6:0.0} s"));
        return 0;
    }

    /// <summary>
    /// The pre-trend and shutdown scenarios of issue 16 (<c>--pre-trends</c>), one row each on the default programme:
    /// no pre-trend (size of both pre-trend tests), treated cells drifting 0.05, 0.1, 0.15, 0.2 and 0.3 pp per week from 20
    /// weeks before go-live on (power; bias of the headline and of the trend-adjusted effect), and a two-week
    /// shutdown before go-live (bias with the base-period fallback); last the null programme with 12 sites (few clusters).
    /// </summary>
    private static int RunPreTrendScenarios(int programmes, int replications, long seed)
    {
        var inv = CultureInfo.InvariantCulture;
        var scenarios = new (string Name, ProgrammeSettings Settings)[]
        {
            ("no pre-trend", new ProgrammeSettings()),
            ("drift 0.05 pp/week", new ProgrammeSettings { PreTrendPerWeek = 0.0005 }),
            ("drift 0.1 pp/week", new ProgrammeSettings { PreTrendPerWeek = 0.001 }),
            ("drift 0.15 pp/week", new ProgrammeSettings { PreTrendPerWeek = 0.0015 }),
            ("drift 0.2 pp/week", new ProgrammeSettings { PreTrendPerWeek = 0.002 }),
            ("drift 0.3 pp/week", new ProgrammeSettings { PreTrendPerWeek = 0.003 }),
            ("14-day shutdown before go-live", new ProgrammeSettings { ShutdownDaysBeforeGoLive = 14 }),
            ("no pre-trend, 12 sites (24 cells, 16 treated)", new ProgrammeSettings(Sites: 12, Cells: 24, TreatedCells: 16)),
        };
        Console.WriteLine(string.Create(inv, $"pre-trend scenarios: {programmes} programmes each (60 cells in 30 sites, 40 treated, true effect +6 pp OEE), {replications} bootstrap replications, seeds {seed}…{seed + programmes - 1}"));
        Console.WriteLine("| scenario | joint test rejects | linear test rejects | verdict not credible | coverage of 95 % CI | bias | trend-adjusted bias | trend-adjusted coverage | elapsed |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var (name, settings) in scenarios)
        {
            var r = CoverageStudy.Run(settings, programmes, replications, seed);
            double Share(int count) => count * 100.0 / programmes;
            Console.WriteLine(string.Create(inv,
                $"| {name} | {Share(r.PreTrendRejections):0.0} % | {Share(r.LinearPreTrendRejections):0.0} % | {Share(r.VerdictRejections):0.0} % | {r.Coverage * 100:0.0} % | {r.MeanBias * 100:+0.00;−0.00;0.00} pp | {r.AdjustedMeanBias * 100:+0.00;−0.00;0.00} pp | {Share(r.AdjustedCovered):0.0} % | {r.Elapsed.TotalSeconds:0} s |"));
        }

        return 0;
    }
}
