using EdgeGateway.Hosting;
using Microsoft.Extensions.Options;

namespace EdgeGateway.Agent.Hosting;

/// <summary>
/// The files and folders the agent's options name, checked with the other options before the host starts so that an
/// unusable one is a line naming the key, the path and the reason (exit code 2), not a failure once the pipeline runs.
/// </summary>
internal sealed class AgentPaths : IValidateOptions<AgentOptions>
{
    public ValidateOptionsResult Validate(string? name, AgentOptions options) =>
        Problems(options).ToList() is { Count: > 0 } problems ? ValidateOptionsResult.Fail(problems) : ValidateOptionsResult.Success;

    /// <summary>One line per path that cannot be used: the outbox folder (it, or the nearest existing parent when missing, must take new files; nothing is created) and the trace.</summary>
    public static IEnumerable<string> Problems(AgentOptions options)
    {
        if (StorageErrors.DirectoryProblem(options.Outbox.Directory, create: false) is { } outbox)
        {
            yield return $"Agent:Outbox:Directory: '{options.Outbox.Directory}' cannot hold the outbox: {outbox}";
        }

        if (options.Source == EventSourceKind.Trace && !string.IsNullOrWhiteSpace(options.TracePath) && TraceProblem(options.TracePath) is { } trace)
        {
            yield return $"Agent:TracePath: '{options.TracePath}' cannot be read: {trace}";
        }
    }

    private static string? TraceProblem(string path)
    {
        try
        {
            File.OpenHandle(path, FileMode.Open, FileAccess.Read).Dispose();
            return Directory.Exists(path) ? "it is a directory, not a file" : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return StorageErrors.ReadProblem(path, e);
        }
    }
}
