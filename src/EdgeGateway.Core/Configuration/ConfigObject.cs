using System.Globalization;
using System.Text.Json;
using EdgeGateway.Core.Calendar;

namespace EdgeGateway.Core.Configuration;

/// <summary>
/// One JSON object of a config file, read key by key: keys match case-insensitively, the keys read are tracked so
/// that <see cref="RejectUnknown"/> names the others, and every problem is added to the file's list with the line of
/// its key and its dotted key path (<c>EdgeGateway.Cells[0].Simulation.CycleCv</c>). The one reader of every section.
/// </summary>
public sealed class ConfigObject
{
    // Upper bound meaning "no upper bound" in the range checks (the message then says only the lower one).
    internal const double Unbounded = double.MaxValue;

    private static readonly string[] s_dayNames = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];

    private readonly string _file;
    private readonly JsonTree _node;
    private readonly List<InputException> _problems;
    private readonly HashSet<string> _used = new(StringComparer.OrdinalIgnoreCase);

    internal ConfigObject(string file, JsonTree node, string path, List<InputException> problems) =>
        (_file, _node, Path, _problems) = (file, node, path, problems);

    /// <summary>The dotted key path of this object (empty for the file's root).</summary>
    public string Path { get; }

    /// <summary>Marks <paramref name="key"/> as read by another reader (it is not reported as unknown).</summary>
    public void Ignore(string key) => _used.Add(key);

    /// <summary>True when <paramref name="key"/> is present with a value other than null.</summary>
    public bool Has(string key) => Find(key) is { Kind: not JsonValueKind.Null };

    /// <summary>Where <paramref name="key"/> (or, when null or absent, this object) was written.</summary>
    public ConfigLocation Location(string? key) =>
        new(_file, key is null ? _node.Line : Find(key)?.Line ?? _node.Line, key is null ? Path : Join(Path, key));

    /// <summary>Adds a problem of <paramref name="key"/> (or of this object when null) at the key's line.</summary>
    public void Problem(string? key, string message) => _problems.Add(Location(key).Problem(message));

    /// <summary>An object that a later reader reads itself (a cell's <c>Simulation</c>), with where it was written.</summary>
    public ConfigSection? Section(string key) =>
        Take(key, required: false) is { } value && IsObject(key, value) ? new ConfigSection(new ConfigLocation(_file, value.Line, Join(Path, key)), value) : null;

    /// <summary>Each key of this object with its value's reader (the keys are names, like the signals of a cell).</summary>
    public IEnumerable<(string Name, ConfigObject Reader)> Entries()
    {
        foreach (var (key, value) in _node.Properties)
        {
            _used.Add(key);
            var reader = new ConfigObject(_file, value, Join(Path, InputText.Quote(key, int.MaxValue)), _problems);
            if (value.Kind != JsonValueKind.Object)
            {
                reader.Problem(null, "expected an object");
                continue;
            }

            yield return (key, reader);
        }
    }

    /// <summary>The object under <paramref name="key"/>, or null when absent (a problem when required) or not an object.</summary>
    public ConfigObject? Child(string key, bool required = false) =>
        Take(key, required) is { } value && IsObject(key, value) ? new ConfigObject(_file, value, Join(Path, key), _problems) : null;

    /// <summary>The objects of the array under <paramref name="key"/>; an item that is not an object is a problem and skipped.</summary>
    public IEnumerable<ConfigObject> Array(string key, bool required = false, bool nonEmpty = false)
    {
        var value = Take(key, required);
        if (value is null)
        {
            yield break;
        }

        if (value.Kind != JsonValueKind.Array)
        {
            Problem(key, "expected an array");
            yield break;
        }

        if (nonEmpty && value.Items.Count == 0)
        {
            Problem(key, "must hold at least one entry");
        }

        for (var i = 0; i < value.Items.Count; i++)
        {
            var item = new ConfigObject(_file, value.Items[i], $"{Join(Path, key)}[{i}]", _problems);
            if (value.Items[i].Kind != JsonValueKind.Object)
            {
                item.Problem(null, "expected an object");
                continue;
            }

            yield return item;
        }
    }

    /// <summary>A non-empty string, or null when absent (a problem when required) or not one.</summary>
    public string? Text(string key, bool required)
    {
        var value = Take(key, required);
        if (value is null)
        {
            return null;
        }

        if (value.Kind != JsonValueKind.String || string.IsNullOrWhiteSpace(value.String))
        {
            Problem(key, "expected a non-empty string");
            return null;
        }

        return value.String;
    }

    /// <summary>A required id (site, cell): 1-64 letters, digits, '.', '_' or '-'.</summary>
    public string? Id(string key)
    {
        var value = Text(key, required: true);
        if (value is not null && !Ids.IsValid(value))
        {
            Problem(key, $"'{InputText.Quote(value)}' is not a valid id: use 1-64 letters, digits, '.', '_' or '-' (ids become MQTT topic levels)");
            return null;
        }

        return value;
    }

    /// <summary>A non-empty array of ids (cells a one-off shift applies to), or null when absent or with a problem.</summary>
    public IReadOnlyList<string>? IdList(string key)
    {
        var value = Take(key, required: false);
        if (value is null)
        {
            return null;
        }

        if (value.Kind != JsonValueKind.Array || value.Items.Count == 0
            || !value.Items.TrueForAll(item => item.Kind == JsonValueKind.String && Ids.IsValid(item.String)))
        {
            Problem(key, $"expected a non-empty array of ids ({Ids.Rule})");
            return null;
        }

        return [.. value.Items.Select(item => item.String!)];
    }

    /// <summary>A finite number in range, or null when absent (a problem when required), not a number or out of range.</summary>
    public double? Number(string key, bool required, double min, bool exclusiveMin, double max)
    {
        var value = Take(key, required);
        if (value is null)
        {
            return null;
        }

        if (value.Kind != JsonValueKind.Number || !double.IsFinite(value.Number))
        {
            Problem(key, "expected a number");
            return null;
        }

        if (value.Number < min || (exclusiveMin && value.Number == min) || value.Number > max)
        {
            var bound = max == Unbounded ? "" : $" and at most {max.ToString(CultureInfo.InvariantCulture)}";
            Problem(key, $"{InputText.Quote(value.RawNumber)} is out of range: must be {(exclusiveMin ? "greater than" : "at least")} {min.ToString(CultureInfo.InvariantCulture)}{bound}");
            return null;
        }

        return value.Number;
    }

    /// <summary>An optional number in range; <paramref name="fallback"/> when absent or wrong (then a problem).</summary>
    public double Number(string key, double fallback, double min, double max, bool exclusiveMin = false) =>
        Number(key, required: false, min, exclusiveMin, max) ?? fallback;

    /// <summary>true or false, or null when absent or not a boolean (then a problem).</summary>
    public bool? Bool(string key)
    {
        var value = Take(key, required: false);
        if (value is null)
        {
            return null;
        }

        if (value.Kind is not (JsonValueKind.True or JsonValueKind.False))
        {
            Problem(key, "expected true or false");
            return null;
        }

        return value.Kind == JsonValueKind.True;
    }

    /// <summary>
    /// A name of <typeparamref name="T"/> (any case); <paramref name="fallback"/> when absent. Required when
    /// <paramref name="required"/> says so, else when there is no fallback. Null when the text is not a name.
    /// </summary>
    public T? Enum<T>(string key, T? fallback, bool? required = null)
        where T : struct, System.Enum
    {
        var text = Text(key, required: required ?? fallback is null);
        if (text is null)
        {
            return fallback;
        }

        foreach (var candidate in System.Enum.GetValues<T>())
        {
            if (string.Equals(candidate.ToString(), text, StringComparison.OrdinalIgnoreCase))
            {
                return candidate;
            }
        }

        Problem(key, $"'{InputText.Quote(text)}' is not one of {string.Join(", ", System.Enum.GetNames<T>())}");
        return null;
    }

    /// <summary>A required time of day written HH:mm.</summary>
    public TimeOnly? Time(string key)
    {
        var text = Text(key, required: true);
        if (text is null)
        {
            return null;
        }

        if (!TimeOnly.TryParseExact(text, ["HH:mm", "H:mm"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var time))
        {
            Problem(key, $"'{InputText.Quote(text)}' is not a time of day; use HH:mm, e.g. 06:00");
            return null;
        }

        return time;
    }

    /// <summary>A required set of days: <c>Mon-Fri</c>, <c>Sat</c>, <c>Mon,Wed,Fri</c>, <c>Fri-Mon</c>.</summary>
    public DaysOfWeek? Days(string key)
    {
        var text = Text(key, required: true);
        if (text is null)
        {
            return null;
        }

        if (!TryParseDays(text, out var days))
        {
            Problem(key, $"'{InputText.Quote(text)}' is not a set of days; use e.g. Mon-Fri, Sat, Mon,Wed,Fri or Fri-Mon");
            return null;
        }

        return days;
    }

    /// <summary>A required instant: a site-local date (its midnight in <paramref name="zone"/>) or a UTC timestamp, as Unix ms.</summary>
    public long? Instant(string key, TimeZoneInfo zone)
    {
        var text = Text(key, required: true);
        if (text is null)
        {
            return null;
        }

        if (SiteTime.TryParseInstant(text, zone, out var ms))
        {
            return ms;
        }

        Problem(key, $"'{InputText.Quote(text)}' is not a date (2026-06-01: site-local midnight) or a UTC timestamp (2026-06-01T04:00:00Z)");
        return null;
    }

    /// <summary>Reports <paramref name="key"/> with a specific reason if present (instead of "unknown key").</summary>
    public void Forbid(string key, string reason)
    {
        if (Find(key) is not null)
        {
            _used.Add(key);
            Problem(key, reason);
        }
    }

    /// <summary>Adds an <c>unknown key</c> problem for every key of this object that was not read or ignored.</summary>
    public void RejectUnknown()
    {
        if (_node.Kind != JsonValueKind.Object)
        {
            return;
        }

        foreach (var (key, value) in _node.Properties)
        {
            if (!_used.Contains(key))
            {
                _problems.Add(new ConfigLocation(_file, value.Line, Join(Path, InputText.Quote(key))).Problem("unknown key"));
            }
        }
    }

    /// <summary>Parses "Mon-Fri", "Sat", "Mon,Wed,Fri", "Fri-Mon" (ranges wrap over the weekend).</summary>
    internal static bool TryParseDays(string text, out DaysOfWeek days)
    {
        days = DaysOfWeek.None;
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries))
        {
            var range = part.Split('-', StringSplitOptions.TrimEntries);
            if (range.Length is < 1 or > 2)
            {
                return false;
            }

            var from = System.Array.IndexOf(s_dayNames, range[0].ToLowerInvariant());
            var to = System.Array.IndexOf(s_dayNames, range[^1].ToLowerInvariant());
            if (from < 0 || to < 0)
            {
                return false;
            }

            for (var day = from; ; day = (day + 1) % 7)
            {
                days |= (DaysOfWeek)(1 << day);
                if (day == to)
                {
                    break;
                }
            }
        }

        return days != DaysOfWeek.None;
    }

    internal static string Join(string path, string key) => path.Length == 0 ? key : $"{path}.{key}";

    private bool IsObject(string key, JsonTree value)
    {
        if (value.Kind == JsonValueKind.Object)
        {
            return true;
        }

        Problem(key, "expected an object");
        return false;
    }

    private JsonTree? Take(string key, bool required)
    {
        _used.Add(key);
        var value = Find(key);
        if (value is null || value.Kind == JsonValueKind.Null)
        {
            if (required)
            {
                Problem(null, $"missing key '{Join(Path, key)}'");
            }

            return null;
        }

        return value;
    }

    private JsonTree? Find(string key) => _node.Find(key);
}
