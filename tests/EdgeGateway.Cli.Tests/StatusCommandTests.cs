using System.Text;
using EdgeGateway.Agent.Outbox;
using EdgeGateway.Agent.Status;
using EdgeGateway.Core.Kpi;

namespace EdgeGateway.Cli.Tests;

/// <summary><c>edgegw status</c> reads the running agent's status file; no agent is one line and exit code 3.</summary>
public sealed class StatusCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("edgegw-status-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void NoStatusFile_SaysNotRunning_InOneLine_Exit3()
    {
        var (stdout, stderr, exit) = Status(Path.Combine(_dir, "status.json"));

        Assert.Equal(3, exit);
        Assert.Equal("", stdout);
        Assert.Equal($"edgegw status: the agent is not running (no status at {Path.Combine(_dir, "status.json")})", stderr.TrimEnd('\n'));
    }

    [Theory]
    [InlineData("{ \"EdgeGateway\": {} }")] // the config given by mistake: was a KeyNotFoundException with its stack
    [InlineData("{ \"at\": \"yesterday\", \"pid\": 1 }")]
    [InlineData("[1, 2]")]
    public void JsonThatIsNotAStatusDocument_SaysNotRunning_InOneLine_Exit3(string json)
    {
        var path = Path.Combine(_dir, "other.json");
        File.WriteAllText(path, json);

        var (stdout, stderr, exit) = Status(path);

        Assert.Equal(3, exit);
        Assert.Equal("", stdout);
        Assert.Equal($"edgegw status: the agent is not running ({path} is not a status document)", stderr.TrimEnd('\n'));
    }

    [Fact]
    public void StatusFileWithByteOrderMark_IsRead()
    {
        var path = WriteStatus(DateTimeOffset.UtcNow);
        File.WriteAllBytes(path, [.. Encoding.UTF8.GetPreamble(), .. File.ReadAllBytes(path)]);

        var (stdout, stderr, exit) = Status(path);

        Assert.Equal("", stderr);
        Assert.Equal(0, exit);
        Assert.Contains("lathe", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void StatusFileIsADirectory_IsABadArgument_Exit2()
    {
        var (_, stderr, exit) = Status(_dir);

        Assert.Equal(Program.InputError, exit);
        Assert.Equal($"edgegw status: --status-file: '{_dir}' is a directory, not a file", stderr.TrimEnd('\n'));
    }

    [Fact]
    public void StaleStatus_SaysNotRunning()
    {
        var path = WriteStatus(DateTimeOffset.UtcNow.AddMinutes(-5));

        var (_, stderr, exit) = Status(path);

        Assert.Equal(3, exit);
        Assert.Contains("the agent is not running (last status from pid", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void FreshStatus_ShowsBrokerOutboxDeliveryCellsAndClock()
    {
        var now = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        var path = WriteStatus(now);

        var (stdout, stderr, exit) = Status(path);

        Assert.Equal(0, exit);
        Assert.Equal("", stderr);
        Assert.Contains("broker   NOT connected: the broker refused the credentials", stdout, StringComparison.Ordinal);
        Assert.Contains("outbox   42 records waiting", stdout, StringComparison.Ordinal);
        Assert.Contains("dropped 7", stdout, StringComparison.Ordinal);
        Assert.Contains("delivery 1200 confirmed stored since start, 42 unconfirmed (oldest 90 s); resent 40, given to no subscriber 7", stdout, StringComparison.Ordinal);
        Assert.Contains("lathe", stdout, StringComparison.Ordinal);
        Assert.Contains("shift OEE so far 71.5 %", stdout, StringComparison.Ordinal);
        Assert.Contains(", article B-2040\n", stdout, StringComparison.Ordinal);
        Assert.Contains($", stopped since {EdgeGateway.Core.Traces.TraceTimestamp.Format(now.AddMinutes(-7).ToUnixTimeMilliseconds())} (reason breakdown; its records wait until it is final)\n", stdout, StringComparison.Ordinal);
        Assert.Contains($", stopped since {EdgeGateway.Core.Traces.TraceTimestamp.Format(now.AddMinutes(-3).ToUnixTimeMilliseconds())} (no reason yet; its records wait until it is final)\n", stdout, StringComparison.Ordinal);
        Assert.Contains("clock    NOT synchronised", stdout, StringComparison.Ordinal);
        Assert.Contains($"records  120 computed since start, the last at {EdgeGateway.Core.Traces.TraceTimestamp.Format(now.AddSeconds(-30).ToUnixTimeMilliseconds())}\n", stdout, StringComparison.Ordinal);

        var (json, _, jsonExit) = Status(path, "--json");
        Assert.Equal(0, jsonExit);
        Assert.Equal(File.ReadAllText(path), json);
    }

    private string WriteStatus(DateTimeOffset at)
    {
        var state = new AgentState
        {
            Broker = new BrokerState(Connected: false, SinceMs: null, "the broker refused the credentials of user 'sme-0042'"),
            Cells =
            [
                new CellStatus("lathe", MachineState.Run, 0.715, at.AddHours(-2).ToUnixTimeMilliseconds()) { Article = "B-2040" },
                new CellStatus("press", MachineState.Down, 0.5, at.AddHours(-2).ToUnixTimeMilliseconds()) { StopHeldSinceMs = at.AddMinutes(-7).ToUnixTimeMilliseconds(), StopReason = "breakdown" },
                new CellStatus("mill", MachineState.Idle, 0.4, at.AddHours(-2).ToUnixTimeMilliseconds()) { StopHeldSinceMs = at.AddMinutes(-3).ToUnixTimeMilliseconds() },
            ],
            SensorFaults = 1,
            Records = 120,
            LastRecordMs = at.AddSeconds(-30).ToUnixTimeMilliseconds(),
            Delivery = new DeliveryState(Confirmed: 1200, Resent: 40, NoSubscriber: 7),
        };
        var path = Path.Combine(_dir, "status.json");
        StatusFile.Write(path, state, new OutboxStatus(42, 42_000, 100, 142, TimeSpan.FromSeconds(90), 7, 0), "sme-0042", "gw-1", at.ToUnixTimeMilliseconds());
        return path;
    }

    private static (string Stdout, string Stderr, int Exit) Status(string path, params string[] extra)
    {
        using var stdout = new MemoryStream();
        using var stderr = new StringWriter();
        var exit = Program.Run(["status", "--status-file", path, .. extra], stdout, stderr);
        return (Encoding.UTF8.GetString(stdout.ToArray()), stderr.ToString(), exit);
    }
}
