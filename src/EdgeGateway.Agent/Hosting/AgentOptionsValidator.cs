using EdgeGateway.Agent.Outbox;
using EdgeGateway.Core.Configuration;
using EdgeGateway.Core.Kpi;
using Microsoft.Extensions.Options;

namespace EdgeGateway.Agent.Hosting;

/// <summary>Validates the DataAnnotations of the agent's options (and nested Mqtt, Outbox) without reflection (trimming-safe).</summary>
[OptionsValidator]
internal sealed partial class AgentOptionsAnnotations : IValidateOptions<AgentOptions>;

/// <summary>Rules across fields of the agent's options; each failure names the key.</summary>
internal sealed class AgentOptionsValidator : IValidateOptions<AgentOptions>
{
    public ValidateOptionsResult Validate(string? name, AgentOptions options)
    {
        var failures = new List<string>();
        // Checked here rather than with [RegularExpression]: Regex would cost the gateway 0.8 MB of resident memory.
        if (!Ids.IsValid(options.GatewayId))
        {
            failures.Add($"Agent:GatewayId: '{options.GatewayId}' is not an id ({Ids.Rule})");
        }

        if (options.Mqtt.TopicPrefix.AsSpan().ContainsAny('#', '+'))
        {
            failures.Add($"Agent:Mqtt:TopicPrefix: '{options.Mqtt.TopicPrefix}' must not contain the MQTT wildcards # or +");
        }

        if (!Enum.IsDefined(options.Source))
        {
            failures.Add($"Agent:Source: '{(int)options.Source}' is not one of {string.Join(", ", Enum.GetNames<EventSourceKind>())}");
        }

        if (options.Source == EventSourceKind.Trace && string.IsNullOrWhiteSpace(options.TracePath))
        {
            failures.Add("Agent:TracePath is required when Agent:Source is Trace");
        }

        if (options.SimulationEnd is { } end && options.SimulationStart is { } start && end <= start)
        {
            failures.Add($"Agent:SimulationEnd ({end:O}) must be after Agent:SimulationStart ({start:O})");
        }

        foreach (var window in options.Windows)
        {
            if (!WindowKinds.TryParse(window, out _))
            {
                failures.Add($"Agent:Windows: '{window}' is not one of 1m, shift, day, total");
            }
        }

        var mqtt = options.Mqtt;
        failures.AddRange(mqtt.Problems("Agent:Mqtt"));

        if (options.WindowCheckpointInterval < TimeSpan.FromSeconds(1) || options.WindowCheckpointInterval > TimeSpan.FromHours(1))
        {
            failures.Add($"Agent:WindowCheckpointInterval: {options.WindowCheckpointInterval} is out of range [00:00:01, 01:00:00]");
        }

        if (mqtt.ConfirmTimeout < TimeSpan.FromSeconds(1) || mqtt.ConfirmTimeout > TimeSpan.FromHours(1))
        {
            failures.Add($"Agent:Mqtt:ConfirmTimeout: {mqtt.ConfirmTimeout} is out of range [00:00:01, 01:00:00]");
        }

        if (mqtt.HeartbeatInterval < TimeSpan.FromSeconds(1) || mqtt.HeartbeatInterval > TimeSpan.FromHours(1))
        {
            failures.Add($"Agent:Mqtt:HeartbeatInterval: {mqtt.HeartbeatInterval} is out of range [00:00:01, 01:00:00]");
        }

        if (mqtt.MaxUnconfirmed < mqtt.MaxInFlight)
        {
            failures.Add($"Agent:Mqtt:MaxUnconfirmed ({mqtt.MaxUnconfirmed}) must be at least Agent:Mqtt:MaxInFlight ({mqtt.MaxInFlight})");
        }

        // The outbox states its own rules; the agent only prefixes the keys with its section.
        var outbox = new OutboxOptionsValidator().Validate(name, options.Outbox);
        if (outbox.Failed)
        {
            failures.AddRange(outbox.Failures.Select(failure => "Agent:" + failure));
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
