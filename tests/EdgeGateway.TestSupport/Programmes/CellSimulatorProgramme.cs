using System.Globalization;
using System.Text;
using System.Text.Json;
using EdgeGateway.Core.Calendar;
using EdgeGateway.Core.Configuration;
using EdgeGateway.Core.Kpi;
using EdgeGateway.Evaluation.Panel;
using EdgeGateway.Evaluation.Register;
using EdgeGateway.Sensors.Simulation;

namespace EdgeGateway.TestSupport.Programmes;

/// <summary>One cell of a simulated programme: its site and id, go-live (null: control) and machine.</summary>
public sealed record SimulatedCell(string Site, string Cell, DateOnly? GoLive, double CycleSeconds, double MtbfHours, int RampUpDays);

/// <summary>
/// A programme run through the repo's real cell simulator (src/docs/simulation.md) and its investment switch:
/// each site is one gateway config; a treated cell's investment shortens its cycle (× 0.9) and halves its minor stops
/// over a linear ramp-up. The truth is the sample effect on the treated: every site is simulated again without its
/// investments (same seed, so the same days up to go-live), and the treated cells' OEE with minus without the
/// investment is averaged over their weeks after ramp-up — what the overall estimate targets. Shared by
/// CellSimulatorProgrammeTests and the benchmarks' <c>coverage --simulator</c> study.
/// </summary>
public sealed record CellSimulatorProgramme(
    DateOnly From,
    DateOnly To,
    IReadOnlyList<RegisterEntry> Register,
    IReadOnlyList<CellDays> Actual,
    IReadOnlyList<CellDays> Without)
{
    /// <summary>
    /// <paramref name="sites"/> sites of <paramref name="cellsPerSite"/> cells; <paramref name="treated"/> of them drawn
    /// at random go live on a random Monday between a third and two thirds of <paramref name="weeks"/>, with a 28-day
    /// ramp-up; cycle time 36–44 s (ideal 30 s) and MTBF 4–12 h per cell. Deterministic for a seed.
    /// </summary>
    public static CellSimulatorProgramme Random(int sites, int cellsPerSite, int treated, int weeks, long seed)
    {
        var random = new Random((int)seed);
        var from = new DateOnly(2026, 1, 5);
        var count = sites * cellsPerSite;
        var treatedSet = Enumerable.Range(0, count).OrderBy(_ => random.Next()).Take(treated).ToHashSet();
        var cells = new List<SimulatedCell>(count);
        for (var i = 0; i < count; i++)
        {
            DateOnly? goLive = treatedSet.Contains(i) ? from.AddDays(7 * random.Next(weeks / 3, (2 * weeks / 3) + 1)) : null;
            cells.Add(new SimulatedCell($"s{(i / cellsPerSite) + 1:00}", $"c{i + 1:000}", goLive, 36 + (8 * random.NextDouble()), 4 + (8 * random.NextDouble()), 28));
        }

        return Simulate(cells, from, from.AddDays(7 * weeks), seed);
    }

    /// <summary>Simulates <paramref name="cells"/> from <paramref name="from"/> to <paramref name="to"/> (site-local dates).</summary>
    public static CellSimulatorProgramme Simulate(IReadOnlyList<SimulatedCell> cells, DateOnly from, DateOnly to, long seed)
    {
        var register = new List<RegisterEntry>();
        var actual = new List<CellDays>();
        var without = new List<CellDays>();
        foreach (var site in cells.Select(c => c.Site).Distinct())
        {
            var siteCells = cells.Where(c => c.Site == site).ToList();
            var withDays = SimulateSite(site, siteCells, from, to, seed, investments: true);
            var withoutDays = SimulateSite(site, siteCells, from, to, seed, investments: false);
            foreach (var cell in siteCells)
            {
                register.Add(new RegisterEntry(site, cell.Cell, cell.GoLive is not null, cell.GoLive, cell.GoLive is null ? 0 : cell.RampUpDays, null, null));
                actual.Add(new CellDays(site, cell.Cell, withDays[cell.Cell]));
                without.Add(new CellDays(site, cell.Cell, withoutDays[cell.Cell]));
            }
        }

        return new CellSimulatorProgramme(from, to, register, actual, without);
    }

    /// <summary>Mean over treated cells and their weeks after ramp-up of OEE with minus without the investment.</summary>
    public double TrueOeeEffect()
    {
        var sum = 0.0;
        var count = 0;
        for (var c = 0; c < Register.Count; c++)
        {
            if (Register[c].GoLive is not { } goLive)
            {
                continue;
            }

            var rampEnd = goLive.AddDays(Register[c].RampUpDays);
            for (var start = From; start < To; start = start.AddDays(7))
            {
                if (start >= rampEnd && WeekOee(Actual[c], start) is { } with && WeekOee(Without[c], start) is { } no)
                {
                    sum += with - no;
                    count++;
                }
            }
        }

        return sum / count;
    }

    private static double? WeekOee(CellDays cell, DateOnly weekStart)
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

    /// <summary>Simulates one site's cells and returns their day records from the simulator's truth file.</summary>
    private static Dictionary<string, List<DayRecord>> SimulateSite(string site, List<SimulatedCell> cells, DateOnly from, DateOnly to, long seed, bool investments)
    {
        var json = new StringBuilder();
        json.Append(CultureInfo.InvariantCulture, $$"""{ "EdgeGateway": { "Site": "{{site}}", "TimeZone": "Europe/Amsterdam", "Cells": [""");
        for (var i = 0; i < cells.Count; i++)
        {
            var cell = cells[i];
            var investment = investments && cell.GoLive is { } goLive
                ? string.Create(CultureInfo.InvariantCulture, $$""", "Investment": { "GoLive": "{{goLive:yyyy-MM-dd}}", "RampUpDays": {{cell.RampUpDays}}, "After": { "CycleSeconds": {{cell.CycleSeconds * 0.9:0.###}}, "MinorStopProbability": 0.01 } }""")
                : "";
            var id = cell.Cell;
            json.Append(CultureInfo.InvariantCulture, $$"""
                {{(i > 0 ? "," : "")}}
                { "Id": "{{id}}", "IdealCycleSeconds": 30, "MinorStopSeconds": 120,
                  "Signals": { "{{id}}-green": { "Role": "StateRun" }, "{{id}}-yellow": { "Role": "StateIdle" }, "{{id}}-red": { "Role": "StateDown" },
                               "{{id}}-setup": { "Role": "Setup" }, "{{id}}-cycle": { "Role": "CyclePulse" }, "{{id}}-scrap": { "Role": "ScrapPulse" },
                               "{{id}}-power": { "Role": "PowerKw" } },
                  "Simulation": { "CycleSeconds": {{cell.CycleSeconds:0.###}}, "MtbfHours": {{cell.MtbfHours:0.###}}, "MinorStopProbability": 0.02, "PowerSampleSeconds": 3600{{investment}} },
                  "Shifts": [ { "Days": "Mon-Fri", "Start": "06:00", "End": "14:00", "Breaks": [ { "Start": "10:00", "End": "10:15" } ] } ] }
                """);
        }

        json.Append("] } }");
        var config = ConfigReader.Read(Encoding.UTF8.GetBytes(json.ToString()), $"{site}.json");
        var options = SimulationOptions.ReadAll(config);
        var fromMs = SiteTime.FromWallClock(from.ToDateTime(TimeOnly.MinValue), config.TimeZone);
        var toMs = SiteTime.FromWallClock(to.ToDateTime(TimeOnly.MinValue), config.TimeZone);
        using var truth = new MemoryStream();
        Simulator.Write(config, options, seed, fromMs, toMs, [WindowKind.Day], Stream.Null, truth);
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
            var day = new DayRecord(
                DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(start, zone).DateTime),
                buckets.GetProperty("run").GetDouble(),
                buckets.GetProperty("setup").GetDouble(),
                buckets.GetProperty("down").GetDouble(),
                buckets.GetProperty("idle").GetDouble(),
                (end - start).TotalSeconds,
                counts.GetProperty("produced").GetDouble(),
                counts.GetProperty("good").GetDouble(),
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
