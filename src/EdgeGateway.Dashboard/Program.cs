using EdgeGateway.Core;
using EdgeGateway.Core.Configuration;
using EdgeGateway.Dashboard.Access;
using EdgeGateway.Dashboard.Hosting;
using EdgeGateway.Hosting;

namespace EdgeGateway.Dashboard;

/// <summary>
/// <c>edgegw-dashboard --config FILE [--Dashboard:Key=value …]</c>: the programme dashboard; <c>… user add NAME --role
/// ROLE [--site SITE]</c> (password from the first line of stdin), <c>user remove NAME</c>, <c>user list</c>; <c>--help</c>,
/// <c>--version</c> (src/docs/dashboard.md). Exit codes: 0 stopped or done, 1 fatal error while running, 2 bad input.
/// </summary>
public static class Program
{
    /// <summary>Stopped on request, or a user command done (the services' exit codes, src/Shared/ServiceRun.cs).</summary>
    public const int Done = ExitCodes.Stopped;

    /// <summary>A fatal error while running (e.g. the port is taken).</summary>
    public const int Fatal = ExitCodes.Fatal;

    /// <summary>A bad config, argument or input file.</summary>
    public const int BadInput = ExitCodes.BadInput;

    /// <summary>Where the config is when nothing says otherwise.</summary>
    public const string DefaultConfigPath = "/etc/edgegw/dashboard.json";

    private const string Name = "edgegw-dashboard";

    public static async Task<int> Main(string[] args)
    {
        var (configPath, rest) = ConfigArgument.Split(args, Environment.GetEnvironmentVariable("EDGEGW_DASHBOARD_CONFIG"), DefaultConfigPath);
        if (rest.Any(a => a is "--help" or "-h" or "-?"))
        {
            Console.Out.Write(Help);
            return Done;
        }

        if (rest.Contains("--version"))
        {
            Console.Out.WriteLine($"{Name} {typeof(Program).Assembly.GetName().Version}");
            return Done;
        }

        var userCommand = Array.IndexOf(rest, "user");
        var overrides = userCommand < 0 ? rest : rest[..userCommand];
        if (overrides.FirstOrDefault(a => !a.StartsWith("--Dashboard:", StringComparison.OrdinalIgnoreCase)) is { } unknown)
        {
            return Fail([$"'{InputText.Quote(unknown)}': unknown argument (see --help)"]);
        }

        var problems = new List<string>();
        var settings = DashboardSettings.Load(configPath, overrides, problems);
        if (settings is null)
        {
            return Fail(problems);
        }

        if (userCommand >= 0)
        {
            return UserCommand(rest[(userCommand + 1)..], new UsersFile(settings.UsersPath), Console.In, Console.Out, Console.Error);
        }

        WebApplication app;
        try
        {
            app = DashboardApp.Build(settings);
            await app.StartAsync();
        }
        catch (IOException e)
        {
            // Kestrel: the address is in use or cannot be bound.
            return Fail([$"Dashboard:Urls: cannot listen on {settings.Options.Urls}: {e.Message}"], Fatal);
        }

        Console.Out.WriteLine($"{Name}: ready on {string.Join(", ", app.Urls)} (InfluxDB {settings.InfluxUrl}, database {settings.Options.Database}; register {settings.RegisterPath}; users {settings.UsersPath})");
        await app.WaitForShutdownAsync();
        return Done;
    }

    /// <summary><c>user add NAME --role ROLE [--site SITE]</c>, <c>user remove NAME</c>, <c>user list</c>.</summary>
    internal static int UserCommand(string[] args, UsersFile users, TextReader stdin, TextWriter stdout, TextWriter stderr)
    {
        try
        {
            switch (args)
            {
                case ["add", var name, .. var options]:
                    var role = DashboardUser.ParseRole(Option(options, "--role")) ?? throw new ArgumentException($"--role: '{InputText.Quote(Option(options, "--role") ?? "")}' is not evaluator, sme or admin");
                    var password = stdin.ReadLine() ?? throw new ArgumentException("no password on stdin (its first line)");
                    var user = users.Set(name, role, Option(options, "--site"), password);
                    stdout.WriteLine($"{Name}: user {user.Name} ({DashboardUser.RoleName(user.Role)}{(user.Site is null ? "" : $", site {user.Site}")}) saved in {users.Path}");
                    return Done;
                case ["remove", var name]:
                    if (!users.Remove(name))
                    {
                        throw new ArgumentException($"no user '{InputText.Quote(name)}' in {users.Path}");
                    }

                    stdout.WriteLine($"{Name}: user {name} removed from {users.Path}");
                    return Done;
                case ["list"]:
                    foreach (var u in users.Users())
                    {
                        stdout.WriteLine($"{u.Name}\t{DashboardUser.RoleName(u.Role)}\t{u.Site ?? "-"}");
                    }

                    return Done;
                default:
                    throw new ArgumentException("usage: user add NAME --role evaluator|sme|admin [--site SITE] (password on stdin) | user remove NAME | user list");
            }
        }
        catch (ArgumentException e)
        {
            stderr.WriteLine($"{Name}: user: {e.Message}");
            return BadInput;
        }
        catch (InputException e)
        {
            stderr.WriteLine($"{Name}: {e.Message}");
            return BadInput;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A full disk, a missing or read-only folder: the users stay as they were (the file is replaced whole or not at all).
            stderr.WriteLine($"{Name}: user: cannot save {users.Path}: {StorageErrors.Reason(e)}");
            return Fatal;
        }
    }

    private static string? Option(string[] options, string name)
    {
        var i = Array.IndexOf(options, name);
        if (i >= 0 && i + 1 >= options.Length)
        {
            throw new ArgumentException($"{name} needs a value");
        }

        if (options.FirstOrDefault(o => o.StartsWith("--", StringComparison.Ordinal) && o is not ("--role" or "--site")) is { } unknown)
        {
            throw new ArgumentException($"'{InputText.Quote(unknown)}': unknown option");
        }

        return i < 0 ? null : options[i + 1];
    }

    private static int Fail(IEnumerable<string> problems, int code = BadInput)
    {
        foreach (var problem in problems)
        {
            Console.Error.WriteLine($"{Name}: {problem}");
        }

        return code;
    }

    private const string Help = """
        edgegw-dashboard: the programme dashboard: evaluators see the programme's data and evaluation live, SMEs their own site.

        Usage: edgegw-dashboard [--config FILE] [--Dashboard:KEY=VALUE ...]
               edgegw-dashboard [--config FILE] user add NAME --role evaluator|sme|admin [--site SITE]   (password: first line of stdin)
               edgegw-dashboard [--config FILE] user remove NAME | user list
               edgegw-dashboard --help | --version

        Config: a JSON file with a Dashboard section (Urls, InfluxUrl, Database, InfluxToken, Register, Users, KeysDirectory,
          From, To, Title, PeriodDays, Bootstrap, Seed, DataCheckSeconds, SignInAttemptsPerMinute, SessionMinutes,
          KnownProxies), read from FILE, else from the file $EDGEGW_DASHBOARD_CONFIG names, else from
          /etc/edgegw/dashboard.json; paths relative to the file's folder. EDGEGW_Dashboard__KEY environment variables
          and --Dashboard:KEY=VALUE arguments override it. Every problem is one line on stderr.

        Exit codes:
          0  stopped on request (SIGTERM, SIGINT), or a user command done; also after --help and --version
          1  a fatal error while running (e.g. the address is in use)
          2  a bad config, argument, register or users file

        """;
}
