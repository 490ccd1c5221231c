using EdgeGateway.Core.Configuration;

namespace EdgeGateway.Core.Signals;

/// <summary>
/// Every signal of a gateway, numbered, with its cell and role; looked up by name without allocating. After the
/// <see cref="Count"/> sensor signals come the context signals (<see cref="ContextKind"/>): per cell one number per
/// reason code and one per article, then the plant's closure and extra-shift signals.
/// </summary>
public sealed class SignalMap
{
    /// <summary>Prefix of a context signal's name in a trace (src/docs/traces.md, "Context lines").</summary>
    public const string ReasonPrefix = "@reason:";

    /// <summary>Prefix of an article line's signal.</summary>
    public const string ArticlePrefix = "@article:";

    /// <summary>The closure line's signal.</summary>
    public const string ClosureName = "@closure";

    /// <summary>The extra-shift line's signal.</summary>
    public const string ExtraShiftName = "@shift";

    private readonly Dictionary<string, int> _byName = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _bySpan;
    private readonly List<(string Name, int Cell, int IndexInCell, SignalRole Role)> _signals = [];

    // Context signals: name → (kind, cell); per cell the first reason and article numbers; codes by name.
    private readonly Dictionary<string, (ContextKind Kind, int Cell)> _contextByName = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (ContextKind Kind, int Cell)>.AlternateLookup<ReadOnlySpan<char>> _contextBySpan;
    private readonly List<(ContextKind Kind, int Cell, int Code, string Name, string CodeName)> _context = [];
    private readonly int[] _firstReason;
    private readonly int[] _firstArticle;
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _reasonCodes;
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>>[] _articleCodes;

    /// <summary>Numbers the signals of <paramref name="config"/> in config order, then its context signals.</summary>
    public SignalMap(GatewayConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
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
        _contextBySpan = _contextByName.GetAlternateLookup<ReadOnlySpan<char>>();
        _firstReason = new int[config.Cells.Count];
        _firstArticle = new int[config.Cells.Count];
        _articleCodes = new Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>>[config.Cells.Count];
        var reasons = config.Cells.Count > 0 ? config.Cells[0].Reasons.Codes : [];
        _reasonCodes = Codes(reasons.Select(r => r.Code));
        for (var cell = 0; cell < config.Cells.Count; cell++)
        {
            var id = config.Cells[cell].Id;
            _contextByName.Add(ReasonPrefix + id, (ContextKind.Reason, cell));
            _contextByName.Add(ArticlePrefix + id, (ContextKind.Article, cell));
            _firstReason[cell] = Count + _context.Count;
            for (var code = 0; code < reasons.Count; code++)
            {
                _context.Add((ContextKind.Reason, cell, code, ReasonPrefix + id, reasons[code].Code));
            }

            var articles = config.Cells[cell].Articles;
            _articleCodes[cell] = Codes(articles.Select(a => a.Id));
            _firstArticle[cell] = Count + _context.Count;
            for (var article = 0; article < articles.Count; article++)
            {
                _context.Add((ContextKind.Article, cell, article, ArticlePrefix + id, articles[article].Id));
            }
        }

        _contextByName.Add(ClosureName, (ContextKind.Closure, -1));
        ClosureSignal = Count + _context.Count;
        _context.Add((ContextKind.Closure, -1, 0, ClosureName, ""));
        _contextByName.Add(ExtraShiftName, (ContextKind.ExtraShift, -1));
        ExtraShiftSignal = Count + _context.Count;
        _context.Add((ContextKind.ExtraShift, -1, 0, ExtraShiftName, ""));
    }

    /// <summary>Number of sensor signals; context signals are numbered from here on.</summary>
    public int Count => _signals.Count;

    /// <summary>Number of sensor and context signals.</summary>
    public int CountWithContext => _signals.Count + _context.Count;

    /// <summary>The signal number of the plant's closure events.</summary>
    public int ClosureSignal { get; }

    /// <summary>The signal number of the plant's extra-shift events.</summary>
    public int ExtraShiftSignal { get; }

    /// <summary>The signal's name (a context signal's name in a trace line: <c>@reason:press1</c>).</summary>
    public string Name(int signal) => signal < Count ? _signals[signal].Name : _context[signal - Count].Name;

    /// <summary>Index of the signal's cell in the config (-1 for the plant's calendar signals).</summary>
    public int Cell(int signal) => signal < Count ? _signals[signal].Cell : _context[signal - Count].Cell;

    /// <summary>Index of the sensor signal in its cell's config.</summary>
    public int IndexInCell(int signal) => _signals[signal].IndexInCell;

    /// <summary>The sensor signal's role.</summary>
    public SignalRole Role(int signal) => _signals[signal].Role;

    /// <summary>What a signal number means: <see cref="ContextKind.None"/> for a sensor signal.</summary>
    public ContextKind Context(int signal) => signal < Count ? ContextKind.None : _context[signal - Count].Kind;

    /// <summary>A context signal's code: the reason's index in the site's codes, the article's in its cell's.</summary>
    public int ContextCode(int signal) => _context[signal - Count].Code;

    /// <summary>A context signal's code as a trace line writes it: the reason code or article id.</summary>
    public string ContextCodeName(int signal) => _context[signal - Count].CodeName;

    /// <summary>The signal number giving reason <paramref name="code"/> to cell <paramref name="cell"/>.</summary>
    public int ReasonSignal(int cell, int code) => _firstReason[cell] + code;

    /// <summary>The signal number setting article <paramref name="article"/> on cell <paramref name="cell"/>.</summary>
    public int ArticleSignal(int cell, int article) => _firstArticle[cell] + article;

    /// <summary>Finds a sensor signal by name.</summary>
    public bool TryFind(ReadOnlySpan<char> name, out int signal) => _bySpan.TryGetValue(name, out signal);

    /// <summary>Finds a context line's signal name (<c>@reason:press1</c>, <c>@closure</c>): its kind and cell.</summary>
    public bool TryFindContext(ReadOnlySpan<char> name, out ContextKind kind, out int cell)
    {
        var found = _contextBySpan.TryGetValue(name, out var entry);
        (kind, cell) = entry;
        return found;
    }

    /// <summary>Finds a reason code (site-wide) or an article of <paramref name="cell"/> by name.</summary>
    public bool TryFindCode(ContextKind kind, int cell, ReadOnlySpan<char> code, out int index) =>
        kind == ContextKind.Reason ? _reasonCodes.TryGetValue(code, out index) : _articleCodes[cell].TryGetValue(code, out index);

    private static Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> Codes(IEnumerable<string> names)
    {
        var codes = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var name in names)
        {
            codes.Add(name, codes.Count);
        }

        return codes.GetAlternateLookup<ReadOnlySpan<char>>();
    }
}
