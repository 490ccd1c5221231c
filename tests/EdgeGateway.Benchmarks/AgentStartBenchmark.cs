using System.Diagnostics;
using System.Globalization;

namespace EdgeGateway.Benchmarks;

/// <summary>
/// <c>dotnet run -c Release --project tests/EdgeGateway.Benchmarks -- agent-start [ROUNDS] [--speed=N] [--cold]</c>: the
/// time from starting the agent's process (<c>edgegw-agent</c>, the demo config deploy/sample/simulation.json on the
/// simulator at <c>SpeedFactor</c> N, default 60; a fresh outbox; a real Mosquitto) until a subscriber on the broker
/// holds its first record (a state record, published as soon as the engine has the machine's first state) and its
/// first KPI record, ROUNDS times (default 5). The simulation starts 100 ms before a minute ends, so the first
/// one-minute record is due at once; the engine closes the minute at its first event after the minute's end, which in
/// the demo comes up to 30 simulated seconds later (0.5 s at the default speed; at speed 1 it is that wait that is
/// measured). With <c>--cold</c> the page cache is dropped before each start (root only), as after a boot. Prints every
/// round and min, median and max of both.
/// </summary>
public static class AgentStartBenchmark
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(60);

    /// <summary>Runs the benchmark; exit code 0, or 2 for bad arguments.</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        var numbers = args.Where(a => !a.StartsWith("--", StringComparison.Ordinal)).ToArray();
        var cold = args.Contains("--cold");
        var speed = args.FirstOrDefault(a => a.StartsWith("--speed=", StringComparison.Ordinal))?["--speed=".Length..] ?? "60";
        if (!DrainBenchmark.TryParse(numbers, 0, 5, out var rounds) || !DrainBenchmark.TryParse([speed], 0, 60, out var speedFactor))
        {
            Console.Error.WriteLine("agent-start: usage: agent-start [ROUNDS] [--speed=N] [--cold] (positive integers)");
            return 2;
        }

        using var broker = MosquittoBroker.Launch();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"agent-start: edgegw-agent on deploy/sample/simulation.json (simulator at speed {speedFactor}), Mosquitto on {MosquittoBroker.Host}:{broker.Port}, page cache {(cold ? "dropped before each start" : "warm")}, {Environment.ProcessorCount} cores, load average {DrainBenchmark.LoadAverage()}"));
        var seconds = new List<double>();
        var anySeconds = new List<double>();
        for (var round = 1; round <= rounds; round++)
        {
            var gateway = $"gw-start-{round}";
            await using var subscriber = await RecordSubscriber.ConnectAsync(broker, gateway, confirm: true);
            using var run = new AgentRun(gateway, broker.Port, speedFactor);
            run.Settings["SimulationStart"] = AgentRun.SimulationStart.AddMilliseconds(-100).ToString("O", CultureInfo.InvariantCulture);
            var note = cold ? $" ({OutboxOpenBenchmark.DropPageCache()})" : "";
            var watch = Stopwatch.StartNew();
            var agent = run.Start();
            double? firstAny = null;
            while (!HasKpiRecord(subscriber))
            {
                if (firstAny is null && subscriber.Snapshot().Seqs.Count > 0)
                {
                    firstAny = watch.Elapsed.TotalSeconds;
                }

                if (agent.HasExited || watch.Elapsed > s_timeout)
                {
                    Console.Error.WriteLine($"agent-start: no record within {watch.Elapsed.TotalSeconds:F0} s; the agent said:\n{agent.Tail()}");
                    return 1;
                }

                await Task.Delay(5);
            }

            var elapsed = watch.Elapsed.TotalSeconds;
            seconds.Add(elapsed);
            anySeconds.Add(firstAny ?? elapsed);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"round {round}: first KPI record at the subscriber {elapsed:F3} s after the process started (the first record, a state record: {firstAny ?? elapsed:F3} s){note}"));
            await agent.StopAsync();
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"start-up to first published record: min {anySeconds.Min():F3} s, median {DrainBenchmark.Median(anySeconds):F3} s, max {anySeconds.Max():F3} s over {rounds} rounds"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"start-up to first published KPI record: min {seconds.Min():F3} s, median {DrainBenchmark.Median(seconds):F3} s, max {seconds.Max():F3} s over {rounds} rounds"));
        return 0;
    }

    /// <summary>Whether a KPI record (one with a window; state records have none) has arrived.</summary>
    private static bool HasKpiRecord(RecordSubscriber subscriber) =>
        subscriber.Payloads().Values.Any(payload => payload.AsSpan().IndexOf("\"window\""u8) >= 0);
}
