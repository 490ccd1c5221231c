using EdgeGateway.Cli.Tests.Pki;

namespace EdgeGateway.Cli.Tests.Control;

/// <summary>
/// <c>edgegw reason</c> and <c>edgegw calendar</c> against a running agent (a real process on the simulator at 60 times real
/// time, a real Mosquitto, records confirmed): the reason given during a stop comes back in the records' <c>reasons</c>;
/// an unknown code is refused naming the valid ones and changes nothing; a closure set by command survives a restart.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class ReasonCommandTests
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task A_reason_given_during_a_stop_is_in_the_records_and_an_unknown_code_is_refused_naming_the_valid_ones()
    {
        using var broker = MosquittoBroker.Launch();
        await using var subscriber = await RecordSubscriber.ConnectAsync(broker, "gw-reason", confirm: true);
        using var run = new AgentRun("gw-reason", broker.Port, speedFactor: 60);
        run.AddReasonsAndArticles();
        var agent = run.Start();
        await Poll.Until(() => agent.FindLine("Taking commands on") is not null, s_timeout, "the control socket", () => agent.Tail());
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite, File.GetUnixFileMode(run.ControlSocket));

        // Refused before it reaches the engine: exit 1, the valid codes on stderr, nothing changed.
        var (code, output, error) = PkiRun.Edgegw("reason", "--cell", "cell-1", "--code", "coffee_break", "--socket", run.ControlSocket);
        Assert.Equal((1, "", "edgegw reason: the agent refused: unknown reason code 'coffee_break': the codes are waiting_material, tool_change\n"), (code, output, error));
        await Poll.Until(() => agent.FindLine("not understood, nothing changed: unknown reason code 'coffee_break'") is not null, s_timeout, "the refusal in the log", () => agent.Tail());

        // The shift starts with the machine standing (the simulation's start delay), and it stops now and then: the
        // command is sent until a stop is there to take it; until then the agent says there is none.
        var refusals = new List<string>();
        while (true)
        {
            (code, output, error) = PkiRun.Edgegw("reason", "--cell", "cell-1", "--code", "waiting_material", "--socket", run.ControlSocket);
            if (code == 0)
            {
                break;
            }

            Assert.StartsWith("edgegw reason: the agent refused: no stop to give a reason to", error, StringComparison.Ordinal);
            refusals.Add(error);
            Assert.True(refusals.Count < 300, $"no stop to give a reason to in {refusals.Count} tries. {agent.Tail()}");
            await Task.Delay(200);
        }

        Assert.Equal("done\n", output);
        // The log names who sent it: the kernel's peer credentials of the socket.
        await Poll.Until(() => agent.FindLine($"Command (socket, uid {Uid()}) reason waiting_material for cell cell-1: ok, done") is not null, s_timeout, "the command in the log", () => agent.Tail());

        // Once the stop is final (the next stop, or the grace time after it ended) its minutes carry the reason.
        await Poll.Until(
            () => ContextRecords.Minutes(subscriber.Payloads().Values).Any(r => ContextRecords.ReasonSeconds(r, "waiting_material") > 0),
            s_timeout, "a 1m record with seconds of waiting_material", () => agent.Tail());
        var minutes = ContextRecords.Minutes(subscriber.Payloads().Values);
        Assert.All(minutes, r => Assert.DoesNotContain("coffee_break", ContextRecords.Reasons(r)));
        Assert.DoesNotContain(minutes, r => ContextRecords.Reasons(r).Any(c => c != "waiting_material"));
    }

    // The user id this test runs as (the socket's peer), from the kernel's own account of this process.
    private static string Uid() =>
        File.ReadLines("/proc/self/status").First(line => line.StartsWith("Uid:", StringComparison.Ordinal)).Split('\t', StringSplitOptions.RemoveEmptyEntries)[1];

    [Fact]
    public void Without_an_agent_each_command_says_it_cannot_reach_it_and_malformed_arguments_exit_2()
    {
        var socket = Path.Combine(Path.GetTempPath(), $"edgegw-no-agent-{Guid.NewGuid():N}.sock");
        string[][] lines =
        [
            ["reason", "--cell", "cell-1", "--code", "waiting_material", "--at", "08:10"],
            ["article", "--cell", "cell-1", "--article", "A-100"],
            ["calendar", "close", "--from", "2026-12-24", "--to", "2026-12-26"],
            ["calendar", "extra-shift", "--from", "2026-12-19T06:00", "--to", "2026-12-19T14:00"],
        ];
        foreach (var line in lines)
        {
            var name = line[0] == "calendar" ? $"calendar {line[1]}" : line[0];
            Assert.Equal((1, "", $"edgegw {name}: cannot reach the agent (is edgegw-agent running?): socket {socket}: no such socket\n"), PkiRun.Edgegw([.. line, "--socket", socket]));
        }

        var (code, _, error) = PkiRun.Edgegw("reason", "--cell", "cell-1");
        Assert.Equal((2, "edgegw: Option '--code' is required. (see 'edgegw --help')\n"), (code, error));
    }

    [Fact]
    public async Task A_second_agent_leaves_the_first_ones_socket_alone()
    {
        using var broker = MosquittoBroker.Launch();
        using var first = new AgentRun("gw-first", broker.Port, speedFactor: 60);
        first.AddReasonsAndArticles();
        var agent = first.Start();
        await Poll.Until(() => agent.FindLine("Taking commands on") is not null, s_timeout, "the first agent's socket", () => agent.Tail());
        using var second = new AgentRun("gw-second", broker.Port, speedFactor: 60);
        second.Settings["ControlSocket"] = first.ControlSocket;
        var intruder = second.Start();

        await Poll.Until(() => intruder.FindLine("another process listens on it") is not null, s_timeout, "the second agent to leave the socket alone", () => intruder.Tail());
        Assert.Equal((0, "done\n", ""), PkiRun.Edgegw("article", "--cell", "cell-1", "--article", "A-100", "--socket", first.ControlSocket));
        await Poll.Until(() => agent.FindLine("article A-100 for cell cell-1: ok, done") is not null, s_timeout, "the first agent to take the command", () => agent.Tail());
        Assert.Null(intruder.FindLine("article A-100"));
        Assert.Equal(0, await intruder.StopAsync());
        Assert.Equal(0, await agent.StopAsync());
    }

    [Fact]
    public async Task A_closure_set_by_command_survives_a_restart_of_the_agent()
    {
        using var broker = MosquittoBroker.Launch();
        await using var subscriber = await RecordSubscriber.ConnectAsync(broker, "gw-closure", confirm: true);
        using var run = new AgentRun("gw-closure", broker.Port, speedFactor: 600);
        var agent = run.Start();
        await Poll.Until(() => agent.FindLine("Taking commands on") is not null, s_timeout, "the control socket", () => agent.Tail());

        // Monday 23 March from 09:00 to 11:00 site-local (08:00-10:00 UTC): the simulation started at 06:00 and is not there yet.
        Assert.Equal(
            (1, "", "edgegw calendar close: the agent refused: \"to\" (2026-03-23T08:00) is not after \"from\" (2026-03-23T09:00)\n"),
            PkiRun.Edgegw("calendar", "close", "--from", "2026-03-23T09:00", "--to", "2026-03-23T08:00", "--socket", run.ControlSocket));
        Assert.Equal((0, "done\n", ""), PkiRun.Edgegw("calendar", "close", "--from", "2026-03-23T09:00", "--to", "2026-03-23T11:00", "--socket", run.ControlSocket));
        Assert.Equal(0, await agent.StopAsync());
        var kept = await File.ReadAllTextAsync(Path.Combine(run.OutboxDirectory, "calendar.json"));
        Assert.Contains("\"from\": \"2026-03-23T08:00:00.000Z\"", kept, StringComparison.Ordinal);
        Assert.Contains("\"to\": \"2026-03-23T10:00:00.000Z\"", kept, StringComparison.Ordinal);

        // The next agent starts the simulation at 06:00 again and applies the closure before its first event: the closed
        // minutes are planned stops, those around them are not.
        var before = subscriber.MaxSeq;
        agent = run.Start();
        await Poll.Until(() => agent.FindLine("1 closures and extra shifts set by command apply again") is not null, s_timeout, "the closure applied again", () => agent.Tail());
        bool Starts(System.Text.Json.JsonElement record, string utc) => record.GetProperty("window").GetProperty("start").GetString() == utc;
        RecordSubscriber received = subscriber;
        List<System.Text.Json.JsonElement> Minutes() => ContextRecords.Minutes(received.Payloads().Where(p => p.Key > before).Select(p => p.Value));
        await Poll.Until(() => Minutes().Any(r => Starts(r, "2026-03-23T10:05:00.000Z")), s_timeout, "the minutes after the closure", () => agent.Tail());

        // In the closed hours the machine's stops are planned stops (it may still run: the simulation does not know);
        // without the closure 08:00-09:00 UTC holds no break, and the hour before it no planned stop at all.
        double Seconds(System.Text.Json.JsonElement record, string bucket) => record.GetProperty("buckets").GetProperty(bucket).GetDouble();
        List<System.Text.Json.JsonElement> Between(string fromUtc, string toUtc) =>
            [.. Minutes().Where(r => string.CompareOrdinal(r.GetProperty("window").GetProperty("start").GetString(), fromUtc) >= 0
                && string.CompareOrdinal(r.GetProperty("window").GetProperty("start").GetString(), toUtc) < 0)];
        var closed = Between("2026-03-23T08:00", "2026-03-23T10:00");
        Assert.Equal(120, closed.Count);
        Assert.All(closed, r => Assert.Equal(0, Seconds(r, "down") + Seconds(r, "idle")));
        Assert.True(Between("2026-03-23T08:00", "2026-03-23T09:00").Sum(r => Seconds(r, "planned_stop")) > 0, "no planned stop in the first closed hour");
        var open = Between("2026-03-23T07:00", "2026-03-23T08:00");
        Assert.Equal(60, open.Count);
        Assert.All(open, r => Assert.Equal(0, Seconds(r, "planned_stop")));
        Assert.Equal(0, await agent.StopAsync());
    }

    [Fact]
    public async Task A_closure_the_agent_cannot_save_is_taken_but_said_not_saved_and_saved_with_the_next()
    {
        using var broker = MosquittoBroker.Launch();
        using var run = new AgentRun("gw-unsaved", broker.Port, speedFactor: 60);
        var agent = run.Start();
        await Poll.Until(() => agent.FindLine("Taking commands on") is not null, s_timeout, "the control socket", () => agent.Tail());

        // A folder where the temporary file goes: the write fails whoever runs the test (root included).
        var blocker = Directory.CreateDirectory(Path.Combine(run.OutboxDirectory, "calendar.json.tmp"));
        var (exit, stdout, stderr) = PkiRun.Edgegw("calendar", "close", "--from", "2026-03-24T09:00", "--to", "2026-03-24T11:00", "--socket", run.ControlSocket);
        Assert.Equal((1, ""), (exit, stdout));
        Assert.StartsWith("edgegw calendar close: taken, but not saved: the agent cannot write calendar.json", stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(run.OutboxDirectory, "calendar.json")));
        await Poll.Until(() => agent.FindLine("Cannot save the closures and extra shifts set by command") is not null, s_timeout, "the log line", () => agent.Tail());

        // Once the folder can be written again, the next closure saves both.
        blocker.Delete();
        Assert.Equal((0, "done\n", ""), PkiRun.Edgegw("calendar", "close", "--from", "2026-03-25T09:00", "--to", "2026-03-25T11:00", "--socket", run.ControlSocket));
        var kept = await File.ReadAllTextAsync(Path.Combine(run.OutboxDirectory, "calendar.json"));
        Assert.Contains("\"from\": \"2026-03-24T08:00:00.000Z\"", kept, StringComparison.Ordinal);
        Assert.Contains("\"from\": \"2026-03-25T08:00:00.000Z\"", kept, StringComparison.Ordinal);
        Assert.Equal(0, await agent.StopAsync());
    }
}
