using System.Threading.Channels;
using EdgeGateway.Core.Signals;

namespace EdgeGateway.Sensors.Sources;

/// <summary>
/// A source of signal events — GPIO and I2C sensors, the cell simulator, a trace file — so that they are
/// interchangeable in front of the KPI engine. Events carry the gateway's signal numbers (<see cref="SignalMap"/>)
/// and are written in time order per source; a value of <see cref="double.NaN"/> marks a sensor fault of that
/// signal until its next valid value.
/// </summary>
public interface ISignalSource
{
    /// <summary>Writes events to <paramref name="output"/> until the source ends or <paramref name="cancellationToken"/> is cancelled.</summary>
    Task RunAsync(ChannelWriter<SignalEvent> output, CancellationToken cancellationToken);
}
