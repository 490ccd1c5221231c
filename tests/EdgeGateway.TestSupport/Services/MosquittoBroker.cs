using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace EdgeGateway.TestSupport.Services;

/// <summary>
/// A real Mosquitto (the Debian package) on free loopback ports, with its own config, password file, certificates
/// and persistence in a temporary folder. <see cref="Stop"/> is graceful (SIGTERM: Mosquitto saves its persistence),
/// <see cref="Kill"/> is SIGKILL; <see cref="Start"/> again uses the same ports. Disposing kills it and deletes the folder.
/// </summary>
internal sealed class MosquittoBroker : IDisposable
{
    /// <summary>The loopback address every listener binds.</summary>
    public const string Host = "127.0.0.1";

    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(10);

    private readonly ConcurrentQueue<string> _console = new();
    private Process? _process;
    private bool _startedOnce;

    /// <summary>Prepares the folder, ports, password file and certificates; <see cref="Start"/> runs the broker.</summary>
    public MosquittoBroker(MosquittoSettings? settings = null)
    {
        Settings = settings ?? new MosquittoSettings();
        Folder = Directory.CreateTempSubdirectory("edgegw-mosquitto-").FullName;
        try
        {
            AllocatePorts();
            if (Settings.Users is { } users)
            {
                MakePasswordFile(users);
            }

            if (Settings.Tls)
            {
                MakeCertificates();
            }
        }
        catch
        {
            Directory.Delete(Folder, recursive: true);
            throw;
        }
    }

    /// <summary>The settings it was made with.</summary>
    public MosquittoSettings Settings { get; }

    /// <summary>The temporary folder holding config, log, password file, certificates and persistence.</summary>
    public string Folder { get; }

    /// <summary>The plain MQTT listener.</summary>
    public int Port { get; private set; }

    /// <summary>The TLS listener (0 without <see cref="MosquittoSettings.Tls"/>).</summary>
    public int TlsPort { get; private set; }

    /// <summary>PEM of the CA that signed the broker's certificate.</summary>
    public string CaFile => Path.Combine(Folder, "ca.crt");

    /// <summary>PEM of a second CA that has nothing to do with the broker's certificate.</summary>
    public string UntrustedCaFile => Path.Combine(Folder, "untrusted-ca.crt");

    /// <summary>Process id of the broker (0 when it does not run).</summary>
    public int ProcessId => _process is { HasExited: false } process ? process.Id : 0;

    /// <summary>Whether the broker process runs.</summary>
    public bool IsRunning => _process is { HasExited: false };

    private string ConfigFile => Path.Combine(Folder, "mosquitto.conf");

    private string LogFile => Path.Combine(Folder, "mosquitto.log");

    private string PasswordFile => Path.Combine(Folder, "passwd");

    /// <summary>A broker with <paramref name="settings"/>, started.</summary>
    public static MosquittoBroker Launch(MosquittoSettings? settings = null)
    {
        var broker = new MosquittoBroker(settings);
        try
        {
            broker.Start();
            return broker;
        }
        catch
        {
            broker.Dispose();
            throw;
        }
    }

    /// <summary>Runs the broker and returns once every listener accepts connections.</summary>
    /// <exception cref="InvalidOperationException">It is running already, or it did not come up (the message holds its log).</exception>
    public void Start()
    {
        if (IsRunning)
        {
            throw new InvalidOperationException("the broker is running already");
        }

        // A free port may be taken by someone else before Mosquitto binds it; the first start then moves on.
        for (var attempt = 1; ; attempt++)
        {
            WriteConfig();
            var exited = TryLaunch();
            if (exited is null)
            {
                _startedOnce = true;
                return;
            }

            if (_startedOnce || attempt == 3 || !exited.Contains("Address already in use", StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"mosquitto did not start: {exited}");
            }

            AllocatePorts();
        }
    }

    /// <summary>Stops the broker gracefully (SIGTERM; with persistence it saves sessions and queued messages).</summary>
    public void Stop()
    {
        UnixSignal.Stop(_process ?? throw new InvalidOperationException("the broker is not running"), "mosquitto", s_timeout, Describe);
        Forget();
    }

