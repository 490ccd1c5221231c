using System.Buffers;
using System.Buffers.Text;
using System.Diagnostics.CodeAnalysis;
using System.Text;
using EdgeGateway.Core.Signals;

namespace EdgeGateway.Core.Traces;

/// <summary>
/// Streams a trace (src/docs/traces.md): <c>timestamp,signal,value</c> lines in time order, <c>#</c> comments, and context
/// lines (a reason, an article, a closure, an extra shift) whose signal starts with <c>@</c>.
/// Reads through one pooled buffer and parses without allocating per line; any malformed line throws an
/// <see cref="InputException"/> naming the source, the line and the problem.
/// </summary>
public sealed class TraceReader : IDisposable
{
    /// <summary>The header every trace starts with.</summary>
    public const string Header = "timestamp,signal,value";

    /// <summary>The longest line, in bytes, without its line end (src/docs/traces.md).</summary>
    public const int MaxLineBytes = 64 * 1024;

    /// <summary>The largest <c>PowerKw</c> reading: beyond it a value is a unit or sensor error, not a machine's power.</summary>
    public const double MaxPowerKw = 1_000_000;

    /// <summary>The largest magnitude of an <c>Aux</c> reading (no temperature, humidity, pressure or vibration gets near it).</summary>
    public const double MaxAuxMagnitude = 1e9;

    // Room for the longest line plus a BOM on the first line and a CRLF line end.
    private const int BufferSize = MaxLineBytes + 8;
    private const int MaxSignalName = 64;

    private readonly Stream _stream;
    private readonly string _source;
    private readonly SignalMap _signals;
    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
    private int _start;
    private int _end;
    private bool _eof;
    private bool _headerSeen;
    private long _previousTimestamp = long.MinValue;

    /// <summary>Reads from <paramref name="stream"/> (not owned); <paramref name="source"/> names it in errors.</summary>
    public TraceReader(Stream stream, string source, SignalMap signals)
    {
        _stream = stream;
        _source = source;
        _signals = signals;
    }

    /// <summary>Number of the line read last (1-based).</summary>
    public int Line { get; private set; }

    /// <summary>Reads the next event; false at the end of the trace.</summary>
    public bool TryRead(out SignalEvent signalEvent)
    {
        while (TryReadLine(out var line))
        {
            if (line.IsEmpty || line[0] == (byte)'#')
            {
                continue;
            }

            if (!_headerSeen)
            {
                if (!line.SequenceEqual("timestamp,signal,value"u8))
                {
                    Fail($"the first line must be the header '{Header}', found '{Show(line)}'");
                }

                _headerSeen = true;
                continue;
            }

            signalEvent = Parse(line);
            return true;
        }

        if (!_headerSeen)
        {
            Fail($"the trace is empty; it must start with the header '{Header}'");
        }

        signalEvent = default;
        return false;
    }

    /// <summary>Returns the buffer to the pool.</summary>
    public void Dispose()
    {
        if (_buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = [];
        }
    }

