using System.Collections.Concurrent;
using EdgeGateway.Core.Configuration;
using EdgeGateway.Core.Payload;
using EdgeGateway.Ingest.Batching;
using EdgeGateway.Ingest.Confirmation;
using EdgeGateway.Ingest.DeadLetter;
using EdgeGateway.Ingest.Hosting;
using EdgeGateway.Ingest.Status;
using EdgeGateway.Ingest.Subscription;
using EdgeGateway.Ingest.Writing;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeGateway.Ingest.Tests.Fixtures;

/// <summary>An <see cref="IngestPipeline"/> without MQTT: messages submitted directly, acknowledgements, dead-letter and confirmation publishes counted.</summary>
internal sealed class PipelineHarness : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private Task? _run;

    public PipelineHarness(IPointWriter writer, Action<IngestOptions>? configure = null, TimeProvider? time = null, Fleet? fleet = null)
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("edgegw-pipeline-test-").FullName;
        Options = new IngestOptions
        {
            BatchSize = 100,
            FlushInterval = TimeSpan.FromMilliseconds(50),
            MinRetryDelay = TimeSpan.FromMilliseconds(20),
            MaxRetryDelay = TimeSpan.FromMilliseconds(100),
            DeadLetterDirectory = Directory,
        };
        configure?.Invoke(Options);
        Sink = new DeadLetterSink(Publisher, Options.Mqtt.TopicPrefix, Options.DeadLetterDirectory, NullLogger<DeadLetterSink>.Instance);
        var confirmer = new DeliveryConfirmer(Publisher, Options.Mqtt.ConfirmTopicPrefix, Counters, NullLogger<DeliveryConfirmer>.Instance);
        Pipeline = new IngestPipeline(Options, writer, Sink, confirmer, Counters, time ?? TimeProvider.System, NullLogger<IngestPipeline>.Instance, fleet);
    }

    public string Directory { get; }

    public IngestOptions Options { get; }

    public IngestCounters Counters { get; } = new();

    public FakePublisher Publisher { get; } = new();

    public DeadLetterSink Sink { get; }

    public IngestPipeline Pipeline { get; }

    public TestAcknowledgement Acks { get; } = new();

    public void Start() => _run = Task.Run(() => Pipeline.RunAsync(_stop.Token));

    public async Task SubmitAsync(string topic, byte[] payload) =>
        Assert.True(await Pipeline.SubmitAsync(new InboundMessage(topic, payload, payload.Length, 1_774_900_000_000, Acks), default));

    public static Task WaitAsync(Func<bool> condition, string what, TimeSpan? timeout = null) =>
        Poll.Until(condition, timeout ?? TimeSpan.FromSeconds(10), what, () => "not yet");

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_run is not null)
        {
            await _run.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        Sink.Dispose();
        _stop.Dispose();
        System.IO.Directory.Delete(Directory, recursive: true);
    }
}

/// <summary>Counts acknowledgements.</summary>
internal sealed class TestAcknowledgement : IDeliveryAcknowledgement
{
    private int _count;

    public int Count => Volatile.Read(ref _count);

    /// <summary>Completed: acknowledgements go through at once; replace with a pending task to hold them.</summary>
    public Task Gate { get; set; } = Task.CompletedTask;

    public async ValueTask<bool> AcknowledgeAsync(CancellationToken cancellationToken)
    {
        await Gate.WaitAsync(cancellationToken);
        Interlocked.Increment(ref _count);
        return true;
    }
}

/// <summary>Records dead-letter publishes; <see cref="Succeed"/> decides whether the broker "acknowledged".</summary>
internal sealed class FakePublisher : IBrokerPublisher
{
    private readonly ConcurrentQueue<(string Topic, byte[] Payload)> _published = new();

    public bool Succeed { get; set; } = true;

    public IReadOnlyList<(string Topic, byte[] Payload)> Published => [.. _published];

    /// <summary>The dead letters published.</summary>
    public IReadOnlyList<(string Topic, byte[] Payload)> DeadLetters => [.. _published.Where(p => p.Topic.StartsWith("edgegw/v1/_deadletter/", StringComparison.Ordinal))];

    /// <summary>Every sequence number confirmed to the gateway <c>sme-0042/gw-1</c>, in the order confirmed (repeats kept).</summary>
    public IReadOnlyList<long> Confirmed()
    {
        var topic = TopicScheme.ConfirmationTopic(DeliveryConfirmation.DefaultTopicPrefix, "sme-0042", "gw-1");
        var sequences = new List<long>();
        var ranges = new List<SequenceRange>();
        foreach (var (_, payload) in _published.Where(p => p.Topic == topic))
        {
            Assert.True(DeliveryConfirmation.TryRead(new System.Buffers.ReadOnlySequence<byte>(payload), "sme-0042", "gw-1", ranges, out var error), error);
            sequences.AddRange(ranges.SelectMany(r => Enumerable.Range(0, (int)(r.To - r.From + 1)).Select(i => r.From + i)));
        }

        return sequences;
    }

    public Task<bool> PublishAsync(string topic, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        if (Succeed)
        {
            _published.Enqueue((topic, payload.ToArray()));
        }

        return Task.FromResult(Succeed);
    }
}
