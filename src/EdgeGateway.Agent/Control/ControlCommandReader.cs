using System.Globalization;
using System.Text;
using System.Text.Json;
using EdgeGateway.Core;
using EdgeGateway.Core.Calendar;
using EdgeGateway.Core.Configuration;
using EdgeGateway.Core.Signals;
using EdgeGateway.Core.Traces;

namespace EdgeGateway.Agent.Control;

/// <summary>
/// Reads one remote command (src/docs/payloads-and-topics.md, "Commands"): a JSON object with <c>command</c> (<c>reason</c>,
/// <c>article</c>, <c>closure</c>, <c>extra_shift</c>), its fields and an optional <c>id</c> echoed in the reply. Everything
/// is checked against the config before the engine sees it: a command that is not understood changes nothing, and its
/// error names what is wrong and what would be right.
/// </summary>
internal sealed class ControlCommandReader(GatewayConfig config)
{
    /// <summary>The largest command read, in bytes: a command is a line of a few hundred.</summary>
    public const int MaxBytes = 4096;

    /// <summary>The command names, as the JSON and the docs write them.</summary>
    public const string Reason = "reason", Article = "article", Closure = "closure", ExtraShift = "extra_shift";

    private const string TimeForms = "a UTC timestamp (2026-03-28T08:10:00Z), " + SiteTime.LocalInstantForm;

    private readonly SignalMap _signals = new(config);

    /// <summary>
    /// Reads <paramref name="json"/>; <paramref name="nowMs"/> is the day an <c>at</c> of <c>HH:mm</c> is of. Returns the
    /// command, or null with the <paramref name="error"/>; <paramref name="id"/> is the request's id as raw JSON (a string
    /// or a number), or null, whenever it could be read.
    /// </summary>
    public ControlCommand? Read(ReadOnlySpan<byte> json, long nowMs, out string? id, out string? error)
    {
        id = null;
        if (json.Length > MaxBytes)
        {
            error = $"the command has {json.Length} bytes, more than the {MaxBytes} a command may have";
            return null;
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json.ToArray(), new JsonDocumentOptions { MaxDepth = 4 });
        }
        catch (JsonException e)
        {
            error = $"the command is not JSON: {e.Message}";
            return null;
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                error = $"the command is a JSON {root.ValueKind.ToString().ToLowerInvariant()}, not an object such as {{\"command\":\"reason\",\"cell\":\"press1\",\"code\":\"waiting_material\"}}";
                return null;
            }

            if (root.TryGetProperty("id", out var idElement))
            {
                if (idElement.ValueKind is not (JsonValueKind.String or JsonValueKind.Number))
                {
                    error = "\"id\" must be a string or a number";
                    return null;
                }

                id = idElement.GetRawText();
            }

