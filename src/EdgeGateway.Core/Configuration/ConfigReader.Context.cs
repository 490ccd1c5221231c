using System.Globalization;
using EdgeGateway.Core.Calendar;
using EdgeGateway.Core.Signals;

namespace EdgeGateway.Core.Configuration;

/// <summary>
/// The context sections (src/docs/config.md, "Stop reasons", "Articles", "Plant calendar"): the site's downtime reasons,
/// a cell's articles and its reason-box buttons, and the plant's closures and extra shifts.
/// </summary>
public sealed partial class ConfigReader
{
    private const double DefaultGraceSeconds = 600;
    private const double DefaultUnassignedAfterSeconds = 300;
    private const double MaxReasonSeconds = 86_400;
    private const int MaxPartsPerCycle = 1_000;

    private static StopReasons ReadStopReasons(ConfigObject gateway)
    {
        var section = gateway.Child("StopReasons", required: false);
        if (section is null)
        {
            return StopReasons.None;
        }

        var grace = section.Number("GraceSeconds", DefaultGraceSeconds, 0, MaxReasonSeconds);
        var unassigned = section.Number("UnassignedAfterSeconds", DefaultUnassignedAfterSeconds, 0, MaxReasonSeconds);
        var codes = new List<ReasonConfig>();
        var codesReader = section.Child("Codes", required: true);
        foreach (var (code, reader) in codesReader?.Entries() ?? [])
        {
            var name = reader.Text("Name", required: false) ?? code;
            var reasonClass = reader.Enum<ReasonClass>("Class", null, required: true);
            reader.RejectUnknown();
            if (!Ids.IsValid(code))
            {
                reader.Problem(null, $"reason code '{InputText.Quote(code)}' may hold only {Ids.Rule}");
            }
            else if (reasonClass is { } c)
            {
                codes.Add(new ReasonConfig(code, name, c));
            }
        }

        if (codes.Count > StopReasons.MaxCodes)
        {
            section.Problem("Codes", $"{codes.Count} codes: a site may have at most {StopReasons.MaxCodes}");
            codes.RemoveRange(StopReasons.MaxCodes, codes.Count - StopReasons.MaxCodes);
        }

        if (codesReader is not null && codes.Count == 0)
        {
            section.Problem("Codes", "no reason codes: list at least one, or leave StopReasons out");
        }

        section.RejectUnknown();
        return new StopReasons(codes, grace, unassigned);
    }

    private static List<ArticleConfig> ReadArticles(ConfigObject cell)
    {
        var articles = new List<ArticleConfig>();
        foreach (var (id, reader) in cell.Child("Articles", required: false)?.Entries() ?? [])
        {
            var name = reader.Text("Name", required: false);
            var ideal = reader.Number("IdealCycleSeconds", required: true, min: MinIdealCycleSeconds, exclusiveMin: false, max: MaxIdealCycleSeconds);
            var parts = reader.Number("PartsPerCycle", 1, 1, MaxPartsPerCycle);
            reader.RejectUnknown();
            if (!Ids.IsValid(id))
            {
                reader.Problem(null, $"article id '{InputText.Quote(id)}' may hold only {Ids.Rule}");
            }
            else if (parts != Math.Floor(parts))
            {
                reader.Problem("PartsPerCycle", $"{parts.ToString(CultureInfo.InvariantCulture)} is not a whole number of parts");
            }
            else if (ideal is { } seconds)
            {
                articles.Add(new ArticleConfig(id, name, seconds, (int)parts));
            }
        }

        if (articles.Count > ArticleConfig.MaxPerCell)
        {
            cell.Problem("Articles", $"{articles.Count} articles: a cell may have at most {ArticleConfig.MaxPerCell}");
            articles.RemoveRange(ArticleConfig.MaxPerCell, articles.Count - ArticleConfig.MaxPerCell);
        }

        return articles;
    }

    /// <summary>A reason-box button's <c>Reason</c> (a site code) or <c>Article</c> (one of the cell's); other roles have neither.</summary>
    private static (string? Reason, string? Article) ReadButton(ConfigObject signal, SignalRole? role, StopReasons reasons, List<ArticleConfig> articles)
    {
        if (role != SignalRole.ReasonButton)
        {
            signal.Forbid("Reason", "only a ReasonButton signal gives a reason");
        }

        if (role != SignalRole.ArticleButton)
        {
            signal.Forbid("Article", "only an ArticleButton signal sets an article");
        }

        if (role == SignalRole.ReasonButton && signal.Text("Reason", required: true) is { } reason)
        {
            if (reasons.IndexOf(reason) < 0)
            {
                signal.Problem("Reason", $"'{InputText.Quote(reason)}' is not a code of StopReasons.Codes");
                return (null, null);
            }

            return (reason, null);
        }

        if (role == SignalRole.ArticleButton && signal.Text("Article", required: true) is { } article)
        {
            if (!articles.Exists(a => a.Id == article))
            {
                signal.Problem("Article", $"'{InputText.Quote(article)}' is not one of the cell's Articles");
                return (null, null);
            }

            return (null, article);
        }

        return (null, null);
    }

