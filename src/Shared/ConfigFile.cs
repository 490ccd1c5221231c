using System.Diagnostics.CodeAnalysis;
using System.Reflection;

namespace EdgeGateway.Hosting;

/// <summary>Reads a service's config file once: a pipe (<c>--config &lt;(…)</c>) can be read only once.</summary>
internal static class ConfigFile
{
    /// <summary>The bytes of <paramref name="path"/>, or null with why not (<c>cannot read the config: …</c>).</summary>
    public static byte[]? TryRead(string path, out string? problem)
    {
        problem = null;
        try
        {
            return File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            problem = $"cannot read the config: {StorageErrors.ReadProblem(path, e)}";
            return null;
        }
    }

    /// <summary>A stream over the bytes read, for <c>AddJsonStream</c> (each configuration built needs its own).</summary>
    public static MemoryStream Stream(byte[] bytes) => new(bytes, writable: false);

    /// <summary>
    /// What a service's options are bound from: the file's <paramref name="bytes"/>, then the <c>EDGEGW_</c> environment
    /// variables, then <paramref name="commandLine"/> (<c>--Section:Key=value</c>), each over the one before.
    /// </summary>
    /// <exception cref="FormatException">The file's top level is not a JSON object.</exception>
    public static IConfigurationRoot Configuration(byte[] bytes, string[] commandLine) =>
        new ConfigurationBuilder()
            .AddJsonStream(Stream(bytes))
            .AddEnvironmentVariables("EDGEGW_")
            .AddCommandLine(commandLine)
            .Build();
}

/// <summary>
/// The keys an options class takes, to name what the binder cannot: an unknown key by its path
/// (<c>Agent:Foo: unknown key</c>) and an enum value that is neither one of its names nor a number, with the names. Trim-safe: the
/// properties are those of the types given, nested options classes are given explicitly.
/// </summary>
internal sealed class OptionsKeys
{
    private readonly Type _type;
    private readonly Dictionary<string, PropertyInfo> _properties;
    private readonly OptionsKeys[] _nested;
    private readonly Dictionary<string, string> _values = new(StringComparer.OrdinalIgnoreCase);

    private OptionsKeys(Type type, PropertyInfo[] properties, OptionsKeys[] nested)
    {
        _type = type;
        _properties = properties.ToDictionary(p => p.Name, StringComparer.OrdinalIgnoreCase);
        _nested = nested;
    }

    /// <summary>The keys of <typeparamref name="T"/>; a property whose type is one of <paramref name="nested"/>'s is a section of those keys.</summary>
    public static OptionsKeys Of<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicProperties)] T>(params OptionsKeys[] nested) =>
        new(typeof(T), typeof(T).GetProperties(BindingFlags.Public | BindingFlags.Instance), nested);

    /// <summary>Says the valid values of the enum <paramref name="property"/> as the docs do (e.g. <c>1 or 2</c>) instead of listing its names.</summary>
    public OptionsKeys WithValues(string property, string values)
    {
        _values[property] = values;
        return this;
    }

    /// <summary>What a value of <paramref name="type"/> must look like, when <paramref name="text"/> does not; null when it does (or the type is none of these).</summary>
    private static string? Expected(Type type, string text)
    {
        var invariant = System.Globalization.CultureInfo.InvariantCulture;
        return type == typeof(int) || type == typeof(long) ? (long.TryParse(text, System.Globalization.NumberStyles.Integer, invariant, out _) ? null : "a whole number")
            : type == typeof(double) ? (double.TryParse(text, System.Globalization.NumberStyles.Float, invariant, out _) ? null : "a number")
            : type == typeof(bool) ? (bool.TryParse(text, out _) ? null : "true or false")
            : type == typeof(TimeSpan) ? (TimeSpan.TryParse(text, invariant, out _) ? null : "a duration like 00:00:30 (hh:mm:ss, or d.hh:mm:ss)")
            : type == typeof(DateTimeOffset) ? (DateTimeOffset.TryParse(text, invariant, System.Globalization.DateTimeStyles.None, out _) ? null : "a time like 2026-03-23T05:00:00Z")
            : null;
    }

    /// <summary>Adds a line per unknown key and per enum value that is not a name of its enum to <paramref name="problems"/>.</summary>
    public void Check(IConfigurationSection section, List<string> problems)
    {
        foreach (var child in section.GetChildren())
        {
            if (!_properties.TryGetValue(child.Key, out var property))
            {
                problems.Add($"{child.Path}: unknown key");
                continue;
            }

            var type = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            if (Array.Find(_nested, n => n._type == type) is { } nested)
            {
                nested.Check(child, problems);
            }
            else if (child.Value is { } text && Expected(type, text) is { } expected)
            {
                // Said here rather than by the binder, whose message names .NET types ('System.Int32').
                problems.Add($"{child.Path}: '{EdgeGateway.Core.InputText.Quote(text)}' is not {expected}");
            }
            else if (type.IsEnum && child.Value is { } value && !Enum.TryParse(type, value, ignoreCase: true, out _))
            {
                // A number parses (as the binder takes it): whether it means anything is the options validator's to say.
                problems.Add(_values.TryGetValue(child.Key, out var values)
                    ? $"{child.Path}: '{value}' is not {values}"
                    : $"{child.Path}: '{value}' is not one of {string.Join(", ", Enum.GetNames(type))}");
            }
        }
    }
}
