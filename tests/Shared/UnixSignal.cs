using System.ComponentModel;
using System.Diagnostics;
using System.Runtime.InteropServices;

namespace EdgeGateway.Tests.Shared;

/// <summary>Sends POSIX signals to child processes (.NET can only SIGKILL them).</summary>
internal static class UnixSignal
{
    private const int SigTerm = 15;

    /// <summary>Asks <paramref name="process"/> to stop (SIGTERM): what systemd does on <c>systemctl stop</c>.</summary>
    public static void Terminate(Process process)
    {
        ArgumentNullException.ThrowIfNull(process);
        if (Kill(process.Id, SigTerm) != 0 && !process.HasExited)
        {
            throw new Win32Exception(Marshal.GetLastPInvokeError(), $"kill({process.Id}, SIGTERM) failed");
        }
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Kill(int pid, int signal);
}
