namespace EdgeGateway.Sensors.I2c;

/// <summary>
/// A sensor is stuck when its raw reading has not changed at all for a set time: a live converter always shows some
/// noise in its last bits, a frozen register or a hung sensor does not. Times are ticks; a limit of 0 never reports.
/// </summary>
internal struct StuckDetector(long limitTicks)
{
    private long _reading;
    private long _since;
    private bool _any;

    /// <summary>True while the reading has been unchanged for at least the limit.</summary>
    public bool IsStuck { get; private set; }

    /// <summary>How long the current reading has been unchanged, in ticks, at <paramref name="nowTicks"/>.</summary>
    public readonly long UnchangedTicks(long nowTicks) => _any ? nowTicks - _since : 0;

    /// <summary>Observes a reading (any 64 bits that identify it); returns true when it makes the sensor stuck just now.</summary>
    public bool Observe(long reading, long nowTicks)
    {
        if (!_any || reading != _reading)
        {
            _any = true;
            _reading = reading;
            _since = nowTicks;
            IsStuck = false;
            return false;
        }

        if (limitTicks > 0 && !IsStuck && nowTicks - _since >= limitTicks)
        {
            IsStuck = true;
            return true;
        }

        return false;
    }

    /// <summary>Forgets the history (after the device was reopened).</summary>
    public void Reset()
    {
        _any = false;
        IsStuck = false;
    }
}
