using System.Text.Json;
using EdgeGateway.Core.Kpi;
using EdgeGateway.Core.Traces;

namespace EdgeGateway.Core.Payload;

/// <summary>
/// The retained status payload, schema v1 (src/docs/payloads-and-topics.md, "Status payload"): the birth (<c>online</c>,
/// with what a technician or the backend needs) and the last will (<c>offline</c>, only the ids). Written by the agent,
/// read by the ingest; one message per connect and heartbeat, so it is not written allocation-free.
/// </summary>
public static class StatusPayload
{
    /// <summary><c>online</c> or <c>offline</c>.</summary>
    public const string Status = "status";

    /// <summary>
    /// What <c>edgegw doctor</c> publishes (QoS 1, not retained) to a gateway's status topic to learn whether the broker
    /// lets it publish there: says what it is to a technician watching, and the ingest skips it rather than dead-letter it.
    /// </summary>
    public const string Probe = """{"probe":"edgegw doctor: may this gateway publish here? Not a status, not retained"}""";

    /// <summary>Status value of a birth message.</summary>
    public const string Online = "online";

    /// <summary>Status value of the last will and a clean shutdown.</summary>
    public const string Offline = "offline";

    /// <summary>When the birth message was written.</summary>
    public const string At = "at";

    /// <summary>Software version.</summary>
    public const string Software = "software";

    /// <summary>SHA-256 of the gateway's config.</summary>
    public const string ConfigSha256 = "config_sha256";

    /// <summary>Array of the gateway's cell ids.</summary>
    public const string Cells = "cells";

    /// <summary>Object: <see cref="Depth"/>, <see cref="Dropped"/>, <see cref="Corrupt"/>, <see cref="OldestAgeS"/>.</summary>
    public const string Outbox = "outbox";

    /// <summary><c>outbox.depth</c>.</summary>
    public const string Depth = "depth";

    /// <summary><c>outbox.dropped</c>.</summary>
    public const string Dropped = "dropped";

    /// <summary><c>outbox.corrupt</c>.</summary>
    public const string Corrupt = "corrupt";

    /// <summary><c>outbox.oldest_age_s</c>.</summary>
    public const string OldestAgeS = "oldest_age_s";

    /// <summary>Object (optional): <see cref="Confirmed"/>, <see cref="Unconfirmed"/>, <see cref="OldestUnconfirmedAgeS"/>, <see cref="Resent"/>, <see cref="NoSubscriber"/>.</summary>
    public const string Delivery = "delivery";

    /// <summary><c>delivery.confirmed</c>.</summary>
    public const string Confirmed = "confirmed";

    /// <summary><c>delivery.unconfirmed</c>.</summary>
    public const string Unconfirmed = "unconfirmed";

    /// <summary><c>delivery.oldest_unconfirmed_age_s</c>.</summary>
    public const string OldestUnconfirmedAgeS = "oldest_unconfirmed_age_s";

    /// <summary><c>delivery.resent</c>.</summary>
    public const string Resent = "resent";

    /// <summary><c>delivery.no_subscriber</c>.</summary>
    public const string NoSubscriber = "no_subscriber";

    /// <summary>Seconds the agent process has run (heartbeat; absent from gateways before it).</summary>
    public const string UptimeS = "uptime_s";

    /// <summary>Seconds from the engine's last window record to <see cref="At"/>; null before the first record.</summary>
    public const string LastRecordAgeS = "last_record_age_s";

    /// <summary>The kernel's estimate of the clock's offset from its NTP source, seconds; null when the kernel cannot say.</summary>
    public const string ClockOffsetS = "clock_offset_s";

    /// <summary>Bytes free to the agent on the outbox's file system; null when it cannot be read.</summary>
    public const string DiskFreeBytes = "disk_free_bytes";

    /// <summary>CPU temperature in °C; null where the board has no sensor.</summary>
    public const string CpuTempC = "cpu_temp_c";

    /// <summary>Status values.</summary>
    public static readonly IReadOnlyList<string> Statuses = [Online, Offline];

    /// <summary>The birth payload of <paramref name="birth"/>.</summary>
    public static byte[] Birth(GatewayBirth birth)
    {
        ArgumentNullException.ThrowIfNull(birth);
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            Begin(json, birth.Site, birth.Gateway, Online);
            json.WriteString(At, TraceTimestamp.Format(birth.AtMs));
            json.WriteString(Software, birth.Software);
            json.WriteString(ConfigSha256, birth.ConfigSha256);
            json.WriteStartArray(Cells);
            foreach (var cell in birth.Cells)
            {
                json.WriteStringValue(cell);
            }

            json.WriteEndArray();
            json.WriteStartObject(Outbox);
            json.WriteNumber(Depth, birth.Outbox.Depth);
            json.WriteNumber(Dropped, birth.Outbox.Dropped);
            json.WriteNumber(Corrupt, birth.Outbox.Corrupt);
            Number(json, OldestAgeS, birth.Outbox.OldestAgeS);
            json.WriteEndObject();
            WriteDelivery(json, birth.Delivery);
            json.WriteBoolean(KpiPayload.ClockSynced, birth.ClockSynced);
            json.WriteNumber(UptimeS, birth.Health.UptimeS);
            Number(json, LastRecordAgeS, birth.Health.LastRecordAgeS);
            Number(json, ClockOffsetS, birth.Health.ClockOffsetS);
            if (birth.Health.DiskFreeBytes is { } free)
            {
                json.WriteNumber(DiskFreeBytes, free);
            }
            else
            {
                json.WriteNull(DiskFreeBytes);
            }

            Number(json, CpuTempC, birth.Health.CpuTempC);
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    /// <summary>The offline payload (the last will): only the ids, since the broker publishes it when the gateway is gone.</summary>
    public static byte[] LastWill(string site, string gateway)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            Begin(json, site, gateway, Offline);
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    /// <summary>The <c>delivery</c> object (the birth message's, and the agent's status file's).</summary>
    public static void WriteDelivery(Utf8JsonWriter json, DeliveryCounts delivery)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(delivery);
        json.WriteStartObject(Delivery);
        json.WriteNumber(Confirmed, delivery.Confirmed);
        json.WriteNumber(Unconfirmed, delivery.Unconfirmed);
        Number(json, OldestUnconfirmedAgeS, delivery.OldestUnconfirmedAgeS);
        json.WriteNumber(Resent, delivery.Resent);
        json.WriteNumber(NoSubscriber, delivery.NoSubscriber);
        json.WriteEndObject();
    }

    private static void Begin(Utf8JsonWriter json, string site, string gateway, string status)
    {
        json.WriteStartObject();
        json.WriteNumber(KpiPayload.V, WindowRecord.SchemaVersion);
        json.WriteString(KpiPayload.Site, site);
        json.WriteString(KpiPayload.Gateway, gateway);
        json.WriteString(Status, status);
    }

    private static void Number(Utf8JsonWriter json, string name, double? value)
    {
        if (value is { } v)
        {
            json.WriteNumber(name, v);
        }
        else
        {
            json.WriteNull(name);
        }
    }
}
