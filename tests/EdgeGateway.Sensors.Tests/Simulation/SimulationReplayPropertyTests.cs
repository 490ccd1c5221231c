using System.Globalization;
using CsCheck;
using EdgeGateway.Core.Kpi;

namespace EdgeGateway.Sensors.Tests.Simulation;

/// <summary>
/// The simulator's contract: replaying its trace through the KPI engine reproduces its ground truth, which it
/// computes from the simulated intervals without the engine. Two cells (one with an overnight staffed shift whose
/// break crosses midnight, one with an unstaffed Saturday night), two weeks starting anywhere in 2026 (so some runs
/// cross a DST change), both minor-stop policies, thresholds from none to three minutes, and an investment whose
/// go-live and ramp-up fall inside the run and add unattended night shifts outside the calendar.
/// </summary>
public sealed class SimulationReplayPropertyTests
{
    private const int Seeds = 50;

    private sealed record Case(long Seed, int StartDay, bool Nakajima, int MinorStopSeconds, int GoLiveDay, int RampUpDays)
    {
        public override string ToString() =>
            $"seed {Seed}, start 2026-01-01 + {StartDay} d, {(Nakajima ? "Nakajima" : "Iso22400")}, minor stop < {MinorStopSeconds} s, go-live day {GoLiveDay}, ramp-up {RampUpDays} d";
    }

    private static readonly Gen<Case> s_case = Gen.Select(
        Gen.Long, Gen.Int[0, 364], Gen.Bool, Gen.OneOf(Gen.Const(0), Gen.Int[20, 180]), Gen.Int[0, 14], Gen.Int[0, 10],
        (seed, day, nakajima, threshold, goLive, ramp) => new Case(seed, day, nakajima, threshold, goLive, ramp));

    [Fact]
    public void ReplayOfSimulatedTrace_ReproducesTheTruth_Over50Seeds_BucketsCountsAndOee()
    {
        var checkedRecords = 0;
        s_case.Sample(c =>
        {
            var start = new DateOnly(2026, 1, 1).AddDays(c.StartDay);
            var run = SimulatedRun.Simulate(Config(c, start.AddDays(c.GoLiveDay)), c.Seed, Date(start), Date(start.AddDays(14)));

            TruthComparison.AssertReplayMatchesTruth(run);

            // A run that produced nothing or never stopped would prove little.
            var totals = run.Truth.Where(r => r.Kind == WindowKind.Total).ToList();
            Assert.Equal(2, totals.Count);
            Assert.All(totals, t => Assert.True(t.Produced > 1000 && t.Failures > 0 && t.Ms(Bucket.Setup) > 0, $"{c}: {t.Cell.Id} too quiet"));
            Interlocked.Add(ref checkedRecords, run.Truth.Count);
        }, iter: Seeds);

        Assert.True(checkedRecords > Seeds * 50, $"only {checkedRecords} records compared");
    }

    [Fact]
    public void ReplayOfSimulatedTrace_ReproducesTheTruth_InMinuteWindows()
    {
        // Minute windows split every stop and failure: a sharper check of where counts and seconds are booked.
        foreach (var seed in new long[] { 3, 4 })
        {
            var c = new Case(seed, StartDay: 86, Nakajima: seed % 2 == 0, MinorStopSeconds: 120, GoLiveDay: 3, RampUpDays: 2);
            var start = new DateOnly(2026, 1, 1).AddDays(c.StartDay);
            var run = SimulatedRun.Simulate(Config(c, start.AddDays(c.GoLiveDay)), c.Seed, Date(start), Date(start.AddDays(7)), WindowKind.Minute, WindowKind.Total);
            var replayed = run.Replay(WindowKind.Minute, WindowKind.Total);
            Assert.Equal(replayed.Count, run.Truth.Count);
            var byWindow = replayed.ToDictionary(r => (r.Cell.Id, r.Kind, r.Start));
            foreach (var truth in run.Truth)
            {
                TruthComparison.AssertSame(truth, byWindow[(truth.Cell.Id, truth.Kind, truth.Start)]);
            }
        }
    }

    private static string Date(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string Config(Case c, DateOnly goLive) => $$"""
        { "EdgeGateway": { "Site": "sme-0042", "TimeZone": "Europe/Amsterdam", "Cells": [
          { "Id": "lathe", "IdealCycleSeconds": 30, "MinorStopSeconds": {{c.MinorStopSeconds}}, "MinorStopPolicy": "{{(c.Nakajima ? "Nakajima" : "Iso22400")}}",
            "Signals": { "green": { "Role": "StateRun" }, "yellow": { "Role": "StateIdle" }, "red": { "Role": "StateDown" },
                         "setup": { "Role": "Setup" }, "cycle": { "Role": "CyclePulse" }, "scrap": { "Role": "ScrapPulse" },
                         "power": { "Role": "PowerKw" } },
            "Simulation": { "CycleSeconds": 36, "MinorStopProbability": 0.03, "MinorStopMeanSeconds": 60, "MtbfHours": 4,
                            "SetupEveryHours": 4, "PowerSampleSeconds": 60,
              "Investment": { "GoLive": "{{goLive:yyyy-MM-dd}}", "RampUpDays": {{c.RampUpDays}},
                "After": { "CycleSeconds": 29, "MinorStopProbability": 0.01, "PowerIdleKw": 1.2,
                           "ExtraShifts": [ { "Days": "Mon-Fri", "Start": "22:00", "End": "06:00", "Staffed": false } ] } } },
            "Shifts": [ { "Days": "Mon-Fri", "Start": "06:00", "End": "14:00", "Breaks": [ { "Start": "10:00", "End": "10:15" } ] },
                        { "Days": "Mon-Fri", "Start": "14:00", "End": "22:00", "Breaks": [ { "Start": "18:00", "End": "18:30" } ] },
                        { "Days": "Sat", "Start": "22:00", "End": "06:00", "Staffed": false } ] },
          { "Id": "press", "IdealCycleSeconds": 10, "MinorStopSeconds": {{c.MinorStopSeconds / 2}}, "MinorStopPolicy": "{{(c.Nakajima ? "Iso22400" : "Nakajima")}}",
            "Signals": { "p-green": { "Role": "StateRun" }, "p-yellow": { "Role": "StateIdle" }, "p-red": { "Role": "StateDown" },
                         "p-setup": { "Role": "Setup" }, "p-cycle": { "Role": "CyclePulse" }, "p-scrap": { "Role": "ScrapPulse" },
                         "p-power": { "Role": "PowerKw" } },
            "Simulation": { "CycleSeconds": 12, "MinorStopProbability": 0.01, "MinorStopMeanSeconds": 25, "MinorStopLamp": "Idle",
                            "MtbfHours": 6, "MttrMinutes": 20, "SetupEveryHours": 5, "FailuresWaitForStaff": false, "PowerSampleSeconds": 60,
                            "ExtraShifts": [ { "Days": "Sat", "Start": "06:00", "End": "12:00", "Staffed": false } ],
              "Investment": { "GoLive": "{{goLive:yyyy-MM-dd}}", "RampUpDays": {{c.RampUpDays}}, "After": { "CycleSeconds": 10.5, "StartDelayMinutes": 1 } } },
            "Shifts": [ { "Days": "Mon-Fri", "Start": "06:00", "End": "14:00", "Breaks": [ { "Start": "09:30", "End": "09:45" } ] },
                        { "Days": "Sun-Thu", "Start": "22:00", "End": "06:00", "Breaks": [ { "Start": "23:45", "End": "00:15" } ] } ] } ] } }
        """;
}
