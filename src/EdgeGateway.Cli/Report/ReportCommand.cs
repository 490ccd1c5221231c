using System.CommandLine;
using System.Globalization;
using EdgeGateway.Core;
using EdgeGateway.Core.Configuration;
using EdgeGateway.Core.Storage;
using EdgeGateway.Core.Traces;
using EdgeGateway.Queries;

namespace EdgeGateway.Cli.Report;

/// <summary>
/// <c>edgegw report [--influx-url URL] [--database NAME] [--from T] [--to T] [--site ID] [--token TOKEN]</c>: the weekly KPIs per cell,
/// read back from InfluxDB with the weekly query of src/docs/influxdb-schema.md and recomputed from its bucket and count sums,
/// and under each week its top stop reasons (from <c>kpi_reason</c>), when the cell's gateway books reasons.
/// </summary>
internal static class ReportCommand
{
    /// <summary>Exit code when InfluxDB cannot be asked: no answer, a server error, not InfluxDB.</summary>
    public const int Unreachable = 1;

    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(30);

    public static Command Create(Stream stdout, TextWriter stderr)
    {
        var url = new Option<string>("--influx-url") { Description = "InfluxDB HTTP API (1.x, or 2.x with its v1 compatibility API)", DefaultValueFactory = _ => "http://127.0.0.1:8086" };
        var database = new Option<string>("--database") { Description = "Database (1.x) or DBRP-mapped bucket (2.x)", DefaultValueFactory = _ => "edgegw" };
        var from = new Option<string?>("--from") { Description = "Start: a date (UTC midnight) or a UTC timestamp; default the first day record of the year before the end" };
        var to = new Option<string?>("--to") { Description = "End, exclusive: a date or a UTC timestamp; default just after the last day record up to now" };
        var site = new Option<string?>("--site") { Description = "Only this site (default: every site)" };
        var token = new Option<string?>("--token") { Description = "InfluxDB 2 API token with read access (default: $EDGEGW_INFLUX_TOKEN; none for 1.x without auth)" };
        var command = new Command("report", "Print weekly KPIs per cell (OEE and its factors, parts, energy per part) read back from InfluxDB")
        {
            url, database, from, to, site, token,
        };
        command.SetAction(parsed => Run(
            new ReportQuery(parsed.GetValue(url)!, parsed.GetValue(database)!, parsed.GetValue(from), parsed.GetValue(to), parsed.GetValue(site),
                parsed.GetValue(token) ?? (Environment.GetEnvironmentVariable("EDGEGW_INFLUX_TOKEN") is { Length: > 0 } fromEnvironment ? fromEnvironment : null)),
            stdout,
            stderr,
            TimeProvider.System));
        return command;
    }

    /// <summary>Runs the report; <paramref name="time"/> says when "now" is, the end of the default span.</summary>
    public static int Run(ReportQuery arguments, Stream stdout, TextWriter stderr, TimeProvider time)
    {
        var (url, database, from, to, site, token) = arguments;
        if (!Uri.TryCreate(url, UriKind.Absolute, out var baseUrl) || (baseUrl.Scheme != Uri.UriSchemeHttp && baseUrl.Scheme != Uri.UriSchemeHttps))
        {
            return InputError(stderr, $"--influx-url: '{InputText.Quote(url)}' is not an http(s) URL");
        }

        if (site is not null && !Ids.IsValid(site))
        {
            return InputError(stderr, $"--site: '{InputText.Quote(site)}' is not a site id (1-64 of A-Z a-z 0-9 . _ -)");
        }

        if (database.Length == 0)
        {
            return InputError(stderr, "--database: must not be empty");
        }

        DateTimeOffset? start = null, end = null;
        if (from is not null && !TryParseInstant(from, out start))
        {
            return InputError(stderr, $"--from: '{InputText.Quote(from)}' is not a date (2026-03-02) or a UTC timestamp (2026-03-02T06:00:00Z)");
        }

        if (to is not null && !TryParseInstant(to, out end))
        {
            return InputError(stderr, $"--to: '{InputText.Quote(to)}' is not a date (2026-05-25) or a UTC timestamp (2026-05-25T00:00:00Z)");
        }

        if (start >= end)
        {
            return InputError(stderr, $"--to ({to}) must be after --from ({from})");
        }

        using var http = new HttpClient();
        http.Timeout = s_timeout;
        var client = new InfluxQueryClient(http, baseUrl, database, token);
        var selection = site is null ? $"database {database}" : $"database {database}, site {site}";
        try
        {
            string? notShown = null;
            if (start is null || end is null)
            {
                // At most a year up to now (or up to --to): one gateway whose clock said 1970 or 2099 stretched the span of
                // the data over decades, hence every site's report over thousands of empty weeks (src/docs/cli.md, "edgegw report").
                var upper = end ?? time.GetUtcNow();
                var lower = start ?? upper.AddYears(-1);
                var first = Edge(client, first: true, site, lower, upper);
                var last = Edge(client, first: false, site, lower, upper);
                if (first is null || last is null)
                {
                    return InputError(stderr, NoneInTheDefaultSpan(client, selection, site, lower, upper));
                }

                notShown = NotShown(client, site, start is null ? lower : null, end is null ? upper : null);
                start ??= first;
                end ??= last.Value.AddSeconds(1);
                if (start >= end)
                {
                    return InputError(stderr, $"no day records in {selection} between {start:yyyy-MM-dd HH:mm:ss}Z and {end:yyyy-MM-dd HH:mm:ss}Z");
                }
            }

            var cells = WeeklyKpis.Read(client.Query(WeeklyKpis.Query(start.Value, end.Value, site)));
            if (!cells.Exists(c => c.Weeks.Any(w => w.HasData)))
            {
                return InputError(stderr, $"no day records in {selection} between {start:yyyy-MM-dd HH:mm:ss}Z and {end:yyyy-MM-dd HH:mm:ss}Z at {client.BaseUrl}");
            }

            cells = WeeklyKpis.WithReasons(cells, client.Query(WeeklyKpis.ReasonsQuery(start.Value, end.Value, site)));

            using var output = new StreamWriter(stdout, leaveOpen: true);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Weekly KPIs per cell from {client.BaseUrl} ({selection}), day records from {start:yyyy-MM-dd HH:mm:ss}Z to {end:yyyy-MM-dd HH:mm:ss}Z."));
            output.WriteLine("Weeks start Monday 00:00 UTC; a day record counts in the week its day starts. Ratios from the week's sums; '-' = not defined.");
            if (notShown is not null)
            {
                output.WriteLine(notShown);
            }

            output.WriteLine();
            WeeklyTable.Write(output, cells);
            return 0;
        }
        catch (InfluxUnreachableException e)
        {
            stderr.WriteLine($"edgegw report: {e.Message}");
            return Unreachable;
        }
        catch (InfluxQueryException e)
        {
            return InputError(stderr, e.Message);
        }
    }

