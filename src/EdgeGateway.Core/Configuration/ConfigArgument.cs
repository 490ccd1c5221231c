namespace EdgeGateway.Core.Configuration;

/// <summary>The <c>--config FILE</c> (or <c>--config=FILE</c>) argument of the services, taken out of their command line.</summary>
public static class ConfigArgument
{
    /// <summary>
    /// The config path — the last <c>--config</c> given, else <paramref name="fromEnvironment"/> when set, else
    /// <paramref name="defaultPath"/> — and the other arguments in their order (they go to the host's configuration).
    /// </summary>
    public static (string ConfigPath, string[] Others) Split(string[] args, string? fromEnvironment, string defaultPath)
    {
        ArgumentNullException.ThrowIfNull(args);
        var path = fromEnvironment is { Length: > 0 } ? fromEnvironment : defaultPath;
        var rest = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--config" && i + 1 < args.Length)
            {
                path = args[++i];
            }
            else if (args[i].StartsWith("--config=", StringComparison.Ordinal))
            {
                path = args[i]["--config=".Length..];
            }
            else
            {
                rest.Add(args[i]);
            }
        }

        return (path, [.. rest]);
    }
}
