using System.Globalization;
using System.Text;
using System.Text.Json;
using EdgeGateway.Core.Calendar;
using EdgeGateway.Core.Configuration;
using EdgeGateway.Core.Kpi;
using EdgeGateway.Evaluation.Estimation;
using EdgeGateway.Evaluation.Panel;
using EdgeGateway.Evaluation.Register;
using EdgeGateway.Sensors.Simulation;

namespace EdgeGateway.Evaluation.Tests.Simulation;

/// <summary>
/// The evaluation on the repo's real cell simulator (src/README.md, "Simulation"): 12 cells in 5 sites, 16 weeks, one
/// shift; 7 cells get an investment (cycle time 40 s → 34 s, fewer minor stops, one week of ramp-up) with go-lives
/// staggered over weeks 6–10, 5 are controls. The truth is the sample effect on the treated: each site is simulated
/// again without its investments (same seed, so the same days up to go-live), and the treated cells' OEE with minus
/// without the investment is averaged over their weeks after ramp-up — what the overall estimate targets.
/// </summary>
public sealed class CellSimulatorProgrammeTests
{
    private static readonly DateOnly s_from = new(2026, 3, 2);
    private static readonly DateOnly s_to = new(2026, 6, 22);

    // (site, cell, go-live or null for a control)
    private static readonly (string Site, string Cell, string? GoLive)[] s_cells =
    [
        ("s1", "c1", "2026-04-08"), ("s1", "c2", null), ("s1", "c3", "2026-05-06"),
        ("s2", "c4", "2026-04-15"), ("s2", "c5", null),
        ("s3", "c6", "2026-04-22"), ("s3", "c7", null),
        ("s4", "c8", "2026-04-29"), ("s4", "c9", null),
        ("s5", "c10", "2026-05-06"), ("s5", "c11", null), ("s5", "c12", "2026-04-13"),
    ];

    private static readonly Lazy<(List<RegisterEntry> Register, List<CellDays> Actual, List<CellDays> Without)> s_programme = new(Simulate);

    [Fact]
    public void DiD_OnSimulatedCells_HasTheRightSign_AndItsCiHoldsTheSampleEffect()
    {
        var (register, actual, without) = s_programme.Value;
        var truth = SampleEffect(register, actual, without);
        var result = ProgrammeEvaluator.Evaluate(
            register, actual, new EvaluationOptions(s_from, s_to, BootstrapReplications: 499, Seed: 3, MinimumSitesPerBreakdown: 1, Outcomes: [Outcome.Oee]));

        var overall = result.Effects[0].Overall!.Value;
        Assert.InRange(truth, 0.03, 0.30); // the investment must be visible at all
        Assert.True(overall.Value > 0 && overall.Lower > 0, $"estimate {overall}");
        Assert.True(
            overall.Lower <= truth && truth <= overall.Upper,
            $"true sample effect {truth:0.0000}, estimate {overall.Value:0.0000} [{overall.Lower:0.0000}, {overall.Upper:0.0000}]");
    }

    /// <summary>Mean over treated cells and their weeks after ramp-up of OEE with minus without the investment.</summary>
    private static double SampleEffect(List<RegisterEntry> register, List<CellDays> actual, List<CellDays> without)
    {
        var sum = 0.0;
        var count = 0;
        for (var c = 0; c < register.Count; c++)
        {
            if (register[c].GoLive is not { } goLive)
            {
                continue;
            }

            var rampEnd = goLive.AddDays(register[c].RampUpDays);
            for (var start = s_from; start < s_to; start = start.AddDays(7))
            {
                if (start >= rampEnd && Oee(actual[c], start) is { } with && Oee(without[c], start) is { } no)
                {
                    sum += with - no;
                    count++;
                }
            }
        }

        return sum / count;
    }

    private static double? Oee(CellDays cell, DateOnly weekStart)
    {
        double good = 0, busy = 0;
        foreach (var day in cell.Days)
        {
            if (day.Day >= weekStart && day.Day < weekStart.AddDays(7))
            {
                good += day.Good * day.IdealCycleSeconds;
                busy += day.PlannedBusySeconds;
            }
        }

        return busy > 0 ? good / busy : null;
    }

