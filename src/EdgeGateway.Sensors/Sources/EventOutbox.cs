using System.Threading.Channels;
using EdgeGateway.Core.Signals;

namespace EdgeGateway.Sensors.Sources;

/// <summary>
/// Events on their way to the output channel, written by the polling loop only. Events are kept in timestamp order
/// (a debounced level is confirmed after its edge, when later events may already be here) and leave once they are
/// older than a hold-back time (the longest level debounce plus a tick), so every event keeps its own timestamp and
/// the channel still sees time in order. An event older than what already left is raised to that time.
/// The source never blocks on the channel: what <see cref="ChannelWriter{T}.TryWrite"/> refuses waits here for the next
/// poll, and when the ring is full the oldest event is dropped and counted. Nothing is allocated per event.
/// </summary>
internal sealed class EventOutbox(int capacity = 4096)
{
    private readonly SignalEvent[] _ring = new SignalEvent[capacity];
    private int _head;
    private int _count;
    private long _releasedMs = long.MinValue;

    /// <summary>Events dropped because the ring was full, since the start.</summary>
    public long Dropped { get; private set; }

    /// <summary>Events waiting.</summary>
    public int Count => _count;

    /// <summary>Queues an event in timestamp order (after events with the same timestamp).</summary>
    public void Add(long timestampMs, int signal, double value)
    {
        var timestamp = Math.Max(timestampMs, _releasedMs);
        if (_count == _ring.Length)
        {
            _head = (_head + 1) % _ring.Length;
            _count--;
            Dropped++;
        }

        var position = _count;
        while (position > 0 && At(position - 1).TimestampMs > timestamp)
        {
            At(position) = At(position - 1);
            position--;
        }

        At(position) = new SignalEvent(timestamp, signal, value);
        _count++;
    }

    /// <summary>
    /// Writes queued events stamped at or before <paramref name="releaseUpToMs"/> until the channel refuses one;
    /// returns how many were written.
    /// </summary>
    public int Flush(ChannelWriter<SignalEvent> writer, long releaseUpToMs = long.MaxValue)
    {
        var written = 0;
        while (_count > 0 && _ring[_head].TimestampMs <= releaseUpToMs && writer.TryWrite(_ring[_head]))
        {
            _releasedMs = _ring[_head].TimestampMs;
            _head = (_head + 1) % _ring.Length;
            _count--;
            written++;
        }

        return written;
    }

    private ref SignalEvent At(int index) => ref _ring[(_head + index) % _ring.Length];
}
