using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using EdgeGateway.Core;
using EdgeGateway.Core.Traces;
using EdgeGateway.Evaluation.Estimation;
using EdgeGateway.Evaluation.Register;
using EdgeGateway.Evaluation.Report;
using EdgeGateway.Queries;

namespace EdgeGateway.Cli.Evaluate;

/// <summary>
/// <c>edgegw evaluate --register FILE --from DATE --to DATE --out DIR</c> (+ InfluxDB options): the programme's
/// effects from the day records in InfluxDB, written as a self-contained HTML report, JSON and CSV
/// (src/docs/evaluation.md). Progress goes to stderr; the files appear only when everything succeeded.
/// </summary>
internal static class EvaluateCommand
{
    /// <summary>Exit code when InfluxDB cannot be asked.</summary>
    public const int Unreachable = 1;

    /// <summary>The files written into the output folder.</summary>
    public static readonly IReadOnlyList<string> Outputs = ["report.html", "evaluation.json", .. CsvReport.Files];

    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(120);

    public static Command Create(Stream stdout, TextWriter stderr)
    {
        var register = InputFiles.PathOption(new Option<string>("--register") { Description = "Programme register (CSV: site,cell,treated,go_live,ramp_up_days[,sector,size_class])", Required = true });
        var from = new Option<string>("--from") { Description = "First day of the evaluation (site-local date, 2026-03-02)", Required = true };
        var to = new Option<string>("--to") { Description = "Day after the last one (exclusive)", Required = true };
        var output = InputFiles.PathOption(new Option<string>("--out") { Description = "Folder for report.html, evaluation.json, effects.csv, event_time.csv, cells.csv (created)", Required = true });
        var url = new Option<string>("--influx-url") { Description = "InfluxDB HTTP API (1.x, or 2.x with its v1 compatibility API)", DefaultValueFactory = _ => "http://127.0.0.1:8086" };
        var database = new Option<string>("--database") { Description = "Database (1.x) or DBRP-mapped bucket (2.x)", DefaultValueFactory = _ => "edgegw" };
        var token = new Option<string?>("--token") { Description = "InfluxDB 2 API token with read access (default: $EDGEGW_INFLUX_TOKEN)" };
        var periodDays = new Option<int>("--period-days") { Description = "Days per period of the panel", DefaultValueFactory = _ => 7 };
        var bootstrap = new Option<int>("--bootstrap") { Description = "Bootstrap replications (clustered by site)", DefaultValueFactory = _ => 999 };
        var seed = new Option<long>("--seed") { Description = "Seed of the bootstrap", DefaultValueFactory = _ => 1 };
        var title = new Option<string>("--title") { Description = "Heading of the HTML report", DefaultValueFactory = _ => "Programme evaluation" };
        var command = new Command("evaluate", "Estimate the programme's effects (staggered difference in differences) and write an HTML/JSON/CSV report")
        {
            register, from, to, output, url, database, token, periodDays, bootstrap, seed, title,
        };
        command.SetAction(parsed => Run(
            new EvaluateArguments(
                parsed.GetValue(register)!, parsed.GetValue(from)!, parsed.GetValue(to)!, parsed.GetValue(output)!, parsed.GetValue(url)!,
                parsed.GetValue(database)!, parsed.GetValue(token) ?? (Environment.GetEnvironmentVariable("EDGEGW_INFLUX_TOKEN") is { Length: > 0 } t ? t : null),
                parsed.GetValue(periodDays), parsed.GetValue(bootstrap), parsed.GetValue(seed), parsed.GetValue(title)!),
            stdout,
            stderr));
        return command;
    }

