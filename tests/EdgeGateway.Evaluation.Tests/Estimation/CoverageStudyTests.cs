
namespace EdgeGateway.Evaluation.Tests.Estimation;

/// <summary>
/// The small coverage study that runs in CI (the full one: <c>dotnet run -c Release --project tests/EdgeGateway.Benchmarks -- coverage</c>).
/// </summary>
public sealed class CoverageStudyTests
{
    [Fact]
    public void CoverageStudy_40Programmes_CiCoversTheTruthAt95Percent_AndIsUnbiased()
    {
        var result = CoverageStudy.Run(new ProgrammeSettings(), programmes: 40, replications: 199, firstSeed: 5000);
        var summary = $"{result}";

        // 95 % of 40: 38; a binomial with p = 0.95 falls below 34 with probability 1.4 %, so 34 of 40 is the floor.
        Assert.True(result.Covered >= 34, summary);

        // Intervals must not be too wide either: the bootstrap standard error matches the spread of the estimates.
        Assert.InRange(result.MeanStandardError / result.Rmse, 0.75, 1.35);
        Assert.InRange(result.MeanBias, -0.005, 0.005);
        Assert.True(result.NaiveMeanBias > 0.02, summary);
        Assert.True(result.PreTrendRejections <= 8, summary);
    }
}
