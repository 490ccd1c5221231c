using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;

namespace EdgeGateway.TestSupport.Services;

/// <summary>
/// A real InfluxDB 1.x (<c>influxd</c> of the Debian package) on free loopback ports, with its config, meta, data and
/// WAL in a temporary folder, and a database created. <see cref="Stop"/> is graceful (SIGTERM), <see cref="Kill"/> is
/// SIGKILL; <see cref="Start"/> again uses the same ports and data, so tests can make outages. Disposing kills it and
/// deletes the folder.
/// </summary>
internal sealed class InfluxDb : IDisposable
{
    /// <summary>The loopback address the HTTP API binds.</summary>
    public const string Host = "127.0.0.1";

    /// <summary>The database <see cref="Launch(string)"/> creates unless told otherwise (the schema's database).</summary>
    public const string DefaultDatabase = "edgegw";

    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(20);

    private readonly ConcurrentQueue<string> _console = new();
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };
    private Process? _process;
    private bool _startedOnce;

    /// <summary>Prepares the folder and ports; <see cref="Start"/> runs it.</summary>
    public InfluxDb(string database = DefaultDatabase)
    {
        Database = database;
        Folder = Directory.CreateTempSubdirectory("edgegw-influxdb-").FullName;
        AllocatePorts();
    }

    /// <summary>The database created at the first start.</summary>
    public string Database { get; }

    /// <summary>The temporary folder holding config, log, meta, data and WAL.</summary>
    public string Folder { get; }

    /// <summary>The HTTP API port.</summary>
    public int Port { get; private set; }

    /// <summary>The RPC (backup) port: every instance needs its own.</summary>
    public int RpcPort { get; private set; }

    /// <summary>The HTTP API, e.g. <c>http://127.0.0.1:41234</c> (no trailing slash).</summary>
    public string Url => $"http://{Host}:{Port.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>Process id of influxd (0 when it does not run).</summary>
    public int ProcessId => _process is { HasExited: false } process ? process.Id : 0;

    /// <summary>Whether influxd runs.</summary>
    public bool IsRunning => _process is { HasExited: false };

    private string ConfigFile => Path.Combine(Folder, "influxdb.conf");

    /// <summary>An InfluxDB with <paramref name="database"/> created, running.</summary>
    public static InfluxDb Launch(string database = DefaultDatabase)
    {
        var influx = new InfluxDb(database);
        try
        {
            influx.Start();
            return influx;
        }
        catch
        {
            influx.Dispose();
            throw;
        }
    }

    /// <summary>Runs influxd and returns once <c>/ping</c> answers 204 (and, the first time, the database exists).</summary>
    /// <exception cref="InvalidOperationException">It is running already, or it did not come up (the message holds its output).</exception>
    public void Start()
    {
        if (IsRunning)
        {
            throw new InvalidOperationException("influxd is running already");
        }

        for (var attempt = 1; ; attempt++)
        {
            WriteConfig();
            var failed = Launch();
            if (failed is null)
            {
                break;
            }

            // A free port may be taken by someone else before influxd binds it; the first start then moves on.
            if (_startedOnce || attempt == 3 || !failed.Contains("address already in use", StringComparison.OrdinalIgnoreCase))
            {
                throw new InvalidOperationException($"influxd did not start: {failed}");
            }

            AllocatePorts();
        }

        if (!_startedOnce)
        {
            Execute($"CREATE DATABASE \"{Database}\"");
            _startedOnce = true;
        }
    }

    /// <summary>Stops influxd gracefully (SIGTERM).</summary>
    public void Stop()
    {
        UnixSignal.Stop(_process ?? throw new InvalidOperationException("influxd is not running"), "influxd", s_timeout, Describe);
        Forget();
    }

    /// <summary>Kills influxd (SIGKILL): what the WAL holds survives, nothing else is flushed.</summary>
    public void Kill()
    {
        if (_process is { } process)
        {
            UnixSignal.Kill(process, s_timeout);
            Forget();
        }
    }

    /// <summary>Stops gracefully and starts again on the same ports.</summary>
    public void Restart()
    {
        Stop();
        Start();
    }

    /// <summary>Writes line protocol to <see cref="Database"/> (<c>POST /write</c>, 204 expected).</summary>
    /// <param name="lines">Line protocol, one point per line.</param>
    /// <param name="precision"><c>ns</c>, <c>u</c>, <c>ms</c>, <c>s</c>, <c>m</c> or <c>h</c>: the unit of the timestamps.</param>
    /// <exception cref="InvalidOperationException">InfluxDB did not answer 204 (the message holds its error).</exception>
    public void Write(string lines, string precision = "ms")
    {
        using var content = new StringContent(lines, Encoding.UTF8, "text/plain");
        using var request = new HttpRequestMessage(HttpMethod.Post, $"{Url}/write?db={Uri.EscapeDataString(Database)}&precision={precision}") { Content = content };
        using var response = _http.Send(request);
        if (response.StatusCode != HttpStatusCode.NoContent)
        {
            throw new InvalidOperationException($"write answered HTTP {(int)response.StatusCode}: {ReadBody(response)}");
        }
    }

    /// <summary>Runs an InfluxQL statement that changes something (<c>POST /query</c>: CREATE, DROP, DELETE).</summary>
    /// <exception cref="InvalidOperationException">InfluxDB answered with an error.</exception>
    public void Execute(string statement)
    {
        using var content = new FormUrlEncodedContent([new("q", statement), new("db", Database)]);
        using var request = new HttpRequestMessage(HttpMethod.Post, $"{Url}/query") { Content = content };
        using var response = _http.Send(request);
        var body = ReadBody(response);
        if (response.StatusCode != HttpStatusCode.OK || body.Contains("\"error\"", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"'{statement}' answered HTTP {(int)response.StatusCode}: {body}");
        }
    }

    /// <summary>Runs an InfluxQL query on <see cref="Database"/> (<c>GET /query</c>) and returns its JSON answer.</summary>
    /// <exception cref="InvalidOperationException">InfluxDB answered with an error.</exception>
    public JsonDocument Query(string query)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{Url}/query?db={Uri.EscapeDataString(Database)}&q={Uri.EscapeDataString(query)}");
        using var response = _http.Send(request);
        var body = ReadBody(response);
        var document = JsonDocument.Parse(body);
        var result = document.RootElement.TryGetProperty("results", out var results) ? results[0] : document.RootElement;
        if (response.StatusCode != HttpStatusCode.OK || result.TryGetProperty("error", out _))
        {
            document.Dispose();
            throw new InvalidOperationException($"'{query}' answered HTTP {(int)response.StatusCode}: {body}");
        }

        return document;
    }

    /// <summary>
    /// The rows of a query's first series as arrays of JSON values (column order as selected, time first); none when
    /// nothing matched.
    /// </summary>
    public IReadOnlyList<JsonElement[]> Rows(string query)
    {
        using var document = Query(query);
        var result = document.RootElement.GetProperty("results")[0];
        if (!result.TryGetProperty("series", out var series))
        {
            return [];
        }

        return [.. series[0].GetProperty("values").EnumerateArray().Select(row => row.EnumerateArray().Select(cell => cell.Clone()).ToArray())];
    }

    /// <summary>The single number a query such as <c>SELECT count("x") FROM "m"</c> answers (0 when nothing matched).</summary>
    public double Scalar(string query)
    {
        var rows = Rows(query);
        return rows.Count == 0 || rows[0][1].ValueKind != JsonValueKind.Number ? 0 : rows[0][1].GetDouble();
    }

    /// <summary>influxd's console output so far and where it runs, for failure messages.</summary>
    public string Describe()
    {
        var lines = _console.ToArray();
        var tail = lines.Length > 40 ? lines[^40..] : lines;
        return $"influxd on {Url} (rpc {RpcPort}), folder {Folder}; last output:\n{string.Join('\n', tail)}";
    }

    /// <summary>Kills influxd and deletes its folder.</summary>
    public void Dispose()
    {
        Kill();
        _http.Dispose();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a leftover temporary folder is harmless.
        }
    }

    /// <summary>Starts the process; null once /ping answers 204, else why it did not.</summary>
    private string? Launch()
    {
        _console.Clear();
        var start = new ProcessStartInfo(FindInfluxd())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("run");
        start.ArgumentList.Add("-config");
        start.ArgumentList.Add(ConfigFile);
        var process = Process.Start(start) ?? throw new InvalidOperationException("influxd did not start");
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

            if (Pings())
            {
                return null;
            }

            Thread.Sleep(20);
        }

        Kill();
        return $"/ping did not answer 204 within {s_timeout.TotalSeconds} s. {Describe()}";
    }

    private bool Pings()
    {
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"{Url}/ping");
            using var response = _http.Send(request);
            return response.StatusCode == HttpStatusCode.NoContent;
        }
        catch (HttpRequestException)
        {
            return false;
        }
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

    private void AllocatePorts()
    {
        var ports = Loopback.FreePorts(2);
        (Port, RpcPort) = (ports[0], ports[1]);
    }

    private void WriteConfig()
    {
        var port = Port.ToString(CultureInfo.InvariantCulture);
        var rpc = RpcPort.ToString(CultureInfo.InvariantCulture);
        File.WriteAllLines(ConfigFile,
        [
            "# EdgeGateway test database",
            "reporting-disabled = true",
            $"bind-address = \"{Host}:{rpc}\"",
            "[meta]",
            $"  dir = \"{Path.Combine(Folder, "meta")}\"",
            "[data]",
            $"  dir = \"{Path.Combine(Folder, "data")}\"",
            $"  wal-dir = \"{Path.Combine(Folder, "wal")}\"",
            "  query-log-enabled = false",
            "[http]",
            $"  bind-address = \"{Host}:{port}\"",
            "  log-enabled = false",
            "[monitor]",
            "  store-enabled = false",
            "[logging]",
            "  level = \"warn\"",
        ]);
    }

    private static string ReadBody(HttpResponseMessage response)
    {
        using var reader = new StreamReader(response.Content.ReadAsStream());
        return reader.ReadToEnd();
    }

    /// <summary>influxd of the Debian package (tests/run.sh installs it); /usr/sbin is often not on PATH.</summary>
    private static string FindInfluxd()
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        foreach (var folder in path.Split(':', StringSplitOptions.RemoveEmptyEntries).Append("/usr/bin").Append("/usr/sbin"))
        {
            var candidate = Path.Combine(folder, "influxd");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException("'influxd' is not installed: tests/run.sh installs it (apt-get install -y influxdb)");
    }
}
