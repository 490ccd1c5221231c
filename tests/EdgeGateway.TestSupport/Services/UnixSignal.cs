using System.ComponentModel;
using System.Diagnostics;
using System.Runtime.InteropServices;

namespace EdgeGateway.TestSupport.Services;

/// <summary>Sends POSIX signals to child processes (.NET can only SIGKILL them).</summary>
internal static class UnixSignal
{
    private const int SigTerm = 15;
    private const int SigStop = 19;
    private const int SigCont = 18;

    /// <summary>Asks <paramref name="process"/> to stop (SIGTERM): what systemd does on <c>systemctl stop</c>.</summary>
    public static void Terminate(Process process) => Send(process, SigTerm, "SIGTERM");

    private static void Send(Process process, int signal, string name)
    {
        ArgumentNullException.ThrowIfNull(process);
        if (Kill(process.Id, signal) != 0 && !process.HasExited)
        {
            throw new Win32Exception(Marshal.GetLastPInvokeError(), $"kill({process.Id}, {name}) failed");
        }
    }

    /// <summary>Freezes <paramref name="process"/> (SIGSTOP): it holds its sockets but answers nothing, like a hung server.</summary>
    public static void Freeze(Process process) => Send(process, SigStop, "SIGSTOP");

    /// <summary>Lets a frozen <paramref name="process"/> go on (SIGCONT).</summary>
    public static void Thaw(Process process) => Send(process, SigCont, "SIGCONT");

    /// <summary>
    /// Stops <paramref name="process"/> as systemd would: SIGTERM, then waits; after <paramref name="timeout"/> it kills
    /// it and throws, naming <paramref name="name"/> and what <paramref name="describe"/> says (its log, for the failure).
    /// </summary>
    public static void Stop(Process process, string name, TimeSpan timeout, Func<string> describe)
    {
        ArgumentNullException.ThrowIfNull(process);
        ArgumentNullException.ThrowIfNull(describe);
        if (process.HasExited)
        {
            return;
        }

        Terminate(process);
        if (!process.WaitForExit(timeout))
        {
            process.Kill();
            throw new TimeoutException($"{name} did not stop within {timeout.TotalSeconds} s of SIGTERM; killed. {describe()}");
        }
    }

    /// <summary>SIGKILL, then waits up to <paramref name="timeout"/> for it to be gone.</summary>
    public static void Kill(Process process, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(process);
        if (!process.HasExited)
        {
            process.Kill();
            process.WaitForExit(timeout);
        }
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Kill(int pid, int signal);
}
