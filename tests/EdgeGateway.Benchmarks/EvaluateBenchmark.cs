using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace EdgeGateway.Benchmarks;

/// <summary>
/// <c>dotnet run -c Release --project tests/EdgeGateway.Benchmarks -- evaluate [CELLS] [DAYS] [--keep=DIR]</c>: the issue's size
/// (200 cells × 2 years of day records, 100 sites, 130 with a voucher) loaded into a real InfluxDB 1.x in the ingest's
/// schema, then <c>edgegw evaluate</c> — query, all nine outcomes, 999 bootstrap replications, HTML/JSON/CSV — timed
/// end to end in this process. Target (issue 6 §4): under 30 s. Exit code 0 when met, 1 when not. With
/// <c>--keep=DIR</c> the output files are copied to DIR, so that a change meant to be only faster can be diffed
/// against a run before it.
/// </summary>
public static class EvaluateBenchmark
{
    private const double TargetSeconds = 30;

    public static int Run(string[] args)
    {
        var numbers = args.Where(a => !a.StartsWith("--", StringComparison.Ordinal)).ToArray();
        var keep = args.FirstOrDefault(a => a.StartsWith("--keep=", StringComparison.Ordinal))?["--keep=".Length..];
        if (!DrainBenchmark.TryParse(numbers, 0, 200, out var cells) || !DrainBenchmark.TryParse(numbers, 1, 730, out var days))
        {
            Console.Error.WriteLine("evaluate: usage: evaluate [CELLS] [DAYS] [--keep=DIR] (positive integers)");
            return 2;
        }

        var settings = BenchmarkProgramme.Settings(cells, days);
        var programme = ProgrammeSimulation.Generate(settings, seed: 1);
        using var influx = InfluxDb.Launch();
        var load = Stopwatch.StartNew();
        var points = BenchmarkProgramme.Load(influx, programme);
        load.Stop();
        var folder = Directory.CreateTempSubdirectory("edgegw-evaluate-bench-").FullName;
        try
        {
            var register = Path.Combine(folder, "register.csv");
            File.WriteAllText(register, BenchmarkProgramme.RegisterCsv(programme));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"evaluate: {cells} cells in {settings.Sites} sites ({settings.TreatedCells} with a voucher), {days} days: {points} day records loaded into InfluxDB {influx.Url} in {load.Elapsed.TotalSeconds:0.0} s; {Environment.ProcessorCount} cores, load average {DrainBenchmark.LoadAverage()}"));

            using var stdout = new MemoryStream();
            using var stderr = new StringWriter();
            var clock = Stopwatch.StartNew();
            var exit = Cli.Program.Run(
                ["evaluate", "--register", register, "--from", settings.From.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                 "--to", settings.To.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), "--out", Path.Combine(folder, "out"), "--influx-url", influx.Url],
                stdout,
                stderr);
            clock.Stop();
            Console.Write(stderr.ToString());
            Console.Write(Encoding.UTF8.GetString(stdout.ToArray()));
            if (exit != 0)
            {
                Console.Error.WriteLine($"evaluate: edgegw evaluate exited with {exit}");
                return 1;
            }

            if (keep is not null)
            {
                Directory.CreateDirectory(keep);
                foreach (var file in Directory.GetFiles(Path.Combine(folder, "out")))
                {
                    File.Copy(file, Path.Combine(keep, Path.GetFileName(file)), overwrite: true);
                }
            }

            var seconds = clock.Elapsed.TotalSeconds;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"evaluate: edgegw evaluate took {seconds:0.0} s end to end (target < {TargetSeconds} s): {(seconds < TargetSeconds ? "met" : "MISSED")}; true OEE effect {programme.TrueOeeEffect * 100:0.00} pp"));
            return seconds < TargetSeconds ? 0 : 1;
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
