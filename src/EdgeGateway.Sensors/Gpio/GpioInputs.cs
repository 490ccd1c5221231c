using System.Device.Gpio;
using EdgeGateway.Core.Configuration;
using EdgeGateway.Core.Signals;
using EdgeGateway.Sensors.Sources;
using Microsoft.Extensions.Logging;

namespace EdgeGateway.Sensors.Gpio;

/// <summary>
/// The digital inputs on a <see cref="GpioController"/>. The driver's edge callbacks only stamp the edge with the
/// <see cref="TimeProvider"/> (System.Device.Gpio 4.x passes no event time in <see cref="PinValueChangedEventArgs"/>)
/// and queue it; the polling loop drains the queue in order and runs the debounce logic of <see cref="DigitalInput"/>,
/// so one thread writes every event. The queue is a fixed ring: no allocation per edge, overflow is counted.
/// </summary>
internal sealed class GpioInputs : IDisposable
{
    private const int QueueCapacity = 1024;

    private readonly GpioController _controller;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly DigitalInput[] _inputs;
    private readonly int[] _lines;
    private readonly PinMode[] _modes;
    private readonly string[] _sources;
    private readonly int[] _inputByLine;
    private readonly PinChangeEventHandler _onEdge;
    private readonly Lock _lock = new();
    private readonly (int Input, bool High, long Ticks)[] _queue = new (int, bool, long)[QueueCapacity];
    private int _queueHead;
    private int _queueCount;
    private long _droppedEdges;
    private long _reportedDrops;
    private bool _started;

    /// <summary>Prepares the inputs; <see cref="Start"/> opens the lines.</summary>
    public GpioInputs(GpioController controller, IReadOnlyList<HardwareInput> inputs, TimeProvider time, ILogger logger)
    {
        _controller = controller;
        _time = time;
        _logger = logger;
        _inputs = new DigitalInput[inputs.Count];
        _lines = new int[inputs.Count];
        _modes = new PinMode[inputs.Count];
        _sources = new string[inputs.Count];
        _inputByLine = new int[SourceAddress.MaxBcmLine + 1];
        Array.Fill(_inputByLine, -1);
        for (var i = 0; i < inputs.Count; i++)
        {
            var input = inputs[i];
            var settings = input.Settings;
            _inputs[i] = new DigitalInput(input.Signal, input.Config.Role.IsPulse(), settings.ActiveLow, (long)(settings.DebounceMs * TimeSpan.TicksPerMillisecond));
            _lines[i] = input.Address.Line;
            _modes[i] = settings.Pull switch
            {
                InputPull.Up => PinMode.InputPullUp,
                InputPull.Down => PinMode.InputPullDown,
                _ => PinMode.Input,
            };
            _sources[i] = input.Address.ToString();
            _inputByLine[input.Address.Line] = i;
        }

        _onEdge = OnEdge;
    }

    /// <summary>Number of lines read.</summary>
    public int Count => _inputs.Length;

    /// <summary>The logic of each input, in config order (tests and diagnostics read its counters).</summary>
    public IReadOnlyList<DigitalInput> Inputs => _inputs;

    /// <summary>
    /// Opens every line as an input with its pull resistor, reports the initial levels at <paramref name="nowTicks"/>
    /// and subscribes to both edges of every line.
    /// </summary>
    /// <exception cref="InvalidOperationException">A line cannot be opened (busy, or the pull mode is not supported).</exception>
    public void Start(long nowTicks, EventOutbox outbox)
    {
        // From here on Dispose releases what was opened, also when a later line fails.
        _started = true;
        for (var i = 0; i < _inputs.Length; i++)
        {
            try
            {
                if (!_controller.IsPinModeSupported(_lines[i], _modes[i]))
                {
                    throw new InvalidOperationException($"mode {_modes[i]} is not supported");
                }

                _controller.OpenPin(_lines[i], _modes[i]);
            }
            catch (Exception e) when (e is InvalidOperationException or IOException or ArgumentException or UnauthorizedAccessException)
            {
                throw new InvalidOperationException($"{_sources[i]}: cannot open the line as an input: {HardwareAccess.OneLine(e.Message)}", e);
            }
        }

        for (var i = 0; i < _inputs.Length; i++)
        {
            _inputs[i].Begin(_controller.Read(_lines[i]) == PinValue.High, nowTicks, outbox);
            _controller.RegisterCallbackForPinValueChangedEvent(_lines[i], PinEventTypes.Rising | PinEventTypes.Falling, _onEdge);
        }
    }

    /// <summary>Processes the edges queued up to now and confirms levels that have been stable for their debounce time.</summary>
    public void Poll(long nowTicks, EventOutbox outbox)
    {
        while (TryDequeue(out var input, out var high, out var ticks))
        {
            _inputs[input].OnEdge(high, ticks, outbox);
        }

        for (var i = 0; i < _inputs.Length; i++)
        {
            if (_inputs[i].ConfirmDue(nowTicks))
            {
                _inputs[i].Confirm(_controller.Read(_lines[i]) == PinValue.High, outbox);
            }
        }

        var dropped = Volatile.Read(ref _droppedEdges);
        if (dropped != _reportedDrops)
        {
            _reportedDrops = dropped;
            HardwareLog.EdgesDropped(_logger, dropped);
        }
    }

    /// <summary>Unsubscribes and closes the lines.</summary>
    public void Dispose()
    {
        if (!_started)
        {
            return;
        }

        _started = false;
        for (var i = 0; i < _inputs.Length; i++)
        {
            try
            {
                if (_controller.IsPinOpen(_lines[i]))
                {
                    _controller.UnregisterCallbackForPinValueChangedEvent(_lines[i], _onEdge);
                    _controller.ClosePin(_lines[i]);
                }
            }
            catch (Exception e) when (e is InvalidOperationException or IOException)
            {
                // The controller may already be gone at shutdown; nothing is left to release then.
            }
        }
    }

    private void OnEdge(object sender, PinValueChangedEventArgs e)
    {
        var ticks = _time.GetUtcNow().UtcTicks;
        var line = e.PinNumber;
        if ((uint)line >= (uint)_inputByLine.Length || _inputByLine[line] < 0)
        {
            return;
        }

        lock (_lock)
        {
            if (_queueCount == _queue.Length)
            {
                _droppedEdges++;
                return;
            }

            _queue[(_queueHead + _queueCount) % _queue.Length] = (_inputByLine[line], e.ChangeType == PinEventTypes.Rising, ticks);
            _queueCount++;
        }
    }

    private bool TryDequeue(out int input, out bool high, out long ticks)
    {
        lock (_lock)
        {
            if (_queueCount == 0)
            {
                input = 0;
                high = false;
                ticks = 0;
                return false;
            }

            (input, high, ticks) = _queue[_queueHead];
            _queueHead = (_queueHead + 1) % _queue.Length;
            _queueCount--;
            return true;
        }
    }
}
