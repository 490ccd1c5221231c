using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace EdgeGateway.Agent.Tests.Outbox;

/// <summary>
/// SIGKILLs tests/OutboxKillHarness (a process appending and acknowledging as fast as it can) at random moments
/// and checks, after each kill, that every append it reported is held once, in order, with its bytes intact.
/// </summary>
public sealed class OutboxKillTests : IDisposable
{
    private const int Rounds = 20;

    private readonly OutboxFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Outbox_SurvivesKill_NoLoss()
    {
        var harness = HarnessPath();
        var seed = Random.Shared.Next();
        var random = new Random(seed);
        int[] flushIntervalsMs = [0, 5, 50, 1000];
        long next = 1, floor = 0;
        for (var round = 0; round < Rounds; round++)
        {
            var context = $"seed {seed}, round {round}";
            var flushMs = flushIntervalsMs[round % flushIntervalsMs.Length];
            var lines = await RunAndKill(harness, flushMs, TimeSpan.FromMilliseconds(random.Next(0, 300)));

            Assert.True(lines.Count > 0 && lines[0] == $"open {next}", $"{context}: the harness opened with '{(lines.Count > 0 ? lines[0] : "nothing")}', expected 'open {next}'");
            var appended = new List<long>();
            long acknowledgedNow = 0;
            foreach (var line in lines.Skip(1))
            {
                var value = long.Parse(line.AsSpan(2), NumberStyles.None, CultureInfo.InvariantCulture);
                if (line[0] == 'a')
                {
                    appended.Add(value);
                }
                else
                {
                    Assert.Equal('k', line[0]);
                    acknowledgedNow = Math.Max(acknowledgedNow, value);
                }
            }

            Assert.Equal(Enumerable.Range(0, appended.Count).Select(i => next + i), appended);
            var lastReported = appended.Count > 0 ? appended[^1] : next - 1;

            using var outbox = _folder.Open();
            var records = OutboxFolder.ReadAll(outbox, batch: 256);
            var newFloor = records.Count > 0 ? records[0].Sequence - 1 : outbox.NextSequence - 1;
            // The floor only moves forward, never past an acknowledgement the harness made (the last one may be
            // unreported: it acknowledges s - 40 after appending s, s a multiple of 8), and with a flush interval of
            // zero every acknowledgement is on disk before the call returns.
            var lastIssuedAck = ((outbox.NextSequence - 1) / 8 * 8) - 40;
            Assert.True(newFloor >= floor && newFloor <= Math.Max(floor, lastIssuedAck), $"{context}: floor {newFloor}, before {floor}, last acknowledgement possible {lastIssuedAck}");
            if (flushMs == 0)
            {
                Assert.True(newFloor >= acknowledgedNow, $"{context}: floor {newFloor}, but {acknowledgedNow} was acknowledged with flush interval 0");
            }

            floor = newFloor;

            // Every reported append is held (none lost), each once and in order; at most the one being reported when killed is extra.
            Assert.Equal(Enumerable.Range(0, records.Count).Select(i => floor + 1 + i), records.Select(r => r.Sequence));
            Assert.True(outbox.NextSequence - 1 >= lastReported, $"{context}: reported {lastReported}, held up to {outbox.NextSequence - 1}");
            Assert.True(outbox.NextSequence - 1 <= lastReported + 1, $"{context}: reported {lastReported}, held up to {outbox.NextSequence - 1}");
            foreach (var record in records)
            {
                Assert.Equal($"kill/{record.Sequence % 3}", record.Topic);
                Assert.True(record.Payload.Span.SequenceEqual(KillPayload(record.Sequence)), $"{context}: payload of {record.Sequence} differs");
            }

            var status = outbox.Status;
            Assert.Equal(0, status.Corrupt);
            Assert.Equal(0, status.Dropped);
            Assert.Equal(records.Count, status.Depth);
            next = outbox.NextSequence;
        }

        Assert.True(next > Rounds * 10, $"seed {seed}: only {next - 1} records appended in {Rounds} rounds");
    }

    /// <summary>The payload the harness appends for a sequence (tests/OutboxKillHarness, KillPayload.Fill).</summary>
    private static byte[] KillPayload(long sequence)
    {
        var payload = new byte[100 + (int)(sequence * 7919 % 5000)];
        BinaryPrimitives.WriteInt64LittleEndian(payload, sequence);
        for (var i = 8; i < payload.Length; i++)
        {
            payload[i] = (byte)(sequence + i);
        }

        return payload;
    }

    /// <summary>Starts the harness, lets it run for <paramref name="runFor"/> after it opened the outbox, SIGKILLs it; returns its whole lines.</summary>
    private async Task<List<string>> RunAndKill(string harness, int flushMs, TimeSpan runFor)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("exec");
        start.ArgumentList.Add(harness);
        start.ArgumentList.Add(_folder.Path);
        start.ArgumentList.Add(flushMs.ToString(CultureInfo.InvariantCulture));

        using var process = Process.Start(start)!;
        var opened = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var lines = new List<string>();
        var reading = ReadLines(process.StandardOutput, lines, opened);
        var stderr = process.StandardError.ReadToEndAsync();
        try
        {
            await opened.Task.WaitAsync(TimeSpan.FromSeconds(60));
            await Task.Delay(runFor);
        }
        finally
        {
            process.Kill(); // SIGKILL: no handler, no flush, no Dispose
            await process.WaitForExitAsync();
        }

        await reading.WaitAsync(TimeSpan.FromSeconds(30));
        var errors = await stderr;
        Assert.True(errors.Length == 0, $"the harness wrote to stderr: {errors}");
        return lines;
    }

    /// <summary>Collects lines ended by a newline; a line cut by the kill is not a report.</summary>
    private static async Task ReadLines(StreamReader reader, List<string> lines, TaskCompletionSource opened)
    {
        var buffer = new char[8192];
        var line = new StringBuilder();
        int read;
        while ((read = await reader.ReadAsync(buffer)) > 0)
        {
            for (var i = 0; i < read; i++)
            {
                if (buffer[i] != '\n')
                {
                    line.Append(buffer[i]);
                    continue;
                }

                lines.Add(line.ToString());
                line.Clear();
                if (lines.Count == 1)
                {
                    opened.TrySetResult();
                }
            }
        }

        opened.TrySetResult(); // ended before opening: the assertion on the first line reports it
    }

    /// <summary>
    /// The harness built beside this test assembly (same configuration); built here when missing or older than
    /// the agent this test runs against, so the test also works when run on its own.
    /// </summary>
    private static string HarnessPath()
    {
        var output = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory));
        var framework = output.Name;
        var configuration = output.Parent!.Name;
        var project = Path.Combine(RepoPaths.Root, "tests", "OutboxKillHarness");
        var harnessOutput = Path.Combine(project, "bin", configuration, framework);
        var harness = Path.Combine(harnessOutput, "OutboxKillHarness.dll");
        var agent = Path.Combine(harnessOutput, "edgegw-agent.dll");
        if (!File.Exists(harness) || !File.Exists(agent)
            || !File.ReadAllBytes(agent).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "edgegw-agent.dll"))))
        {
            var build = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var arg in new[] { "build", Path.Combine(project, "OutboxKillHarness.csproj"), "-c", configuration, "--nologo", "-v", "q" })
            {
                build.ArgumentList.Add(arg);
            }

            using var process = Process.Start(build)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            process.WaitForExit();
            Assert.True(process.ExitCode == 0, $"building the kill harness failed: {stdout.Result}{stderr.Result}");
        }

        Assert.True(File.Exists(harness), $"{harness} is missing; build EdgeGateway.sln");
        return harness;
    }
}