    public static int Run(EvaluateArguments arguments, Stream stdout, TextWriter stderr)
    {
        var clock = Stopwatch.StartNew();
        if (!TraceTimestamp.TryParseDate(arguments.From, out var from))
        {
            return InputError(stderr, $"--from: '{InputText.Quote(arguments.From)}' is not a date (2026-03-02)");
        }

        if (!TraceTimestamp.TryParseDate(arguments.To, out var to))
        {
            return InputError(stderr, $"--to: '{InputText.Quote(arguments.To)}' is not a date (2026-05-25)");
        }

        if (to <= from)
        {
            return InputError(stderr, $"--to ({arguments.To}) must be after --from ({arguments.From})");
        }

        if (!Uri.TryCreate(arguments.Url, UriKind.Absolute, out var baseUrl) || (baseUrl.Scheme != Uri.UriSchemeHttp && baseUrl.Scheme != Uri.UriSchemeHttps))
        {
            return InputError(stderr, $"--influx-url: '{InputText.Quote(arguments.Url)}' is not an http(s) URL");
        }

        if (arguments.Database.Length == 0)
        {
            return InputError(stderr, "--database: must not be empty");
        }

        var options = new EvaluationOptions(from, to, arguments.PeriodDays, arguments.Bootstrap, arguments.Seed);
        try
        {
            options.Validate();
        }
        catch (ArgumentException e)
        {
            return InputError(stderr, $"--period-days/--bootstrap: {e.Message}");
        }

        if (File.Exists(arguments.Output))
        {
            // Found now rather than after the whole evaluation has run.
            return InputError(stderr, $"--out: '{InputText.Quote(arguments.Output)}' is a file, not a directory");
        }

        IReadOnlyList<RegisterEntry> register;
        try
        {
            using var reader = new StreamReader(InputFiles.OpenRead(arguments.Register, "register"), Encoding.UTF8);
            register = ProgrammeRegister.Read(reader, arguments.Register);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return InputError(stderr, $"{arguments.Register}: cannot read the register: {InputText.Quote(e.Message, 200)}");
        }
        catch (InputException e)
        {
            foreach (var problem in e.Problems.Count > 0 ? e.Problems : [e])
            {
                stderr.WriteLine($"edgegw evaluate: {problem.Message}");
            }

            return Program.InputError;
        }

        if (register.Count == 0)
        {
            return InputError(stderr, $"{arguments.Register}: the register lists no cells");
        }

        Progress(stderr, clock, $"register {arguments.Register}: {register.Count} cells ({register.Count(e => e.Treated)} with a voucher)");
        using var http = new HttpClient();
        http.Timeout = s_timeout;
        var client = new InfluxQueryClient(http, baseUrl, arguments.Database, arguments.Token);
        List<Evaluation.Panel.CellDays> cells;
        try
        {
            cells = DayRecordsQuery.Read(client, from, to);
        }
        catch (InfluxUnreachableException e)
        {
            stderr.WriteLine($"edgegw evaluate: {e.Message}");
            return Unreachable;
        }
        catch (InfluxQueryException e)
        {
            return InputError(stderr, e.Message);
        }

        var known = register.Select(e => (e.Site, e.Cell)).ToHashSet();
        var matched = cells.Where(c => known.Contains((c.Site, c.Cell))).ToList();
        Progress(stderr, clock, string.Create(CultureInfo.InvariantCulture, $"InfluxDB {client.BaseUrl} ({arguments.Database}): {cells.Sum(c => c.Days.Count)} day records of {cells.Count} cells, {matched.Count} of them in the register"));
        if (matched.Count == 0)
        {
            return InputError(stderr, $"no day records of the register's cells in database {arguments.Database} at {client.BaseUrl} from {from:yyyy-MM-dd} to {to:yyyy-MM-dd}");
        }

        var result = ProgrammeEvaluator.Evaluate(register, matched, options, new ProgressLines(stderr, clock));
        var unknown = cells.Count - matched.Count;
        if (unknown > 0)
        {
            result = result with { Notes = [.. result.Notes, $"{unknown} cells with day records are not in the register and were left out."] };
        }

        try
        {
            WriteOutputs(arguments.Output, result, arguments.Title);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return InputError(stderr, $"--out: cannot write to '{InputText.Quote(arguments.Output)}': {InputText.Quote(e.Message, 200)}");
        }

        Progress(stderr, clock, $"wrote {string.Join(", ", Outputs)} to {arguments.Output}");
        using var summary = new StreamWriter(stdout, leaveOpen: true);
        Summary(summary, result, arguments.Output);
        return 0;
    }

