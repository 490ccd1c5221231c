using System.CommandLine;
using EdgeGateway.Core;
using EdgeGateway.Core.Configuration;
using EdgeGateway.Hosting;

namespace EdgeGateway.Cli;

/// <summary>
/// The files commands read and write. Every problem with a path — missing, a directory, unreadable, not a regular
/// file where one is needed — is an <see cref="InputException"/> naming the path and saying which, so the command
/// exits 2 with one line. Pipes (<c>&lt;(…)</c>, <c>/dev/stdin</c>) can be read: nothing seeks in an input.
/// </summary>
internal static class InputFiles
{
    /// <summary>
    /// Makes <paramref name="option"/> a path option: an empty path (<c>--config ""</c>, an unset shell variable) is a
    /// parse error — one line, exit code 2 — instead of an ArgumentException from the file system with its stack.
    /// </summary>
    public static T PathOption<T>(T option)
        where T : Option
    {
        option.Validators.Add(result =>
        {
            foreach (var token in result.Tokens)
            {
                if (string.IsNullOrWhiteSpace(token.Value))
                {
                    result.AddError($"{option.Name}: the path is empty; give a file name");
                }
            }
        });
        return option;
    }

    /// <summary>
    /// Reads and validates a gateway config; the file may be the whole file the agent runs with: its other sections
    /// (<c>Agent</c>, <c>Logging</c>) are left alone, and any other top-level key is an unknown key, as for the agent.
    /// </summary>
    public static GatewayConfig ReadConfig(string path) => ConfigReader.Read(ReadAll(path, "config"), path, Agent.Hosting.AgentConfigCheck.OtherSections);

    /// <summary>The whole content of an input file; <paramref name="what"/> names it in errors ("config").</summary>
    public static byte[] ReadAll(string path, string what)
    {
        try
        {
            return File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw CannotRead(path, what, e);
        }
    }

    /// <summary>Opens an input file for streaming (a trace, the register).</summary>
    public static FileStream OpenRead(string path, string what)
    {
        try
        {
            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 4096, FileOptions.SequentialScan);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw CannotRead(path, what, e);
        }
    }

    /// <summary>Opens a trace for streaming.</summary>
    public static FileStream OpenTrace(string path) => OpenRead(path, "trace");

    /// <summary>
    /// Checks an output path of <paramref name="option"/> that is written to a temporary file beside it and moved into
    /// place: it must name a file (or nothing yet) in an existing directory, not a device or a pipe. Returns its full path.
    /// </summary>
    public static string CheckOutputFile(string option, string path)
    {
        var full = Path.GetFullPath(path);
        if (Directory.Exists(full))
        {
            throw new InputException(option, 0, $"'{InputText.Quote(path)}' is a directory; give a file name");
        }

        if (IsSystemPath(full) || IsSystemPath(Canonical(full)))
        {
            // Moving a file over /dev/stdout or /dev/null would replace the device for everyone (as root it succeeds).
            throw new InputException(option, 0, $"'{InputText.Quote(path)}' is a device or a pipe: the output is written to a temporary file beside it and moved into place, so give a file name");
        }

        var directory = Path.GetDirectoryName(full)!;
        if (!Directory.Exists(directory))
        {
            throw new InputException(option, 0, $"cannot write '{InputText.Quote(path)}': directory '{InputText.Quote(directory)}' does not exist");
        }

        return full;
    }

    /// <summary>
    /// The file a path finally names: symbolic links followed, so two paths to one file compare equal (hard links
    /// are not recognised).
    /// </summary>
    public static string Canonical(string fullPath)
    {
        try
        {
            var directory = Path.GetDirectoryName(fullPath);
            var resolvedDirectory = directory is null ? null : Directory.ResolveLinkTarget(directory, returnFinalTarget: true)?.FullName ?? directory;
            var inDirectory = resolvedDirectory is null ? fullPath : Path.Combine(resolvedDirectory, Path.GetFileName(fullPath));
            return File.ResolveLinkTarget(inDirectory, returnFinalTarget: true)?.FullName ?? inDirectory;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return fullPath;
        }
    }

    // Devices, pipes (process substitution hands over /dev/fd/N) and the kernel's files live here, never outputs.
    private static bool IsSystemPath(string fullPath) =>
        fullPath.StartsWith("/dev/", StringComparison.Ordinal) || fullPath.StartsWith("/proc/", StringComparison.Ordinal);

    // The agent's and the ingest's words for their config file (StorageErrors), so an operator reads one language.
    private static InputException CannotRead(string path, string what, Exception e) =>
        new(path, 0, $"cannot read the {what}: {InputText.Quote(StorageErrors.ReadProblem(path, e), 200)}");
}