            try
            {
                error = null;
                return Read(root, nowMs);
            }
            catch (CommandProblem e)
            {
                error = e.Message;
                return null;
            }
        }
    }

    private ControlCommand Read(JsonElement root, long nowMs)
    {
        var command = Text(root, "command", "the command")
            ?? throw Problem($"\"command\" is missing: one of {Reason}, {Article}, {Closure}, {ExtraShift}");
        switch (command)
        {
            case Reason:
            {
                OnlyFields(root, command, "cell", "code", "at");
                var (cell, cellId) = Cell(root, command);
                var code = Required(root, "code", command);
                var index = config.Cells[cell].Reasons.IndexOf(code);
                if (index < 0)
                {
                    var codes = config.Cells[cell].Reasons.Codes;
                    throw Problem(codes.Count == 0
                        ? $"unknown reason code '{InputText.Quote(code)}': no reason codes are configured (StopReasons.Codes)"
                        : $"unknown reason code '{InputText.Quote(code)}': the codes are {string.Join(", ", codes.Select(c => c.Code))}");
                }

                var atText = Text(root, "at", command);
                long? at = atText is null ? null : Instant(atText, "at", endOfDay: false, timeOfDay: true, nowMs);
                return new ControlCommand(ContextKind.Reason, _signals.ReasonSignal(cell, index), at, 0, 0,
                    $"reason {code} for cell {cellId}{(atText is null ? "" : $" at {atText}")}");
            }

            case Article:
            {
                OnlyFields(root, command, "cell", "article");
                var (cell, cellId) = Cell(root, command);
                var article = Required(root, "article", command);
                var index = config.Cells[cell].ArticleIndex(article);
                if (index < 0)
                {
                    var articles = config.Cells[cell].Articles;
                    throw Problem(articles.Count == 0
                        ? $"unknown article '{InputText.Quote(article)}': cell '{cellId}' has no articles configured (Cells[].Articles)"
                        : $"unknown article '{InputText.Quote(article)}' of cell '{cellId}': its articles are {string.Join(", ", articles.Select(a => a.Id))}");
                }

                return new ControlCommand(ContextKind.Article, _signals.ArticleSignal(cell, index), null, 0, 0, $"article {article} for cell {cellId}");
            }

            case Closure or ExtraShift:
            {
                OnlyFields(root, command, "from", "to");
                var fromText = Required(root, "from", command);
                var toText = Required(root, "to", command);
                var from = Instant(fromText, "from", endOfDay: false, timeOfDay: false, nowMs);

                // As in the config: a closure's last date is closed through its end.
                var to = Instant(toText, "to", endOfDay: command == Closure, timeOfDay: false, nowMs);
                if (to <= from)
                {
                    throw Problem($"\"to\" ({toText}) is not after \"from\" ({fromText})");
                }

                return command == Closure
                    ? new ControlCommand(ContextKind.Closure, _signals.ClosureSignal, null, from, to, $"closure from {fromText} to {toText}")
                    : new ControlCommand(ContextKind.ExtraShift, _signals.ExtraShiftSignal, null, from, to, $"extra shift from {fromText} to {toText}");
            }

            default:
                throw Problem($"unknown command '{InputText.Quote(command)}': expected {Reason}, {Article}, {Closure} or {ExtraShift}");
        }
    }

    private (int Index, string Id) Cell(JsonElement root, string command)
    {
        var cell = Required(root, "cell", command);
        for (var i = 0; i < config.Cells.Count; i++)
        {
            if (config.Cells[i].Id == cell)
            {
                return (i, cell);
            }
        }

        throw Problem($"unknown cell '{InputText.Quote(cell)}': this gateway's cells are {string.Join(", ", config.Cells.Select(c => c.Id))}");
    }

    /// <summary>
    /// A UTC timestamp, a site-local date or date and time (the config's form: <see cref="SiteTime.TryParseLocalInstant"/>),
    /// or with <paramref name="timeOfDay"/> <c>HH:mm</c> of the site's day at <paramref name="nowMs"/>.
    /// </summary>
    private long Instant(string text, string field, bool endOfDay, bool timeOfDay, long nowMs)
    {
        if (TraceTimestamp.TryParse(Encoding.UTF8.GetBytes(text), out var utc))
        {
            return utc;
        }

        if (SiteTime.TryParseLocalInstant(text, config.TimeZone, endOfDay, out var local))
        {
            return local;
        }

        if (timeOfDay && TimeOnly.TryParseExact(text, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var time))
        {
            return SiteTime.FromWallClock(SiteTime.ToWallClock(nowMs, config.TimeZone).Date.Add(time.ToTimeSpan()), config.TimeZone);
        }

        throw Problem($"\"{field}\": '{InputText.Quote(text)}' is not {TimeForms}{(timeOfDay ? ", or a time of today (08:10)" : "")}");
    }

    private static void OnlyFields(JsonElement root, string command, params string[] fields)
    {
        foreach (var property in root.EnumerateObject())
        {
            if (property.Name is not ("id" or "command") && !fields.Contains(property.Name))
            {
                throw Problem($"unknown field \"{InputText.Quote(property.Name)}\" in a {command} command: it takes {string.Join(", ", fields.Select(f => $"\"{f}\""))}");
            }
        }
    }

    private static string Required(JsonElement root, string field, string command) =>
        Text(root, field, command) ?? throw Problem($"\"{field}\" is missing: a {command} command needs it");

    private static string? Text(JsonElement root, string field, string command)
    {
        if (!root.TryGetProperty(field, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.String
            ? value.GetString()!
            : throw Problem($"\"{field}\" of {command} must be a string, not a JSON {value.ValueKind.ToString().ToLowerInvariant()}");
    }

    private static CommandProblem Problem(string message) => new(message);

    /// <summary>What is wrong with a command: its message is the reply's error.</summary>
    private sealed class CommandProblem(string message) : Exception(message);
}
