using System.Buffers;
using System.Text.Json;
using EdgeGateway.Core.Signals;
using EdgeGateway.Core.Traces;
using EdgeGateway.Hosting;

namespace EdgeGateway.Agent.Control;

/// <summary>One closure or extra shift accepted by remote command, as <see cref="CalendarEntriesFile"/> keeps it.</summary>
internal readonly record struct CalendarEntry(ContextKind Kind, long FromMs, long ToMs);

/// <summary>
/// The closures and extra shifts accepted by remote command (src/docs/agent.md, "Remote commands"), kept in the outbox
/// folder beside the windows in progress as <c>calendar.json</c>: the engine applies them again at every start, before
/// its first event, so that a restart does not forget them (the config holds only what was planned when it was written).
/// <c>{"closures":[{"from":"…Z","to":"…Z"}],"extra_shifts":[…]}</c>; written whole to a new file and renamed over the
/// old one. A file that cannot be read or written is logged and costs those entries, never a record.
/// </summary>
internal sealed partial class CalendarEntriesFile(string directory, ILogger logger)
{
    /// <summary>The file's name in the outbox folder.</summary>
    public const string FileName = "calendar.json";

    private const string TempFileName = "calendar.json.tmp";
    private const string Closures = "closures", ExtraShifts = "extra_shifts";

    /// <summary>The file's path.</summary>
    public string Path { get; } = System.IO.Path.Combine(directory, FileName);

    /// <summary>The entries kept, oldest first; none when there is no file or it cannot be used (logged).</summary>
    public List<CalendarEntry> Read()
    {
        var entries = new List<CalendarEntry>();
        try
        {
            if (!File.Exists(Path))
            {
                return entries;
            }

            using var document = JsonDocument.Parse(File.ReadAllBytes(Path));
            foreach (var (name, kind) in new[] { (Closures, ContextKind.Closure), (ExtraShifts, ContextKind.ExtraShift) })
            {
                foreach (var entry in document.RootElement.TryGetProperty(name, out var list) ? list.EnumerateArray() : default)
                {
                    if (!TraceTimestamp.TryParse(System.Text.Encoding.UTF8.GetBytes(entry.GetProperty("from").GetString() ?? ""), out var from)
                        || !TraceTimestamp.TryParse(System.Text.Encoding.UTF8.GetBytes(entry.GetProperty("to").GetString() ?? ""), out var to)
                        || to <= from)
                    {
                        throw new FormatException($"{name}: '{entry.GetRawText()}' is not a range of two UTC timestamps");
                    }

                    entries.Add(new CalendarEntry(kind, from, to));
                }
            }
        }
        catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException or KeyNotFoundException)
        {
            Log.Unusable(logger, Path, e.Message);
            entries.Clear();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Log.Unusable(logger, Path, StorageErrors.ReadProblem(Path, e));
            entries.Clear();
        }

        return entries;
    }

    /// <summary>Replaces the file with <paramref name="entries"/>, durably; returns the problem, or null when written.</summary>
    public string? Write(IReadOnlyList<CalendarEntry> entries)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            foreach (var (name, kind) in new[] { (Closures, ContextKind.Closure), (ExtraShifts, ContextKind.ExtraShift) })
            {
                json.WriteStartArray(name);
                foreach (var entry in entries.Where(e => e.Kind == kind))
                {
                    json.WriteStartObject();
                    json.WriteString("from", TraceTimestamp.Format(entry.FromMs));
                    json.WriteString("to", TraceTimestamp.Format(entry.ToMs));
                    json.WriteEndObject();
                }

                json.WriteEndArray();
            }

            json.WriteEndObject();
        }

        var temp = System.IO.Path.Combine(directory, TempFileName);
        try
        {
            DirectorySync.Replace(directory, temp, Path, buffer.WrittenSpan);
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            var reason = StorageErrors.Reason(e);
            Log.NotWritten(logger, Path, reason);
            return reason;
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 111, Level = LogLevel.Warning, Message = "The closures and extra shifts set by command cannot be read from {Path}, they are not applied: {Problem}")]
        public static partial void Unusable(ILogger logger, string path, string problem);

        [LoggerMessage(EventId = 112, Level = LogLevel.Warning, Message = "Cannot save the closures and extra shifts set by command to {Path} (in Agent:Outbox:Directory): {Reason}. They hold until the agent stops")]
        public static partial void NotWritten(ILogger logger, string path, string reason);
    }
}
