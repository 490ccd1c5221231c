using EdgeGateway.Core;
using EdgeGateway.Core.Configuration;
using EdgeGateway.Hosting;

namespace EdgeGateway.Ingest.Hosting;

/// <summary>
/// Reads the ingest's configuration before the host is built: the file (only <c>Ingest</c> and <c>Logging</c> at its
/// top level, read with the one config reader so that every problem has its line), environment variables
/// <c>EDGEGW_…</c> and the command line. Every problem is one line, <c>FILE:LINE: KEY.PATH: what is wrong</c>: JSON,
/// unknown keys and enum values (the options' validators, run by the host, say the rest, by the same
/// <see cref="ConfigDocument.OptionsProblem"/>). The file is read once, so it may be a pipe (<c>--config &lt;(…)</c>).
/// </summary>
internal static class IngestConfiguration
{
    private static readonly string[] s_topLevel = [IngestOptions.Section, "Logging"];

    // What the Ingest section may hold, to name unknown keys and bad enum values by their path.
    private static readonly OptionsKeys s_keys = OptionsKeys.Of<IngestOptions>(OptionsKeys.Of<IngestMqttOptions>(), OptionsKeys.Of<InfluxOptions>().WithValues(nameof(InfluxOptions.Version), "1 or 2"));

    /// <summary>
    /// The configuration and the parsed file (to say later problems by their line), or a null configuration with
    /// <paramref name="problems"/> when anything is wrong.
    /// </summary>
    public static (IConfigurationRoot? Configuration, ConfigDocument? Document) Load(string path, string[] commandLine, List<ConfigProblem> problems)
    {
        if (ConfigFile.TryRead(path, out var unreadable) is not { } bytes)
        {
            problems.Add(new ConfigProblem(path, 0, "", unreadable!));
            return (null, null);
        }

        ConfigDocument document;
        try
        {
            document = ConfigDocument.Parse(bytes, path);
        }
        catch (InputException e)
        {
            problems.Add(ConfigProblem.Of(e));
            return (null, null);
        }

        var readProblems = new List<InputException>();
        var root = document.Root(readProblems);
        foreach (var section in s_topLevel)
        {
            root.Ignore(section);
        }

        root.RejectUnknown();
        problems.AddRange(readProblems.ConvertAll(ConfigProblem.Of));

        IConfigurationRoot configuration;
        try
        {
            configuration = ConfigFile.Configuration(bytes, commandLine);
        }
        catch (FormatException e)
        {
            // Only a file whose top level is not an object gets here (the reader has checked the JSON).
            problems.Add(new ConfigProblem(path, 1, "", e.Message));
            return (null, document);
        }

        var keyProblems = new List<string>();
        s_keys.Check(configuration.GetSection(IngestOptions.Section), keyProblems);
        problems.AddRange(keyProblems.Select(problem => document.OptionsProblem(IngestOptions.Section, problem)));
        return (problems.Count == 0 ? configuration : null, document);
    }
}
