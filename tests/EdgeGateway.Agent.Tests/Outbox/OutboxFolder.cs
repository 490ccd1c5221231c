using System.Buffers.Binary;
using EdgeGateway.Agent.Outbox;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace EdgeGateway.Agent.Tests.Outbox;

/// <summary>A temporary outbox folder with a fake clock, plus copies of it "as a crash would leave the disk".</summary>
internal sealed class OutboxFolder : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("edgegw-outbox-").FullName;
    private int _copies;

    public OutboxFolder()
    {
        Path = System.IO.Path.Combine(_root, "outbox");
    }

    /// <summary>The outbox folder.</summary>
    public string Path { get; }

    /// <summary>The clock of every outbox opened here; it moves only when a test advances it.</summary>
    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 5, 4, 6, 0, 0, TimeSpan.Zero));

    /// <summary>Options for <paramref name="directory"/> (default: <see cref="Path"/>), small segments, 1 s flush interval.</summary>
    public OutboxOptions Options(string? directory = null) => new()
    {
        Directory = directory ?? Path,
        SegmentBytes = 64 * 1024,
        MaxBytes = 64L * 1024 * 1024,
        FlushInterval = TimeSpan.FromSeconds(1),
    };

    public SegmentOutbox Open(Action<OutboxOptions>? configure = null, string? directory = null)
    {
        var options = Options(directory);
        configure?.Invoke(options);
        return new SegmentOutbox(Microsoft.Extensions.Options.Options.Create(options), Time, NullLogger<SegmentOutbox>.Instance);
    }

    /// <summary>The segment files of <paramref name="directory"/>, oldest first.</summary>
    public string[] Segments(string? directory = null)
    {
        var files = Directory.GetFiles(directory ?? Path, "*.seg");
        Array.Sort(files, StringComparer.Ordinal);
        return files;
    }

    /// <summary>
    /// Copies the segments and the checkpoint of <paramref name="directory"/> (default: <see cref="Path"/>), as they are now, into a new folder: what the disk holds if the
    /// process died this instant without a power loss (the page cache survives, nothing more was written).
    /// </summary>
    public string CrashCopy(string? directory = null)
    {
        var copy = System.IO.Path.Combine(_root, $"crash-{++_copies}");
        Directory.CreateDirectory(copy);
        foreach (var file in Directory.GetFiles(directory ?? Path))
        {
            var name = System.IO.Path.GetFileName(file);
            if (name != "lock")
            {
                File.Copy(file, System.IO.Path.Combine(copy, name));
            }
        }

        return copy;
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    /// <summary>A payload that names its sequence, <paramref name="length"/> bytes (at least 8).</summary>
    public static byte[] Payload(long sequence, int length = 200)
    {
        var payload = new byte[length];
        BinaryPrimitives.WriteInt64LittleEndian(payload, sequence);
        for (var i = 8; i < payload.Length; i++)
        {
            payload[i] = (byte)((sequence * 31) + i);
        }

        return payload;
    }

    /// <summary>Every record of the outbox from <paramref name="fromSequence"/> on, read in batches of <paramref name="batch"/>.</summary>
    public static List<OutboxRecord> ReadAll(IOutbox outbox, long fromSequence = 0, int batch = 7)
    {
        var all = new List<OutboxRecord>();
        var buffer = new OutboxRecord[batch];
        var next = fromSequence;
        while (true)
        {
            var read = outbox.Read(next, buffer);
            if (read == 0)
            {
                return all;
            }

            for (var i = 0; i < read; i++)
            {
                all.Add(buffer[i]);
            }

            next = buffer[read - 1].Sequence + 1;
        }
    }

    /// <summary>Asserts the records are exactly <paramref name="sequences"/>, each with its topic and payload as appended by <see cref="AppendNumbered"/>.</summary>
    public static void AssertNumbered(IEnumerable<long> sequences, List<OutboxRecord> records, int payloadLength = 200)
    {
        Assert.Equal(sequences.ToArray(), records.Select(r => r.Sequence).ToArray());
        foreach (var record in records)
        {
            Assert.Equal(Topic(record.Sequence), record.Topic);
            Assert.Equal(Payload(record.Sequence, payloadLength), record.Payload.ToArray());
        }
    }

    public static string Topic(long sequence) => $"edgegw/site/gw/cell-{sequence % 3}/kpi/1m";

    /// <summary>Appends <paramref name="count"/> records whose topic and payload follow from their sequence.</summary>
    public static void AppendNumbered(IOutbox outbox, int count, int payloadLength = 200)
    {
        for (var i = 0; i < count; i++)
        {
            var sequence = outbox.NextSequence;
            outbox.Append(Topic(sequence), Payload(sequence, payloadLength));
        }
    }

    /// <summary>Cuts the last <paramref name="bytes"/> off a file, as power loss cuts a write.</summary>
    public static void TruncateBy(string path, int bytes)
    {
        using var file = new FileStream(path, FileMode.Open);
        file.SetLength(file.Length - bytes);
    }

    /// <summary>Damages one byte of a file, as the medium might.</summary>
    public static void FlipByte(string path, long offset)
    {
        using var file = new FileStream(path, FileMode.Open);
        file.Position = offset;
        var value = file.ReadByte();
        file.Position = offset;
        file.WriteByte((byte)(value ^ 0x40));
    }
}
