using System.Collections.Concurrent;
using System.Diagnostics;

namespace EdgeGateway.TestSupport.Services;

/// <summary>
/// A built service of this repository (<c>edgegw-agent</c>, <c>edgegw-ingest</c>) running as a child process
/// (<c>dotnet edgegw-….dll …</c>), its console lines collected.
/// </summary>
internal sealed class ServiceProcess : IDisposable
{
    private static readonly TimeSpan s_exitTimeout = TimeSpan.FromSeconds(15);

    private readonly Process _process;
    private readonly ConcurrentQueue<string> _lines = new();

    private ServiceProcess(string name, Process process)
    {
        Name = name;
        _process = process;
        _process.OutputDataReceived += (_, e) => Collect(e.Data);
        _process.ErrorDataReceived += (_, e) => Collect(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <summary>The service's name, e.g. <c>edgegw-agent</c>.</summary>
    public string Name { get; }

    /// <summary>The process id (the agent writes it into its status file).</summary>
    public int Id => _process.Id;

    /// <summary>Whether it has ended.</summary>
    public bool HasExited => _process.HasExited;

    /// <summary>
    /// Starts <paramref name="name"/> (<c>edgegw-agent</c>, <c>edgegw-ingest</c>), which the test project's reference to
    /// its project copied next to the test assembly.
    /// </summary>
    /// <remarks>
    /// With <paramref name="bash"/>, bash starts it with those words after the arguments, so a test can hand it what
    /// only a shell makes, e.g. a pipe as a file: <c>--config &lt;(echo "$1")</c> (<c>$1</c>… are the arguments).
    /// </remarks>
    public static ServiceProcess Start(string name, IEnumerable<string> arguments, string? bash = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = StartInfo(name, arguments, bash, asNobody: false);
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            // What the service manager would set (NOTIFY_SOCKET, WATCHDOG_USEC), or a test fault switch.
            start.Environment[key] = value;
        }

        return new(name, Process.Start(start) ?? throw new InvalidOperationException($"{name} did not start"));
    }

    /// <summary>
    /// Starts <paramref name="name"/> in a mount namespace of its own where <paramref name="file"/> is bind-mounted over
    /// <paramref name="over"/> (e.g. another <c>/etc/machine-id</c>: one machine plays several devices). Needs root, as CI has.
    /// </summary>
    public static ServiceProcess StartWithFile(string name, IEnumerable<string> arguments, string file, string over)
    {
        var start = StartInfo(name, arguments, bash: "\"$@\"", asNobody: false);
        var script = start.ArgumentList[1];
        start.FileName = "unshare";
        start.ArgumentList.Clear();
        foreach (var word in (string[])["--mount", "--propagation", "private", "bash", "-c", $"mount --bind \"{file}\" \"{over}\" && {script}", name])
        {
            start.ArgumentList.Add(word);
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return new(name, Process.Start(start) ?? throw new InvalidOperationException($"{name} did not start"));
    }

    /// <summary>
    /// Runs <paramref name="name"/> (<c>edgegw-agent</c>, <c>edgegw-ingest</c>, <c>edgegw</c>) to its end and returns its
    /// exit code and output. A run longer than <paramref name="timeout"/> is killed and throws <see cref="TimeoutException"/>.
    /// <paramref name="bash"/> as for <see cref="Start"/>; <paramref name="asNobody"/> runs it as the user nobody
    /// (setpriv; the test runs as root), to whom what root owns is not writable.
    /// </summary>
    public static async Task<(int Exit, string Stdout, string Stderr)> RunToExitAsync(string name, IEnumerable<string> arguments, TimeSpan timeout, string? bash = null, bool asNobody = false)
    {
        using var process = Process.Start(StartInfo(name, arguments, bash, asNobody)) ?? throw new InvalidOperationException($"{name} did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{name} did not exit within {timeout.TotalSeconds} s; killed");
        }

        return (process.ExitCode, await stdout, await stderr);
    }

    /// <summary>
    /// <c>dotnet NAME.dll ARGUMENTS</c> (or <c>bash -c 'exec dotnet NAME.dll BASH' ARGUMENTS</c>) with its output
    /// redirected and none of the test run's <c>EDGEGW_</c> environment.
    /// </summary>
    private static ProcessStartInfo StartInfo(string name, IEnumerable<string> arguments, string? bash, bool asNobody)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, $"{name}.dll");
        if (!File.Exists(dll))
        {
            throw new FileNotFoundException($"{dll} is missing: the test project should reference the project that builds it", dll);
        }

