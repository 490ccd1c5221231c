using System.ComponentModel.DataAnnotations;

namespace EdgeGateway.Agent.Outbox;

/// <summary>Options of the durable outbox (config section <c>Agent:Outbox</c>).</summary>
public sealed class OutboxOptions
{
    /// <summary>Folder of the segment files; the only folder the service writes (systemd ReadWritePaths).</summary>
    [Required]
    public string Directory { get; set; } = "/var/lib/edgegw/outbox";

    /// <summary>Upper bound of the outbox on disk; the oldest records are dropped (and counted) beyond it.</summary>
    [Range(1024 * 1024, long.MaxValue)]
    public long MaxBytes { get; set; } = 512L * 1024 * 1024;

    /// <summary>Records older than this are dropped (and counted) even when there is room.</summary>
    public TimeSpan MaxAge { get; set; } = TimeSpan.FromDays(90);

    /// <summary>Size at which a segment file is closed and a new one started.</summary>
    [Range(64 * 1024, 1024L * 1024 * 1024)]
    public long SegmentBytes { get; set; } = 8 * 1024 * 1024;

    /// <summary>
    /// Appends are fsync'd at most this long after they were made (batched, kind to SD cards): the loss window
    /// on power failure. A process kill loses nothing that was appended.
    /// </summary>
    public TimeSpan FlushInterval { get; set; } = TimeSpan.FromSeconds(1);
}
