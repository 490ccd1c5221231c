using System.Device.Gpio;
using System.Diagnostics;
using System.Globalization;
using System.Threading.Channels;
using BenchmarkDotNet.Attributes;
using EdgeGateway.Core.Signals;
using EdgeGateway.Sensors.Sources;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeGateway.Benchmarks;

/// <summary>
/// The cost of one second of sensor input in the polling loop (<see cref="SteadyStateInputs"/>: 4 current transformers
/// at 100 Hz and 8 digital inputs; with <see cref="Extras"/> also an INA219, a BME280 and an ADXL345), through the real
/// bindings against simulated chips on a manual clock. Time per operation ÷ 1 s is the share of one core that the
/// gateway's own code and the bindings take (the kernel's I2C transfers on a Pi come on top).
/// <c>dotnet run -c Release --project tests/EdgeGateway.Benchmarks -- --filter '*SensorPolling*'</c>.
/// </summary>
[MemoryDiagnoser]
public class SensorPollingBenchmarks
{
    private BusRig _rig = null!;
    private int _tick;

    [Params(false, true)]
    public bool Extras { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _rig = SteadyStateInputs.Rig(Extras);
        _rig.Start();
        for (_tick = 0; _tick < 500; _tick++)
        {
            SteadyStateInputs.Stimulate(_rig.Gpio, _tick);
            _rig.Tick();
        }
    }

    [GlobalCleanup]
    public void Cleanup() => _rig.Dispose();

    /// <summary>100 polls 10 ms apart with their edges: one simulated second.</summary>
    [Benchmark]
    public long OneSecondOfInput()
    {
        for (var i = 0; i < 100; i++)
        {
            SteadyStateInputs.Stimulate(_rig.Gpio, _tick++);
            _rig.Tick();
        }

        return _rig.Counted;
    }
}

/// <summary>
/// The same load in real time: <see cref="HardwareSignalSource.RunAsync"/> on <see cref="TimeProvider.System"/> with its
/// <see cref="PeriodicTimer"/>, GPIO edges raised from a timer thread (as libgpiod's event thread raises them), a
/// consumer draining the channel. Measures the process's CPU time and allocated bytes over a stretch of wall time,
/// and the same harness without the source (timer thread and idle consumer) as the baseline.
/// <c>dotnet run -c Release --project tests/EdgeGateway.Benchmarks -- sensors-cpu [SECONDS] [extras]</c>, or
/// <c>tests/EdgeGateway.Benchmarks/sensors-cpu.sh</c>.
/// </summary>
public static class SensorCpuMeasurement
{
    public static int Run(string[] args)
    {
        var seconds = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 60;
        var extras = args.Length > 1 && args[1] == "extras";
        var baseline = Measure(seconds, extras, withSource: false);
        var full = Measure(seconds, extras, withSource: true);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"load: 4 current transformers at 100 Hz + 8 digital inputs{(extras ? " + INA219, BME280, ADXL345" : "")}, {seconds} s of wall time, {Environment.ProcessorCount} cores"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"with the source:    {full.CpuPercent:0.00} % of one core, {full.AllocatedPerSecond:0} B/s allocated (whole process), {full.EventsPerSecond:0.0} events/s"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"harness only:       {baseline.CpuPercent:0.00} % of one core, {baseline.AllocatedPerSecond:0} B/s allocated"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"the source's share: {full.CpuPercent - baseline.CpuPercent:0.00} % of one core"));
        return 0;
    }

    private static (double CpuPercent, double AllocatedPerSecond, double EventsPerSecond) Measure(int seconds, bool extras, bool withSource)
    {
        var clock = TimeProvider.System;
        var gpio = new SimulatedGpioDriver();
        using var controller = new GpioController(gpio);
        var bus = new SimulatedI2cBus();
        SteadyStateInputs.AddChips(bus, clock, extras);
        var config = SteadyStateInputs.Config(extras);
        using var source = HardwareSignalSource.Create(config, new SignalMap(config), new HardwareAccess(controller, bus.Open), clock, NullLogger.Instance);
        var channel = Channel.CreateBounded<SignalEvent>(new BoundedChannelOptions(65_536) { SingleReader = true, SingleWriter = true });
        using var stop = new CancellationTokenSource();
        var run = withSource ? source.RunAsync(channel.Writer, stop.Token) : Task.CompletedTask;
        long events = 0;

        // No cancellation token on the wait: a bounded channel then reuses its waiter instead of allocating one per wait.
        var consumer = Task.Run(async () =>
        {
            while (await channel.Reader.WaitToReadAsync().ConfigureAwait(false))
            {
                while (channel.Reader.TryRead(out _))
                {
                    Interlocked.Increment(ref events);
                }
            }
        });
        var tick = 0;
        using (var edges = new Timer(_ => SteadyStateInputs.Stimulate(gpio, Interlocked.Increment(ref tick)), null, 10, 10))
        {
            // Warm-up: tiered JIT settles, windows fill.
            Thread.Sleep(5000);
            using var process = Process.GetCurrentProcess();
            process.Refresh();
            var cpuBefore = process.TotalProcessorTime;
            var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
            var eventsBefore = Interlocked.Read(ref events);
            var wall = Stopwatch.StartNew();
            Thread.Sleep(seconds * 1000);
            process.Refresh();
            var cpu = process.TotalProcessorTime - cpuBefore;
            var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
            var elapsed = wall.Elapsed.TotalSeconds;
            var counted = Interlocked.Read(ref events) - eventsBefore;
            stop.Cancel();
            run.GetAwaiter().GetResult();
            channel.Writer.TryComplete();
            consumer.GetAwaiter().GetResult();
            return (cpu.TotalSeconds / elapsed * 100, allocated / elapsed, counted / elapsed);
        }
    }
}
