using System.Device.Gpio;
using System.Text;
using System.Threading.Channels;
using EdgeGateway.Core.Configuration;
using EdgeGateway.Core.Signals;
using EdgeGateway.Sensors.Sources;
using Microsoft.Extensions.Logging;

namespace EdgeGateway.TestSupport.SensorBus;

/// <summary>
/// One gateway config (one cell with the given signals) read through the real config reader, a simulated GPIO chip
/// and I2C bus, a manual clock and a capturing logger; <see cref="Run"/> advances the clock tick by tick and polls the
/// <see cref="HardwareSignalSource"/> as its timer would.
/// </summary>
public sealed class BusRig : IDisposable
{
    private readonly Channel<SignalEvent> _channel = Channel.CreateBounded<SignalEvent>(new BoundedChannelOptions(1 << 16) { SingleReader = true, SingleWriter = true });
    private HardwareSignalSource? _source;

    /// <summary>One cell per element of <paramref name="cellSignals"/> (cell-1, cell-2…), each with those signals.</summary>
    public BusRig(params string[] cellSignals)
        : this(ConfigReader.Read(Encoding.UTF8.GetBytes(Json(cellSignals)), "cell.json"))
    {
    }

    private BusRig(GatewayConfig config)
    {
        Config = config;
        Signals = new SignalMap(Config);
        Controller = new GpioController(Gpio);
    }

    /// <summary>
    /// Like <see cref="BusRig(string[])"/>, with gateway sections besides the cells (e.g. <c>"StopReasons": { … },</c>,
    /// ending in a comma) and cell keys besides the signals (e.g. <c>"Articles": { … },</c>).
    /// </summary>
    public static BusRig WithContext(string gatewaySections, string cellKeys, params string[] cellSignals) =>
        new(ConfigReader.Read(Encoding.UTF8.GetBytes(JsonWith(gatewaySections, cellKeys, cellSignals)), "cell.json"));

    /// <summary>A gateway config with one cell per element of <paramref name="cellSignals"/>.</summary>
    public static string Json(params string[] cellSignals) => JsonWith("", "", cellSignals);

    private static string JsonWith(string gatewaySections, string cellKeys, string[] cellSignals)
    {
        var cells = string.Join(",\n", cellSignals.Select((signals, i) => $$"""
                  {
                    "Id": "cell-{{i + 1}}",
                    "IdealCycleSeconds": 30,{{cellKeys}}
                    "Signals": {
            {{signals}}
                    },
                    "Shifts": [ { "Days": "Mon-Fri", "Start": "06:00", "End": "22:00" } ]
                  }
            """));
        return $$"""
            {
              "EdgeGateway": {
                "Site": "site-1",
                "TimeZone": "Europe/Amsterdam",{{gatewaySections}}
                "Cells": [
            {{cells}}
                ]
              }
            }
            """;
    }

    public ManualTimeProvider Clock { get; } = new();

    public SimulatedGpioDriver Gpio { get; } = new();

    public GpioController Controller { get; }

    public SimulatedI2cBus I2c { get; } = new();

    public ListLogger Log { get; } = new();

    public GatewayConfig Config { get; }

    public SignalMap Signals { get; }

    public List<SignalEvent> Events { get; } = [];

    public HardwareSignalSource Source => _source ?? throw new InvalidOperationException("not started");

    /// <summary>Unix ms when <see cref="Start"/> ran.</summary>
    public long StartMs { get; private set; }

    /// <summary>Number of a signal.</summary>
    public int Signal(string name) => Signals.TryFind(name, out var signal) ? signal : throw new ArgumentException($"no signal {name}", nameof(name));

    /// <summary>Creates the source over the simulated hardware and starts it at the current clock time.</summary>
    public BusRig Start()
    {
        var hardware = new HardwareAccess(Controller, I2c.Open);
        _source = HardwareSignalSource.Create(Config, Signals, hardware, Clock, Log);
        StartMs = Clock.UnixMs;
        _source.Start(Clock.Ticks);
        Drain(record: true);
        return this;
    }

    /// <summary>Advances the clock by <paramref name="duration"/> one tick at a time, polling at each tick.</summary>
    public void Run(TimeSpan duration, bool record = true)
    {
        var end = Clock.Ticks + duration.Ticks;
        var tick = Source.TickPeriod;
        while (Clock.Ticks + tick.Ticks <= end)
        {
            Clock.Advance(tick);
            Source.Poll(Clock.Ticks);
            Drain(record);
        }

        if (Clock.Ticks < end)
        {
            Clock.Advance(TimeSpan.FromTicks(end - Clock.Ticks));
        }
    }

    /// <summary>Runs until <paramref name="msAfterStart"/>, then performs <paramref name="action"/> (an edge, a fault) at that time.</summary>
    public void At(long msAfterStart, Action action)
    {
        var target = StartMs + msAfterStart;
        if (target < Clock.UnixMs)
        {
            throw new ArgumentOutOfRangeException(nameof(msAfterStart), "time runs forward only");
        }

        Run(TimeSpan.FromMilliseconds(target - Clock.UnixMs));
        action();
    }

    /// <summary>Events of one signal.</summary>
    public List<SignalEvent> Of(string name)
    {
        var signal = Signal(name);
        return Events.FindAll(e => e.Signal == signal);
    }

    /// <summary>Events drained without recording them (allocation-free runs).</summary>
    public long Counted { get; private set; }

    /// <summary>One tick of the loop: advance, poll, drain (without recording, it allocates nothing itself).</summary>
    public void Tick(bool record = false)
    {
        Clock.Advance(Source.TickPeriod);
        Source.Poll(Clock.Ticks);
        Drain(record);
    }

    public void Dispose()
    {
        _source?.Dispose();
        Controller.Dispose();
    }

    private void Drain(bool record)
    {
        Source.Flush(_channel.Writer);
        while (_channel.Reader.TryRead(out var e))
        {
            if (record)
            {
                Events.Add(e);
            }
            else
            {
                Counted++;
            }
        }
    }
}

/// <summary>A logger that keeps every entry (level, event id, message).</summary>
public sealed class ListLogger : ILogger
{
    private readonly Lock _lock = new();
    private readonly List<(LogLevel Level, EventId Id, string Message)> _entries = [];

    public IReadOnlyList<(LogLevel Level, EventId Id, string Message)> Entries
    {
        get
        {
            lock (_lock)
            {
                return [.. _entries];
            }
        }
    }

    /// <summary>Entries with an event id.</summary>
    public List<string> WithId(int id) => [.. Entries.Where(e => e.Id.Id == id).Select(e => e.Message)];

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        lock (_lock)
        {
            _entries.Add((logLevel, eventId, formatter(state, exception)));
        }
    }
}
