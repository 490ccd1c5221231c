using System.Globalization;
using EdgeGateway.Cli.Status;

namespace EdgeGateway.Cli.Doctor;

/// <summary>
/// The <c>agent</c> and <c>last record</c> lines of <c>edgegw doctor</c>, from the status file the running agent rewrites
/// every 2 s (read by <see cref="AgentStatusFile"/>, as <c>edgegw status</c> reads it).
/// </summary>
internal static class AgentChecks
{
    /// <summary>A record younger than this is on time: the <c>1m</c> window makes one a minute, give or take the engine's turn.</summary>
    public static readonly TimeSpan RecordOnTime = TimeSpan.FromMinutes(2);

    /// <summary>No record for longer than this while the agent runs: it measures nothing.</summary>
    public static readonly TimeSpan RecordMissing = TimeSpan.FromMinutes(10);

    private const string Fix = "systemctl status edgegw; journalctl -u edgegw says why";

    /// <summary>
    /// The lines for <paramref name="status"/>: <c>agent</c> always, <c>last record</c> when it runs.
    /// <paramref name="everyMinute"/>: whether the config has the <c>1m</c> window (null without a valid config, taken as
    /// yes: the default windows have it); without it records come per shift or day and their age says nothing.
    /// </summary>
    public static DoctorCheck[] Run(AgentStatusFile status, string statusPath, DateTimeOffset now, bool? everyMinute)
    {
        switch (status.Kind)
        {
            case AgentStatusKind.Missing:
                return [DoctorCheck.Fail("agent", $"not running (no status at {statusPath})", Fix)];
            case AgentStatusKind.NotStatus:
                return [NotStatus(statusPath)];
            case AgentStatusKind.Stale:
                return [DoctorCheck.Fail("agent", string.Create(CultureInfo.InvariantCulture, $"not running (its status at {statusPath} is {status.Age.TotalSeconds:F0} s old)"), Fix)];
        }

        try
        {
            var records = status.Records;
            var agent = status.BrokerConnected
                ? DoctorCheck.Ok("agent", $"running (pid {status.Pid}), {records} records computed, connected to the broker")
                : DoctorCheck.Warn("agent", $"running (pid {status.Pid}), {records} records computed, not connected: {status.BrokerLastError ?? "connecting"}", "see the broker lines above");
            return [agent, LastRecord(status, now, everyMinute ?? true)];
        }
        catch (Exception e) when (e is KeyNotFoundException or InvalidOperationException or FormatException)
        {
            return [NotStatus(statusPath)];
        }
    }

    /// <summary>How old the agent's last window record is: ok within 2 min, warn beyond, fail beyond 10 min.</summary>
    private static DoctorCheck LastRecord(AgentStatusFile status, DateTimeOffset now, bool everyMinute)
    {
        const string Name = "last record";
        if (!status.HasLastRecord)
        {
            return DoctorCheck.Warn(Name, "the status file does not say (an agent older than its last_record_at field)", "update edgegw and restart the agent (systemctl restart edgegw)");
        }

        // None yet: the time since the agent started counts instead (the same status file says it).
        var (age, said) = status.LastRecordAt is { } last
            ? (now - last, $"{Seconds(now - last)} ago, at {last.UtcDateTime:yyyy-MM-dd HH:mm:ss}Z")
            : status.Start is var (started, _)
                ? (now - started, $"none in the {Seconds(now - started)} since the agent started")
                : (TimeSpan.Zero, "none yet");
        if (!everyMinute)
        {
            return DoctorCheck.Ok(Name, $"{said} (no 1m window: records come per shift or day)");
        }

        // Every cell holds a stop back until it is final (a reason may still come): no record is due before then.
        if (age > RecordOnTime && status.EveryCellStoppedSince is { } stopped && now - stopped < TimeSpan.FromDays(1))
        {
            return DoctorCheck.Ok(Name, $"{said}; every cell is stopped (the first since {stopped.UtcDateTime:HH:mm:ss}Z) and its records wait until the stop is final");
        }

        return age <= RecordOnTime ? DoctorCheck.Ok(Name, said)
            : age <= RecordMissing ? DoctorCheck.Warn(Name, $"{said}: over 2 min, though the 1m window makes one a minute", "watch edgegw status; journalctl -u edgegw says whether the engine or a sensor hangs")
            : DoctorCheck.Fail(Name, $"{said}: the agent runs but has computed no record for over 10 min", "journalctl -u edgegw says why; systemctl restart edgegw");
    }

    private static DoctorCheck NotStatus(string statusPath) =>
        DoctorCheck.Fail("agent", $"{statusPath} is not the agent's status", "give --status-file the agent's Agent.StatusFile");

    private static string Seconds(TimeSpan age) => string.Create(CultureInfo.InvariantCulture, $"{Math.Max(0, age.TotalSeconds):F0} s");
}
