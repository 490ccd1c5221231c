using EdgeGateway.Evaluation.Estimation;
using EdgeGateway.Evaluation.Panel;
using MathNet.Numerics.Distributions;

namespace EdgeGateway.Evaluation.Tests.Estimation;

/// <summary>
/// The pieces of the evaluation's inference against values computed by hand: the influence function of the overall
/// effect, the bootstrap weights and the degrees of freedom of the intervals (issue 16).
/// </summary>
public sealed class InferenceTests
{
    private const int Never = StaggeredDesign.Never;

    /// <summary>
    /// Two cohorts, six cells in six sites, four periods (0…3). Cohort 2: cells 0 and 1; cohort 3: cells 2 and 3;
    /// never treated: cells 4 and 5. The post blocks of the overall effect:
    /// <code>
    /// block        base  treated changes  controls (changes)              control mean  ATT(g, t)
    /// A g=2, t=2   1     0: 5,  1: 9      2: 2, 3: 0, 4: 1, 5: 3 (cohort 3 not yet treated)  1.5   7 − 1.5 = 5.5
    /// B g=2, t=3   1     0: 9,  1: 13     4: 2, 5: 4                      3             11 − 3  = 8
    /// C g=3, t=3   2     2: 4,  3: 10     4: 1, 5: 1                      1             7 − 1   = 6
    /// </code>
    /// Overall = (2·5.5 + 2·8 + 2·6) / 6 = 6.5: the cohort effects differ (5.5 and 8 against 6).
    /// Influence (N = 6 treated cell-periods; treated centred on their block's own ATT, × √(2/1) for the degree of
    /// freedom the block's mean takes from its 2 treated sites; controls −(n_b/N)/m_b × (change − control mean)):
    /// <code>
    /// site 0: √2 (−2 − 2)/6                       = −2√2/3
    /// site 1: √2 (+2 + 2)/6                       = +2√2/3
    /// site 2: √2 (−3)/6 − (1/12)(2 − 1.5)         = −√2/2 − 1/24
    /// site 3: √2 (+3)/6 − (1/12)(0 − 1.5)         = +√2/2 + 1/8
    /// site 4: −(1/12)(1 − 1.5) − (1/6)(2 − 3) − (1/6)(1 − 1) = 5/24
    /// site 5: −(1/12)(3 − 1.5) − (1/6)(4 − 3) − (1/6)(1 − 1) = −7/24
    /// </code>
    /// Σψ² = 16/9 + 1 + √2/6 + 84/576 = 3.159313; SE = √(Σψ² × 6/5) = 1.947094. Centred on the overall 6.5 instead
    /// (the old influence), the differing cohort effects would pass for noise.
    /// </summary>
    [Fact]
    public void OverallEffect_TwoCohortsSixCells_InfluenceCentredOnOwnGroupTimeEffects()
    {
        var design = new StaggeredDesign(4, [2, 2, 3, 3, Never, Never], [0, 0, 0, 0, 0, 0], [0, 1, 2, 3, 4, 5], 6);
        double[][] values =
        [
            [0, 0, 5, 9],
            [0, 0, 9, 13],
            [0, 0, 2, 6],
            [0, 0, 0, 10],
            [0, 0, 1, 2],
            [0, 0, 3, 4],
        ];

        var overall = new GroupTimeEffects(design, values).Aggregate(0, int.MaxValue)!;

        Assert.Equal(6.5, overall.Value, 12);
        double[] expected = [-2 * Math.Sqrt(2) / 3, 2 * Math.Sqrt(2) / 3, (-Math.Sqrt(2) / 2) - (1.0 / 24), (Math.Sqrt(2) / 2) + (1.0 / 8), 5.0 / 24, -7.0 / 24];
        for (var s = 0; s < expected.Length; s++)
        {
            Assert.Equal(expected[s], overall.Influence[s], 12);
        }

        var sumOfSquares = overall.Influence.Sum(x => x * x);
        Assert.Equal((16.0 / 9) + 1 + (Math.Sqrt(2) / 6) + (84.0 / 576), sumOfSquares, 12);
        Assert.Equal(1.947094, Math.Sqrt(sumOfSquares * 6 / 5), 6);
        Assert.Equal(4, overall.TreatedCells);
        Assert.Equal(4, overall.TreatedSites);
    }

