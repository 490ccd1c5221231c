namespace EdgeGateway.Core;

/// <summary>Malformed input from outside (config, trace, argument): names the source, the line and the problem.</summary>
public sealed class InputException(string source, int line, string problem)
    : Exception(line > 0 ? $"{source}:{line}: {problem}" : $"{source}: {problem}")
{
    /// <summary>File name or other origin of the input.</summary>
    public string InputName { get; } = source;

    /// <summary>1-based line number, or 0 when the problem has no line.</summary>
    public int Line { get; } = line;

    /// <summary>What is wrong, without the location.</summary>
    public string Problem { get; } = problem;

    /// <summary>The dotted config key path the problem is about (its <see cref="Problem"/> then starts with it), or null.</summary>
    public string? KeyPath { get; init; }

    /// <summary>What is wrong, without the location and without the key path.</summary>
    public string Detail => KeyPath is { Length: > 0 } key && Problem.StartsWith(key + ": ", StringComparison.Ordinal) ? Problem[(key.Length + 2)..] : Problem;

    /// <summary>Every problem found in the same input, this one first (a config is checked as a whole).</summary>
    public IReadOnlyList<InputException> Problems { get; init; } = [];

    /// <summary>Throws the first of <paramref name="problems"/>, carrying all of them.</summary>
    public static void ThrowIfAny(List<InputException> problems)
    {
        if (problems.Count > 0)
        {
            var first = problems[0];
            throw new InputException(first.InputName, first.Line, first.Problem) { KeyPath = first.KeyPath, Problems = problems };
        }
    }
}
