using System.Text.Json;
using EdgeGateway.Ingest.Tests.Fixtures;
using EdgeGateway.Ingest.Validation;
using Xunit.Abstractions;

namespace EdgeGateway.Ingest.Tests.Integration;

/// <summary>
/// 10 000 malformed messages (<see cref="Malformed"/>: random bytes, wrong types, NaN, huge numbers, missing fields,
/// mismatched topic ids, oversize, …) through a real Mosquitto into the ingest process, interleaved with the valid
/// records of the sample trace: every malformed one is dead-lettered with a reason of a fitting kind, every valid one
/// is in InfluxDB, and the ingest is still up and well.
/// </summary>
[Collection(RealServicesGroup.Name)]
public sealed class FuzzThroughBrokerTests(ITestOutputHelper output)
{
    private const int Fuzzed = 10_000;
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task TenThousandMalformed_AllDeadLetteredWithReasons_ValidOnesAllStored_IngestHealthy()
    {
        using var services = new BrokerAndDatabase();
        using var ingest = new IngestProcess("ingest-fuzz", services.Broker, services.Influx);
        var process = await ingest.StartAsync();

        var malformed = Enumerable.Range(0, Fuzzed).Select(i => Malformed.Build(i % Malformed.Mutations.Length, seed: i)).ToList();
        var valid = Payloads.SampleRecords();
        var messages = new List<(string Topic, byte[] Payload)>(malformed.Count + valid.Count);
        var everyNth = Fuzzed / valid.Count;
        for (var i = 0; i < malformed.Count; i++)
        {
            messages.Add((malformed[i].Topic, malformed[i].Payload));
            if (i % everyNth == 0 && i / everyNth < valid.Count)
            {
                messages.Add(valid[i / everyNth]);
            }
        }

        Assert.Equal(Fuzzed + valid.Count, messages.Count);
        await BurstPublisher.PublishAsync(MosquittoBroker.Host, services.Broker.Port, messages);

        var expected = StoredRecords.Expected(valid.Select(v => v.Payload));
        await ingest.WaitForStatusAsync(s => s.DeadLettered >= Fuzzed && s.Written >= valid.Count && s.Ignored >= Fuzzed, s_timeout, "every message handled, and the dead letters seen back");
        Assert.False(process.HasExited, $"the ingest died. {process.Tail()}");
        var final = await ingest.StopAsync();

        Assert.Equal(Fuzzed, final.DeadLettered);
        Assert.Equal(valid.Count, final.Written);
        Assert.Equal(Fuzzed, final.Ignored); // its own dead letters, published to edgegw/v1/_deadletter/{kind}, come back and are skipped
        Assert.Equal(Fuzzed + valid.Count + Fuzzed, final.Received);
        Assert.Equal(0, final.Retries);
        StoredRecords.AssertExactly(expected, StoredRecords.Read(services.Influx));
        var errors = process.Lines("").Where(l => l.StartsWith("fail:", StringComparison.Ordinal) || l.StartsWith("crit:", StringComparison.Ordinal)).ToList();
        Assert.True(errors.Count == 0, $"the ingest logged errors: {string.Join('\n', errors.Take(5))}");

        // Every malformed message is in the file once (same topic and bytes), with a reason and a kind that fits it.
        var lines = File.ReadAllLines(ingest.DeadLetterFile);
        Assert.Equal(Fuzzed, lines.Length);
        var unmatched = malformed.GroupBy(Key).ToDictionary(g => g.Key, g => g.ToList());
        foreach (var line in lines)
        {
            using var entry = JsonDocument.Parse(line);
            var root = entry.RootElement;
            var key = $"{root.GetProperty("topic").GetString()}\n{root.GetProperty("payload_base64").GetString()}";
            Assert.True(unmatched.TryGetValue(key, out var candidates) && candidates.Count > 0, $"a dead letter nobody published (or one too many): {line[..Math.Min(line.Length, 300)]}");
            var kind = (RejectionKind)RejectionKinds.Names.ToList().IndexOf(root.GetProperty("kind").GetString()!);
            var message = candidates.Find(m => m.Expected.Contains(kind));
            Assert.True(message is not null, $"kind '{kind.Name()}' does not fit {candidates[0]}: {line[..Math.Min(line.Length, 300)]}");
            Assert.False(string.IsNullOrWhiteSpace(root.GetProperty("reason").GetString()));
            candidates.Remove(message);
        }

        output.WriteLine($"{Fuzzed} malformed + {valid.Count} valid messages; ingest: {final}");
    }

    /// <summary>Topic and payload as the dead-letter file holds them (an oversize payload cut to its first MaxPayloadBytes).</summary>
    private static string Key(MalformedMessage message) =>
        $"{message.Topic}\n{Convert.ToBase64String(message.Payload.AsSpan(0, Math.Min(message.Payload.Length, Payloads.MaxBytes)))}";
}
