using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Options;

namespace EdgeGateway.Hosting;

/// <summary>
/// The host start-up both services share, in the spirit of eShop's ServiceDefaults: the configuration they read and
/// checked before, logging from its <c>Logging</c> section on one console line per entry (the journal's format under
/// systemd), failures left to <see cref="ServiceRun"/>, and systemd's start-up notification and stop signal.
/// </summary>
internal static class ServiceHost
{
    /// <summary>A host builder over <paramref name="configuration"/>; <paramref name="args"/> are those besides <c>--config FILE</c>.</summary>
    public static HostApplicationBuilder CreateBuilder(string[] args, IConfiguration configuration)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = args, DisableDefaults = true, ContentRootPath = AppContext.BaseDirectory });
        builder.Configuration.AddConfiguration(configuration);
        builder.Logging.AddConfiguration(builder.Configuration.GetSection("Logging")).AddSimpleConsole(o => o.SingleLine = true).LeaveFailuresToServiceRun();
        builder.Services.AddSystemd();
        if (SystemdReadiness.IsNeeded)
        {
            builder.Services.AddHostedService<SystemdReadiness>();
        }

        return builder;
    }

    /// <summary>
    /// The options <typeparamref name="T"/> as the host binds and validates them: the binding and validators that
    /// <c>ValidateOnStart</c> applies, so that a service checks its options in one place, before it starts. Null when
    /// they cannot be used, with one line per problem added to <paramref name="problems"/>.
    /// </summary>
    public static T? Options<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicParameterlessConstructor)] T>(IServiceProvider services, List<string> problems)
        where T : class
    {
        try
        {
            return services.GetRequiredService<IOptions<T>>().Value;
        }
        catch (OptionsValidationException e)
        {
            problems.AddRange(e.Failures.Select(ByConfigKey));
        }
        catch (InvalidOperationException e)
        {
            // The binder: a value that does not convert to its key's type (the message names the key).
            problems.Add(e.Message);
        }

        return null;
    }

    /// <summary>
    /// A DataAnnotations failure said by the key, like every other line: its validators name a key by the options'
    /// type path (<c>MaxInFlight: The field AgentOptions.Mqtt.MaxInFlight must be between 1 and 1000.</c> becomes
    /// <c>Agent:Mqtt:MaxInFlight must be between 1 and 1000</c>). String work, not Regex: the agent's memory budget.
    /// </summary>
    internal static string ByConfigKey(string failure)
    {
        const string field = "The field ";
        const string required = " field is required.";
        var colon = failure.IndexOf(": ", StringComparison.Ordinal);
        var text = colon < 0 ? failure : failure[(colon + 2)..];
        if (text.StartsWith(field, StringComparison.Ordinal) && text.IndexOf(' ', field.Length) is var end and > 0)
        {
            return Key(text[field.Length..end]) + text[end..].TrimEnd('.');
        }

        return text.StartsWith("The ", StringComparison.Ordinal) && text.EndsWith(required, StringComparison.Ordinal)
            ? $"{Key(text[4..^required.Length])} is required"
            : failure;

        // AgentOptions.Mqtt.Port → Agent:Mqtt:Port
        static string Key(string path)
        {
            var dot = path.IndexOf('.', StringComparison.Ordinal);
            var root = dot < 0 ? path : path[..dot];
            return root.EndsWith("Options", StringComparison.Ordinal)
                ? root[..^"Options".Length] + (dot < 0 ? "" : ":" + path[(dot + 1)..].Replace('.', ':'))
                : path;
        }
    }
}