    private SignalEvent Parse(ReadOnlySpan<byte> line)
    {
        var firstComma = line.IndexOf((byte)',');
        var rest = firstComma < 0 ? default : line[(firstComma + 1)..];
        var secondComma = rest.IndexOf((byte)',');
        if (firstComma < 0 || secondComma < 0 || rest[(secondComma + 1)..].Contains((byte)','))
        {
            Fail($"expected three fields 'timestamp,signal,value', found '{Show(line)}'");
        }

        var timestampText = line[..firstComma];
        var nameText = rest[..secondComma];
        var valueText = rest[(secondComma + 1)..];

        if (!TraceTimestamp.TryParse(timestampText, out var timestamp))
        {
            Fail($"bad timestamp '{Show(timestampText)}': expected ISO-8601 UTC with milliseconds between 1970 and 9000, e.g. 2026-03-28T21:00:00.000Z");
        }

        if (timestamp < _previousTimestamp)
        {
            Fail($"time goes backwards: {Show(timestampText)} is before the previous event at {TraceTimestamp.Format(_previousTimestamp)}");
        }

        Span<char> name = stackalloc char[MaxSignalName + 16];
        var nameLength = 0;
        if (nameText.Length > name.Length || !Encoding.UTF8.TryGetChars(nameText, name, out nameLength))
        {
            Fail($"unknown signal '{Show(nameText)}': not a signal of any cell in the config");
        }

        if (nameText.Length > 0 && nameText[0] == (byte)'@')
        {
            var context = ParseContext(timestamp, name[..nameLength], valueText);
            _previousTimestamp = timestamp;
            return context;
        }

        if (nameText.Length > MaxSignalName || !_signals.TryFind(name[..nameLength], out var signal))
        {
            Fail($"unknown signal '{Show(nameText)}': not a signal of any cell in the config");
            return default;
        }

        double value;
        if (valueText.SequenceEqual("fault"u8))
        {
            // A sensor fault of this signal until its next valid value (src/docs/traces.md).
            value = double.NaN;
            _previousTimestamp = timestamp;
            return new SignalEvent(timestamp, signal, value);
        }

        if (!Utf8Parser.TryParse(valueText, out value, out var consumed) || consumed != valueText.Length || !double.IsFinite(value))
        {
            Fail($"bad value '{Show(valueText)}' for signal '{_signals.Name(signal)}': expected a finite number or 'fault'");
        }

        var role = _signals.Role(signal);
        if ((role.IsLevel() || role.IsButton()) && value is not (0 or 1))
        {
            Fail($"bad value '{Show(valueText)}' for signal '{_signals.Name(signal)}' ({role}): a level is 0 or 1");
        }
        else if (role.IsPulse() && value != 1)
        {
            Fail($"bad value '{Show(valueText)}' for signal '{_signals.Name(signal)}' ({role}): a pulse is 1");
        }
        else if (role == SignalRole.PowerKw && value < 0)
        {
            Fail($"bad value '{Show(valueText)}' for signal '{_signals.Name(signal)}' ({role}): power cannot be negative");
        }
        else if (role == SignalRole.PowerKw && value > MaxPowerKw)
        {
            // Energy integrates kW over time: an absurd reading would overflow every sum after it.
            Fail($"bad value '{Show(valueText)}' for signal '{_signals.Name(signal)}' ({role}): above 1000000 kW, not a machine's power (a unit or sensor error)");
        }
        else if (role == SignalRole.Aux && Math.Abs(value) > MaxAuxMagnitude)
        {
            Fail($"bad value '{Show(valueText)}' for signal '{_signals.Name(signal)}' ({role}): beyond ±1e9, not a measurement");
        }

        _previousTimestamp = timestamp;
        return new SignalEvent(timestamp, signal, value);
    }