    private static (List<RegisterEntry>, List<CellDays>, List<CellDays>) Simulate()
    {
        var register = new List<RegisterEntry>();
        var actual = new List<CellDays>();
        var without = new List<CellDays>();
        foreach (var site in s_cells.Select(c => c.Site).Distinct())
        {
            var cells = s_cells.Where(c => c.Site == site).ToList();
            var withDays = SimulateSite(site, cells, investments: true);
            var withoutDays = SimulateSite(site, cells, investments: false);
            foreach (var (_, cell, goLive) in cells)
            {
                register.Add(new RegisterEntry(
                    site, cell, goLive is not null, goLive is null ? null : DateOnly.Parse(goLive, CultureInfo.InvariantCulture), goLive is null ? 0 : 7, null, null));
                actual.Add(new CellDays(site, cell, withDays[cell]));
                without.Add(new CellDays(site, cell, withoutDays[cell]));
            }
        }

        return (register, actual, without);
    }

    /// <summary>Simulates one site's cells and returns their day records from the truth file.</summary>
    private static Dictionary<string, List<DayRecord>> SimulateSite(string site, List<(string Site, string Cell, string? GoLive)> cells, bool investments)
    {
        var json = new StringBuilder();
        json.Append(CultureInfo.InvariantCulture, $$"""{ "EdgeGateway": { "Site": "{{site}}", "TimeZone": "Europe/Amsterdam", "Cells": [""");
        for (var i = 0; i < cells.Count; i++)
        {
            var investment = investments && cells[i].GoLive is { } goLive
                ? $$""", "Investment": { "GoLive": "{{goLive}}", "RampUpDays": 7, "After": { "CycleSeconds": 34, "MinorStopProbability": 0.005 } }"""
                : "";
            var id = cells[i].Cell;
            json.Append(CultureInfo.InvariantCulture, $$"""
                {{(i > 0 ? "," : "")}}
                { "Id": "{{id}}", "IdealCycleSeconds": 30, "MinorStopSeconds": 120,
                  "Signals": { "{{id}}-green": { "Role": "StateRun" }, "{{id}}-yellow": { "Role": "StateIdle" }, "{{id}}-red": { "Role": "StateDown" },
                               "{{id}}-setup": { "Role": "Setup" }, "{{id}}-cycle": { "Role": "CyclePulse" }, "{{id}}-scrap": { "Role": "ScrapPulse" },
                               "{{id}}-power": { "Role": "PowerKw" } },
                  "Simulation": { "CycleSeconds": 40, "MinorStopProbability": 0.02, "PowerSampleSeconds": 3600{{investment}} },
                  "Shifts": [ { "Days": "Mon-Fri", "Start": "06:00", "End": "14:00", "Breaks": [ { "Start": "10:00", "End": "10:15" } ] } ] }
                """);
        }

        json.Append("] } }");
        var config = ConfigReader.Read(Encoding.UTF8.GetBytes(json.ToString()), $"{site}.json");
        var options = SimulationOptions.ReadAll(config);
        var from = SiteTime.FromWallClock(s_from.ToDateTime(TimeOnly.MinValue), config.TimeZone);
        var to = SiteTime.FromWallClock(s_to.ToDateTime(TimeOnly.MinValue), config.TimeZone);
        using var truth = new MemoryStream();
        Simulator.Write(config, options, seed: 17, from, to, [WindowKind.Day], Stream.Null, truth);
        return ReadDays(truth.ToArray(), config.TimeZone);
    }

    private static Dictionary<string, List<DayRecord>> ReadDays(byte[] truth, TimeZoneInfo zone)
    {
        var days = new Dictionary<string, List<DayRecord>>();
        using var document = JsonDocument.Parse(truth);
        foreach (var record in document.RootElement.EnumerateArray())
        {
            var window = record.GetProperty("window");
            var start = window.GetProperty("start").GetDateTimeOffset();
            var end = window.GetProperty("end").GetDateTimeOffset();
            var buckets = record.GetProperty("buckets");
            var counts = record.GetProperty("counts");
            var cell = record.GetProperty("cell").GetString()!;
            var produced = counts.GetProperty("produced").GetDouble();
            var good = counts.GetProperty("good").GetDouble();
            var day = new DayRecord(
                DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(start, zone).DateTime),
                buckets.GetProperty("run").GetDouble(),
                buckets.GetProperty("setup").GetDouble(),
                buckets.GetProperty("down").GetDouble(),
                buckets.GetProperty("idle").GetDouble(),
                (end - start).TotalSeconds,
                produced,
                good,
                counts.GetProperty("scrap").GetDouble(),
                counts.GetProperty("unattended_good").GetDouble(),
                record.GetProperty("energy").GetProperty("kwh").GetDouble(),
                record.GetProperty("ideal_cycle_s").GetDouble(),
                record.GetProperty("data_quality").GetProperty("coverage").GetDouble());
            if (!days.TryGetValue(cell, out var list))
            {
                days[cell] = list = [];
            }

            list.Add(day);
        }

        return days;
    }
}