    /// <summary>
    /// One treated cell per cohort, in two sites: cell 0 (cohort 2, site 0), cell 1 (cohort 3, site 1), controls
    /// 2 and 3 that never change. Blocks: g=2,t=2: 4; g=2,t=3: 6; g=3,t=3: 8 (controls' mean change 0 throughout, so
    /// no control influence). Overall = 18/3 = 6. Each block has one treated cell and no spread of its own, so the
    /// three are pooled: centred on the pool's mean 6, × √(2/1) for the 2 sites of the pool:
    /// site 0: √2 ((4 − 6) + (6 − 6))/3 = −2√2/3, site 1: √2 (8 − 6)/3 = +2√2/3; Σψ² = 16/9.
    /// </summary>
    [Fact]
    public void OverallEffect_OneCellBlocksInTwoSites_PooledWithTheirDegreeOfFreedomRestored()
    {
        var design = new StaggeredDesign(4, [2, 3, Never, Never], [0, 0, 0, 0], [0, 1, 2, 3], 4);
        double[][] values =
        [
            [0, 0, 4, 6],
            [0, 0, 0, 8],
            [0, 0, 0, 0],
            [0, 0, 0, 0],
        ];

        var overall = new GroupTimeEffects(design, values).Aggregate(0, int.MaxValue)!;

        Assert.Equal(6, overall.Value, 12);
        Assert.Equal(-2 * Math.Sqrt(2) / 3, overall.Influence[0], 12);
        Assert.Equal(2 * Math.Sqrt(2) / 3, overall.Influence[1], 12);
        Assert.Equal(0, overall.Influence[2], 12);
        Assert.Equal(0, overall.Influence[3], 12);
    }

    /// <summary>
    /// Sites are the clusters: two treated cells of one cohort in the same site give their block no spread between
    /// sites. Cells 0 and 1 (cohort 2, both site 0): blocks t=2: 4, 2 (ATT 3); t=3: 6, 4 (ATT 5); cell 2 (cohort 3,
    /// site 1): 8; controls never change. Overall 24/5 = 4.8. Every block lies in one site, so all are pooled (sites
    /// 0 and 1, × √2) around the pool's mean 4.8: site 0: √2 (−0.8 − 2.8 + 1.2 − 0.8)/5 = −0.64√2, site 1:
    /// √2 (8 − 4.8)/5 = +0.64√2. Centred on their block's ATT, site 0 would get exactly 0.
    /// </summary>
    [Fact]
    public void OverallEffect_BlockWithItsCellsInOneSite_IsPooled()
    {
        var design = new StaggeredDesign(4, [2, 2, 3, Never, Never], [0, 0, 0, 0, 0], [0, 0, 1, 2, 3], 4);
        double[][] values = [[0, 0, 4, 6], [0, 0, 2, 4], [0, 0, 0, 8], [0, 0, 0, 0], [0, 0, 0, 0]];

        var overall = new GroupTimeEffects(design, values).Aggregate(0, int.MaxValue)!;

        Assert.Equal(4.8, overall.Value, 12);
        Assert.Equal(-0.64 * Math.Sqrt(2), overall.Influence[0], 12);
        Assert.Equal(0.64 * Math.Sqrt(2), overall.Influence[1], 12);
        Assert.Equal(2, overall.TreatedSites);
    }