    /// <summary>Kills the broker (SIGKILL): nothing is saved.</summary>
    public void Kill()
    {
        if (_process is { } process)
        {
            UnixSignal.Kill(process, s_timeout);
            Forget();
        }
    }

    /// <summary>
    /// Freezes the broker (SIGSTOP): connections stay open and new ones are accepted by the kernel, but nothing is
    /// answered — to a client, a hung broker or a network partition. Unlike a restart, it keeps every session and
    /// subscription. <see cref="Thaw"/> lets it go on.
    /// </summary>
    public void Freeze() => UnixSignal.Freeze(_process ?? throw new InvalidOperationException("the broker is not running"));

    /// <summary>Lets a frozen broker go on (SIGCONT).</summary>
    public void Thaw() => UnixSignal.Thaw(_process ?? throw new InvalidOperationException("the broker is not running"));

    /// <summary>
    /// Deletes the persistence file of the stopped broker (<c>mosquitto.db</c>: sessions, subscriptions, queued and
    /// retained messages), as a lost or corrupt disk would; the next <see cref="Start"/> begins with nothing.
    /// </summary>
    public void DeletePersistence()
    {
        if (IsRunning)
        {
            throw new InvalidOperationException("the broker is running: it would write its persistence again when it stops");
        }

        File.Delete(Path.Combine(Folder, "mosquitto.db"));
    }

    /// <summary>Stops gracefully and starts again on the same ports.</summary>
    public void Restart()
    {
        Stop();
        Start();
    }

    /// <summary>The broker's log and console output so far, for failure messages.</summary>
    public string Describe()
    {
        var log = File.Exists(LogFile) ? File.ReadAllLines(LogFile) : [];
        var tail = log.Length > 40 ? log[^40..] : log;
        return $"mosquitto on {Host}:{Port}{(TlsPort > 0 ? $" (TLS {TlsPort})" : "")}, folder {Folder}; last log lines:\n{string.Join('\n', tail)}\nconsole: {string.Join('\n', _console)}";
    }

