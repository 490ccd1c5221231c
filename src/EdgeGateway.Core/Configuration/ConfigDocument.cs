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

    /// <summary>
    /// A problem that an options class's binding or validators say by configuration key (<c>Agent:Mqtt:Port must be
    /// between 1 and 65535</c>, <c>Agent:Foo: unknown key</c>) as a problem of this file: the key it starts with becomes
    /// its dotted key path (<c>Agent.Mqtt.Port</c>), at the line of that key or of its nearest parent; keys of
    /// <paramref name="section"/> named in the message are dotted too. A line that starts with no key of the section is
    /// the section's problem.
    /// </summary>
    public ConfigProblem OptionsProblem(string section, string problem)
    {
        ArgumentNullException.ThrowIfNull(section);
        ArgumentNullException.ThrowIfNull(problem);
        var end = 0;
        while (end < problem.Length && (char.IsAsciiLetterOrDigit(problem[end]) || problem[end] == '_' || (problem[end] == ':' && end + 1 < problem.Length && char.IsAsciiLetter(problem[end + 1]))))
        {
            end++;
        }

        var key = problem[..end];
        if (!key.Equals(section, StringComparison.OrdinalIgnoreCase) && !key.StartsWith(section + ":", StringComparison.OrdinalIgnoreCase))
        {
            return new ConfigProblem(File, LineOf(section), section, Dotted(section, problem));
        }

        // "KEY: what", or "KEY must …" / "KEY is …" / "KEY (value) must …" said as "KEY: must …"; else the whole sentence.
        var rest = problem[end..];
        var message = rest.StartsWith(": ", StringComparison.Ordinal) ? rest[2..]
            : rest.StartsWith(" must ", StringComparison.Ordinal) || rest.StartsWith(" is ", StringComparison.Ordinal) || rest.StartsWith(" (", StringComparison.Ordinal) ? rest[1..]
            : problem;
        var path = key.Replace(':', '.');
        return new ConfigProblem(File, LineOf(path), path, Dotted(section, message));
    }

    /// <summary>The keys of <paramref name="section"/> in <paramref name="text"/> written as the file nests them (<c>Agent:Mqtt:Port</c> → <c>Agent.Mqtt.Port</c>).</summary>
    private static string Dotted(string section, string text)
    {
        var chars = text.ToCharArray();
        var marker = section + ":";
        for (var i = text.IndexOf(marker, StringComparison.Ordinal); i >= 0; i = text.IndexOf(marker, i + 1, StringComparison.Ordinal))
        {
            for (var j = i; j + 1 < chars.Length && (char.IsAsciiLetterOrDigit(chars[j]) || chars[j] == ':'); j++)
            {
                if (chars[j] == ':' && char.IsAsciiLetter(chars[j + 1]))
                {
                    chars[j] = '.';
                }
            }
        }

        return new string(chars);
    }
}
