namespace EdgeGateway.Core.Kpi;

/// <summary>The windows records are computed over (contract names in parentheses).</summary>
public enum WindowKind
{
    /// <summary>(<c>total</c>) first to last event.</summary>
    Total,

    /// <summary>(<c>day</c>) one site-local calendar day.</summary>
    Day,

    /// <summary>(<c>shift</c>) one shift occurrence, breaks included.</summary>
    Shift,

    /// <summary>(<c>1m</c>) one UTC minute.</summary>
    Minute,
}

/// <summary>Contract names of <see cref="WindowKind"/>.</summary>
public static class WindowKinds
{
    /// <summary>All names, in enum order.</summary>
    public static readonly IReadOnlyList<string> Names = ["total", "day", "shift", "1m"];

    /// <summary>The contract name, e.g. <c>1m</c>.</summary>
    public static string Name(this WindowKind kind) => Names[(int)kind];

    /// <summary>Parses a contract name.</summary>
    public static bool TryParse(string? name, out WindowKind kind)
    {
        for (var i = 0; i < Names.Count; i++)
        {
            if (Names[i] == name)
            {
                kind = (WindowKind)i;
                return true;
            }
        }

        kind = default;
        return false;
    }
}
