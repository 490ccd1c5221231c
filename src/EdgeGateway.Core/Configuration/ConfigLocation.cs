namespace EdgeGateway.Core.Configuration;

/// <summary>Where a config item was written: for error messages of components that read it later.</summary>
public sealed record ConfigLocation(string File, int Line, string Path)
{
    /// <summary>Formats a problem the way every config error reads: <c>file:line: path: problem</c>.</summary>
    public string Describe(string problem) => $"{File}:{Line}: {Path}: {problem}";

    /// <summary>An <see cref="InputException"/> for a problem at this location; it carries the key path apart.</summary>
    public InputException Problem(string problem) =>
        new(File, Line, Path.Length == 0 ? problem : $"{Path}: {problem}") { KeyPath = Path };
}

/// <summary>A config section that another component reads itself, with the one config reader (<see cref="Open"/>).</summary>
public sealed class ConfigSection
{
    private readonly JsonTree _node;

    internal ConfigSection(ConfigLocation location, JsonTree node) => (Location, _node) = (location, node);

    /// <summary>Where the section was written (its line and key path).</summary>
    public ConfigLocation Location { get; }

    /// <summary>A reader of the section whose problems are added to <paramref name="problems"/>; each call starts afresh.</summary>
    public ConfigObject Open(List<InputException> problems) => new(Location.File, _node, Location.Path, problems);
}
