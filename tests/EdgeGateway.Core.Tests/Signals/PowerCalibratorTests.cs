using EdgeGateway.Core.Signals.FromPower;

namespace EdgeGateway.Core.Tests.Signals;

public sealed class PowerCalibratorTests
{
    [Fact]
    public void ThreeLevels_AreSeparated_AndTheSuggestedThresholdsClassify99Percent()
    {
        var (kw, truth) = new NoisyPower(7).Levels(4 * 3600 * 10, [0.2, 1.5, 7.5], 0.3);

        var calibration = PowerCalibrator.Suggest("power", kw, idealCycleSeconds: 30, sampleIntervalSeconds: 0.1)!;

        Assert.InRange(calibration.State.OffBelowKw, 0.4, 1.3);
        Assert.InRange(calibration.State.RunAboveKw, 2.5, 6.5);
        Assert.InRange(calibration.Off.MeanKw, 0.15, 0.35);
        Assert.InRange(calibration.Idle.MeanKw, 1.4, 1.6);
        Assert.InRange(calibration.Run.MeanKw, 7.4, 7.6);
        Assert.Null(calibration.Cycles);

        var detector = new PowerStateDetector(calibration.State);
        var correct = 0;
        for (var i = 0; i < kw.Length; i++)
        {
            detector.Update(i * 100, kw[i]);
            correct += (int)detector.Level - 1 == truth[i] ? 1 : 0;
        }

        Assert.True(correct >= 0.99 * kw.Length, $"{100.0 * correct / kw.Length:0.00} %");
    }

    [Fact]
    public void RunLevelWithMachiningPeaks_AlsoSuggestsCyclesFromPower()
    {
        var noisy = new NoisyPower(8);
        var (idle, _) = noisy.Levels(3000, [1.0, 1.0, 1.0], 0.1);
        var (running, peaks) = noisy.Cycles(200, baseKw: 3, amplitude: 4, snr: 20);

        var calibration = PowerCalibrator.Suggest("power", [.. idle, .. running], idealCycleSeconds: 30, sampleIntervalSeconds: 0.1)!;

        Assert.NotNull(calibration.Cycles);
        Assert.InRange(calibration.Cycles.AboveKw, 4, 6);
        var detector = new PowerCycleDetector(calibration.Cycles);
        var parts = 0;
        for (var i = 0; i < running.Length; i++)
        {
            parts += detector.Update(i * 100, running[i]) ? 1 : 0;
        }

        Assert.Equal(peaks, parts);
    }

    [Fact]
    public void OneLevelOnly_GivesNoSuggestion()
    {
        var (kw, _) = new NoisyPower(9).Levels(10_000, [2, 2, 2], 0.2);

        Assert.Null(PowerCalibrator.Suggest("power", kw, 30, 0.1));
    }
}
