using System.Diagnostics;

namespace EdgeGateway.TestSupport;

/// <summary>
/// A tmpfs of a few hundred KiB mounted on a temporary folder, to fill a disk or make it read-only for real
/// (<c>mount -t tmpfs</c>; needs root, as CI runs: without it the test fails saying mount failed). Unmounted on dispose.
/// </summary>
internal sealed class SmallFileSystem : IDisposable
{
    private readonly bool _ownsFolder;

    private SmallFileSystem(string path, bool ownsFolder)
    {
        Path = path;
        _ownsFolder = ownsFolder;
    }

    /// <summary>The mount point.</summary>
    public string Path { get; }

    /// <summary>Mounts a tmpfs of <paramref name="bytes"/> (whole pages) on a new temporary folder.</summary>
    public static SmallFileSystem Mount(long bytes)
    {
        var path = Directory.CreateTempSubdirectory("edgegw-tmpfs-").FullName;
        try
        {
            Run("mount", "-t", "tmpfs", "-o", $"size={bytes}", "tmpfs", path);
        }
        catch
        {
            Directory.Delete(path);
            throw;
        }

        return new SmallFileSystem(path, ownsFolder: true);
    }

    /// <summary>Mounts a tmpfs of <paramref name="bytes"/> on the existing <paramref name="folder"/> (e.g. a service's outbox), which stays.</summary>
    public static SmallFileSystem MountOn(string folder, long bytes)
    {
        Directory.CreateDirectory(folder);
        Run("mount", "-t", "tmpfs", "-o", $"size={bytes}", "tmpfs", folder);
        return new SmallFileSystem(folder, ownsFolder: false);
    }

    /// <summary>Makes it read-only (or writable again). Refused (busy) while a file on it is open for writing.</summary>
    public void Remount(bool readOnly) => Run("mount", "-o", readOnly ? "remount,ro" : "remount,rw", Path);

    /// <summary>
    /// Lays a read-only empty folder over <paramref name="folder"/> (a read-only bind mount) until disposed: files open
    /// in it stay writable, but every new name in it fails with EROFS, as after the kernel remounted a failing disk.
    /// </summary>
    public IDisposable ReadOnlyOver(string folder)
    {
        var empty = System.IO.Path.Combine(Path, $"empty-{Guid.NewGuid():N}");
        Directory.CreateDirectory(empty);
        Run("mount", "--bind", empty, folder);
        var cover = new Cover(folder);
        try
        {
            Run("mount", "-o", "remount,bind,ro", folder);
        }
        catch
        {
            cover.Dispose();
            throw;
        }

        return cover;
    }

    /// <summary>Fills all but about <paramref name="leaveBytes"/> with a file of its own, which <see cref="FreeFiller"/> removes.</summary>
    public void Fill(long leaveBytes)
    {
        var drive = new DriveInfo(Path);
        var bytes = drive.AvailableFreeSpace - leaveBytes;
        using var filler = new FileStream(FillerPath, FileMode.Create, FileAccess.Write);
        var chunk = new byte[4096];
        for (long written = 0; written < bytes; written += chunk.Length)
        {
            filler.Write(chunk, 0, (int)Math.Min(chunk.Length, bytes - written));
        }
    }

    /// <summary>Removes the file of <see cref="Fill"/>: space returns.</summary>
    public void FreeFiller() => File.Delete(FillerPath);

    /// <summary>Free bytes as the file system reports them.</summary>
    public long FreeBytes => new DriveInfo(Path).AvailableFreeSpace;

    public void Dispose()
    {
        // Lazy: a process the test killed may still hold a file open in it for a moment.
        Run("umount", "-l", Path);
        if (_ownsFolder)
        {
            Directory.Delete(Path);
        }
    }

    private sealed class Cover(string folder) : IDisposable
    {
        public void Dispose() => Run("umount", folder);
    }

    private string FillerPath => System.IO.Path.Combine(Path, "filler");

    private static void Run(string file, params string[] arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(file, arguments) { RedirectStandardError = true, RedirectStandardOutput = true })
            ?? throw new InvalidOperationException($"{file} did not start");
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} failed ({process.ExitCode}): {error.Trim()}");
        }
    }
}
