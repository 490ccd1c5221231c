using System.Globalization;
using EdgeGateway.Sensors.Gpio;
using EdgeGateway.Sensors.Sources;
using Microsoft.Extensions.Logging;

namespace EdgeGateway.Sensors.I2c;

/// <summary>
/// One signal read from an I2C chip: sampled at its rate, reduced to one value per window (RMS, mean…), checked, and
/// written as an event stamped with the window's end. A fault (bus error, implausible or stuck reading) writes one
/// NaN event at its onset and is logged; the next valid window writes its value again and logs the recovery.
/// Times are UTC ticks. Per sample nothing is allocated: the sums live in fields, messages are built only at an onset.
/// </summary>
internal abstract class AnalogChannel
{
    private readonly long _periodTicks;
    private readonly long _windowTicks;
    private readonly string _source;
    private StuckDetector _stuck;
    private long _nextDue;
    private long _windowEnd;

    /// <summary>Sets up the schedule from the input's settings.</summary>
    protected AnalogChannel(HardwareInput input)
    {
        Input = input;
        Signal = input.Signal;
        _source = input.Address.ToString();
        _periodTicks = Math.Max(1, (long)Math.Round(TimeSpan.TicksPerSecond / input.Settings.SampleRateHz));
        _windowTicks = (long)Math.Round(input.Settings.WindowMs * TimeSpan.TicksPerMillisecond);
        _stuck = new StuckDetector((long)Math.Round(input.Settings.StuckAfterSeconds * TimeSpan.TicksPerSecond));
    }

    /// <summary>Why a window's value cannot be right, whatever the configured limits.</summary>
    protected enum Impossible
    {
        /// <summary>The value is possible.</summary>
        None,

        /// <summary>A sample reached the converter's full scale (the true value is beyond what it can show).</summary>
        Clipped,

        /// <summary>A single-ended current transformer input went to GND or below: the mid-rail bias is missing.</summary>
        BelowGround,

        /// <summary>The value is outside what the sensor can measure at all.</summary>
        OutOfSensorRange,

        /// <summary>DC power flows backwards through the shunt (VIN+ and VIN− swapped).</summary>
        NegativePower,
    }

    /// <summary>The input this channel reads.</summary>
    public HardwareInput Input { get; }

    /// <summary>The signal number.</summary>
    public int Signal { get; }

    /// <summary>Time between samples, in ticks.</summary>
    public long PeriodTicks => _periodTicks;

    /// <summary>True from a fault's onset until the next valid value.</summary>
    public bool Faulted { get; private set; }

    /// <summary>Valid values written since the start.</summary>
    public long Values { get; private set; }

    /// <summary>Faults since the start (onsets).</summary>
    public long Faults { get; private set; }

    /// <summary>Samples read in the current window.</summary>
    protected abstract int WindowSamples { get; }

    /// <summary>
    /// Makes a sample due at <paramref name="nowTicks"/> (at start and after the chip was reopened); the first window
    /// begins with the first sample, so every window holds the same number of samples.
    /// </summary>
    public void Restart(long nowTicks)
    {
        _nextDue = nowTicks;
        _windowEnd = long.MaxValue;
        _stuck.Reset();
        ResetWindow();
    }

    /// <summary>True when a sample is due at <paramref name="nowTicks"/>, or due within <paramref name="toleranceTicks"/> (timer jitter).</summary>
    public bool IsDue(long nowTicks, long toleranceTicks) => nowTicks >= _nextDue - toleranceTicks;

    /// <summary>
    /// Closes the window if <paramref name="nowTicks"/> is past its end, then reads one sample into the next one.
    /// Bus errors propagate to the caller, which faults every channel of the chip.
    /// </summary>
    public void Sample(long nowTicks, long toleranceTicks, EventOutbox outbox, ILogger logger)
    {
        if (_windowEnd == long.MaxValue)
        {
            // The first sample (after a start or a fault) anchors the schedule and the windows.
            ResetWindow();
            _nextDue = nowTicks + _periodTicks;
            _windowEnd = nowTicks + _windowTicks;
        }
        else
        {
            _nextDue += _periodTicks;
            if (_nextDue <= nowTicks - toleranceTicks)
            {
                // The loop fell behind by more than a period: skip the missed samples instead of reading them in a burst.
                _nextDue = nowTicks + _periodTicks;
            }

            if (nowTicks >= _windowEnd)
            {
                CloseWindow(nowTicks, outbox, logger);
            }
        }

        var wasStuck = _stuck.IsStuck;
        var reading = ReadSample();
        if (_stuck.Observe(reading, nowTicks) && !Faulted)
        {
            Fault(nowTicks, string.Create(CultureInfo.InvariantCulture, $"stuck: the raw reading has not changed for {Input.Settings.StuckAfterSeconds} s"), outbox, logger);
        }
        else if (wasStuck && !_stuck.IsStuck)
        {
            // The reading moves again: the next sample starts a fresh window without the frozen samples.
            _windowEnd = long.MaxValue;
        }
    }

    /// <summary>Marks the signal faulty at <paramref name="nowTicks"/> (once per onset) and drops the current window.</summary>
    public void Fault(long nowTicks, string reason, EventOutbox outbox, ILogger logger)
    {
        ResetWindow();
        if (Faulted)
        {
            return;
        }

        Faulted = true;
        Faults++;
        outbox.Add(DigitalInput.ToUnixMs(nowTicks), Signal, double.NaN);
        HardwareLog.SensorFault(logger, Input.Name, _source, reason);
    }

    /// <summary>Reads one sample from the chip into the window; returns 64 bits that change whenever the raw reading does.</summary>
    protected abstract long ReadSample();

    /// <summary>The window's value in the signal's unit, and whether it is physically impossible.</summary>
    protected abstract double Complete(out Impossible impossible);

    /// <summary>Clears the window's sums.</summary>
    protected abstract void ResetWindow();

    /// <summary>Explains an impossible value (built only at a fault's onset).</summary>
    protected virtual string Explain(Impossible impossible, double value) => impossible switch
    {
        Impossible.Clipped => "implausible: the converter reached full scale, so the true value is out of range",
        _ => string.Create(CultureInfo.InvariantCulture, $"implausible: {value} is outside what the sensor can measure"),
    };

    private void CloseWindow(long nowTicks, EventOutbox outbox, ILogger logger)
    {
        var end = _windowEnd;
        _windowEnd += _windowTicks;
        if (_windowEnd <= nowTicks)
        {
            // The loop stalled for more than a window: start over from now.
            _windowEnd = nowTicks + _windowTicks;
        }

        if (WindowSamples < 2 || _stuck.IsStuck)
        {
            ResetWindow();
            return;
        }

        var value = Complete(out var impossible);
        ResetWindow();
        var settings = Input.Settings;
        if (impossible != Impossible.None || value < settings.PlausibleMin || value > settings.PlausibleMax || !double.IsFinite(value))
        {
            if (!Faulted)
            {
                var reason = impossible != Impossible.None ? Explain(impossible, value)
                    : value < settings.PlausibleMin ? string.Create(CultureInfo.InvariantCulture, $"implausible: {value} is below PlausibleMin {settings.PlausibleMin}")
                    : string.Create(CultureInfo.InvariantCulture, $"implausible: {value} is above PlausibleMax {settings.PlausibleMax}");
                Fault(nowTicks, reason, outbox, logger);
            }

            return;
        }

        outbox.Add(DigitalInput.ToUnixMs(end), Signal, value);
        Values++;
        if (Faulted)
        {
            Faulted = false;
            HardwareLog.SensorRecovered(logger, Input.Name, _source, value);
        }
    }
}
