using Microsoft.Extensions.Options;

namespace EdgeGateway.Hosting;

/// <summary>The exit codes of <c>edgegw-agent</c> and <c>edgegw-ingest</c> (src/docs/agent.md and src/docs/ingest.md, "Exit codes").</summary>
internal static class ExitCodes
{
    /// <summary>Stopped on request (SIGTERM, SIGINT).</summary>
    public const int Stopped = 0;

    /// <summary>A fatal error while running: the service manager may restart the program.</summary>
    public const int Fatal = 1;

    /// <summary>A bad config, argument or input file, or a folder that cannot be used: restarting cannot help.</summary>
    public const int BadInput = 2;
}

/// <summary>How a known fatal condition ends the program: its exit code and the one line that says what and where.</summary>
internal readonly record struct FatalCause(int ExitCode, string Line);

/// <summary>
/// Runs a built host to its end and turns how it ended into the exit code and one line on stderr. The host's own
/// <c>BackgroundServiceExceptionBehavior.StopHost</c> stops the host when a service fails but leaves the exit code at 0,
/// which a service manager reads as success; and it logs the failure with its stack even when the cause is known.
/// </summary>
internal static class ServiceRun
{
    // The host logs a failed service (and a failed start) with its stack under this category; ServiceRun reports both.
    private const string HostCategory = "Microsoft.Extensions.Hosting.Internal.Host";

    /// <summary>Leaves the reporting of a failed service or start to <see cref="RunAsync"/>.</summary>
    public static ILoggingBuilder LeaveFailuresToServiceRun(this ILoggingBuilder logging) => logging.AddFilter(HostCategory, LogLevel.None);

    /// <summary>
    /// Starts <paramref name="host"/> and waits until it stops. Returns 0 (or what a service set in
    /// <see cref="Environment.ExitCode"/>) for a requested stop; otherwise writes <c>{name}: {line}</c> to stderr and
    /// returns the cause's exit code: <paramref name="knownCause"/>'s, <see cref="ExitCodes.BadInput"/> for options that
    /// fail validation, else <see cref="ExitCodes.Fatal"/> with the exception and its stack (a bug to look into).
    /// </summary>
    public static async Task<int> RunAsync(IHost host, string name, Func<Exception, FatalCause?> knownCause, TextWriter? stderr = null)
    {
        Exception? failure = null;
        var started = false;
        BackgroundService[] services = [];
        try
        {
            // Resolved here rather than in StartAsync so that a service's failed construction is reported the same way.
            services = [.. host.Services.GetServices<IHostedService>().OfType<BackgroundService>()];
            using var whenStarted = host.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStarted.Register(() => started = true);
            await host.RunAsync().ConfigureAwait(false);
        }
        catch (Exception e)
        {
            failure = e;
        }
        finally
        {
            host.Dispose();
        }

        var where = started ? "stopping" : "the start";
        foreach (var service in services)
        {
            if (failure is null && service.ExecuteTask is { IsFaulted: true } task)
            {
                (failure, where) = (task.Exception, service.GetType().Name);
            }
        }

        if (failure is null)
        {
            return Environment.ExitCode;
        }

        var cause = Describe(failure, where, knownCause);
        (stderr ?? Console.Error).WriteLine($"{name}: {cause.Line}");
        return cause.ExitCode;
    }

    /// <summary>The first known cause in <paramref name="failure"/>'s chain, or the whole exception as a fatal error of <paramref name="where"/>.</summary>
    internal static FatalCause Describe(Exception failure, string where, Func<Exception, FatalCause?> knownCause)
    {
        var pending = new Stack<Exception>();
        pending.Push(failure);
        while (pending.TryPop(out var e))
        {
            if (knownCause(e) is { } known)
            {
                return known;
            }

            switch (e)
            {
                case OptionsValidationException invalid:
                    return new FatalCause(ExitCodes.BadInput, string.Join("; ", invalid.Failures));
                case AggregateException aggregate:
                    for (var i = aggregate.InnerExceptions.Count - 1; i >= 0; i--)
                    {
                        pending.Push(aggregate.InnerExceptions[i]);
                    }

                    break;
                case { InnerException: { } inner }:
                    pending.Push(inner);
                    break;
            }
        }

        var single = failure is AggregateException { InnerExceptions.Count: 1 } one ? one.InnerExceptions[0] : failure;
        return new FatalCause(ExitCodes.Fatal, $"{where} failed unexpectedly: {single}");
    }
}
