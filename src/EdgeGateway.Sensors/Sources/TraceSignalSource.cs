using System.Threading.Channels;
using EdgeGateway.Core.Signals;
using EdgeGateway.Core.Traces;

namespace EdgeGateway.Sensors.Sources;

/// <summary>Replays a trace file as a source (as fast as the reader of the channel takes the events).</summary>
public sealed class TraceSignalSource(string path, SignalMap signals) : ISignalSource
{
    /// <inheritdoc/>
    public async Task RunAsync(ChannelWriter<SignalEvent> output, CancellationToken cancellationToken)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 4096, FileOptions.SequentialScan | FileOptions.Asynchronous);
        using var reader = new TraceReader(stream, path, signals);
        while (reader.TryRead(out var signalEvent))
        {
            await output.WriteAsync(signalEvent, cancellationToken).ConfigureAwait(false);
        }
    }
}
