using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using BenchmarkDotNet.Attributes;
using EdgeGateway.Agent.Outbox;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace EdgeGateway.Benchmarks;

/// <summary>
/// Records per second through the outbox as the agent uses it: the pipeline appends a 500-byte payload, the
/// publisher acknowledges it (as a PUBACK would). With the default flush interval (1 s: one fsync and one checkpoint
/// per second) and with a flush interval of zero (fsync of the segment and an atomic checkpoint per record), to
/// show what batching buys. Files go to a temporary folder on the disk of <c>TMPDIR</c>. After each case the bytes
/// the process sent to the disk (/proc/self/io write_bytes less cancelled_write_bytes) are printed per record,
/// the write amplification.
/// </summary>
[MemoryDiagnoser]
[OperationsPerSecond]
[SuppressMessage("Reliability", "CA1001", Justification = "BenchmarkDotNet calls [GlobalCleanup], which disposes the outbox.")]
public class OutboxBenchmarks
{
    /// <summary>Records per invocation.</summary>
    public const int Batch = 200;

    private const string Topic = "edgegw/sme-0042/gw-1/cell-1/kpi/1m";

    private readonly byte[] _payload = new byte[500];
    private string _directory = "";
    private SegmentOutbox? _outbox;
    private long _records;
    private long _diskBytesAtStart;

    /// <summary>The outbox's <see cref="OutboxOptions.FlushInterval"/> in milliseconds: 1000 is the default, 0 fsyncs every record.</summary>
    [Params(1000, 0)]
    public int FlushIntervalMs { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        new Random(42).NextBytes(_payload);
        _directory = Directory.CreateTempSubdirectory("edgegw-outbox-bench-").FullName;
        _outbox = new SegmentOutbox(
            Options.Create(new OutboxOptions { Directory = _directory, FlushInterval = TimeSpan.FromMilliseconds(FlushIntervalMs) }),
            TimeProvider.System,
            NullLogger<SegmentOutbox>.Instance);
        _records = 0;
        _diskBytesAtStart = DiskBytesWritten();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _outbox?.Dispose();
        var written = DiskBytesWritten() - _diskBytesAtStart;
        if (_records > 0 && written >= 0)
        {
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"// Outbox FlushIntervalMs={FlushIntervalMs}: {_records} records, {written} bytes to disk, {(double)written / _records:F1} bytes per record (payload 500)"));
        }

        Directory.Delete(_directory, recursive: true);
    }

    [Benchmark(OperationsPerInvoke = Batch)]
    public long AppendAndAcknowledge()
    {
        var outbox = _outbox!;
        for (var i = 0; i < Batch; i++)
        {
            outbox.Append(Topic, _payload);
            outbox.Acknowledge(outbox.NextSequence - 1);
        }

        _records += Batch;
        return outbox.NextSequence;
    }

    /// <summary>Bytes this process caused to be written to storage, or -1 where /proc/self/io is missing.</summary>
    private static long DiskBytesWritten()
    {
        const string path = "/proc/self/io";
        if (!File.Exists(path))
        {
            return -1;
        }

        long written = 0, cancelled = 0;
        foreach (var line in File.ReadLines(path))
        {
            if (line.StartsWith("write_bytes:", StringComparison.Ordinal))
            {
                written = long.Parse(line.AsSpan("write_bytes:".Length).Trim(), CultureInfo.InvariantCulture);
            }
            else if (line.StartsWith("cancelled_write_bytes:", StringComparison.Ordinal))
            {
                cancelled = long.Parse(line.AsSpan("cancelled_write_bytes:".Length).Trim(), CultureInfo.InvariantCulture);
            }
        }

        return written - cancelled;
    }
}
