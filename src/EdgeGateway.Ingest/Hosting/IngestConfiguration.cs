using System.Reflection;

namespace EdgeGateway.Ingest.Hosting;

/// <summary>
/// Reads and checks the ingest's configuration before the host starts: the file (only <c>Ingest</c> and
/// <c>Logging</c> at its top level), environment variables <c>EDGEGW_…</c> and the command line. Every problem is
/// one line naming the file and the key: unknown keys, values of the wrong type, ranges, rules across fields.
/// </summary>
internal static class IngestConfiguration
{
    private static readonly string[] s_topLevel = [IngestOptions.Section, "Logging"];

    /// <summary>The configuration, or null with <paramref name="problems"/> when anything is wrong.</summary>
    public static IConfigurationRoot? Load(string path, string[] commandLine, out List<string> problems)
    {
        problems = [];
        IConfigurationRoot fileOnly;
        try
        {
            fileOnly = new ConfigurationBuilder().AddJsonFile(Path.GetFullPath(path), optional: false, reloadOnChange: false).Build();
        }
        catch (FileNotFoundException)
        {
            problems.Add($"{path}: cannot read the config: the file does not exist");
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            problems.Add($"{path}: cannot read the config: {e.Message}");
            return null;
        }
        catch (InvalidDataException e)
        {
            problems.Add($"{path}: not valid JSON: {e.InnerException?.Message ?? e.Message}");
            return null;
        }
        catch (FormatException e)
        {
            problems.Add($"{path}: not valid JSON: {e.Message}");
            return null;
        }

        foreach (var top in fileOnly.GetChildren())
        {
            if (!s_topLevel.Contains(top.Key, StringComparer.OrdinalIgnoreCase))
            {
                problems.Add($"{path}: {top.Key}: unknown key (the file holds {string.Join(" and ", s_topLevel)})");
            }
        }

        var configuration = new ConfigurationBuilder()
            .AddJsonFile(Path.GetFullPath(path), optional: false, reloadOnChange: false)
            .AddEnvironmentVariables("EDGEGW_")
            .AddCommandLine(commandLine)
            .Build();
        var section = configuration.GetSection(IngestOptions.Section);
        UnknownKeys(section, typeof(IngestOptions), path, problems);
        if (problems.Count > 0)
        {
            return null;
        }

        var options = new IngestOptions();
        try
        {
            section.Bind(options, binder => binder.ErrorOnUnknownConfiguration = true);
        }
        catch (InvalidOperationException e)
        {
            problems.Add($"{path}: {e.Message}");
            return null;
        }

        foreach (var result in new[] { new IngestOptionsAnnotations().Validate(null, options), new IngestOptionsValidator(TimeProvider.System).Validate(null, options) })
        {
            if (result.Failed)
            {
                problems.AddRange((result.Failures ?? []).Select(failure => $"{path}: {failure}"));
            }
        }

        return problems.Count == 0 ? configuration : null;
    }

    /// <summary>Keys that name no property of the options (nested options classes are walked; values are not).</summary>
    private static void UnknownKeys(IConfigurationSection section, Type type, string path, List<string> problems)
    {
        foreach (var child in section.GetChildren())
        {
            var property = type.GetProperty(child.Key, BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase);
            if (property is null)
            {
                problems.Add($"{path}: {child.Path}: unknown key");
            }
            else if (property.PropertyType.IsClass && property.PropertyType != typeof(string))
            {
                UnknownKeys(child, property.PropertyType, path, problems);
            }
        }
    }
}
