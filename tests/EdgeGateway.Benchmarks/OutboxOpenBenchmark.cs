using System.Diagnostics;
using System.Globalization;
using System.Text;
using EdgeGateway.Agent.Outbox;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace EdgeGateway.Benchmarks;

/// <summary>
/// <c>sudo dotnet run -c Release --project tests/EdgeGateway.Benchmarks -- outbox-open [MIB] [ROUNDS] [--dir=FOLDER]</c>:
/// fills an outbox to its bound (default 512 MiB, the default <see cref="OutboxOptions.MaxBytes"/>, with the default
/// 8 MiB segments) with 1 KB KPI-sized records, the open segment a record short of full (the costliest state to open),
/// closes it, and times opening it, ROUNDS times (default 5) each way:
/// "full scan" with the index removed before each open (what the earlier version did: every byte read; the open then
/// writes the index again) and "indexed" (only the open segment and the last frame of each sealed one read).
/// Before every open the page cache is dropped (<c>sync; echo 3 &gt; /proc/sys/vm/drop_caches</c>, which needs root;
/// the output says when it could not), so the reads come from the disk. Prints min, median and max per way and the
/// bytes read; exit code 0 when the indexed median is under 2 s, 1 when not, 2 for bad arguments. The disk of a
/// development machine reads far faster than a Raspberry Pi's SD card: <c>outbox-open-sd.sh</c> runs the benchmark with
/// reads throttled to an SD card's (20 MB/s, 1500 reads/s).
/// </summary>
public static class OutboxOpenBenchmark
{
    private const double TargetSeconds = 2;
    private const string Topic = "edgegw/v1/sme-0042/gw-1/cell-1/kpi/1m";

    /// <summary>Runs the benchmark.</summary>
    public static int Run(string[] args)
    {
        var numbers = args.Where(a => !a.StartsWith("--", StringComparison.Ordinal)).ToArray();
        var folder = args.FirstOrDefault(a => a.StartsWith("--dir=", StringComparison.Ordinal))?["--dir=".Length..];
        if (!DrainBenchmark.TryParse(numbers, 0, 512, out var mib) || !DrainBenchmark.TryParse(numbers, 1, 5, out var rounds))
        {
            Console.Error.WriteLine("outbox-open: usage: outbox-open [MIB] [ROUNDS] [--dir=FOLDER] (positive integers)");
            return 2;
        }

        var root = folder ?? Directory.CreateTempSubdirectory("edgegw-outbox-open-").FullName;
        var options = new OutboxOptions { Directory = Path.Combine(root, "outbox"), MaxBytes = mib * 1024L * 1024 };
        try
        {
            var fill = Stopwatch.StartNew();
            var (records, bytes) = Fill(options);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"outbox-open: {records} records of {KpiPayload.Length} B payload, {bytes} B in {Directory.GetFiles(options.Directory, "*.seg").Length} segments of at most {options.SegmentBytes} B, filled in {fill.Elapsed.TotalSeconds:F1} s; {options.Directory}, {Environment.ProcessorCount} cores, load average {DrainBenchmark.LoadAverage()}"));

            var full = Time(options, rounds, fullScan: true);
            var indexed = Time(options, rounds, fullScan: false);
            var median = DrainBenchmark.Median(indexed);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"median: full scan {DrainBenchmark.Median(full):F3} s, indexed {median:F3} s (target < {TargetSeconds:F0} s): {(median < TargetSeconds ? "target met" : "TARGET MISSED")}"));
            return median < TargetSeconds ? 0 : 1;
        }
        finally
        {
            if (folder is null)
            {
                Directory.Delete(root, recursive: true);
            }
        }
    }

    /// <summary>A one-minute KPI record of about 1 KB, as the encoder writes them (the bytes do not matter to the outbox).</summary>
    private static byte[] KpiPayload { get; } = Encoding.UTF8.GetBytes(
        ("{\"v\":1,\"site\":\"sme-0042\",\"gateway\":\"gw-1\",\"cell\":\"cell-1\",\"kind\":\"1m\",\"seq\":123456,\"start\":\"2026-05-04T06:00:00Z\",\"end\":\"2026-05-04T06:01:00Z\","
        + "\"clock_synced\":true,\"coverage\":1.0,\"states\":{\"running\":52.4,\"minor_stop\":0,\"failure\":0,\"setup\":0,\"waiting\":7.6,\"off\":0,\"unknown\":0},"
        + "\"counts\":{\"cycles\":2,\"scrap\":0},\"availability\":0.873,\"performance\":0.95,\"quality\":1.0,\"oee\":0.829,\"energy_kwh\":0.1251,\"power_kw\":{\"mean\":7.51,\"max\":7.86},"
        + "\"aux\":[],\"flags\":[],\"config_sha256\":\"9f2c4e0b7a1d3c5e8f6a2b4d0c9e7f1a3b5d7c9e1f3a5b7d9c1e3f5a7b9d1c3e\",\"padding\":\"").PadRight(1010, 'x') + "\"}");

    /// <summary>
    /// Fills the outbox as full as the bound lets it, in the state that costs the most to open: every segment but the
    /// open one sealed, and the open one a record short of full (it is the one read in full). Returns how many records
    /// and the bytes held.
    /// </summary>
    private static (long Records, long Bytes) Fill(OutboxOptions options)
    {
        using var outbox = new SegmentOutbox(Options.Create(options), TimeProvider.System, NullLogger<SegmentOutbox>.Instance);
        var frame = OutboxFrame.Overhead + Encoding.UTF8.GetByteCount(Topic) + KpiPayload.Length;
        var perSegment = options.SegmentBytes / frame;
        var records = (options.MaxBytes / (perSegment * frame) * perSegment) - 1;
        for (long i = 0; i < records; i++)
        {
            outbox.Append(Topic, KpiPayload);
        }

        var status = outbox.Status;
        return (status.Depth, status.Bytes);
    }

    /// <summary>Opens the outbox <paramref name="rounds"/> times from a cold page cache; prints each and returns the seconds.</summary>
    private static List<double> Time(OutboxOptions options, int rounds, bool fullScan)
    {
        var way = fullScan ? "full scan" : "indexed";
        var seconds = new List<double>();
        for (var round = 1; round <= rounds; round++)
        {
            if (fullScan)
            {
                File.Delete(Path.Combine(options.Directory, SegmentIndex.FileName));
            }

            var cold = DropPageCache();
            var watch = Stopwatch.StartNew();
            using var outbox = new SegmentOutbox(Options.Create(options), TimeProvider.System, NullLogger<SegmentOutbox>.Instance);
            var elapsed = watch.Elapsed.TotalSeconds;
            seconds.Add(elapsed);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{way,-9} round {round}: opened in {elapsed:F3} s, {outbox.BytesReadAtOpen} B of segments read, {outbox.Status.Depth} records held; {cold}"));
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{way,-9}: min {seconds.Min():F3} s, median {DrainBenchmark.Median(seconds):F3} s, max {seconds.Max():F3} s over {rounds} rounds"));
        return seconds;
    }

    /// <summary>Writes dirty pages out and drops the page cache; says whether it could.</summary>
    internal static string DropPageCache()
    {
        using (var sync = Process.Start("sync"))
        {
            sync.WaitForExit();
        }

        try
        {
            File.WriteAllText("/proc/sys/vm/drop_caches", "3");
            return "page cache dropped";
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return $"page cache NOT dropped ({e.Message}): the files may be read from memory";
        }
    }
}