        // dotnet test sets DOTNET_HOST_PATH to the muxer that runs the build; fall back to the one on PATH.
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";
        var start = new ProcessStartInfo(asNobody ? "setpriv" : bash is null ? dotnet : "bash")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (asNobody)
        {
            foreach (var word in (string[])["--reuid=65534", "--regid=65534", "--clear-groups", bash is null ? dotnet : "bash"])
            {
                start.ArgumentList.Add(word);
            }

            start.Environment["HOME"] = start.Environment["DOTNET_CLI_HOME"] = Path.GetTempPath();
        }

        if (bash is not null)
        {
            // bash -c SCRIPT NAME ARGS: the first word after the script is $0, the arguments are $1, $2, …
            start.ArgumentList.Add("-c");
            start.ArgumentList.Add($"exec \"{dotnet}\" \"{dll}\" {bash}");
            start.ArgumentList.Add(name);
        }
        else
        {
            start.ArgumentList.Add(dll);
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // Only the command line (and the config file it names) configures the program under test.
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("EDGEGW_", StringComparison.Ordinal)).ToArray())
        {
            start.Environment.Remove(key);
        }

        return start;
    }

    /// <summary>How many console lines so far contain <paramref name="fragment"/>.</summary>
    public int CountLines(string fragment) => _lines.Count(line => line.Contains(fragment, StringComparison.Ordinal));

    /// <summary>The console lines so far that contain <paramref name="fragment"/>, in order.</summary>
    public IReadOnlyList<string> Lines(string fragment) => [.. _lines.Where(line => line.Contains(fragment, StringComparison.Ordinal))];

    /// <summary>The first console line containing <paramref name="fragment"/>, if any.</summary>
    public string? FindLine(string fragment) => _lines.FirstOrDefault(line => line.Contains(fragment, StringComparison.Ordinal));

    /// <summary>The console lines after the first one containing <paramref name="marker"/> (none if it has not come).</summary>
    public IReadOnlyList<string> LinesAfter(string marker) =>
        [.. _lines.SkipWhile(line => !line.Contains(marker, StringComparison.Ordinal)).Skip(1)];

    /// <summary>The last console lines, for failure messages.</summary>
    public string Tail(int count = 25)
    {
        var lines = _lines.ToArray();
        return $"{Name} pid {_process.Id}{(_process.HasExited ? $" (exited with {_process.ExitCode})" : "")}, last console lines:\n{string.Join('\n', lines.Length > count ? lines[^count..] : lines)}";
    }

    /// <summary>Stops it gracefully (SIGTERM, as systemd does) and returns its exit code.</summary>
    /// <exception cref="TimeoutException">It did not exit in time (then it is killed).</exception>
    public async Task<int> StopAsync()
    {
        if (!_process.HasExited)
        {
            UnixSignal.Terminate(_process);
        }

        using var timeout = new CancellationTokenSource(s_exitTimeout);
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill();
            throw new TimeoutException($"{Name} did not exit within {s_exitTimeout.TotalSeconds} s of SIGTERM; killed. {Tail()}");
        }

        return _process.ExitCode;
    }

    /// <summary>Kills it (SIGKILL: no shutdown code runs) and waits until it is gone.</summary>
    public async Task KillAsync()
    {
        _process.Kill();
        using var timeout = new CancellationTokenSource(s_exitTimeout);
        await _process.WaitForExitAsync(timeout.Token);
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit(s_exitTimeout);
        }

        _process.Dispose();
    }

    private void Collect(string? line)
    {
        if (line is not null)
        {
            _lines.Enqueue(line);
        }
    }
}
