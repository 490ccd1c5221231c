using System.Globalization;
using System.Text;
using EdgeGateway.Core;
using EdgeGateway.Core.Traces;
using EdgeGateway.Dashboard.Access;
using EdgeGateway.Evaluation.Estimation;
using EdgeGateway.Evaluation.Register;
using EdgeGateway.Hosting;

namespace EdgeGateway.Dashboard.Hosting;

/// <summary>The config file read and checked: typed values, paths made absolute (relative to the file's folder).</summary>
public sealed record DashboardSettings(
    string ConfigPath,
    DashboardOptions Options,
    Uri InfluxUrl,
    string RegisterPath,
    string UsersPath,
    string KeysDirectory,
    DateOnly From,
    DateOnly? To)
{
    /// <summary>The window's end: <see cref="To"/>, or tomorrow (UTC) for a window that grows with the data.</summary>
    public DateOnly WindowEnd(TimeProvider time) => To ?? DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime).AddDays(1);

    /// <summary>The evaluation's options for the window ending at <paramref name="to"/>.</summary>
    public EvaluationOptions Evaluation(DateOnly to) => new(From, to, Options.PeriodDays, Options.Bootstrap, Options.Seed);

    /// <summary>
    /// Reads <paramref name="path"/> (JSON, section <c>Dashboard</c>) with <c>EDGEGW_</c> environment variables and
    /// <c>--Dashboard:Key=value</c> arguments over it, and checks every key, the register and the users file; each
    /// problem is one line in <paramref name="problems"/> (<c>FILE: Dashboard:Key: what</c>). Null when there are any.
    /// </summary>
    public static DashboardSettings? Load(string path, string[] overrides, List<string> problems)
    {
        var bytes = ConfigFile.TryRead(path, out var readProblem);
        if (bytes is null)
        {
            problems.Add($"{path}: {readProblem}");
            return null;
        }

        IConfigurationRoot configuration;
        try
        {
            configuration = ConfigFile.Configuration(bytes, overrides);
        }
        catch (Exception e) when (e is FormatException or InvalidDataException or System.Text.Json.JsonException)
        {
            problems.Add($"{path}: not a JSON object: {InputText.Quote(e.Message, 200)}");
            return null;
        }

        var section = configuration.GetSection(DashboardOptions.Section);
        if (!section.Exists())
        {
            problems.Add($"{path}: no section '{DashboardOptions.Section}'");
            return null;
        }

        var keyProblems = new List<string>();
        OptionsKeys.Of<DashboardOptions>().Check(section, keyProblems);
        if (keyProblems.Count > 0)
        {
            problems.AddRange(keyProblems.Select(p => $"{path}: {p}"));
            return null;
        }

        var options = new DashboardOptions();
        section.Bind(options);
        var folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        void Problem(string key, string text) => problems.Add($"{path}: {DashboardOptions.Section}:{key}: {text}");
        string Required(string key, string value)
        {
            if (value.Length == 0)
            {
                Problem(key, "required");
            }

            return value.Length == 0 ? "" : Path.GetFullPath(Path.Combine(folder, value));
        }

        var start = problems.Count;
        if (!Uri.TryCreate(options.InfluxUrl, UriKind.Absolute, out var influx) || (influx.Scheme != Uri.UriSchemeHttp && influx.Scheme != Uri.UriSchemeHttps))
        {
            Problem("InfluxUrl", $"'{InputText.Quote(options.InfluxUrl)}' is not an http(s) URL");
        }

        if (options.Database.Length == 0)
        {
            Problem("Database", "must not be empty");
        }

        foreach (var url in options.Urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!Uri.TryCreate(url, UriKind.Absolute, out var listen) || (listen.Scheme != Uri.UriSchemeHttp && listen.Scheme != Uri.UriSchemeHttps))
            {
                Problem("Urls", $"'{InputText.Quote(url)}' is not an http(s) URL");
            }
        }

        var register = Required("Register", options.Register);
        var users = Required("Users", options.Users);
        var keys = Required("KeysDirectory", options.KeysDirectory);
        if (keys.Length > 0 && !OperatingSystem.IsWindows() && !Directory.Exists(keys) && !File.Exists(keys))
        {
            // The key ring lies unencrypted in its folder (ASP.NET Core says so at start): readable by the service's user only.
            try
            {
                Directory.CreateDirectory(keys, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Said below, with the folder's problem.
            }
        }

        if (keys.Length > 0 && StorageErrors.DirectoryProblem(keys, create: true) is { } keysProblem)
        {
            Problem("KeysDirectory", $"'{keys}' cannot hold the key ring: {keysProblem}");
        }

        DateOnly from = default;
        if (!TraceTimestamp.TryParseDate(options.From, out from))
        {
            Problem("From", options.From.Length == 0 ? "required (YYYY-MM-DD)" : $"'{InputText.Quote(options.From)}' is not a date YYYY-MM-DD");
        }

        DateOnly? to = null;
        if (options.To.Length > 0)
        {
            if (!TraceTimestamp.TryParseDate(options.To, out var end))
            {
                Problem("To", $"'{InputText.Quote(options.To)}' is not a date YYYY-MM-DD");
            }
            else if (end <= from)
            {
                Problem("To", $"{options.To} must be after From ({options.From})");
            }
            else
            {
                to = end;
            }
        }

        try
        {
            new EvaluationOptions(from, to ?? from.AddDays(options.PeriodDays * 2), options.PeriodDays, options.Bootstrap, options.Seed).Validate();
        }
        catch (ArgumentException e)
        {
            Problem("PeriodDays/Bootstrap", e.Message);
        }

        CheckRange("DataCheckSeconds", options.DataCheckSeconds, 1, 86_400);
        CheckRange("SignInAttemptsPerMinute", options.SignInAttemptsPerMinute, 1, 1000);
        CheckRange("SessionMinutes", options.SessionMinutes, 1, 525_600);
        foreach (var proxy in options.KnownProxies)
        {
            if (!System.Net.IPAddress.TryParse(proxy, out _))
            {
                Problem("KnownProxies", $"'{InputText.Quote(proxy)}' is not an IP address");
            }
        }

        if (register.Length > 0)
        {
            ReadRegister(register, problems);
        }

        if (users.Length > 0 && File.Exists(users))
        {
            try
            {
                UsersFile.Read(users);
            }
            catch (InputException e)
            {
                problems.AddRange((e.Problems.Count > 0 ? e.Problems : [e]).Select(p => p.Message));
            }
        }

        return problems.Count > start ? null : new DashboardSettings(path, options, influx!, register, users, keys, from, to);

        void CheckRange(string key, int value, int min, int max)
        {
            if (value < min || value > max)
            {
                Problem(key, string.Create(CultureInfo.InvariantCulture, $"{value} must be from {min} to {max}"));
            }
        }
    }

    /// <summary>The register at <paramref name="path"/>, or null with one line per problem (<c>register.csv:4: go_live: …</c>).</summary>
    public static IReadOnlyList<RegisterEntry>? ReadRegister(string path, List<string> problems)
    {
        try
        {
            using var reader = new StreamReader(path, Encoding.UTF8);
            var register = ProgrammeRegister.Read(reader, path);
            if (register.Count == 0)
            {
                problems.Add($"{path}: the register lists no cells");
                return null;
            }

            return register;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            problems.Add($"{path}: cannot read the register: {StorageErrors.ReadProblem(path, e)}");
        }
        catch (InputException e)
        {
            problems.AddRange((e.Problems.Count > 0 ? e.Problems : [e]).Select(p => p.Message));
        }

        return null;
    }
}
