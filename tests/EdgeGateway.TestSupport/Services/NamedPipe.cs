using System.Diagnostics;

namespace EdgeGateway.TestSupport.Services;

/// <summary>
/// A named pipe (FIFO) with a writer, as a shell's process substitution <c>&lt;(…)</c> hands a program a file it can read
/// once and not seek. .NET cannot make one, so <c>mkfifo</c> does.
/// </summary>
internal static class NamedPipe
{
    /// <summary>Makes the pipe <paramref name="path"/> and starts writing <paramref name="content"/> into it; the task ends when a reader took it all.</summary>
    public static Task Serve(string path, string content)
    {
        using (var mkfifo = Process.Start("mkfifo", [path]))
        {
            mkfifo.WaitForExit();
            if (mkfifo.ExitCode != 0)
            {
                throw new InvalidOperationException($"mkfifo {path} failed with exit code {mkfifo.ExitCode}");
            }
        }

        // Opening a pipe for writing waits for its reader: the writer runs beside the test.
        return Task.Run(() => File.WriteAllText(path, content));
    }
}
