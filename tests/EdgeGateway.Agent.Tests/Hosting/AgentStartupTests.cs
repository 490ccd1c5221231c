
namespace EdgeGateway.Agent.Tests.Hosting;

/// <summary>A bad config stops the agent before anything runs: one clear line per problem, exit code 2.</summary>
public sealed class AgentStartupTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("edgegw-agent-config-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task UnknownAgentKey_StopsWithExit2_NamingTheKey()
    {
        var (exit, stderr) = await RunAgent(Config("\"Agent\": { \"Mqtt\": { \"Hots\": \"broker\" } }"));

        Assert.Equal(2, exit);
        var line = Assert.Single(Lines(stderr));
        Assert.Contains("Hots", line, StringComparison.Ordinal);
        Assert.StartsWith("edgegw-agent: ", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CrossFieldRules_AreEachOneLine()
    {
        var (exit, stderr) = await RunAgent(Config("\"Agent\": { \"Source\": \"Trace\", \"Windows\": [ \"5m\" ], \"Mqtt\": { \"Port\": 70000, \"Password\": \"x\" } }"));

        Assert.Equal(2, exit);
        var lines = Lines(stderr);
        Assert.Contains(lines, l => l.Contains("Agent.TracePath: is required when Agent.Source is Trace", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("'5m' is not one of", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("Port", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("Agent.Mqtt.Password: is set but Agent.Mqtt.Username is not", StringComparison.Ordinal));
        Assert.All(lines, l => Assert.StartsWith("edgegw-agent: ", l, StringComparison.Ordinal));
    }

    [Fact]
    public async Task CellConfigProblems_NameFileAndLine_AllOfThem()
    {
        var json = File.ReadAllText(RepoPaths.Sample("edgegw.json"))
            .Replace("\"Start\": \"10:00\", \"End\": \"10:15\"", "\"Start\": \"15:00\", \"End\": \"15:15\"", StringComparison.Ordinal)
            .Replace("\"Europe/Amsterdam\"", "\"Europe/Atlantis\"", StringComparison.Ordinal);
        var path = Path.Combine(_dir, "edgegw.json");
        File.WriteAllText(path, json);

        var (exit, stderr) = await RunAgent(path);

        Assert.Equal(2, exit);
        var lines = Lines(stderr);
        Assert.Equal(2, lines.Length);
        Assert.Contains(lines, l => l.StartsWith($"edgegw-agent: {path}:4: ", StringComparison.Ordinal) && l.Contains("Europe/Atlantis", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("is outside its shift", StringComparison.Ordinal));
    }

    [Fact]
    public async Task MissingConfigFile_IsOneLine_Exit2()
    {
        var (exit, stderr) = await RunAgent(Path.Combine(_dir, "nope.json"));

        Assert.Equal(2, exit);
        Assert.Equal($"edgegw-agent: {Path.Combine(_dir, "nope.json")}: cannot read the config: the file does not exist", Assert.Single(Lines(stderr)));
    }

    [Fact]
    public async Task ConfigThatIsADirectory_IsOneLine_SayingSo_Exit2()
    {
        var (exit, stderr) = await RunAgent(_dir);

        Assert.Equal(2, exit);
        Assert.Equal($"edgegw-agent: {_dir}: cannot read the config: it is a directory, not a file", Assert.Single(Lines(stderr)));
    }

    [Theory]
    [InlineData("Agent.Foo: unknown key", "--Agent:Foo=1")]
    [InlineData("Agent.Source: 'Magic' is not one of Sensors, Simulator, Trace", "--Agent:Source=Magic")]
    [InlineData("Agent.Source: '7' is not one of Sensors, Simulator, Trace", "--Agent:Source=7")]
    [InlineData("Agent.Mqtt.Port: 'abc' is not a whole number", "--Agent:Mqtt:Port=abc")]
    [InlineData("Agent.Mqtt.Tls: 'maybe' is not true or false", "--Agent:Mqtt:Tls=maybe")]
    [InlineData("Agent.Mqtt.ConfirmTimeout: 'soon' is not a duration like 00:00:30 (hh:mm:ss, or d.hh:mm:ss)", "--Agent:Mqtt:ConfirmTimeout=soon")]
    [InlineData("Agent.SimulationStart: 'yesterday' is not a time like 2026-03-23T05:00:00Z", "--Agent:SimulationStart=yesterday")]
    [InlineData("Agent.Mqtt.ConfirmTimeout: 00:00:00.5000000 is out of range [00:00:01, 01:00:00]", "--Agent:Mqtt:ConfirmTimeout=00:00:00.5")]
    [InlineData("Agent.Mqtt.HeartbeatInterval: 00:00:00 is out of range [00:00:01, 01:00:00]", "--Agent:Mqtt:HeartbeatInterval=00:00:00")]
    [InlineData("Agent.WindowCheckpointInterval: 02:00:00 is out of range [00:00:01, 01:00:00]", "--Agent:WindowCheckpointInterval=02:00:00")]
    [InlineData("Agent.Mqtt.MaxUnconfirmed: (10) must be at least Agent.Mqtt.MaxInFlight (32)", "--Agent:Mqtt:MaxUnconfirmed=10")]
    [InlineData("Agent.Mqtt.BatchRecords: must be between 1 and 1000", "--Agent:Mqtt:BatchRecords=0")]
    [InlineData("Agent.Mqtt.BatchBytes: must be between 1024 and 16777216", "--Agent:Mqtt:BatchBytes=10")]
    [InlineData("Agent.Mqtt.Host: is required", "--Agent:Mqtt:Host=")]
    [InlineData("Agent.Mqtt.ConfirmTopicPrefix: 'edgegw/#' must be a topic without the MQTT wildcards # or + and without a trailing /", "--Agent:Mqtt:ConfirmTopicPrefix=edgegw/#")]
    [InlineData("Agent.TracePath: '/nonexistent/trace.csv' cannot be read: the file does not exist", "--Agent:Source=Trace", "--Agent:TracePath=/nonexistent/trace.csv")]
    [InlineData("Agent.Outbox.Directory: '/etc/passwd' cannot hold the outbox: it is a file, not a directory", "--Agent:Outbox:Directory=/etc/passwd")]
    [InlineData("Agent.Mqtt.MaxBackoff: must be at most 1.00:00:00, found 100.00:00:00", "--Agent:Mqtt:MinBackoff=60.00:00:00", "--Agent:Mqtt:MaxBackoff=100.00:00:00")]
    [InlineData("Agent.Mqtt.KeepAlive: must be between 00:00:01 and 18:12:15", "--Agent:Mqtt:KeepAlive=1.00:00:00")]
    [InlineData("Agent.Mqtt.ClientKeyFile: needs Agent.Mqtt.ClientCertFile too (the certificate and its key go together)", "--Agent:Mqtt:Tls=true", "--Agent:Mqtt:ClientKeyFile=/etc/passwd")]
    [InlineData("Agent.Mqtt.CaFile: '/etc/passwd' is not a certificate (PEM or DER): ASN1 corrupted data.", "--Agent:Mqtt:Tls=true", "--Agent:Mqtt:CaFile=/etc/passwd")]
    public async Task BadArgument_IsOneLine_NamingTheKeyLikeTheFileErrors_Exit2(string problem, params string[] arguments)
    {
        var (exit, stderr) = await RunAgent(RepoPaths.Sample("edgegw.json"), arguments);

        Assert.Equal(2, exit);
        Assert.Equal($"edgegw-agent: {RepoPaths.Sample("edgegw.json")}:1: {problem}", Assert.Single(Lines(stderr)));
    }

    [Fact]
    public async Task OutboxOnAReadOnlyFileSystem_IsOneLine_NamingThePathAndTheReason_Exit2()
    {
        using var disk = SmallFileSystem.Mount(1024 * 1024);
        disk.Remount(readOnly: true);
        var outbox = Path.Combine(disk.Path, "outbox");

        var (exit, stderr) = await RunAgent(RepoPaths.Sample("edgegw.json"), $"--Agent:Outbox:Directory={outbox}");

        Assert.Equal(2, exit);
        Assert.Equal($"edgegw-agent: {RepoPaths.Sample("edgegw.json")}:1: Agent.Outbox.Directory: '{outbox}' cannot hold the outbox: read-only file system", Assert.Single(Lines(stderr)));
    }

    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public async Task OutboxDirectoryTheAgentMayNotWrite_IsOneLine_NamingThePathAndTheReason_Exit2()
    {
        // The folder belongs to root (the test), the agent runs as nobody.
        var outbox = Path.Combine(_dir, "outbox-of-root");
        File.SetUnixFileMode(_dir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);

        var (exit, _, stderr) = await ServiceProcess.RunToExitAsync(
            "edgegw-agent",
            ["--config", RepoPaths.Sample("edgegw.json"), $"--Agent:Outbox:Directory={outbox}", "--Agent:StatusFile=/tmp/edgegw-nobody-status.json"],
            TimeSpan.FromSeconds(30),
            asNobody: true);

        Assert.Equal(2, exit);
        Assert.Equal($"edgegw-agent: {RepoPaths.Sample("edgegw.json")}:1: Agent.Outbox.Directory: '{outbox}' cannot hold the outbox: permission denied", Assert.Single(Lines(stderr)));
    }

    [Fact]
    public async Task BadTraceLineFoundWhileReplaying_IsOneLineNamingFileAndLine_Exit2()
    {
        var trace = Path.Combine(_dir, "trace.csv");
        var sample = File.ReadLines(RepoPaths.Sample("sample-trace.csv")).Take(6).ToList();
        File.WriteAllLines(trace, [.. sample, "2026-03-23T05:00:00.000Z,green,banana"]);

        var (exit, stderr) = await RunAgent(RepoPaths.Sample("edgegw.json"), "--Agent:Source=Trace", $"--Agent:TracePath={trace}", "--Agent:Mqtt:Port=1");

        Assert.Equal(2, exit);
        Assert.StartsWith($"edgegw-agent: {trace}:7: ", Assert.Single(Lines(stderr)), StringComparison.Ordinal);
    }

    private string Config(string agentSection)
    {
        var json = File.ReadAllText(RepoPaths.Sample("edgegw.json")).TrimEnd();
        var path = Path.Combine(_dir, "edgegw.json");
        File.WriteAllText(path, json[..json.LastIndexOf('}')] + ", " + agentSection + "\n}\n");
        return path;
    }

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private async Task<(int Exit, string Stderr)> RunAgent(string configPath, params string[] extra)
    {
        var (exit, _, stderr) = await ServiceProcess.RunToExitAsync(
            "edgegw-agent",
            ["--config", configPath, $"--Agent:Outbox:Directory={Path.Combine(_dir, "outbox")}", $"--Agent:StatusFile={Path.Combine(_dir, "status.json")}", .. extra],
            TimeSpan.FromSeconds(30));
        return (exit, stderr);
    }
}