    /// <summary>
    /// A pool of one-cell blocks in a single site has no spread to estimate: it is centred on the aggregate. Cell 0
    /// (cohort 2, site 0) alone: blocks t=2: 4, t=3: 6; cells 1 and 2 (cohort 3, sites 1 and 2): block t=3 (base 2):
    /// 9 and 5, ATT 7; cells 3 and 4 never change. Overall (4 + 6 + 9 + 5)/4 = 6. Site 0: ((4 − 6) + (6 − 6))/4 =
    /// −1/2 (its noise around the aggregate); sites 1, 2: ±√2 (9 − 7)/4 = ±√2/2.
    /// </summary>
    [Fact]
    public void OverallEffect_OneCellBlocksInOneSite_CentredOnTheAggregate()
    {
        var design = new StaggeredDesign(4, [2, 3, 3, Never, Never], [0, 0, 0, 0, 0], [0, 1, 2, 3, 4], 5);
        double[][] values = [[0, 0, 4, 6], [0, 0, 0, 9], [0, 0, 0, 5], [0, 0, 0, 0], [0, 0, 0, 0]];

        var overall = new GroupTimeEffects(design, values).Aggregate(0, int.MaxValue)!;

        Assert.Equal(6, overall.Value, 12);
        Assert.Equal(-0.5, overall.Influence[0], 12);
        Assert.Equal(Math.Sqrt(2) / 2, overall.Influence[1], 12);
        Assert.Equal(-Math.Sqrt(2) / 2, overall.Influence[2], 12);
        Assert.Equal(3, overall.TreatedSites);
    }

    [Fact]
    public void WebbWeights_SixValues_HaveMeanZeroVarianceOneAndFourthMomentSevenSixths()
    {
        var values = MultiplierBootstrap.WebbValues;

        Assert.Equal(6, values.Count);
        Assert.Equal(0, values.Average(), 15);
        Assert.Equal(1, values.Average(w => w * w), 15);

        // E w⁴ = (1/4 + 1 + 9/4) × 2/6 = 7/6: close to the normal's 3 as six points allow, unlike Rademacher's 1.
        Assert.Equal(7.0 / 6, values.Average(w => w * w * w * w), 14);
    }

    [Fact]
    public void WebbWeights_Drawn_AreUniformOverTheSixValues()
    {
        var random = new MultiplierBootstrap.SplitMix64(42);
        const int Draws = 600_000;
        var counts = new Dictionary<double, int>();
        var sum = 0.0;
        var sumSquares = 0.0;
        for (var i = 0; i < Draws; i++)
        {
            var w = random.Webb();
            counts[w] = counts.GetValueOrDefault(w) + 1;
            sum += w;
            sumSquares += w * w;
        }

        Assert.Equal(6, counts.Count);

        // Each value 100 000 times ± 5 binomial SDs (√(600 000 × 1/6 × 5/6) = 289).
        Assert.All(counts.Values, n => Assert.InRange(n, 100_000 - 1_445, 100_000 + 1_445));
        Assert.InRange(sum / Draws, -0.007, 0.007);
        Assert.InRange(sumSquares / Draws, 0.995, 1.005);
    }

    /// <summary>The bootstrap's variance converges to Σψ² (the hand-computed 3.159313 of the two-cohort panel).</summary>
    [Fact]
    public void Bootstrap_WebbDraws_ReproduceTheInfluenceVariance()
    {
        double[] influence = [-2 * Math.Sqrt(2) / 3, 2 * Math.Sqrt(2) / 3, (-Math.Sqrt(2) / 2) - (1.0 / 24), (Math.Sqrt(2) / 2) + (1.0 / 8), 5.0 / 24, -7.0 / 24];

        var draws = MultiplierBootstrap.Draws([influence], 6, 40_000, seed: 7, progress: null)[0];

        // Monte Carlo SD of the mean square: √(Var(Σ w ψ)² / B) ≈ 3.16 × √2 / 200 ≈ 0.022.
        Assert.InRange(draws.Average(d => d * d), 3.159313 - 0.09, 3.159313 + 0.09);
        Assert.InRange(draws.Average(), -0.03, 0.03);
    }

    [Theory]
    [InlineData(2, 30, 1)]
    [InlineData(3, 30, 2)]
    [InlineData(10, 30, 9)]
    [InlineData(1, 30, 1)]
    [InlineData(30, 30, 29)]
    [InlineData(40, 30, 29)]
    public void DegreesOfFreedom_AreTreatedSitesMinusOne_AtMostSitesMinusOne_AtLeastOne(int treatedSites, int sites, int expected) =>
        Assert.Equal(expected, ProgrammeEvaluator.DegreesOfFreedom(treatedSites, sites));

