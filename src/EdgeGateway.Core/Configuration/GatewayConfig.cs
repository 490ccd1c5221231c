namespace EdgeGateway.Core.Configuration;

/// <summary>The validated configuration of one gateway (section <c>EdgeGateway</c>).</summary>
public sealed record GatewayConfig(string Site, TimeZoneInfo TimeZone, IReadOnlyList<CellConfig> Cells);
