using System.Globalization;
using System.Text.Json;
using EdgeGateway.Agent.Status;
using EdgeGateway.Core;

namespace EdgeGateway.Cli.Status;

/// <summary>What reading the agent's status file found.</summary>
internal enum AgentStatusKind
{
    /// <summary>A fresh status of a process that runs: the agent runs.</summary>
    Running,

    /// <summary>No file there (or it cannot be read): no agent reports there.</summary>
    Missing,

    /// <summary>A file, but not what the agent writes (not JSON, or <c>pid</c> or <c>at</c> missing or malformed).</summary>
    NotStatus,

    /// <summary>The agent's status, but older than <see cref="StatusFile.StaleAfter"/> or of a process that is gone.</summary>
    Stale,
}

/// <summary>
/// The running agent's status file (<see cref="StatusFile"/>) as <c>edgegw status</c> and <c>edgegw doctor</c> read it:
/// one reader, so both judge "running" alike and read each field from the same place. Fields beyond <c>pid</c> and
/// <c>at</c> are read when asked for; a missing one throws (<see cref="KeyNotFoundException"/>,
/// <see cref="InvalidOperationException"/>), which the callers take as "not a status document".
/// </summary>
internal sealed class AgentStatusFile : IDisposable
{
    private AgentStatusFile()
    {
    }

    public AgentStatusKind Kind { get; private init; }

    /// <summary>The parsed file (Running and Stale), disposed with this.</summary>
    private JsonDocument? Document { get; init; }

    /// <summary>The file as read (for <c>edgegw status --json</c>); empty when <see cref="AgentStatusKind.Missing"/>.</summary>
    public byte[] Bytes { get; private init; } = [];

    /// <summary>The process that wrote it (Running and Stale).</summary>
    public int Pid { get; private init; }

    /// <summary>When it was written (Running and Stale).</summary>
    public DateTimeOffset At { get; private init; }

    /// <summary>How old it was when read (Running and Stale).</summary>
    public TimeSpan Age { get; private init; }

    /// <summary>The document (Running and Stale).</summary>
    public JsonElement Root => (Document ?? throw new InvalidOperationException("no status document was read")).RootElement;

    /// <summary>Window records the agent computed since it started.</summary>
    public long Records => Root.GetProperty("records").GetInt64();

    public bool BrokerConnected => Root.GetProperty("broker").GetProperty("connected").GetBoolean();

    /// <summary>Why the agent is not connected (null while connecting for the first time).</summary>
    public string? BrokerLastError => Root.GetProperty("broker").GetProperty("last_error").GetString();

    /// <summary>Records waiting in the outbox.</summary>
    public long OutboxDepth => Root.GetProperty("outbox").GetProperty("depth").GetInt64();

    /// <summary>Bytes the outbox holds for them on disk.</summary>
    public long OutboxBytes => Root.GetProperty("outbox").GetProperty("bytes").GetInt64();

    /// <summary>The outbox's next sequence number: one more for every record (kpi or state) appended.</summary>
    public long OutboxNextSequence => Root.GetProperty("outbox").GetProperty("next_seq").GetInt64();

    /// <summary>
    /// When the agent started and the outbox's next sequence number then (<c>started</c>, <c>outbox.start_seq</c>); null
    /// before the agent's first status turn and in files of agents before the fields existed.
    /// </summary>
    public (DateTimeOffset At, long Sequence)? Start =>
        Root.TryGetProperty("started", out var at) && at.ValueKind == JsonValueKind.String
        && Root.GetProperty("outbox").TryGetProperty("start_seq", out var sequence) && sequence.ValueKind == JsonValueKind.Number
            ? (Timestamp(at), sequence.GetInt64())
            : null;

    /// <summary>
    /// When the engine last emitted a window record; null before the first, and in files of agents before the field
    /// (<c>last_record_at</c>) existed: <see cref="HasLastRecord"/> tells them apart.
    /// </summary>
    public DateTimeOffset? LastRecordAt =>
        Root.TryGetProperty("last_record_at", out var at) && at.ValueKind == JsonValueKind.String ? Timestamp(at) : null;

    /// <summary>
    /// The earliest start of a stop some cell holds back from its records, if every cell holds one (then no record can
    /// come until one is final: src/docs/kpi-model.md, "Stops and reasons"); null otherwise or in older files.
    /// </summary>
    public DateTimeOffset? EveryCellStoppedSince
    {
        get
        {
            DateTimeOffset? earliest = null;
            foreach (var cell in Root.GetProperty("cells").EnumerateArray())
            {
                if (!cell.TryGetProperty("stop_held_since", out var since) || since.ValueKind != JsonValueKind.String)
                {
                    return null;
                }

                var at = Timestamp(since);
                earliest = earliest is null || at < earliest ? at : earliest;
            }

            return earliest;
        }
    }

    /// <summary>Whether the file has the <c>last_record_at</c> field at all (agents before it did not write it).</summary>
    public bool HasLastRecord => Root.TryGetProperty("last_record_at", out _);

    /// <summary>Reads the status at <paramref name="path"/> and judges it at <paramref name="now"/>.</summary>
    public static AgentStatusFile Read(string path, DateTimeOffset now)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new AgentStatusFile { Kind = AgentStatusKind.Missing };
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(ByteOrderMark.SkipUtf8(bytes.AsMemory()));
        }
        catch (JsonException)
        {
            return new AgentStatusFile { Kind = AgentStatusKind.NotStatus, Bytes = bytes };
        }

        try
        {
            var root = document.RootElement;
            var at = Timestamp(root.GetProperty("at"));
            var pid = root.GetProperty("pid").GetInt32();
            var kind = now - at > StatusFile.StaleAfter || !Directory.Exists($"/proc/{pid}") ? AgentStatusKind.Stale : AgentStatusKind.Running;
            return new AgentStatusFile { Kind = kind, Bytes = bytes, Document = document, Pid = pid, At = at, Age = now - at };
        }
        catch (Exception e) when (e is KeyNotFoundException or InvalidOperationException or FormatException)
        {
            // JSON, but not what the agent writes (another file given, or a field missing).
            document.Dispose();
            return new AgentStatusFile { Kind = AgentStatusKind.NotStatus, Bytes = bytes };
        }
    }

    public void Dispose() => Document?.Dispose();

    private static DateTimeOffset Timestamp(JsonElement value) =>
        DateTimeOffset.Parse(value.GetString() ?? throw new FormatException("a timestamp is null"), CultureInfo.InvariantCulture);
}