    /// <summary>Each file goes to a temporary name beside its target and replaces it only when all are written.</summary>
    private static void WriteOutputs(string folder, Evaluation.Results.EvaluationResult result, string title)
    {
        Directory.CreateDirectory(folder);
        var temporary = Outputs.ToDictionary(name => name, name => Path.Combine(folder, $".{name}.{Environment.ProcessId}.tmp"));
        try
        {
            foreach (var (name, path) in temporary)
            {
                using var stream = new FileStream(path, FileMode.Create, FileAccess.Write);
                if (name == "evaluation.json")
                {
                    JsonReport.Write(stream, result);
                    continue;
                }

                using var writer = new StreamWriter(stream, new UTF8Encoding(false));
                if (name == "report.html")
                {
                    HtmlReport.Write(writer, result, title);
                }
                else
                {
                    CsvReport.Write(writer, result, name);
                }
            }

            foreach (var (name, path) in temporary)
            {
                File.Move(path, Path.Combine(folder, name), overwrite: true);
            }
        }
        finally
        {
            foreach (var path in temporary.Values.Where(File.Exists))
            {
                File.Delete(path);
            }
        }
    }

    /// <summary>The headline on stdout: one line per outcome with its effect and interval.</summary>
    private static void Summary(TextWriter output, Evaluation.Results.EvaluationResult result, string folder)
    {
        var p = result.Programme;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Effects after ramp-up ({p.TreatedCells} cells with a voucher, {p.ControlCells} without, {p.Sites} sites; {result.Settings.ConfidenceLevel:P0} CI):"));
        foreach (var effect in result.Effects)
        {
            var o = effect.Outcome;
            var text = effect.Overall is { } e
                ? $"{OutcomeText.Effect(o, e.Value)}  [{OutcomeText.Number(o, OutcomeText.Display(o, e.Lower))}, {OutcomeText.Number(o, OutcomeText.Display(o, e.Upper))}]"
                : "not estimated: " + string.Join("; ", effect.Suppressed);
            if (effect.Overall is not null && Evaluation.Results.PreTrendVerdict.Rejected(effect))
            {
                text += "  " + Evaluation.Results.PreTrendVerdict.NotCredible;
            }

            output.WriteLine($"  {OutcomeText.Name(o),-32} {text}");
        }

        // Weaknesses of the comparison belong next to the headline, not only in the report.
        foreach (var warning in result.Warnings)
        {
            output.WriteLine($"Warning: {warning.Text}");
        }

        output.WriteLine($"Report: {Path.Combine(folder, "report.html")}");
    }

    private static void Progress(TextWriter stderr, Stopwatch clock, string message) =>
        stderr.WriteLine(string.Create(CultureInfo.InvariantCulture, $"edgegw evaluate: [{clock.Elapsed.TotalSeconds,5:0.0} s] {message}"));

    private static int InputError(TextWriter stderr, string message)
    {
        stderr.WriteLine($"edgegw evaluate: {message}");
        return Program.InputError;
    }

    /// <summary>
    /// The evaluator's progress, written as it comes (IProgress&lt;T&gt; of the BCL would post to the thread pool); of the
    /// bootstrap's steps at most one a second, and its last.
    /// </summary>
    private sealed class ProgressLines(TextWriter stderr, Stopwatch clock) : IProgress<string>
    {
        private TimeSpan _lastBootstrap = TimeSpan.FromSeconds(-1);

        public void Report(string value)
        {
            if (value.StartsWith("bootstrap ", StringComparison.Ordinal))
            {
                var slash = value.IndexOf('/', StringComparison.Ordinal);
                var last = slash > 0 && value.AsSpan(10, slash - 10).SequenceEqual(value.AsSpan(slash + 1));
                if (!last && clock.Elapsed - _lastBootstrap < TimeSpan.FromSeconds(1))
                {
                    return;
                }

                _lastBootstrap = clock.Elapsed;
            }

            Progress(stderr, clock, value);
        }
    }
}

/// <summary>The command line of <c>edgegw evaluate</c>, as given.</summary>
internal sealed record EvaluateArguments(
    string Register, string From, string To, string Output, string Url, string Database, string? Token, int PeriodDays, int Bootstrap, long Seed, string Title);
