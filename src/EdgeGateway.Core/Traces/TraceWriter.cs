using System.Buffers;
using System.Globalization;
using System.Text;
using EdgeGateway.Core.Signals;

namespace EdgeGateway.Core.Traces;

/// <summary>Writes signal events as trace lines (src/docs/traces.md) through one pooled buffer; values round-trip exactly.</summary>
public sealed class TraceWriter : IDisposable
{
    private const int BufferSize = 64 * 1024;
    private const int MaxLine = TraceTimestamp.Length + 1 + 256 + 1 + 256 + 1;

    private readonly Stream _stream;
    private readonly SignalMap _signals;
    private readonly byte[][] _names;
    private readonly byte[][] _codes;
    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
    private int _length;

    /// <summary>Writes to <paramref name="stream"/> (not owned).</summary>
    public TraceWriter(Stream stream, SignalMap signals)
    {
        _stream = stream;
        _signals = signals;
        _names = new byte[signals.CountWithContext][];
        _codes = new byte[signals.CountWithContext][];
        for (var i = 0; i < _names.Length; i++)
        {
            _names[i] = Encoding.UTF8.GetBytes(signals.Name(i));
            _codes[i] = signals.Context(i) is ContextKind.Reason or ContextKind.Article ? Encoding.UTF8.GetBytes(signals.ContextCodeName(i)) : [];
        }
    }

    /// <summary>Events written so far.</summary>
    public long Events { get; private set; }

    /// <summary>Writes a <c>#</c> comment line (before the header).</summary>
    public void Comment(string text)
    {
        var bytes = Encoding.UTF8.GetBytes("# " + text.ReplaceLineEndings(" ") + "\n");
        Flush();
        _stream.Write(bytes);
    }

    public void Header()
    {
        Flush();
        _stream.Write(Encoding.ASCII.GetBytes(TraceReader.Header + "\n"));
    }

    public void Write(in SignalEvent e)
    {
        if (_buffer.Length - _length < MaxLine)
        {
            Flush();
        }

        var span = _buffer.AsSpan(_length);
        var at = TraceTimestamp.Format(e.TimestampMs, span);
        span[at++] = (byte)',';
        _names[e.Signal].CopyTo(span[at..]);
        at += _names[e.Signal].Length;
        span[at++] = (byte)',';
        if (_signals.Context(e.Signal) is var context and not ContextKind.None)
        {
            at += WriteContextValue(span[at..], context, e);
        }
        else if (double.IsNaN(e.Value))
        {
            // A sensor fault until the signal's next valid value (src/docs/traces.md).
            "fault"u8.CopyTo(span[at..]);
            at += 5;
        }
        else if (_signals.Role(e.Signal) is SignalRole.PowerKw or SignalRole.Aux)
        {
            // Shortest round-trip form: a recorded reading replays to the same value.
            e.Value.TryFormat(span[at..], out var written, "R", CultureInfo.InvariantCulture);
            at += written;
        }
        else
        {
            span[at++] = e.Value != 0 ? (byte)'1' : (byte)'0';
        }

        span[at++] = (byte)'\n';
        _length += at;
        Events++;
    }

    /// <summary>A context line's value (src/docs/traces.md, "Context lines"): CODE, CODE@AT, ID, or FROM/TO.</summary>
    private int WriteContextValue(Span<byte> span, ContextKind context, in SignalEvent e)
    {
        if (context is ContextKind.Closure or ContextKind.ExtraShift)
        {
            var length = TraceTimestamp.Format((long)e.Value, span);
            span[length++] = (byte)'/';
            return length + TraceTimestamp.Format(e.ToMs, span[length..]);
        }

        var code = _codes[e.Signal];
        code.CopyTo(span);
        if (context == ContextKind.Reason && (long)e.Value != e.TimestampMs)
        {
            span[code.Length] = (byte)'@';
            return code.Length + 1 + TraceTimestamp.Format((long)e.Value, span[(code.Length + 1)..]);
        }

        return code.Length;
    }

    public void Flush()
    {
        if (_length > 0)
        {
            _stream.Write(_buffer, 0, _length);
            _length = 0;
        }
    }

    public void Dispose()
    {
        Flush();
        if (_buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = [];
        }
    }
}
