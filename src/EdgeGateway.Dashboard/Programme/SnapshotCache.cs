using System.Security.Cryptography;
using EdgeGateway.Dashboard.Hosting;
using EdgeGateway.Evaluation.Register;
using EdgeGateway.Evaluation.Results;
using EdgeGateway.Queries;

namespace EdgeGateway.Dashboard.Programme;

/// <summary>The programme's data cannot be read now (InfluxDB silent, register broken); the message says what and where.</summary>
public sealed class DataUnavailableException(string message) : Exception(message);

/// <summary>
/// The current <see cref="ProgrammeSnapshot"/>. The data version — the register file's SHA-256 and the day records'
/// count and last time (<see cref="DataVersionQuery"/>, one cheap request) — is asked at most every
/// <c>DataCheckSeconds</c>, or at once after <see cref="Invalidate"/> (the Refresh button); a new version reads the
/// register cells' day records and weeks (two queries) and starts the evaluation in the background. One reader at a time
/// builds; requests meanwhile wait for it, and every other request is served from memory.
/// </summary>
public sealed partial class SnapshotCache(DashboardSettings settings, InfluxQueryClient influx, TimeProvider time, ILogger<SnapshotCache> logger) : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private volatile ProgrammeSnapshot? _current;
    private long _checkedAt = long.MinValue;

    /// <inheritdoc/>
    public void Dispose() => _gate.Dispose();

    /// <summary>Makes the next request ask InfluxDB for the data version.</summary>
    public void Invalidate() => Interlocked.Exchange(ref _checkedAt, long.MinValue);

    /// <summary>The snapshot of the current data version.</summary>
    /// <exception cref="DataUnavailableException">InfluxDB does not answer or rejects the query, or the register is not valid.</exception>
    public async Task<ProgrammeSnapshot> CurrentAsync(CancellationToken cancel)
    {
        if (Fresh() is { } fresh)
        {
            return fresh;
        }

        await _gate.WaitAsync(cancel).ConfigureAwait(false);
        try
        {
            if (Fresh() is { } built)
            {
                return built;
            }

            // InfluxQueryClient is synchronous: off the request thread.
            var snapshot = await Task.Run(Check, cancel).ConfigureAwait(false);
            Interlocked.Exchange(ref _checkedAt, time.GetTimestamp());
            return snapshot;
        }
        finally
        {
            _gate.Release();
        }
    }

    private ProgrammeSnapshot? Fresh()
    {
        var checkedAt = Interlocked.Read(ref _checkedAt);
        return _current is { } current && checkedAt != long.MinValue && time.GetElapsedTime(checkedAt).TotalSeconds < settings.Options.DataCheckSeconds ? current : null;
    }

    private ProgrammeSnapshot Check()
    {
        byte[] registerBytes;
        try
        {
            registerBytes = File.ReadAllBytes(settings.RegisterPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DataUnavailableException($"{settings.RegisterPath}: cannot read the register: {e.Message}");
        }

        var to = settings.WindowEnd(time);
        var version = $"{Convert.ToHexString(SHA256.HashData(registerBytes))[..12]}/{Ask(() => DataVersionQuery.Read(influx.Query(DataVersionQuery.Query())))}/{to:yyyy-MM-dd}";
        if (_current is { } current && current.Version == version)
        {
            return current;
        }

        var problems = new List<string>();
        var register = DashboardSettings.ReadRegister(settings.RegisterPath, problems)
            ?? throw new DataUnavailableException(string.Join("\n", problems));
        var snapshot = Build(version, register, to);
        _current = snapshot;
        var withData = snapshot.Cells.Count(c => c.Days is not null);
        Log.NewVersion(logger, version, withData, snapshot.Cells.Count);
        return snapshot;
    }

    private ProgrammeSnapshot Build(string version, IReadOnlyList<RegisterEntry> register, DateOnly to)
    {
        var from = settings.From;
        var days = Ask(() => ProgrammeDays.Read(influx, register, from, to));
        var start = new DateTimeOffset(from.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var end = new DateTimeOffset(to.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var weeks = Ask(() => WeeklyKpis.Read(influx.Query(WeeklyKpis.Query(start, end, null))));
        var daysById = days.Registered.ToDictionary(c => (c.Site, c.Cell));
        var weeksById = weeks.GroupBy(c => (c.Site, c.Cell)).ToDictionary(g => g.Key, g => g.First());
        var cells = register.Select(e => new ProgrammeCell(
            e, daysById.GetValueOrDefault((e.Site, e.Cell)), weeksById.GetValueOrDefault((e.Site, e.Cell)),
            ProgrammeSnapshot.Coverage(daysById.GetValueOrDefault((e.Site, e.Cell)), from, to))).ToList();
        var options = settings.Evaluation(to);
        var evaluation = days.Registered.Count == 0
            ? Task.FromException<EvaluationResult>(new DataUnavailableException($"no day records of the register's cells from {from:yyyy-MM-dd} to {to:yyyy-MM-dd}"))
            : Task.Run(() => days.Evaluate(register, options));
        return new ProgrammeSnapshot(version, from, to, cells, days.Unregistered, time.GetUtcNow(), evaluation);
    }

    private static T Ask<T>(Func<T> query)
    {
        try
        {
            return query();
        }
        catch (Exception e) when (e is InfluxUnreachableException or InfluxQueryException)
        {
            throw new DataUnavailableException(e.Message);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Data version {Version}: {WithData} of {Cells} register cells with day records")]
        public static partial void NewVersion(ILogger logger, string version, int withData, int cells);
    }
}
