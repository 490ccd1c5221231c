using System.Text.Json;
using EdgeGateway.Core.Configuration;
using EdgeGateway.Core.Payload;
using static EdgeGateway.Ingest.Validation.PayloadProblem;

namespace EdgeGateway.Ingest.Validation;

/// <summary>
/// Reads a status payload (<see cref="StatusPayload"/>): the birth with its outbox and optional delivery counts, or the
/// offline status, whose time is the arrival. Throws <see cref="InvalidPayloadException"/> naming the first field in error.
/// </summary>
internal static class StatusPayloadReader
{
    private const int MaxCells = 1000;

    // 2^53: a byte count beyond it is no longer exact as a JSON number.
    private const double MaxDiskBytes = 9_007_199_254_740_992;

    public static StatusRecord Read(JsonElement root, TopicAddress topic, PayloadClock clock)
    {
        var f = JsonFields.Of(root, "");
        f.Version();
        var site = f.Id(KpiPayload.Site);
        var gateway = f.Id(KpiPayload.Gateway);
        Agree("site", topic.Site, site);
        Agree("gateway", topic.Gateway!, gateway);
        var status = f.OneOf(StatusPayload.Status, StatusPayload.Statuses);
        if (status == StatusPayload.Offline)
        {
            // The last will carries no time: it is published by the broker when the gateway is gone.
            f.End();
            return new StatusRecord { Site = site, Gateway = gateway, Status = status, AtMs = clock.NowMs };
        }

        var at = f.Timestamp(StatusPayload.At, clock);
        var software = f.String(StatusPayload.Software, IsSoftwareVersion, "a software version (1-64 of A-Z a-z 0-9 . + _ -)");
        var sha = f.String(StatusPayload.ConfigSha256, IsSha256, "a SHA-256 in lower-case hex (64 digits)");
        ReadCells(f.Required(StatusPayload.Cells));
        var o = f.Object(StatusPayload.Outbox);
        var depth = o.Integer(StatusPayload.Depth, 0, (long)Large);
        var dropped = o.Integer(StatusPayload.Dropped, 0, (long)Large);
        var corrupt = o.Integer(StatusPayload.Corrupt, 0, (long)Large);
        var oldest = o.NullableNumber(StatusPayload.OldestAgeS, 0, Large);
        o.End();

        // Optional: gateways before delivery confirmations do not send it.
        DeliveryCounts? delivery = null;
        if (f.Optional(StatusPayload.Delivery) is { } element)
        {
            var d = JsonFields.Of(element, StatusPayload.Delivery);
            delivery = new DeliveryCounts(
                d.Integer(StatusPayload.Confirmed, 0, (long)Large), d.Integer(StatusPayload.Unconfirmed, 0, (long)Large), d.NullableNumber(StatusPayload.OldestUnconfirmedAgeS, 0, Large),
                d.Integer(StatusPayload.Resent, 0, (long)Large), d.Integer(StatusPayload.NoSubscriber, 0, (long)Large));
            d.End();
        }

        var clockSynced = f.Boolean(KpiPayload.ClockSynced);

        // The heartbeat fields are optional too: gateways before them do not send them, and each may be null (unknown).
        var uptime = f.OptionalNullableNumber(StatusPayload.UptimeS, 0, Large);
        var lastRecordAge = f.OptionalNullableNumber(StatusPayload.LastRecordAgeS, 0, Large);
        var clockOffset = f.OptionalNullableNumber(StatusPayload.ClockOffsetS, -Large, Large);
        var diskFree = f.OptionalNullableNumber(StatusPayload.DiskFreeBytes, 0, MaxDiskBytes);
        var cpuTemp = f.OptionalNullableNumber(StatusPayload.CpuTempC, -273.15, 1000);
        f.End();
        return new StatusRecord
        {
            Site = site, Gateway = gateway, Status = status, AtMs = at, Software = software, ConfigSha256 = sha,
            OutboxDepth = depth, OutboxDropped = dropped, OutboxCorrupt = corrupt, OutboxOldestAgeS = oldest, Delivery = delivery, ClockSynced = clockSynced,
            UptimeS = uptime, LastRecordAgeS = lastRecordAge, ClockOffsetS = clockOffset, DiskFreeBytes = diskFree is { } bytes ? (long)bytes : null, CpuTempC = cpuTemp,
        };
    }

    private static void ReadCells(JsonElement cells)
    {
        if (cells.ValueKind != JsonValueKind.Array)
        {
            throw Schema($"cells: expected an array of cell ids, got {Describe(cells)}");
        }

        var index = 0;
        foreach (var cell in cells.EnumerateArray())
        {
            if (index == MaxCells)
            {
                throw Range($"cells: more than {MaxCells} cells");
            }

            if (cell.ValueKind != JsonValueKind.String || !Ids.IsValid(cell.GetString()))
            {
                throw Schema($"cells[{index}]: expected a cell id ({Ids.Rule}), got {Describe(cell)}");
            }

            index++;
        }
    }

    private static bool IsSoftwareVersion(string text) => text.Length is > 0 and <= 64 && text.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '+' or '_' or '-');

    private static bool IsSha256(string text) => text.Length == 64 && text.All(c => char.IsAsciiDigit(c) || c is >= 'a' and <= 'f');
}