    /// <summary>
    /// One treated cell (site 0, cohort 2) and four never-treated cells in sites 1–4, three periods. The overall
    /// effect's one block (t = 2, base 1): control changes 1, 2, 3, 6 (mean 3, deviations −2, −1, 0, 3, Σ² = 14).
    /// Each placebo site's draw: its deviation × √(4/3) / 1 (one treated cell-period), so the treated part's variance
    /// is the mean of the squares, 14/4 × 4/3 = 14/3 (the controls' sample variance). The controls' part:
    /// C = −(1/4) × deviation per site, Σ C² = 14/16, × S/(S−1) = 5/4: 70/64. Variance 14/3 + 70/64.
    /// </summary>
    [Fact]
    public void Placebo_OneTreatedCell_TreatedVarianceIsTheControlsSampleVariance()
    {
        var design = new StaggeredDesign(3, [2, Never, Never, Never, Never], [0, 0, 0, 0, 0], [0, 1, 2, 3, 4], 5);
        double[][] values = [[0, 0, 10], [0, 0, 1], [0, 0, 2], [0, 0, 3], [0, 0, 6]];

        var placebo = new GroupTimeEffects(design, values).Placebo(0, int.MaxValue, (_, _) => true, minimumPlaceboSites: 4, clusters: 5)!;

        Assert.Equal((14.0 / 3) + (70.0 / 64), placebo.Variance, 12);
        Assert.Equal(4, placebo.PlaceboSites);
    }

    /// <summary>
    /// A treated site of two cells (0 and 1, cohort 2) and three candidate placebo sites: site 1 with one cell (2), used
    /// for both treated cells; site 2 with cells 3 and 4, one each; site 3 whose cell 5 has no value in period 2, so it
    /// cannot stand in. Block t = 2 (base 1): controls 2, 3, 4 with changes 1, 2, 6 (mean 3, deviations −2, −1, 3,
    /// × √(3/2)), two treated cell-periods. Draws: site 1 (−2 − 2)√1.5/2 = −2√1.5 (square 6); site 2 (−1 + 3)√1.5/2 = √1.5
    /// (square 1.5): treated variance 3.75 from 2 placebo sites. Controls: (2/2)/3 × deviation, C = 2/3 (site 1), −2/3
    /// (site 2), Σ C² = 8/9, × 4/3 (4 sites): 32/27.
    /// </summary>
    [Fact]
    public void Placebo_TwoCellSite_CellsStandInInTurn_AndASiteWithoutTheBlockIsSkipped()
    {
        var design = new StaggeredDesign(3, [2, 2, Never, Never, Never, Never], [0, 0, 0, 0, 0, 0], [0, 0, 1, 2, 2, 3], 4);
        double[][] values = [[0, 0, 10], [0, 0, 12], [0, 0, 1], [0, 0, 2], [0, 0, 6], [0, 0, double.NaN]];
        var effects = new GroupTimeEffects(design, values);

        var placebo = effects.Placebo(0, int.MaxValue, (_, _) => true, minimumPlaceboSites: 2, clusters: 4)!;

        Assert.Equal(3.75 + (32.0 / 27), placebo.Variance, 12);
        Assert.Equal(2, placebo.PlaceboSites);
        Assert.Null(effects.Placebo(0, int.MaxValue, (_, _) => true, minimumPlaceboSites: 3, clusters: 4));
    }

    [Theory]
    [InlineData(2, 28)]
    [InlineData(4, 26)]
    [InlineData(5, null)]
    public void OverallEffect_FewerThanFiveTreatedSites_RestsOnPlaceboSites(int treatedSites, int? placeboSites)
    {
        var settings = new ProgrammeSettings(Sites: 30, Cells: 30, TreatedCells: treatedSites);
        var programme = ProgrammeSimulation.Generate(settings, seed: 3);
        var options = new EvaluationOptions(settings.From, settings.To, settings.PeriodDays, 199, Seed: 1, Outcomes: [Outcome.Oee]);

        var effect = ProgrammeEvaluator.Evaluate(programme.Register, programme.Data, options).Effects[0];

        Assert.Equal(placeboSites, effect.OverallPlaceboSites);
        var overall = effect.Overall!.Value;
        var critical = (overall.Upper - overall.Value) / overall.StandardError;
        var df = placeboSites is { } p ? p - 1 : treatedSites - 1;
        Assert.Equal(StudentT.InvCDF(0, 1, df, 0.975), critical, 9);
    }
}
