namespace EdgeGateway.Core.Configuration;

/// <summary>
/// A parsed config file: every value with the line it starts on. Sections are read from <see cref="Root"/> with the one
/// config reader; <see cref="LineOf"/> finds the line of a key that another component (an options validator) names.
/// </summary>
public sealed class ConfigDocument
{
    private readonly JsonTree _root;

    private ConfigDocument(string file, JsonTree root) => (File, _root) = (file, root);

    /// <summary>The file name that problems carry.</summary>
    public string File { get; }

    /// <summary>Parses UTF-8 JSON (comments and trailing commas allowed); a syntax error is an <see cref="InputException"/> naming the line.</summary>
    public static ConfigDocument Parse(ReadOnlySpan<byte> utf8Json, string file) => new(file, JsonTree.Parse(utf8Json, file));

    /// <summary>A reader of the file's top-level object whose problems go to <paramref name="problems"/>.</summary>
    public ConfigObject Root(List<InputException> problems) => new(File, _root, "", problems);

    /// <summary>
    /// The line of the dotted key path <paramref name="path"/> (<c>Agent.Mqtt.Port</c>, <c>EdgeGateway.Cells[1].Id</c>;
    /// keys in any case), or of its nearest parent present in the file when it is absent (a missing required key).
    /// </summary>
    public int LineOf(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var node = _root;
        foreach (var part in path.Split('.', StringSplitOptions.RemoveEmptyEntries))
        {
            var bracket = part.IndexOf('[', StringComparison.Ordinal);
            var next = node.Find(bracket < 0 ? part : part[..bracket]);
            if (next is null)
            {
                break;
            }

            node = next;
            if (bracket >= 0 && int.TryParse(part.AsSpan(bracket + 1, part.Length - bracket - 2), out var index))
            {
                if (index < 0 || index >= node.Items.Count)
                {
                    break;
                }

                node = node.Items[index];
            }
        }

        return node.Line;
    }
}
