namespace EdgeGateway.Agent.Status;

/// <summary>
/// What the heartbeat reports about the machine: the agent's uptime, free disk on the outbox's file system and the CPU
/// temperature. Read once per heartbeat, so plain file and statvfs reads suffice; every reading is null when unknown.
/// </summary>
public sealed class HostReadings(TimeProvider time, string thermalPath = HostReadings.DefaultThermalPath)
{
    /// <summary>The first thermal zone, the SoC on a Raspberry Pi; absent on boards (and containers) without a sensor.</summary>
    public const string DefaultThermalPath = "/sys/class/thermal/thermal_zone0/temp";

    private readonly long _started = time.GetTimestamp();

    /// <summary>Seconds since this instance was made (at the agent's start).</summary>
    public double UptimeS => Math.Round(time.GetElapsedTime(_started).TotalSeconds, 3);

    /// <summary>Bytes available to an unprivileged writer on the file system holding <paramref name="directory"/>; null when it cannot be read.</summary>
    public static long? DiskFreeBytes(string directory)
    {
        try
        {
            return new DriveInfo(Path.GetFullPath(directory)).AvailableFreeSpace;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return null;
        }
    }

    /// <summary>The CPU temperature in °C from the thermal zone (millidegrees in the file); null when absent or unreadable.</summary>
    public double? CpuTempC()
    {
        string text;
        try
        {
            text = File.ReadAllText(thermalPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        return long.TryParse(text.AsSpan().Trim(), System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var milli)
            ? milli / 1000.0
            : null;
    }
}
