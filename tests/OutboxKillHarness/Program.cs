using System.Buffers.Binary;
using System.Globalization;
using EdgeGateway.Agent.Outbox;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace EdgeGateway.Tests.OutboxKillHarness;

/// <summary>
/// Appends numbered records to an outbox until it is killed, for <c>Outbox_SurvivesKill_NoLoss</c>:
/// <c>OutboxKillHarness DIR FLUSH_MS</c> prints <c>open N</c> (the next sequence), then <c>a S</c> after each
/// append of sequence S returned and <c>k S</c> after each acknowledgement through S returned.
/// </summary>
public static class Program
{
    /// <summary>Records stay this many sequences unacknowledged, so a kill always finds some waiting.</summary>
    private const long AckLag = 40;

    public static int Main(string[] args)
    {
        if (args.Length != 2 || !int.TryParse(args[1], NumberStyles.None, CultureInfo.InvariantCulture, out var flushMs))
        {
            Console.Error.WriteLine("usage: OutboxKillHarness DIR FLUSH_MS");
            return 2;
        }

        var options = new OutboxOptions
        {
            Directory = args[0],
            FlushInterval = TimeSpan.FromMilliseconds(flushMs),
            SegmentBytes = 64 * 1024,
            MaxBytes = 256L * 1024 * 1024,
        };
        using var outbox = new SegmentOutbox(Options.Create(options), TimeProvider.System, NullLogger<SegmentOutbox>.Instance);
        var output = Console.Out;
        output.WriteLine($"open {outbox.NextSequence}");
        var payload = new byte[KillPayload.MaxBytes];
        while (true)
        {
            var sequence = outbox.NextSequence;
            var length = KillPayload.Fill(sequence, payload);
            outbox.Append(KillPayload.Topic(sequence), payload.AsSpan(0, length));
            output.WriteLine($"a {sequence}");
            if (sequence % 8 == 0 && sequence > AckLag)
            {
                outbox.Acknowledge(sequence - AckLag);
                output.WriteLine($"k {sequence - AckLag}");
            }
        }
    }
}

/// <summary>The record of a sequence: its topic and payload follow from the number alone (copied in OutboxKillTests).</summary>
internal static class KillPayload
{
    public const int MaxBytes = 100 + 5000;

    public static string Topic(long sequence) => $"kill/{sequence % 3}";

    /// <summary>100 to 5099 bytes, so some appends straddle pages: the sequence, then a pattern derived from it.</summary>
    public static int Fill(long sequence, Span<byte> destination)
    {
        var length = 100 + (int)(sequence * 7919 % 5000);
        BinaryPrimitives.WriteInt64LittleEndian(destination, sequence);
        for (var i = 8; i < length; i++)
        {
            destination[i] = (byte)(sequence + i);
        }

        return length;
    }
}
