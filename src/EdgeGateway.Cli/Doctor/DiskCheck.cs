using System.Globalization;
using EdgeGateway.Agent.Hosting;
using EdgeGateway.Cli.Status;
using EdgeGateway.Core.Configuration;
using EdgeGateway.Hosting;

namespace EdgeGateway.Cli.Doctor;

/// <summary>
/// The <c>disk</c> line of <c>edgegw doctor</c>: free space for the outbox, and how many days of broker outage it holds —
/// records a day measured from what the running agent appended to its outbox since it started (kpi and state records)
/// once it has run an hour, else reckoned from the config's cells and windows; bytes a record measured in the running
/// agent's outbox when it holds any, else an estimate. The line says which.
/// </summary>
internal static class DiskCheck
{
    /// <summary>A record in the outbox, about (the KPI payload and its frame): the estimate while the outbox is empty.</summary>
    internal const int EstimatedRecordBytes = 1100;

    /// <summary>Days of broker outage the outbox should hold: a week, so that a broker down over a holiday loses nothing.</summary>
    internal const double WantedDays = 7;

    /// <summary>How long the agent must have run before its append rate counts: shorter, a burst of state changes or the start's records weigh too much.</summary>
    public static readonly TimeSpan MeasureAfter = TimeSpan.FromHours(1);

    public static DoctorCheck Run(GatewayConfig gateway, AgentOptions options, AgentStatusFile status)
    {
        var directory = options.Outbox.Directory;
        long free;
        try
        {
            // The agent makes the outbox folder on its first start; before, its nearest existing parent tells the file system.
            var existing = Path.GetFullPath(directory);
            while (!Directory.Exists(existing) && Path.GetDirectoryName(existing) is { } parent)
            {
                existing = parent;
            }

            free = new DriveInfo(existing).AvailableFreeSpace;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return DoctorCheck.Fail("disk", $"cannot tell the free space of {directory}: {StorageErrors.Reason(e)}", "check Agent.Outbox.Directory");
        }

        var (perDay, rateHow) = RecordsPerDay(gateway, options, status);
        var (recordBytes, bytesHow) = BytesPerRecord(status);
        var room = Math.Min(free, options.Outbox.MaxBytes);
        var days = room / ((double)perDay * recordBytes);
        var found = string.Create(CultureInfo.InvariantCulture,
            $"{free / 1048576.0:F0} MiB free for {directory}; the outbox (Agent.Outbox.MaxBytes {options.Outbox.MaxBytes / 1048576.0:F0} MiB) holds about {days:F1} days of broker outage at {perDay} records a day ({rateHow}) of {recordBytes} bytes each ({bytesHow})");
        return days >= WantedDays
            ? DoctorCheck.Ok("disk", found)
            : DoctorCheck.Warn("disk", found, "free disk space or raise Agent.Outbox.MaxBytes, so that a week without the broker loses nothing");
    }

    /// <summary>
    /// Records a day: what the running agent appended to its outbox since it started, once it has run
    /// <see cref="MeasureAfter"/>; else from the config (<see cref="ConfiguredRecordsPerDay"/>).
    /// </summary>
    private static (long PerDay, string How) RecordsPerDay(GatewayConfig gateway, AgentOptions options, AgentStatusFile status)
    {
        var configured = $"reckoned from the config's {gateway.Cells.Count} cell{(gateway.Cells.Count == 1 ? "" : "s")} and windows {string.Join(", ", options.EffectiveWindows)}";
        var why = "no running agent to measure";
        if (status.Kind == AgentStatusKind.Running)
        {
            try
            {
                why = "the status file does not say when the agent started";
                if (status.Start is var (startedAt, startSequence))
                {
                    var ran = status.At - startedAt;
                    var appended = status.OutboxNextSequence - startSequence;
                    why = string.Create(CultureInfo.InvariantCulture, $"the agent has run {ran.TotalMinutes:F0} min, under an hour");
                    if (ran >= MeasureAfter && appended > 0)
                    {
                        return ((long)Math.Ceiling(appended / ran.TotalDays),
                            string.Create(CultureInfo.InvariantCulture, $"measured: the agent appended {appended} records to its outbox in {ran.TotalHours:F1} h"));
                    }
                }
            }
            catch (Exception e) when (e is KeyNotFoundException or InvalidOperationException or FormatException)
            {
                // A status without the outbox: the agent line says the file is not the agent's.
                why = "the status file has no outbox";
            }
        }

        return (ConfiguredRecordsPerDay(gateway, options), $"{configured}: {why}");
    }

    /// <summary>Records a day: a <c>1m</c> window is 1440 a cell, a <c>shift</c> window one per shift (at most 3), a <c>day</c> window one.</summary>
    internal static long ConfiguredRecordsPerDay(GatewayConfig gateway, AgentOptions options)
    {
        var perCell = options.EffectiveWindows.Sum(w => w switch { "1m" => 1440, "shift" => 3, "day" => 1, _ => 0 });
        return Math.Max(1, (long)perCell * gateway.Cells.Count);
    }

    /// <summary>Bytes a record takes in the outbox: what the running agent's outbox holds per record, or the estimate.</summary>
    private static (long Bytes, string How) BytesPerRecord(AgentStatusFile status)
    {
        if (status.Kind != AgentStatusKind.Running)
        {
            return (EstimatedRecordBytes, "estimated: no running agent to measure");
        }

        try
        {
            var (depth, bytes) = (status.OutboxDepth, status.OutboxBytes);
            return depth > 0 && bytes > 0
                ? (Math.Max(1, bytes / depth), $"measured: the agent's outbox holds {depth} records in {bytes} bytes")
                : (EstimatedRecordBytes, "estimated: the agent's outbox is empty");
        }
        catch (Exception e) when (e is KeyNotFoundException or InvalidOperationException or FormatException)
        {
            // A status without the outbox: the agent line says the file is not the agent's.
            return (EstimatedRecordBytes, "estimated: the status file has no outbox");
        }
    }
}
