namespace EdgeGateway.Core.Payload;

/// <summary>What a gateway's birth message says about it (<see cref="StatusPayload"/>, status <c>online</c>).</summary>
public sealed record GatewayBirth(
    string Site,
    string Gateway,
    long AtMs,
    string Software,
    string ConfigSha256,
    IReadOnlyList<string> Cells,
    OutboxCounts Outbox,
    DeliveryCounts Delivery,
    bool ClockSynced,
    GatewayHealth Health);

/// <summary>A birth message's <c>outbox</c> object: records waiting, dropped, corrupt, and the oldest one's age in seconds.</summary>
public readonly record struct OutboxCounts(long Depth, long Dropped, long Corrupt, double? OldestAgeS);

/// <summary>A birth message's <c>delivery</c> object (src/docs/payloads-and-topics.md, "Delivery confirmations").</summary>
public sealed record DeliveryCounts(long Confirmed, long Unconfirmed, double? OldestUnconfirmedAgeS, long Resent, long NoSubscriber);
