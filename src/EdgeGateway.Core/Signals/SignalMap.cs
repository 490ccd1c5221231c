using EdgeGateway.Core.Configuration;

namespace EdgeGateway.Core.Signals;

/// <summary>Every signal of a gateway, numbered, with its cell and role; looked up by name without allocating.</summary>
public sealed class SignalMap
{
    private readonly Dictionary<string, int> _byName = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _bySpan;
    private readonly List<(string Name, int Cell, int IndexInCell, SignalRole Role)> _signals = [];

    /// <summary>Numbers the signals of <paramref name="config"/> in config order.</summary>
    public SignalMap(GatewayConfig config)
    {
        for (var cell = 0; cell < config.Cells.Count; cell++)
        {
            var signals = config.Cells[cell].Signals;
            for (var i = 0; i < signals.Count; i++)
            {
                _byName.Add(signals[i].Name, _signals.Count);
                _signals.Add((signals[i].Name, cell, i, signals[i].Role));
            }
        }

        _bySpan = _byName.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>Number of signals.</summary>
    public int Count => _signals.Count;

    /// <summary>The signal's name.</summary>
    public string Name(int signal) => _signals[signal].Name;

    /// <summary>Index of the signal's cell in the config.</summary>
    public int Cell(int signal) => _signals[signal].Cell;

    /// <summary>Index of the signal in its cell's config.</summary>
    public int IndexInCell(int signal) => _signals[signal].IndexInCell;

    /// <summary>The signal's role.</summary>
    public SignalRole Role(int signal) => _signals[signal].Role;

    /// <summary>Finds a signal by name.</summary>
    public bool TryFind(ReadOnlySpan<char> name, out int signal) => _bySpan.TryGetValue(name, out signal);
}
