using System.Globalization;
using System.Text;
using EdgeGateway.Core.Signals;
using EdgeGateway.Sensors.Sources;

namespace EdgeGateway.Cli.Sensors;

/// <summary>The latest value of every hardware input, as the lines that <c>edgegw sensors watch</c> shows.</summary>
internal sealed class WatchTable(IReadOnlyList<HardwareInput> inputs, GatewayConfigCells cells)
{
    private readonly Dictionary<int, int> _rowBySignal = inputs.Select((input, row) => (input.Signal, row)).ToDictionary(p => p.Signal, p => p.row);
    private readonly double[] _values = [.. inputs.Select(_ => double.NaN)];
    private readonly long[] _at = [.. inputs.Select(_ => long.MinValue)];
    private readonly long[] _pulses = new long[inputs.Count];
    private readonly string?[] _faults = new string?[inputs.Count];

    /// <summary>Takes an event in.</summary>
    public void Update(SignalEvent e)
    {
        if (!_rowBySignal.TryGetValue(e.Signal, out var row))
        {
            return;
        }

        _values[row] = e.Value;
        _at[row] = e.TimestampMs;
        if (inputs[row].Config.Role.IsPulse())
        {
            _pulses[row]++;
        }

        if (!double.IsNaN(e.Value))
        {
            _faults[row] = null;
        }
    }

    /// <summary>Notes why a signal is faulty (from the source's log).</summary>
    public void Fault(string signal, string reason)
    {
        for (var row = 0; row < inputs.Count; row++)
        {
            if (inputs[row].Name == signal)
            {
                _faults[row] = reason;
            }
        }
    }

    /// <summary>The table at <paramref name="nowMs"/>: a header and one line per input.</summary>
    public List<string> Render(long nowMs)
    {
        var lines = new List<string>(inputs.Count + 1);
        var nameWidth = Math.Max(6, inputs.Max(i => i.Name.Length));
        var sourceWidth = Math.Max(6, inputs.Max(i => i.Address.ToString().Length));

        // As wide as the longest role shown: the reason-box buttons' names are longer than the others.
        var roleWidth = Math.Max(10, inputs.Max(i => i.Config.Role.ToString().Length));
        lines.Add(string.Create(CultureInfo.InvariantCulture, $"{"signal".PadRight(nameWidth)}  {"cell",-8}  {"role".PadRight(roleWidth)}  {"source".PadRight(sourceWidth)}  {"value",-18}  age"));
        for (var row = 0; row < inputs.Count; row++)
        {
            var input = inputs[row];
            var age = _at[row] == long.MinValue ? "-" : string.Create(CultureInfo.InvariantCulture, $"{Math.Max(0, nowMs - _at[row]) / 1000.0:0.0} s");
            lines.Add(string.Create(CultureInfo.InvariantCulture,
                $"{input.Name.PadRight(nameWidth)}  {cells.CellOf(input),-8}  {input.Config.Role.ToString().PadRight(roleWidth)}  {input.Address.ToString().PadRight(sourceWidth)}  {Value(row),-18}  {age}"));
        }

        return lines;
    }

    private string Value(int row)
    {
        var input = inputs[row];
        if (_at[row] == long.MinValue)
        {
            return "waiting";
        }

        if (input.Config.Role.IsPulse())
        {
            return string.Create(CultureInfo.InvariantCulture, $"{_pulses[row]} pulses");
        }

        if (input.Config.Role.IsLevel() || input.Config.Role.IsButton())
        {
            return _values[row] == 1 ? "on" : "off";
        }

        if (double.IsNaN(_values[row]))
        {
            return _faults[row] is null ? "FAULT" : "FAULT (see below)";
        }

        var unit = SensorsCommand.Unit(input);
        return string.Create(CultureInfo.InvariantCulture, $"{_values[row]:0.000} {unit}");
    }

    /// <summary>Fault reasons to show below the table.</summary>
    public IEnumerable<string> FaultLines()
    {
        for (var row = 0; row < inputs.Count; row++)
        {
            if (_faults[row] is { } reason && double.IsNaN(_values[row]))
            {
                yield return $"{inputs[row].Name}: {reason}";
            }
        }
    }

    /// <summary>All of it as text.</summary>
    public string ToText(long nowMs)
    {
        var text = new StringBuilder();
        foreach (var line in Render(nowMs))
        {
            text.Append(line).Append('\n');
        }

        foreach (var line in FaultLines())
        {
            text.Append(line).Append('\n');
        }

        return text.ToString();
    }
}

/// <summary>Which cell a signal belongs to.</summary>
internal sealed class GatewayConfigCells(EdgeGateway.Core.Configuration.GatewayConfig config, SignalMap signals)
{
    /// <summary>The id of the cell of <paramref name="input"/>.</summary>
    public string CellOf(HardwareInput input) => config.Cells[signals.Cell(input.Signal)].Id;
}