    /// <summary>Reads <c>PlantCalendar</c> and gives each cell the closures and the extra shifts that apply to it.</summary>
    private static void ReadPlantCalendar(ConfigObject gateway, TimeZoneInfo zone, List<CellConfig> cells)
    {
        var section = gateway.Child("PlantCalendar", required: false);
        if (section is null)
        {
            return;
        }

        var closures = new List<TimeRange>();
        foreach (var reader in section.Array("Closures"))
        {
            if (ReadClosure(reader, zone) is { } closure)
            {
                closures.Add(closure);
            }
        }

        var extraShifts = new List<(OneOffShift Shift, IReadOnlyList<string>? Cells, ConfigObject Reader)>();
        foreach (var reader in section.Array("ExtraShifts"))
        {
            var date = reader.Text("Date", required: true);
            var cellIds = reader.IdList("Cells");
            var shift = ReadShift(reader, oneOff: true);
            if (date is null || shift is null)
            {
                continue;
            }

            if (!DateOnly.TryParseExact(date, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
            {
                reader.Problem("Date", $"'{InputText.Quote(date)}' is not a date; use yyyy-MM-dd, e.g. 2026-12-19");
                continue;
            }

            foreach (var id in cellIds ?? [])
            {
                if (!cells.Exists(c => c.Id == id))
                {
                    reader.Problem("Cells", $"'{InputText.Quote(id)}' is not a cell of this gateway");
                }
            }

            extraShifts.Add((OneOff(day, shift, zone), cellIds, reader));
        }

        section.RejectUnknown();
        for (var i = 0; i < cells.Count; i++)
        {
            var cell = cells[i];
            var calendar = new ShiftCalendar(cell.Shifts, zone);
            var own = new List<OneOffShift>();
            foreach (var (shift, cellIds, reader) in extraShifts)
            {
                if (cellIds is not null && !cellIds.Contains(cell.Id))
                {
                    continue;
                }

                if (calendar.OverlapsShift(shift.Time))
                {
                    reader.Problem(null, $"the extra shift overlaps a shift of cell '{InputText.Quote(cell.Id)}'");
                    continue;
                }

                calendar.AddExtraShift(shift);
                own.Add(shift);
            }

            cells[i] = cell with { Calendar = new PlantCalendar(closures, own) };
        }
    }

    /// <summary>A one-off shift on <paramref name="day"/>: its start, end and breaks as instants.</summary>
    private static OneOffShift OneOff(DateOnly day, ShiftConfig shift, TimeZoneInfo zone)
    {
        var wallStart = day.ToDateTime(shift.Start);
        long At(TimeOnly time) => SiteTime.FromWallClock(wallStart.AddMinutes(WallClock.MinutesBetween(shift.Start, time) % 1440), zone);
        var start = SiteTime.FromWallClock(wallStart, zone);
        var end = SiteTime.FromWallClock(wallStart.AddMinutes(shift.LengthMinutes), zone);
        var breaks = shift.Breaks.Select(b => new TimeRange(At(b.Start), SiteTime.FromWallClock(wallStart.AddMinutes(WallClock.MinutesBetween(shift.Start, b.End)), zone)));
        return new OneOffShift(new TimeRange(start, end), shift.Staffed, [.. breaks]);
    }

    /// <summary>
    /// One closure (<c>PlantCalendar.Closures[]</c>, also the simulation's announced closures): an optional <c>Name</c>,
    /// <c>From</c> and <c>To</c> as site-local dates (whole days: <c>To</c> is inclusive) or dates and times; null on a problem.
    /// </summary>
    public static TimeRange? ReadClosure(ConfigObject reader, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(reader);
        reader.Text("Name", required: false);
        var from = LocalInstant(reader, "From", zone, endOfDay: false);
        var to = LocalInstant(reader, "To", zone, endOfDay: true);
        reader.RejectUnknown();
        if (from is null || to is null)
        {
            return null;
        }

        if (to <= from)
        {
            reader.Problem("To", "the closure ends before it begins");
            return null;
        }

        return new TimeRange(from.Value, to.Value);
    }

    /// <summary>
    /// A site-local date (<c>2026-12-24</c>: its start, or with <paramref name="endOfDay"/> its end, so a range of dates
    /// includes its last day) or date and time (<c>2026-12-24T12:00</c>).
    /// </summary>
    private static long? LocalInstant(ConfigObject reader, string key, TimeZoneInfo zone, bool endOfDay)
    {
        var text = reader.Text(key, required: true);
        if (text is null)
        {
            return null;
        }

        if (SiteTime.TryParseLocalInstant(text, zone, endOfDay, out var ms))
        {
            return ms;
        }

        reader.Problem(key, $"'{InputText.Quote(text)}' is not {SiteTime.LocalInstantForm}");
        return null;
    }
}
