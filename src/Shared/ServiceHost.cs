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
            problems.AddRange(e.Failures);
        }
        catch (InvalidOperationException e)
        {
            // The binder: a value that does not convert to its key's type (the message names the key).
            problems.Add(e.Message);
        }

        return null;
    }
}
