using EdgeGateway.Agent.Outbox;
using EdgeGateway.Agent.Publishing;
using EdgeGateway.Core;
using EdgeGateway.Core.Configuration;
using EdgeGateway.Core.Signals;
using EdgeGateway.Hosting;
using EdgeGateway.Sensors.Simulation;
using EdgeGateway.Sensors.Sources;
using Microsoft.Extensions.Options;

namespace EdgeGateway.Agent.Hosting;

/// <summary>
/// The agent's config as checked: usable when <see cref="Problems"/> is empty (then the others are set);
/// <see cref="HardwareInputs"/> counts the signals read from hardware.
/// </summary>
internal sealed record CheckedConfig(GatewayConfig? Gateway, AgentOptions? Options, IConfiguration? Configuration, IReadOnlyList<ConfigProblem> Problems)
{
    /// <summary>How many signals are read from hardware (those with a <c>Source</c>).</summary>
    public int HardwareInputs { get; init; }
}

/// <summary>
/// Everything the agent checks in its config before it starts, in one place, run by the agent at start and by
/// <c>edgegw config validate</c>: the file with the one config reader (gateway, cells, signals, every cell's
/// <c>Simulation</c> section), the <c>Agent</c> section as bound from the file, the environment (<c>EDGEGW_</c>) and the
/// command line (unknown keys, values of the wrong type, ranges, broker and TLS files, outbox folder, trace), and the
/// signals' hardware sources (pins, addresses, options; no hardware is opened). Every problem is collected, with the
/// line of its key: options problems get the line of the key they name, or of its nearest parent in the file.
/// The sources and simulation sections are checked whatever <c>Agent:Source</c> says: a file is valid or not as a whole.
/// </summary>
internal static class AgentConfigCheck
{
    /// <summary>The top-level sections of the agent's file besides <c>EdgeGateway</c>; any other is an unknown key.</summary>
    public static readonly string[] OtherSections = ["Agent", "Logging"];

    // What the Agent section may hold, to name unknown keys and bad enum values before the binder does.
    private static readonly OptionsKeys s_keys = OptionsKeys.Of<AgentOptions>(OptionsKeys.Of<MqttOptions>(), OptionsKeys.Of<OutboxOptions>());

    /// <summary>
    /// Checks the config file's <paramref name="bytes"/> (named <paramref name="path"/> in problems) with the
    /// environment and <paramref name="args"/> (<c>--Agent:Key=value</c>) over its <c>Agent</c> section.
    /// </summary>
    public static CheckedConfig Check(byte[] bytes, string path, string[] args)
    {
        ConfigDocument document;
        try
        {
            document = ConfigDocument.Parse(bytes, path);
        }
        catch (InputException e)
        {
            return new CheckedConfig(null, null, null, [ConfigProblem.Of(e)]);
        }

        var readProblems = new List<InputException>();
        var gateway = ConfigReader.Read(document.Root(readProblems), readProblems, OtherSections);
        var hardwareInputs = 0;
        if (gateway is not null)
        {
            hardwareInputs = HardwareInput.Check(gateway, new SignalMap(gateway), readProblems).Count;
            SimulationOptions.Check(gateway, readProblems);
        }

        var problems = readProblems.ConvertAll(ConfigProblem.Of);
        IConfiguration? configuration = null;
        AgentOptions? options = null;
        try
        {
            configuration = ConfigFile.Configuration(bytes, args);
        }
        catch (FormatException e)
        {
            // Only a file whose top level is not an object gets here, and the reader has said so already.
            problems.Add(new ConfigProblem(path, 1, "", e.Message));
        }

        if (configuration is not null)
        {
            var optionProblems = new List<string>();
            options = BindAndValidate(configuration.GetSection("Agent"), optionProblems);
            problems.AddRange(optionProblems.Select(p => document.OptionsProblem("Agent", p)));
        }

        // By line, then as found: the order in which an operator reads the file.
        problems = [.. problems.OrderBy(p => p.Line)];
        return problems.Count == 0
            ? new CheckedConfig(gateway, options, configuration, []) { HardwareInputs = hardwareInputs }
            : new CheckedConfig(null, null, null, problems);
    }

    /// <summary>The agent's options bound from <paramref name="section"/> and validated; null when they cannot be used.</summary>
    private static AgentOptions? BindAndValidate(IConfigurationSection section, List<string> problems)
    {
        var before = problems.Count;
        s_keys.Check(section, problems);
        var wrongKeys = problems.Count > before;
        var options = new AgentOptions();
        try
        {
            // Unknown keys were named above; with them the binder would stop at the first and hide the range problems.
            section.Bind(options, binder => binder.ErrorOnUnknownConfiguration = !wrongKeys);
        }
        catch (InvalidOperationException e)
        {
            // A value that does not convert to its key's type: said above by key when OptionsKeys knows the type.
            if (!wrongKeys)
            {
                problems.Add(e.Message);
            }

            return null;
        }

        var failures = new List<string>();
        foreach (var validator in Validators())
        {
            if (validator.Validate(Options.DefaultName, options) is { Failed: true } result)
            {
                failures.AddRange(result.Failures);
            }
        }

        problems.AddRange(failures.Select(ServiceHost.ByConfigKey));
        return problems.Count == before ? options : null;
    }

    /// <summary>The validators of the agent's options: DataAnnotations, the rules across keys, and the paths they name.</summary>
    internal static IValidateOptions<AgentOptions>[] Validators() => [new AgentOptionsAnnotations(), new AgentOptionsValidator(), new AgentPaths()];
}
