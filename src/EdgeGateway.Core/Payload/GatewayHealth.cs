namespace EdgeGateway.Core.Payload;

/// <summary>
/// A birth message's heartbeat fields (src/docs/payloads-and-topics.md, "Status payload"): how long the agent has run,
/// how long since its last window record, the clock's offset, free disk and CPU temperature; null where unknown.
/// </summary>
public readonly record struct GatewayHealth(double UptimeS, double? LastRecordAgeS, double? ClockOffsetS, long? DiskFreeBytes, double? CpuTempC);
