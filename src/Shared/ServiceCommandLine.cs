using System.Reflection;

namespace EdgeGateway.Hosting;

/// <summary>
/// What a service says about itself without reading any config: <c>--help</c> (the command line, where the config is
/// read from, the exit codes) and <c>--version</c> (the assembly's informational version). Self-contained: the
/// device holds no docs to point to.
/// </summary>
internal sealed class ServiceCommandLine(string name, string summary, string section, string configVariable, string defaultConfigPath)
{
    /// <summary>The informational version of the program (<c>0.1.0+commit</c>), as <c>--version</c> prints it.</summary>
    public static string Version { get; } =
        typeof(ServiceCommandLine).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(ServiceCommandLine).Assembly.GetName().Version?.ToString() ?? "unknown";

    /// <summary>
    /// When <paramref name="arguments"/> (those besides <c>--config FILE</c>) ask for help or the version, writes it to
    /// <paramref name="stdout"/> and returns true: the program then exits with <see cref="ExitCodes.Stopped"/>.
    /// </summary>
    public bool TryAnswer(IReadOnlyList<string> arguments, TextWriter stdout)
    {
        foreach (var argument in arguments)
        {
            switch (argument)
            {
                case "--help" or "-h" or "-?":
                    stdout.Write(Help);
                    return true;
                case "--version":
                    stdout.WriteLine($"{name} {Version}");
                    return true;
            }
        }

        return false;
    }

    /// <summary>The <c>--help</c> text.</summary>
    public string Help =>
        $"""
        {name} {Version}: {summary}

        Usage: {name} [--config FILE] [--{section}:KEY=VALUE ...]
               {name} --help | --version

        Config: a JSON file, read once at start from FILE, else from the file ${configVariable} names, else from
          {defaultConfigPath}. Keys of its {section} section may be overridden by environment variables
          (EDGEGW_{section}__KEY, nested keys joined by __, e.g. EDGEGW_{section}__Mqtt__Password) and then by the
          command line (--{section}:Mqtt:Host=broker). Everything is checked before anything runs; each problem
          is one line on stderr.

        Exit codes:
          {ExitCodes.Stopped}  stopped on request (SIGTERM, SIGINT); also after --help and --version
          {ExitCodes.Fatal}  a fatal error while running: the service manager may restart the program
          {ExitCodes.BadInput}  a bad config, argument or input file, or a folder that cannot be used: restarting cannot help

        """;
}