    /// <summary>Kills the broker and deletes its folder.</summary>
    public void Dispose()
    {
        Kill();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a leftover temporary folder is harmless.
        }
    }

    /// <summary>Starts the process; null once it listens, else why it did not.</summary>
    private string? TryLaunch()
    {
        var start = new ProcessStartInfo(FindProgram("mosquitto"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(ConfigFile);
        var process = Process.Start(start) ?? throw new InvalidOperationException("mosquitto did not start");
        process.OutputDataReceived += (_, e) => Collect(e.Data);
        process.ErrorDataReceived += (_, e) => Collect(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;

        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < s_timeout)
        {
            if (process.HasExited)
            {
                process.WaitForExit();
                var why = $"exit code {process.ExitCode}. {Describe()}";
                Forget();
                return why;
            }

            if (Accepts(Port) && (TlsPort == 0 || Accepts(TlsPort)))
            {
                return null;
            }

            Thread.Sleep(10);
        }

        Kill();
        return $"no listener within {s_timeout.TotalSeconds} s. {Describe()}";
    }

    private void Collect(string? line)
    {
        if (line is not null)
        {
            _console.Enqueue(line);
        }
    }

    private void Forget()
    {
        _process?.Dispose();
        _process = null;
    }

    private static bool Accepts(int port)
    {
        try
        {
            using var client = new TcpClient();
            client.Connect(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private void AllocatePorts()
    {
        var ports = Loopback.FreePorts(Settings.Tls ? 2 : 1);
        Port = ports[0];
        if (Settings.Tls)
        {
            TlsPort = ports[1];
        }
    }

    private void WriteConfig()
    {
        var lines = new List<string>
        {
            "# EdgeGateway test broker",
            // Run as whoever runs the tests (as root Mosquitto would switch to the user 'mosquitto', who cannot read this folder).
            $"user {Environment.UserName}",
            $"log_dest file {LogFile}",
            "log_type error",
            "log_type warning",
            "log_type notice",
            "log_type information",
            "connection_messages true",
        };
        if (Settings.GeneratedConfig is { } generated)
        {
            lines.Add(generated(Port));
            File.WriteAllLines(ConfigFile, lines);
            return;
        }

        lines.AddRange(
        [
            // A QoS 1 subscriber under load stalls without it (src/docs/ingest.md, "Broker").
            "set_tcp_nodelay true",
            // Never drop messages queued for a slow or absent subscriber: a loss must be the agent's, not the broker's.
            "max_queued_messages 0",
            "max_inflight_messages 100",
            $"persistence {(Settings.Persistence ? "true" : "false")}",
            $"persistence_location {Folder}/",
            $"allow_anonymous {(Settings.Users is null ? "true" : "false")}",
        ]);
        if (Settings.Users is not null)
        {
            lines.Add($"password_file {PasswordFile}");
        }

        if (Settings.Acl is { } acl)
        {
            var aclFile = Path.Combine(Folder, "acl");
            File.WriteAllLines(aclFile, acl);
            lines.Add($"acl_file {aclFile}");
        }

        lines.Add($"listener {Port.ToString(CultureInfo.InvariantCulture)} {Host}");
        if (Settings.Tls)
        {
            lines.Add($"listener {TlsPort.ToString(CultureInfo.InvariantCulture)} {Host}");
            lines.Add($"cafile {CaFile}");
            lines.Add($"certfile {Path.Combine(Folder, "server.crt")}");
            lines.Add($"keyfile {Path.Combine(Folder, "server.key")}");
        }

        File.WriteAllLines(ConfigFile, lines);
    }

    private void MakePasswordFile(IReadOnlyDictionary<string, string> users)
    {
        var first = true;
        foreach (var (user, password) in users)
        {
            Run("mosquitto_passwd", first ? ["-c", "-b", PasswordFile, user, password] : ["-b", PasswordFile, user, password]);
            first = false;
        }
    }

    /// <summary>A CA, a server certificate for 127.0.0.1 and localhost signed by it, and an unrelated second CA.</summary>
    private void MakeCertificates()
    {
        string[] ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];
        foreach (var name in new[] { "ca", "untrusted-ca" })
        {
            Run("openssl", ["req", "-x509", .. ec, "-keyout", $"{name}.key", "-out", $"{name}.crt", "-days", "2",
                "-subj", $"/CN=EdgeGateway test {name}", "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign"]);
        }

        File.WriteAllLines(Path.Combine(Folder, "server.ext"),
        [
            "basicConstraints=critical,CA:FALSE",
            "keyUsage=critical,digitalSignature,keyEncipherment",
            "extendedKeyUsage=serverAuth",
            "subjectAltName=IP:127.0.0.1,DNS:localhost",
        ]);
        Run("openssl", ["req", "-new", .. ec, "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=127.0.0.1"]);
        Run("openssl", ["x509", "-req", "-in", "server.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial", "-days", "2",
            "-extfile", "server.ext", "-out", "server.crt"]);
    }

    private void Run(string program, string[] arguments)
    {
        var start = new ProcessStartInfo(FindProgram(program))
        {
            WorkingDirectory = Folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{program} did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(s_timeout))
        {
            process.Kill();
            throw new TimeoutException($"{program} {string.Join(' ', arguments)} did not finish within {s_timeout.TotalSeconds} s");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} failed with exit code {process.ExitCode}: {stderr.Result}{stdout.Result}");
        }
    }

    /// <summary>A program of the Debian packages the tests need (tests/run.sh installs them); /usr/sbin is often not on PATH.</summary>
    private static string FindProgram(string name)
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        foreach (var folder in path.Split(':', StringSplitOptions.RemoveEmptyEntries).Append("/usr/sbin").Append("/usr/bin"))
        {
            var candidate = Path.Combine(folder, name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException($"'{name}' is not installed: tests/run.sh installs mosquitto, mosquitto-clients and openssl (apt-get install -y mosquitto mosquitto-clients openssl)");
    }
}
