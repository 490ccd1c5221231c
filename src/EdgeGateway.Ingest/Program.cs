using EdgeGateway.Core;
using EdgeGateway.Core.Configuration;
using EdgeGateway.Hosting;
using EdgeGateway.Ingest.Batching;
using EdgeGateway.Ingest.Confirmation;
using EdgeGateway.Ingest.DeadLetter;
using EdgeGateway.Ingest.Hosting;
using EdgeGateway.Ingest.Status;
using EdgeGateway.Ingest.Subscription;
using EdgeGateway.Ingest.Writing;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace EdgeGateway.Ingest;

/// <summary>
/// <c>edgegw-ingest [--config FILE] [--Ingest:Key=value …]</c> (or <c>--help</c>, <c>--version</c>): the backend's ingest worker. Config comes from the file
/// (default <c>/etc/edgegw/ingest.json</c>, or <c>EDGEGW_INGEST_CONFIG</c>), its <c>Ingest</c> section may be overridden
/// by environment variables (<c>EDGEGW_Ingest__Influx__Password</c>) and the command line. Everything is validated
/// before anything runs; every problem is one line on stderr, and the exit code is 2.
/// </summary>
public static class Program
{
    /// <summary>Exit code for a bad config.</summary>
    public const int ConfigError = ExitCodes.BadInput;

    /// <summary>Where the config is when nothing says otherwise.</summary>
    public const string DefaultConfigPath = "/etc/edgegw/ingest.json";

    private const string Name = "edgegw-ingest";

    private static readonly ServiceCommandLine s_commandLine = new(
        Name,
        "the backend's ingest: takes the gateways' records from the MQTT broker, checks them, writes them to InfluxDB and confirms what is stored.",
        IngestOptions.Section,
        "EDGEGW_INGEST_CONFIG",
        DefaultConfigPath);

    public static async Task<int> Main(string[] args)
    {
        var (configPath, rest) = ConfigArgument.Split(args, Environment.GetEnvironmentVariable("EDGEGW_INGEST_CONFIG"), DefaultConfigPath);
        if (s_commandLine.TryAnswer(rest, Console.Out))
        {
            return ExitCodes.Stopped;
        }

        var problems = new List<ConfigProblem>();
        var (configuration, document) = IngestConfiguration.Load(configPath, rest, problems);
        if (configuration is null || document is null)
        {
            return Fail(problems.OrderBy(problem => problem.Line));
        }

        var builder = ServiceHost.CreateBuilder(rest, configuration);
        Compose(builder.Services, builder.Configuration);
        var host = builder.Build();
        var optionProblems = new List<string>();
        var options = ServiceHost.Options<IngestOptions>(host.Services, optionProblems);

        // The dead letters' folder is checked now, not at the first bad message, days later.
        if (options is not null && StorageErrors.DirectoryProblem(options.DeadLetterDirectory, create: false) is { } folder)
        {
            optionProblems.Add($"Ingest:DeadLetterDirectory: '{options.DeadLetterDirectory}' cannot hold dead letters: {folder}");
        }

        // The fleet file too, and only here: the pipeline gets the fleet read now (a singleton).
        if (options is not null)
        {
            try
            {
                host.Services.GetRequiredService<IngestFleet>();
            }
            catch (InputException e)
            {
                optionProblems.Add($"Ingest:FleetFile: {e.Message}");
            }
        }

        if (optionProblems.Count > 0)
        {
            host.Dispose();
            return Fail([.. optionProblems.Select(problem => document.OptionsProblem(IngestOptions.Section, problem)).OrderBy(problem => problem.Line)]);
        }

        // A failed service stops the ingest with exit code 1 and one line; the broker redelivers what was not acknowledged.
        return await ServiceRun.RunAsync(host, Name, static _ => null).ConfigureAwait(false);
    }

    private static int Fail(IEnumerable<ConfigProblem> problems)
    {
        foreach (var problem in problems)
        {
            Console.Error.WriteLine($"{Name}: {problem}");
        }

        return ConfigError;
    }

    /// <summary>
    /// Registers the ingest: MQTT session and subscriber → pipeline (validation, batches, dead letters) → point writer,
    /// plus the status log. A writer, publisher or time provider registered before stays (tests, benchmarks).
    /// </summary>
    internal static void Compose(IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<IngestOptions>()
            .Bind(configuration.GetSection(IngestOptions.Section), binder => binder.ErrorOnUnknownConfiguration = true)
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<IngestOptions>, IngestOptionsAnnotations>();
        services.AddSingleton<IValidateOptions<IngestOptions>, IngestOptionsValidator>();

        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<IngestCounters>();
        services.AddSingleton(sp => new MqttSession(sp.GetRequiredService<IOptions<IngestOptions>>().Value.Mqtt, sp.GetRequiredService<IngestCounters>()));
        services.TryAddSingleton<IBrokerPublisher>(sp => sp.GetRequiredService<MqttSession>());
        services.TryAddSingleton<IPointWriter>(sp =>
        {
            var influx = sp.GetRequiredService<IOptions<IngestOptions>>().Value.Influx;
            return influx.Version == InfluxApiVersion.V2
                ? new InfluxV2Writer(influx)
                : new InfluxV1Writer(influx, sp.GetRequiredService<TimeProvider>());
        });
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<IngestOptions>>().Value;
            return new DeadLetterSink(sp.GetRequiredService<IBrokerPublisher>(), options.Mqtt.TopicPrefix, options.DeadLetterDirectory, sp.GetRequiredService<ILogger<DeadLetterSink>>());
        });
        services.AddSingleton(sp => new DeliveryConfirmer(
            sp.GetRequiredService<IBrokerPublisher>(),
            sp.GetRequiredService<IOptions<IngestOptions>>().Value.Mqtt.ConfirmTopicPrefix,
            sp.GetRequiredService<IngestCounters>(),
            sp.GetRequiredService<ILogger<DeliveryConfirmer>>()));
        services.AddSingleton(sp => new IngestFleet(sp.GetRequiredService<IOptions<IngestOptions>>().Value.FleetFile));
        services.AddSingleton(sp => new IngestPipeline(
            sp.GetRequiredService<IOptions<IngestOptions>>().Value,
            sp.GetRequiredService<IPointWriter>(),
            sp.GetRequiredService<DeadLetterSink>(),
            sp.GetRequiredService<DeliveryConfirmer>(),
            sp.GetRequiredService<IngestCounters>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<IngestPipeline>>(),
            sp.GetRequiredService<IngestFleet>().Fleet));

        // Started in this order and stopped in reverse: the pipeline drains and acknowledges before the subscriber disconnects,
        // and the status logger writes its last line after both, so that it counts everything.
        services.AddHostedService<StatusLogger>();
        services.AddHostedService<MqttSubscriber>();
        services.AddHostedService<PipelineWorker>();
    }

}