    /// <summary>Why there is nothing to report in the default span [<paramref name="lower"/>, <paramref name="upper"/>).</summary>
    private static string NoneInTheDefaultSpan(InfluxQueryClient client, string selection, string? site, DateTimeOffset lower, DateTimeOffset upper)
    {
        var first = Edge(client, first: true, site);
        var last = Edge(client, first: false, site);
        return first is null || last is null
            ? $"no day records in {selection} at {client.BaseUrl}"
            : $"no day records in {selection} between {Stamp(lower)} and {Stamp(upper)} (by default a year up to --to or now); " +
              $"it has some from {Stamp(first.Value)} to {Stamp(last.Value)}: choose with --from and --to";
    }

    /// <summary>
    /// A line naming the day records the default span leaves out before <paramref name="before"/> and from
    /// <paramref name="from"/> on, by site (so that a gateway with a wrong clock is found), or null when there are none.
    /// </summary>
    private static string? NotShown(InfluxQueryClient client, string? site, DateTimeOffset? before, DateTimeOffset? from)
    {
        var parts = new List<string>(2);
        if (before is { } b && Counted(client.Query(WeeklyKpis.CountQuery(site, null, b))) is { Length: > 0 } early)
        {
            parts.Add($"{early} before {Stamp(b)}");
        }

        if (from is { } f && Counted(client.Query(WeeklyKpis.CountQuery(site, f, null))) is { Length: > 0 } late)
        {
            parts.Add($"{late} from {Stamp(f)} on");
        }

        return parts.Count == 0 ? null : $"Not shown: {string.Join(" and ", parts)}, outside the default span (a year up to --to or now); --from and --to show them.";
    }

    /// <summary><c>3 day records (sme-0001: 1, sme-0002: 2)</c> from a count per site, or empty when there are none.</summary>
    private static string Counted(IReadOnlyList<InfluxSeries> series)
    {
        var bySite = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach (var s in series)
        {
            var count = s.Rows.Count > 0 && s.Columns.Count > 1 && s.Rows[0][1].ValueKind == System.Text.Json.JsonValueKind.Number ? s.Rows[0][1].GetInt64() : 0;
            if (count > 0)
            {
                bySite[s.Tags.GetValueOrDefault(InfluxSchema.SiteTag, "")] = count;
            }
        }

        var total = bySite.Values.Sum();
        return total == 0
            ? ""
            : string.Create(CultureInfo.InvariantCulture, $"{total} day record{(total == 1 ? "" : "s")} ({string.Join(", ", bySite.Select(p => $"{p.Key}: {p.Value.ToString(CultureInfo.InvariantCulture)}"))})");
    }

    private static string Stamp(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>The time of the first or last day record (within [<paramref name="from"/>, <paramref name="to"/>) when given), or null when there is none.</summary>
    private static DateTimeOffset? Edge(InfluxQueryClient client, bool first, string? site, DateTimeOffset? from = null, DateTimeOffset? to = null)
    {
        var series = client.Query(WeeklyKpis.EdgeQuery(first, site, from, to));
        var row = series.Count > 0 && series[0].Rows.Count > 0 ? series[0].Rows[0] : null;
        return row is null ? null : DateTimeOffset.Parse(row[0].GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
    }

    private static bool TryParseInstant(string text, out DateTimeOffset? instant)
    {
        instant = null;
        if (TraceTimestamp.TryParseDate(text, out var date))
        {
            instant = new DateTimeOffset(date.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            return true;
        }

        if (text.EndsWith('Z') && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed)
            && parsed.Year is >= TraceTimestamp.MinYear and <= TraceTimestamp.MaxYear)
        {
            instant = parsed;
            return true;
        }

        return false;
    }

    private static int InputError(TextWriter stderr, string message)
    {
        stderr.WriteLine($"edgegw report: {message}");
        return Program.InputError;
    }
}

/// <summary>The command line of <c>edgegw report</c>, as given.</summary>
internal sealed record ReportQuery(string Url, string Database, string? From, string? To, string? Site, string? Token);
