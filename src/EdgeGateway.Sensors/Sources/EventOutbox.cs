using System.Threading.Channels;
using EdgeGateway.Core.Signals;

namespace EdgeGateway.Sensors.Sources;

/// <summary>
/// Events waiting for the output channel, written by the polling loop only. The source never blocks on the channel:
/// what <see cref="ChannelWriter{T}.TryWrite"/> refuses waits here for the next poll, and when the ring is full the
/// oldest event is dropped and counted. Timestamps leave in non-decreasing order: an event stamped earlier than one
/// already queued (a level confirmed after its debounce while a pulse came in) takes the later time.
/// </summary>
internal sealed class EventOutbox(int capacity = 4096)
{
    private readonly SignalEvent[] _ring = new SignalEvent[capacity];
    private int _head;
    private int _count;
    private long _lastMs = long.MinValue;

    /// <summary>Events dropped because the ring was full, since the start.</summary>
    public long Dropped { get; private set; }

    /// <summary>Events waiting.</summary>
    public int Count => _count;

    /// <summary>Queues an event; <paramref name="timestampMs"/> is raised to the last queued timestamp if earlier.</summary>
    public void Add(long timestampMs, int signal, double value)
    {
        var timestamp = Math.Max(timestampMs, _lastMs);
        _lastMs = timestamp;
        if (_count == _ring.Length)
        {
            _head = (_head + 1) % _ring.Length;
            _count--;
            Dropped++;
        }

        _ring[(_head + _count) % _ring.Length] = new SignalEvent(timestamp, signal, value);
        _count++;
    }

    /// <summary>Writes queued events until the channel refuses one; returns how many were written.</summary>
    public int Flush(ChannelWriter<SignalEvent> writer)
    {
        var written = 0;
        while (_count > 0 && writer.TryWrite(_ring[_head]))
        {
            _head = (_head + 1) % _ring.Length;
            _count--;
            written++;
        }

        return written;
    }
}
