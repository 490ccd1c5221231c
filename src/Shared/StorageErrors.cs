namespace EdgeGateway.Hosting;

/// <summary>
/// What a file-system error means, in words an operator acts on, and whether a folder can hold a service's files.
/// On Linux .NET puts the errno of an <see cref="IOException"/> it does not map to a type of its own into its HResult.
/// </summary>
internal static class StorageErrors
{
    private const int NotDirectory = 20; // ENOTDIR
    private const int NoSpace = 28; // ENOSPC
    private const int ReadOnlyFileSystem = 30; // EROFS
    private const int QuotaExceeded = 122; // EDQUOT

    /// <summary>The disk (or the user's quota) is full: a condition that passes when space is freed.</summary>
    public static bool IsDiskFull(Exception e) => e is IOException { HResult: NoSpace or QuotaExceeded };

    /// <summary>Why <paramref name="e"/> happened, without the path (the caller names it).</summary>
    public static string Reason(Exception e) => e switch
    {
        UnauthorizedAccessException => "permission denied",
        IOException { HResult: ReadOnlyFileSystem } => "read-only file system",
        IOException { HResult: NoSpace } => "no space left on device",
        IOException { HResult: QuotaExceeded } => "disk quota exceeded",
        IOException { HResult: NotDirectory } => "a part of the path is not a directory",
        DirectoryNotFoundException or FileNotFoundException => "it does not exist",
        _ => e.Message,
    };

    /// <summary>
    /// Removes <paramref name="path"/> if it is there, best effort: for a file whose leftover is harmless (a stale
    /// checkpoint is refused or overwritten, a stale socket replaced), so a failure is not worth a line.
    /// </summary>
    public static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Nothing to lose; whoever needs the name next says what is wrong with it.
        }
    }

    /// <summary>Why the file <paramref name="path"/> could not be opened for reading (<paramref name="e"/>), in those words.</summary>
    public static string ReadProblem(string path, Exception e) =>
        Directory.Exists(path) ? "it is a directory, not a file" : e is FileNotFoundException or DirectoryNotFoundException ? "the file does not exist" : Reason(e);

    /// <summary>
    /// Null when <paramref name="directory"/> is (or can be created as) a folder this process can create files in;
    /// else why not: a file, not writable, a read-only file system (a full disk is no reason). With
    /// <paramref name="create"/> a missing folder is created (the service is about to use it); without, a check leaves
    /// nothing behind and tries its nearest existing parent instead: a folder made by a check run as root
    /// (<c>sudo edgegw config validate</c>) would keep the service's own user from writing into it.
    /// </summary>
    public static string? DirectoryProblem(string directory, bool create)
    {
        try
        {
            var path = Path.GetFullPath(directory);
            if (File.Exists(path))
            {
                return "it is a file, not a directory";
            }

            for (var parent = Path.GetDirectoryName(path); parent is not null; parent = Path.GetDirectoryName(parent))
            {
                if (File.Exists(parent))
                {
                    return $"{parent} is a file, not a directory";
                }
            }

            var writable = path;
            if (create)
            {
                Directory.CreateDirectory(path);
            }
            else
            {
                while (!Directory.Exists(writable) && Path.GetDirectoryName(writable) is { } parent)
                {
                    writable = parent;
                }
            }

            var probe = Path.Combine(writable, $".write-test-{Environment.ProcessId}");
            File.Open(probe, FileMode.Create, FileAccess.Write, FileShare.None).Dispose();
            File.Delete(probe);
            return null;
        }
        catch (Exception e) when (IsDiskFull(e))
        {
            return null; // full for now: the service starts and copes (the agent's outbox counts what does not fit)
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return Reason(e);
        }
    }
}
