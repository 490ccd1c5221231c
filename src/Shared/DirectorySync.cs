using System.Runtime.InteropServices;

namespace EdgeGateway.Hosting;

/// <summary>fsync of a folder, so a created, renamed or deleted name in it survives power loss (Linux; a no-op on Windows).</summary>
internal static partial class DirectorySync
{
    // O_RDONLY | O_CLOEXEC: a folder opens read-only; both values are the same on every Linux architecture.
    private const int ReadOnlyCloseOnExec = 0x80000;

    /// <summary>
    /// Replaces <paramref name="path"/> (in <paramref name="directory"/>) with <paramref name="data"/> so that a power cut
    /// leaves the old file or the new one, never a part: written to <paramref name="temp"/>, synced, renamed over it, the
    /// folder synced, the new file with <paramref name="createMode"/>'s permissions when given (owner-only for secrets)
    /// rather than the process's default. Throws <see cref="IOException"/> or <see cref="UnauthorizedAccessException"/>.
    /// </summary>
    public static void Replace(string directory, string temp, string path, ReadOnlySpan<byte> data, UnixFileMode? createMode = null)
    {
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, BufferSize = 0 };
        if (createMode is { } mode && !OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = mode;
        }

        using (var file = new FileStream(temp, options))
        {
            file.Write(data);
            file.Flush(flushToDisk: true);
        }

        File.Move(temp, path, overwrite: true);
        Flush(directory);
    }

    /// <summary>Makes the entries of <paramref name="directory"/> durable.</summary>
    public static void Flush(string directory)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var fd = Open(directory, ReadOnlyCloseOnExec);
        if (fd < 0)
        {
            throw new IOException($"cannot open the folder {directory} to sync it (errno {Marshal.GetLastPInvokeError()})");
        }

        try
        {
            if (Fsync(fd) != 0)
            {
                throw new IOException($"fsync of the folder {directory} failed (errno {Marshal.GetLastPInvokeError()})");
            }
        }
        finally
        {
            _ = Close(fd);
        }
    }

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int Fsync(int fd);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int fd);
}