    /// <summary>A context line (src/docs/traces.md, "Context lines"): <c>@reason:CELL,CODE[@AT]</c>, <c>@article:CELL,ID</c>, <c>@closure,FROM/TO</c>, <c>@shift,FROM/TO</c>.</summary>
    private SignalEvent ParseContext(long timestamp, ReadOnlySpan<char> name, ReadOnlySpan<byte> valueText)
    {
        if (!_signals.TryFindContext(name, out var kind, out var cell))
        {
            Fail($"unknown context line '{name}': expected {SignalMap.ReasonPrefix}CELL or {SignalMap.ArticlePrefix}CELL with a cell of the config, {SignalMap.ClosureName} or {SignalMap.ExtraShiftName}");
        }

        if (kind is ContextKind.Closure or ContextKind.ExtraShift)
        {
            var slash = valueText.IndexOf((byte)'/');
            if (slash < 0 || !TraceTimestamp.TryParse(valueText[..slash], out var from) || !TraceTimestamp.TryParse(valueText[(slash + 1)..], out var to))
            {
                Fail($"bad value '{Show(valueText)}' for {name}: expected FROM/TO, two UTC timestamps such as 2026-12-24T11:00:00.000Z/2026-12-27T05:00:00.000Z");
                return default;
            }

            if (to <= from)
            {
                Fail($"bad value '{Show(valueText)}' for {name}: it ends before it begins");
            }

            return new SignalEvent(timestamp, kind == ContextKind.Closure ? _signals.ClosureSignal : _signals.ExtraShiftSignal, from, to);
        }

        var codeText = valueText;
        var at = timestamp;
        var atSign = valueText.IndexOf((byte)'@');
        if (kind == ContextKind.Reason && atSign >= 0)
        {
            codeText = valueText[..atSign];
            if (!TraceTimestamp.TryParse(valueText[(atSign + 1)..], out at))
            {
                Fail($"bad time '{Show(valueText[(atSign + 1)..])}' in '{Show(valueText)}' for {name}: expected CODE@TIME with a UTC timestamp such as 2026-03-28T08:10:00.000Z");
            }

            if (at > timestamp)
            {
                Fail($"bad time '{Show(valueText[(atSign + 1)..])}' for {name}: a reason cannot name a time after its own line's time");
            }
        }

        Span<char> code = stackalloc char[MaxSignalName];
        if (codeText.Length > MaxSignalName
            || !Encoding.UTF8.TryGetChars(codeText, code, out var codeLength)
            || !_signals.TryFindCode(kind, cell, code[..codeLength], out var index))
        {
            Fail(kind == ContextKind.Reason
                ? $"unknown reason code '{Show(codeText)}' for {name}: not a code of the config's StopReasons"
                : $"unknown article '{Show(codeText)}' for {name}: not an article of that cell in the config");
            return default;
        }

        return kind == ContextKind.Reason
            ? new SignalEvent(timestamp, _signals.ReasonSignal(cell, index), at)
            : new SignalEvent(timestamp, _signals.ArticleSignal(cell, index), 0);
    }

    private bool TryReadLine(out ReadOnlySpan<byte> line)
    {
        while (true)
        {
            var newline = _buffer.AsSpan(_start, _end - _start).IndexOf((byte)'\n');
            if (newline >= 0)
            {
                line = TakeLine(newline, newline + 1);
                return true;
            }

            if (_eof)
            {
                if (_start == _end)
                {
                    line = default;
                    return false;
                }

                line = TakeLine(_end - _start, _end - _start);
                return true;
            }

            Fill();
        }
    }

    private ReadOnlySpan<byte> TakeLine(int length, int consumed)
    {
        ReadOnlySpan<byte> line = _buffer.AsSpan(_start, length);
        _start += consumed;
        Line++;
        if (Line == 1)
        {
            if (ByteOrderMark.IsUtf16(line))
            {
                Fail(ByteOrderMark.Utf16Problem);
            }

            line = ByteOrderMark.SkipUtf8(line);
        }

        line = line.EndsWith((byte)'\r') ? line[..^1] : line;
        if (line.Length > MaxLineBytes)
        {
            Fail(TooLong);
        }

        return line;
    }

    private void Fill()
    {
        if (_start > 0)
        {
            _buffer.AsSpan(_start, _end - _start).CopyTo(_buffer);
            _end -= _start;
            _start = 0;
        }

        if (_end == BufferSize)
        {
            // No line end within the buffer: the line is longer than the limit whatever follows.
            Line++;
            Fail(TooLong);
        }

        var read = _stream.Read(_buffer, _end, BufferSize - _end);
        if (read == 0)
        {
            _eof = true;
        }

        _end += read;
    }

    private static string TooLong => $"line longer than {MaxLineBytes} bytes (64 KiB, not counting the line end)";

    private static string Show(ReadOnlySpan<byte> text) => InputText.Quote(text);

    [DoesNotReturn]
    private void Fail(string problem) => throw new InputException(_source, Line, problem);
}
