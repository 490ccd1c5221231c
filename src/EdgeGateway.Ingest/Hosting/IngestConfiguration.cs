using EdgeGateway.Hosting;

namespace EdgeGateway.Ingest.Hosting;

/// <summary>
/// Reads the ingest's configuration before the host is built: the file (only <c>Ingest</c> and <c>Logging</c> at its
/// top level), environment variables <c>EDGEGW_…</c> and the command line. Every problem is one line naming the file
/// and the key: JSON, unknown keys and enum values (the options' validators, run by the host, say the rest). The file
/// is read once, so it may be a pipe (<c>--config &lt;(…)</c>).
/// </summary>
internal static class IngestConfiguration
{
    private static readonly string[] s_topLevel = [IngestOptions.Section, "Logging"];

    // What the Ingest section may hold, to name unknown keys and bad enum values by their path.
    private static readonly OptionsKeys s_keys = OptionsKeys.Of<IngestOptions>(OptionsKeys.Of<IngestMqttOptions>(), OptionsKeys.Of<InfluxOptions>().WithValues(nameof(InfluxOptions.Version), "1 or 2"));

    /// <summary>The configuration, or null with <paramref name="problems"/> when anything is wrong.</summary>
    public static IConfigurationRoot? Load(string path, string[] commandLine, out List<string> problems)
    {
        problems = [];
        if (ConfigFile.TryRead(path, out var unreadable) is not { } bytes)
        {
            problems.Add($"{path}: {unreadable}");
            return null;
        }

        IConfigurationRoot fileOnly;
        try
        {
            fileOnly = new ConfigurationBuilder().AddJsonStream(ConfigFile.Stream(bytes)).Build();
        }
        catch (Exception e) when (e is InvalidDataException or FormatException or System.Text.Json.JsonException)
        {
            problems.Add($"{path}: not valid JSON: {(e is InvalidDataException ? e.InnerException?.Message ?? e.Message : e.Message)}");
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
            .AddJsonStream(ConfigFile.Stream(bytes))
            .AddEnvironmentVariables("EDGEGW_")
            .AddCommandLine(commandLine)
            .Build();
        var section = configuration.GetSection(IngestOptions.Section);
        var keyProblems = new List<string>();
        s_keys.Check(section, keyProblems);
        problems.AddRange(keyProblems.Select(problem => $"{path}: {problem}"));
        return problems.Count == 0 ? configuration : null;
    }
}
