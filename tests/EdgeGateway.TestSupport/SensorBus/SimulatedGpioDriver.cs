using System.Device;
using System.Device.Gpio;

namespace EdgeGateway.TestSupport.SensorBus;

/// <summary>
/// A GPIO chip in memory: lines have levels that tests set, and a change raises the driver's edge callbacks just as
/// libgpiod's event thread would (synchronously here, on the caller's thread). Tracks what the code under test opened
/// and how. The event arguments are made once per line and direction, so raising an edge allocates nothing (the real
/// driver allocates one per edge; that is the driver's cost, not the gateway's).
/// </summary>
public sealed class SimulatedGpioDriver : GpioDriver
{
    private readonly bool[] _levels;
    private readonly PinMode?[] _modes;
    private readonly PinChangeEventHandler?[] _rising;
    private readonly PinChangeEventHandler?[] _falling;
    private readonly PinValueChangedEventArgs[] _risingArgs;
    private readonly PinValueChangedEventArgs[] _fallingArgs;

    public SimulatedGpioDriver(int lineCount = 28)
    {
        _levels = new bool[lineCount];
        _modes = new PinMode?[lineCount];
        _rising = new PinChangeEventHandler?[lineCount];
        _falling = new PinChangeEventHandler?[lineCount];
        _risingArgs = new PinValueChangedEventArgs[lineCount];
        _fallingArgs = new PinValueChangedEventArgs[lineCount];
        for (var line = 0; line < lineCount; line++)
        {
            _risingArgs[line] = new PinValueChangedEventArgs(PinEventTypes.Rising, line);
            _fallingArgs[line] = new PinValueChangedEventArgs(PinEventTypes.Falling, line);
        }
    }

    /// <summary>Lines that another process holds: opening them fails as libgpiod does (EBUSY).</summary>
    public HashSet<int> Busy { get; } = [];

    /// <summary>Edges raised to callbacks so far.</summary>
    public int EdgesRaised { get; private set; }

    protected override int PinCount => _levels.Length;

    /// <summary>True while the line is open.</summary>
    public bool IsOpen(int line) => _modes[line] is not null;

    /// <summary>The mode the line was opened with, or null when closed.</summary>
    public PinMode? ModeOf(int line) => _modes[line];

    /// <summary>Number of callbacks registered on the line (rising and falling counted separately).</summary>
    public int CallbacksOn(int line) => (_rising[line]?.GetInvocationList().Length ?? 0) + (_falling[line]?.GetInvocationList().Length ?? 0);

    /// <summary>Sets the level of a line without an edge (before the code under test opens it).</summary>
    public void Preset(int line, bool high) => _levels[line] = high;

    /// <summary>The level of a line.</summary>
    public bool Level(int line) => _levels[line];

    /// <summary>Drives the line to <paramref name="high"/>; a change raises the callbacks registered for its direction.</summary>
    public void Set(int line, bool high)
    {
        if (_levels[line] == high)
        {
            return;
        }

        _levels[line] = high;
        var handler = high ? _rising[line] : _falling[line];
        if (handler is not null)
        {
            EdgesRaised++;
            handler(this, high ? _risingArgs[line] : _fallingArgs[line]);
        }
    }

    protected override void OpenPin(int pinNumber)
    {
        if (Busy.Contains(pinNumber))
        {
            throw new IOException($"Pin {pinNumber} is busy (Device or resource busy)");
        }

        _modes[pinNumber] = PinMode.Input;
    }

    protected override void ClosePin(int pinNumber) => _modes[pinNumber] = null;

    protected override void SetPinMode(int pinNumber, PinMode mode) => _modes[pinNumber] = mode;

    protected override PinMode GetPinMode(int pinNumber) => _modes[pinNumber] ?? throw new InvalidOperationException($"line {pinNumber} is not open");

    protected override bool IsPinModeSupported(int pinNumber, PinMode mode) => true;

    protected override PinValue Read(int pinNumber) => _levels[pinNumber] ? PinValue.High : PinValue.Low;

    protected override void Write(int pinNumber, PinValue value) => _levels[pinNumber] = value == PinValue.High;

    protected override WaitForEventResult WaitForEvent(int pinNumber, PinEventTypes eventTypes, CancellationToken cancellationToken) =>
        throw new NotSupportedException("the simulated driver raises callbacks only");

    protected override void AddCallbackForPinValueChangedEvent(int pinNumber, PinEventTypes eventTypes, PinChangeEventHandler callback)
    {
        if ((eventTypes & PinEventTypes.Rising) != 0)
        {
            _rising[pinNumber] += callback;
        }

        if ((eventTypes & PinEventTypes.Falling) != 0)
        {
            _falling[pinNumber] += callback;
        }
    }

    protected override void RemoveCallbackForPinValueChangedEvent(int pinNumber, PinChangeEventHandler callback)
    {
        _rising[pinNumber] -= callback;
        _falling[pinNumber] -= callback;
    }

    public override ComponentInformation QueryComponentInformation() => new(this, "Simulated GPIO driver");

    /// <summary>Whether the controller over it was disposed (which disposes its driver).</summary>
    public bool Disposed { get; private set; }

    protected override void Dispose(bool disposing)
    {
        Disposed = true;
        base.Dispose(disposing);
    }
}
