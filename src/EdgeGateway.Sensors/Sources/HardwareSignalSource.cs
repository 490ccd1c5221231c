using System.Threading.Channels;
using EdgeGateway.Core;
using EdgeGateway.Core.Configuration;
using EdgeGateway.Core.Signals;
using EdgeGateway.Sensors.Gpio;
using EdgeGateway.Sensors.I2c;
using Microsoft.Extensions.Logging;

namespace EdgeGateway.Sensors.Sources;

/// <summary>
/// The live gateway's source: the GPIO and I2C inputs of every cell, from their <c>Source</c> (src/docs/sources.md).
/// One loop on a <see cref="PeriodicTimer"/> of the injected <see cref="TimeProvider"/> does all the work:
/// it drains the GPIO edges that the driver's callbacks queued, confirms debounced levels, samples the analog channels
/// that are due, and writes the events in timestamp order (see <see cref="EventOutbox"/>); it allocates nothing per
/// sample. The tick is the fastest analog sample period, at most <see cref="MaxTick"/>, at least 1 ms. An event
/// reaches the channel at most the longest level debounce plus two ticks after its timestamp.
/// </summary>
public sealed class HardwareSignalSource : ISignalSource, IDisposable
{
    /// <summary>Longest time between two polls: the most a GPIO event waits after its debounce.</summary>
    public static readonly TimeSpan MaxTick = TimeSpan.FromMilliseconds(10);

    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly GpioInputs? _gpio;
    private readonly I2cInputs _i2c;
    private readonly EventOutbox _outbox = new();
    private readonly long _holdBackMs;
    private ChannelWriter<SignalEvent>? _output;
    private long _reportedDrops;
    private bool _started;

    /// <summary>Sets up the inputs; nothing is opened before <see cref="RunAsync"/>.</summary>
    /// <exception cref="ArgumentException">GPIO inputs are configured but <paramref name="hardware"/> has no GPIO controller.</exception>
    public HardwareSignalSource(IReadOnlyList<HardwareInput> inputs, HardwareAccess hardware, TimeProvider time, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(hardware);
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        Inputs = inputs;
        var digital = inputs.Where(input => input.Address.Kind == SourceKind.Gpio).ToList();
        if (digital.Count > 0)
        {
            var controller = hardware.Gpio ?? throw new ArgumentException("the config reads GPIO lines but no GPIO controller was given", nameof(hardware));
            _gpio = new GpioInputs(controller, digital, time, logger);
        }

        _i2c = new I2cInputs([.. inputs.Where(input => input.Address.Kind != SourceKind.Gpio)], hardware, logger);
        var tick = Math.Min(MaxTick.Ticks, _i2c.FastestPeriodTicks);
        TickPeriod = TimeSpan.FromTicks(Math.Max(TimeSpan.TicksPerMillisecond, tick));
        _i2c.ToleranceTicks = TickPeriod.Ticks / 2;

        // A level is written when it has been stable for its debounce time, stamped with its edge: later events wait that long.
        var levelDebounceMs = digital.Where(input => !input.Config.Role.IsPulse()).Select(input => input.Settings.DebounceMs).DefaultIfEmpty(-1).Max();
        _holdBackMs = levelDebounceMs < 0 ? 0 : (long)Math.Ceiling(levelDebounceMs + TickPeriod.TotalMilliseconds);
    }

    /// <summary>The hardware inputs read, in config order.</summary>
    public IReadOnlyList<HardwareInput> Inputs { get; }

    /// <summary>Time between polls.</summary>
    public TimeSpan TickPeriod { get; }

    /// <summary>Polls since the start (diagnostics and tests).</summary>
    public long Polls { get; private set; }

    /// <summary>The GPIO inputs, or null.</summary>
    internal GpioInputs? Gpio => _gpio;

    /// <summary>The I2C inputs.</summary>
    internal I2cInputs I2c => _i2c;

    /// <summary>Events waiting for room in the output channel.</summary>
    internal EventOutbox Outbox => _outbox;

    /// <summary>Reads the inputs of <paramref name="config"/> and sets up a source for them.</summary>
    /// <exception cref="InputException">A source or its options are invalid (the message names the config line).</exception>
    public static HardwareSignalSource Create(GatewayConfig config, SignalMap signals, HardwareAccess hardware, TimeProvider time, ILogger logger) =>
        new(HardwareInput.Read(config, signals), hardware, time, logger);

    /// <summary>
    /// Opens the inputs, writes the initial levels, then polls until <paramref name="cancellationToken"/> is cancelled
    /// (and returns normally then). Never blocks on <paramref name="output"/>: see <see cref="EventOutbox"/>.
    /// </summary>
    /// <exception cref="InvalidOperationException">A GPIO line cannot be opened (busy, unsupported pull).</exception>
    public async Task RunAsync(ChannelWriter<SignalEvent> output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(output);
        _output = output;
        try
        {
            Start(Now());
            Flush(output);
            using var timer = new PeriodicTimer(TickPeriod, _time);
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                Poll(Now());
                Flush(output);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping is the normal end of a hardware source.
        }
        finally
        {
            Stop();
        }
    }

    /// <summary>Releases the lines and chips.</summary>
    public void Dispose() => Stop();

    /// <summary>Opens GPIO lines (writing initial levels) and I2C chips at <paramref name="nowTicks"/>.</summary>
    internal void Start(long nowTicks)
    {
        _started = true;
        _gpio?.Start(nowTicks, _outbox);
        _i2c.Start(nowTicks, _outbox);
        HardwareLog.Started(_logger, _gpio?.Count ?? 0, _i2c.ChannelCount, _i2c.Chips.Count, TickPeriod.TotalMilliseconds);
    }

    /// <summary>One pass of the loop at <paramref name="nowTicks"/>: GPIO edges and levels first, then due analog samples.</summary>
    internal void Poll(long nowTicks)
    {
        _gpio?.Poll(nowTicks, _outbox);
        _i2c.Poll(nowTicks, _outbox);
        Polls++;
    }

    /// <summary>Writes the events that are past the hold-back time to <paramref name="output"/>; logs when events had to be dropped.</summary>
    internal void Flush(ChannelWriter<SignalEvent> output, bool all = false)
    {
        _outbox.Flush(output, all ? long.MaxValue : DigitalInput.ToUnixMs(Now()) - _holdBackMs);
        if (_outbox.Dropped != _reportedDrops)
        {
            _reportedDrops = _outbox.Dropped;
            HardwareLog.EventsDropped(_logger, _reportedDrops);
        }
    }

    private long Now() => _time.GetUtcNow().UtcTicks;

    private void Stop()
    {
        if (!_started)
        {
            return;
        }

        _started = false;
        if (_output is not null)
        {
            Flush(_output, all: true);
        }

        _gpio?.Dispose();
        _i2c.Dispose();
        HardwareLog.Stopped(_logger);
    }
}
