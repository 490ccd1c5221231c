using EdgeGateway.Sensors.Sources;

namespace EdgeGateway.Sensors.Gpio;

/// <summary>
/// What one digital input reports, from the physical edges of its line (no hardware here, so tests drive it directly).
/// The logical value is the physical level inverted when active-low.
/// <list type="bullet">
/// <item>Pulse: one event of value 1 per rising logical edge that comes at least the debounce time after the previous
/// edge of either direction, so closing and release bounce of a contact both count nothing.</item>
/// <item>Level: a new value is reported once the line has had no edge for the debounce time, stamped with the time
/// of its last edge; a glitch that returns to the reported value reports nothing. The initial level is reported at start.</item>
/// </list>
/// Times are UTC ticks (100 ns).
/// </summary>
internal sealed class DigitalInput(int signal, bool pulse, bool activeLow, long debounceTicks)
{
    private long _lastEdge = long.MinValue;
    private bool _reported;
    private bool _pending;

    /// <summary>The signal this input reports.</summary>
    public int Signal { get; } = signal;

    /// <summary>True for a pulse input, false for a level input.</summary>
    public bool IsPulse { get; } = pulse;

    /// <summary>Pulses counted since the start.</summary>
    public long Pulses { get; private set; }

    /// <summary>Edges ignored as contact bounce since the start (pulse inputs).</summary>
    public long BounceEdges { get; private set; }

    /// <summary>The logical level last reported (level inputs).</summary>
    public bool Reported => _reported;

    /// <summary>Starts from the line's physical level; a level input reports it at <paramref name="nowTicks"/>.</summary>
    public void Begin(bool physicalHigh, long nowTicks, EventOutbox outbox)
    {
        _reported = physicalHigh != activeLow;
        _pending = false;
        if (!IsPulse)
        {
            outbox.Add(ToUnixMs(nowTicks), Signal, _reported ? 1 : 0);
        }
    }

    /// <summary>An edge of the line to <paramref name="physicalHigh"/> at <paramref name="ticks"/>.</summary>
    public void OnEdge(bool physicalHigh, long ticks, EventOutbox outbox)
    {
        var logical = physicalHigh != activeLow;
        var quiet = _lastEdge == long.MinValue || ticks - _lastEdge >= debounceTicks;
        _lastEdge = Math.Max(_lastEdge, ticks);
        if (IsPulse)
        {
            if (logical && quiet)
            {
                Pulses++;
                outbox.Add(ToUnixMs(ticks), Signal, 1);
            }
            else if (logical)
            {
                BounceEdges++;
            }

            return;
        }

        _pending = true;
    }

    /// <summary>True when a level change has been stable for the debounce time and should be confirmed.</summary>
    public bool ConfirmDue(long nowTicks) => _pending && nowTicks - _lastEdge >= debounceTicks;

    /// <summary>
    /// Confirms a stable level with the line's level read now (which corrects a lost edge); reports it if it differs
    /// from the last reported level.
    /// </summary>
    public void Confirm(bool physicalHigh, EventOutbox outbox)
    {
        _pending = false;
        var logical = physicalHigh != activeLow;
        if (logical != _reported)
        {
            _reported = logical;
            outbox.Add(ToUnixMs(_lastEdge), Signal, logical ? 1 : 0);
        }
    }

    /// <summary>UTC ticks to Unix milliseconds.</summary>
    public static long ToUnixMs(long utcTicks) => (utcTicks - DateTime.UnixEpoch.Ticks) / TimeSpan.TicksPerMillisecond;
}
