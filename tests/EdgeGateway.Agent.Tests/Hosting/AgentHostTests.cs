using System.Collections.Concurrent;
using System.Device.Gpio;
using System.Text;
using EdgeGateway.Agent.Hosting;
using EdgeGateway.Agent.Publishing;
using EdgeGateway.Core.Configuration;
using EdgeGateway.Sensors.Sources;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EdgeGateway.Agent.Tests.Hosting;

/// <summary>
/// The agent as the process composes it (<see cref="Program.Compose"/>), in this process, reading a simulated GPIO chip
/// and I2C bus: the hardware source logs through the host's logging, and the host disposes what it opened; the host
/// checks the options as the program does before it starts them.
/// </summary>
public sealed class AgentHostTests : IDisposable
{
    private const string Json = """
        {
          "EdgeGateway": {
            "Site": "site-1",
            "TimeZone": "Europe/Amsterdam",
            "Cells": [
              {
                "Id": "cell-1",
                "IdealCycleSeconds": 30,
                "Signals": {
                  "green": { "Role": "StateRun", "Source": "gpio:17", "ActiveLow": true, "Pull": "Up" },
                  "power": { "Role": "PowerKw", "Source": "i2c:1:0x48/ads1115:a0-a1", "CtRatio": 2000, "BurdenOhms": 33, "PowerFactor": 0.85 }
                },
                "Shifts": [ { "Days": "Mon-Fri", "Start": "06:00", "End": "22:00" } ]
              }
            ]
          }
        }
        """;

    private readonly string _dir = Directory.CreateTempSubdirectory("edgegw-agent-hosting-").FullName;
    private readonly SimulatedGpioDriver _gpio = new();
    private readonly SimulatedI2cBus _i2c = new(); // no chip at 0x48: the ADC is missing, a sensor fault
    private readonly Captured _log = new();

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task SensorFaultOnTheSimulatedBus_IsInTheAgentsLog_AndTheHostDisposesTheHardwareAtStop()
    {
        var opened = new List<HardwareInput>();
        using (var host = Build(inputs =>
        {
            opened.AddRange(inputs);
            return new HardwareAccess(new GpioController(_gpio), _i2c.Open, ownsGpio: true);
        }))
        {
            await host.StartAsync();
            await Poll.Until(() => _log.Has(2101), TimeSpan.FromSeconds(15), "the sensor fault in the agent's log", () => string.Join('\n', _log.Lines));

            var fault = Assert.Single(_log.Lines, l => l.Id == 2101);
            Assert.Equal(typeof(HardwareSignalSource).FullName, fault.Category);
            Assert.Equal(LogLevel.Warning, fault.Level);
            Assert.Contains("Sensor fault on power (i2c:1:0x48/ads1115:a0-a1): cannot open the ADS1115 at i2c:1:0x48", fault.Message, StringComparison.Ordinal);
            Assert.Equal(["green", "power"], opened.Select(i => i.Name));
            Assert.True(_gpio.IsOpen(17), "the source reads gpio:17");

            await host.StopAsync();
            Assert.False(_gpio.Disposed, "the GPIO controller is disposed with the host, not before");
        }

        Assert.True(_gpio.Disposed, "the host did not dispose the GPIO controller the hardware source was given");
        Assert.False(_gpio.IsOpen(17), "gpio:17 is still open");
        Assert.Contains(_log.Lines, l => l.Id == 2107);
    }

    [Fact]
    public async Task AnOutboxFolderThatIsAFile_StopsTheStart_WithTheLineTheProgramPrints()
    {
        var file = Path.Combine(_dir, "not-a-folder");
        File.WriteAllText(file, "");
        using var host = Build(_ => throw new InvalidOperationException("no hardware is opened when the options are bad"), ("Agent:Outbox:Directory", file));

        var invalid = await Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(() => host.StartAsync());

        Assert.Equal($"Agent:Outbox:Directory: '{file}' cannot hold the outbox: it is a file, not a directory", Assert.Single(invalid.Failures));
    }

    private IHost Build(HardwareOpener openHardware, params (string Key, string Value)[] settings)
    {
        var gateway = ConfigReader.Read(Encoding.UTF8.GetBytes(Json), "edgegw.json");
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Agent:GatewayId"] = "gw-1",
            ["Agent:Source"] = "Sensors",
            ["Agent:StatusFile"] = Path.Combine(_dir, "status.json"),
            ["Agent:Outbox:Directory"] = Path.Combine(_dir, "outbox"),
            ["Agent:Mqtt:Host"] = "127.0.0.1",
            ["Agent:Mqtt:Port"] = "1", // nobody listens: the publisher retries, which does not matter here
        });
        builder.Configuration.AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key, (string?)s.Value)));
        builder.Logging.AddProvider(_log).SetMinimumLevel(LogLevel.Debug);
        builder.Services.AddSingleton(openHardware);
        Program.Compose(builder.Services, builder.Configuration, gateway, new ConfigFingerprint("test"));
        return builder.Build();
    }

    /// <summary>Every log entry of every category, with its event id.</summary>
    private sealed class Captured : ILoggerProvider
    {
        private readonly ConcurrentQueue<(string Category, LogLevel Level, int Id, string Message)> _lines = new();

        public IReadOnlyList<(string Category, LogLevel Level, int Id, string Message)> Lines => [.. _lines];

        public bool Has(int id) => _lines.Any(l => l.Id == id);

        public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

        public void Dispose()
        {
        }

        private sealed class Logger(Captured owner, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                owner._lines.Enqueue((category, logLevel, eventId.Id, formatter(state, exception)));
        }
    }
}
