using System.Threading.Channels;
using EdgeGateway.Agent.Control;
using EdgeGateway.Agent.Hosting;
using EdgeGateway.Agent.Outbox;
using EdgeGateway.Agent.Pipeline;
using EdgeGateway.Agent.Publishing;
using EdgeGateway.Agent.Status;
using EdgeGateway.Agent.Watchdog;
using EdgeGateway.Core;
using EdgeGateway.Core.Configuration;
using EdgeGateway.Core.Payload;
using EdgeGateway.Core.Signals;
using EdgeGateway.Hosting;
using EdgeGateway.Sensors.Sources;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace EdgeGateway.Agent;

/// <summary>
/// <c>edgegw-agent [--config FILE] [--Agent:Key=value …]</c> (or <c>--help</c>, <c>--version</c>): the gateway's worker service. Config comes from the
/// file (default <c>/etc/edgegw/edgegw.json</c>, or <c>EDGEGW_CONFIG</c>); its <c>Agent</c> section may be overridden
/// by environment variables (<c>EDGEGW_Agent__Mqtt__Password</c>) and the command line. Everything is validated
/// before anything runs; every problem is one line on stderr, and the exit code is 2.
/// </summary>
public static class Program
{
    /// <summary>Exit code for a bad config.</summary>
    public const int ConfigError = ExitCodes.BadInput;

    private const string Name = "edgegw-agent";

    /// <summary>Where the config is when nothing says otherwise.</summary>
    public const string DefaultConfigPath = "/etc/edgegw/edgegw.json";

    private static readonly ServiceCommandLine s_commandLine = new(
        Name,
        "the gateway's KPI agent: reads the cells' signals, computes their KPI windows and delivers them through its outbox to the MQTT broker.",
        "Agent",
        "EDGEGW_CONFIG",
        DefaultConfigPath);

    public static async Task<int> Main(string[] args)
    {
        var (configPath, rest) = ConfigArgument.Split(args, Environment.GetEnvironmentVariable("EDGEGW_CONFIG"), DefaultConfigPath);
        if (s_commandLine.TryAnswer(rest, Console.Out))
        {
            return ExitCodes.Stopped;
        }

        if (ConfigFile.TryRead(configPath, out var unreadable) is not { } bytes)
        {
            return Fail($"{configPath}: {unreadable}");
        }

        // Everything the agent needs is read and checked before the host runs, in one place that edgegw config validate
        // shares, so that a bad config is a line per problem on stderr and exit code 2, not a host failure in the log.
        var config = AgentConfigCheck.Check(bytes, configPath, rest);
        if (config is not { Gateway: { } gateway, Options: { } options, Configuration: { } configuration })
        {
            return Fail([.. config.Problems.Select(p => p.ToString())]);
        }

        var builder = ServiceHost.CreateBuilder(rest, configuration);
        builder.Services.AddSingleton(Options.Create(options));
        ComposePipeline(builder.Services, gateway, new ConfigFingerprint(ConfigSha256.Hex(bytes)));
        var host = builder.Build();

        // The source is created (and the hardware opened) before anything runs, so that a missing chip is one line and
        // its exit code (1: not a config problem, the chip may come back), not a host failure in the log.
        try
        {
            host.Services.GetRequiredService<ISignalSource>();
        }
        catch (HardwareMissingException e)
        {
            host.Dispose();
            Console.Error.WriteLine($"{Name}: {e.Message}");
            return ExitCodes.Fatal;
        }

        return await ServiceRun.RunAsync(host, Name, KnownCause).ConfigureAwait(false);
    }

    /// <summary>
    /// The fatal conditions whose cause is known, each one line without a stack: the outbox's disk (exit 1: the
    /// service manager may restart the agent, and a folder still unusable then is refused at start with exit 2), and
    /// a bad input file found while running (exit 2).
    /// </summary>
    internal static FatalCause? KnownCause(Exception e) => e switch
    {
        OutboxUnavailableException => new FatalCause(ExitCodes.Fatal, e.Message),
        InputException input => new FatalCause(ExitCodes.BadInput, input.Message),
        _ => null,
    };

    /// <summary>
    /// Registers the options bound from <paramref name="configuration"/> and validated by the host at start (with the
    /// validators of <see cref="AgentConfigCheck"/>), and the pipeline: for a host built without the program's check (tests).
    /// </summary>
    internal static void Compose(IServiceCollection services, IConfiguration configuration, GatewayConfig gateway, ConfigFingerprint fingerprint)
    {
        services.AddOptions<AgentOptions>()
            .Bind(configuration.GetSection("Agent"), binder => binder.ErrorOnUnknownConfiguration = true)
            .ValidateOnStart();
        foreach (var validator in AgentConfigCheck.Validators())
        {
            services.AddSingleton(validator);
        }

        ComposePipeline(services, gateway, fingerprint);
    }

    /// <summary>Registers the pipeline: source → channel → engine → encoder → outbox → publisher, plus status and remote commands.</summary>
    internal static void ComposePipeline(IServiceCollection services, GatewayConfig gateway, ConfigFingerprint fingerprint)
    {
        services.AddSingleton(gateway);
        services.AddSingleton(fingerprint);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<AgentState>();
        services.AddSingleton(sp => new HostReadings(sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => Channel.CreateBounded<SignalEvent>(new BoundedChannelOptions(sp.GetRequiredService<IOptions<AgentOptions>>().Value.EventQueueCapacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        }));
        services.AddSingleton<IOutbox>(sp => new SegmentOutbox(
            Options.Create(sp.GetRequiredService<IOptions<AgentOptions>>().Value.Outbox),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<SegmentOutbox>>()));
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<AgentOptions>>().Value;
            return new TopicScheme(options.Mqtt.TopicPrefix, gateway.Site, options.GatewayId);
        });
        services.AddSingleton(sp => new RecordEncoder(
            gateway,
            sp.GetRequiredService<TopicScheme>(),
            sp.GetRequiredService<IOptions<AgentOptions>>().Value.GatewayId,
            sp.GetRequiredService<IOutbox>()));

        services.AddSingleton<ControlQueue>();
        services.AddSingleton<ControlHandler>();
        services.AddHostedService<ControlSocketServer>();

        services.AddSignalSource(gateway);
        services.AddHostedService<SourceWorker>();
        services.AddHostedService<EngineWorker>();
        services.AddSingleton<StatusMessages>();
        services.AddHostedService<MqttPublisher>();
        services.AddHostedService<StatusWriter>();
        services.AddSingleton<PipelineLiveness>();
        services.AddHostedService<WatchdogFeeder>();
    }


    private static int Fail(params string[] problems)
    {
        foreach (var problem in problems)
        {
            Console.Error.WriteLine($"{Name}: {problem}");
        }

        return ConfigError;
    }
}
