using EdgeGateway.Core.Kpi;
using EdgeGateway.Core.Payload;

namespace EdgeGateway.Agent.Status;

/// <summary>
/// One cell as the status shows it: its state, the shift so far, its current article (id or null), and the stop whose
/// records wait until it is final (since when, its reason so far; src/docs/kpi-model.md, "Stops and reasons").
/// </summary>
public sealed record CellStatus(string Id, MachineState State, double? ShiftOee, long? ShiftStartMs)
{
    public string? Article { get; init; }

    public long? StopHeldSinceMs { get; init; }

    public string? StopReason { get; init; }
}

/// <summary>
/// What the running agent knows about itself, shared between its workers: each worker replaces its part as a
/// whole (immutable values, atomic reference writes), the status writer reads them.
/// </summary>
public sealed class AgentState
{
    private volatile BrokerState _broker = new(Connected: false, SinceMs: null, LastError: null);
    private volatile IReadOnlyList<CellStatus> _cells = [];

    /// <summary>The broker connection.</summary>
    public BrokerState Broker
    {
        get => _broker;
        set => _broker = value;
    }

    /// <summary>The cells, from the engine.</summary>
    public IReadOnlyList<CellStatus> Cells
    {
        get => _cells;
        set => _cells = value;
    }

    /// <summary>Sensor faults seen since the agent started.</summary>
    public long SensorFaults { get; set; }

    /// <summary>Whether the system clock is NTP-synchronised.</summary>
    public bool ClockSynced { get; set; }

    /// <summary>The clock's offset from its NTP source in seconds, from the same adjtimex call; null when unknown.</summary>
    public double? ClockOffsetS { get; set; }

    /// <summary>When the engine last emitted a window record (Unix ms, to the engine's one-second status turn); null before the first.</summary>
    public long? LastRecordMs { get; set; }

    /// <summary>Window records computed since the agent started.</summary>
    public long Records { get; set; }

    /// <summary>
    /// When the agent started and its outbox's next sequence number then (set once by the status writer's first turn):
    /// with the next sequence now, what the agent appends to the outbox a day, measured (<c>edgegw doctor</c>'s disk line).
    /// </summary>
    public AgentStart? Start { get; set; }

    /// <summary>The backend's confirmations, from the publisher.</summary>
    public DeliveryState Delivery { get; set; } = new(0, 0, 0);
}

/// <summary>
/// Delivery as the backend confirms it, since the agent started: records confirmed stored, records sent again because no
/// confirmation came in time, and publishes the broker acknowledged with "no matching subscribers" (nobody received them).
/// What is not yet confirmed is what the outbox holds (its depth and oldest age).
/// </summary>
public sealed record DeliveryState(long Confirmed, long Resent, long NoSubscriber)
{
    /// <summary>
    /// The <c>delivery</c> object of the status file and the birth message: these counts, and as unconfirmed what the
    /// outbox holds (a record leaves it only when it and every older one are confirmed) with the oldest one's age.
    /// </summary>
    public void Write(System.Text.Json.Utf8JsonWriter json, EdgeGateway.Agent.Outbox.OutboxStatus outbox) =>
        StatusPayload.WriteDelivery(json, Counts(outbox));

    /// <summary>These counts with what <paramref name="outbox"/> holds unconfirmed.</summary>
    public DeliveryCounts Counts(EdgeGateway.Agent.Outbox.OutboxStatus outbox) =>
        new(Confirmed, outbox.Depth, outbox.OldestAge is { } age ? Math.Round(age.TotalSeconds, 3) : null, Resent, NoSubscriber);
}

/// <summary>When the agent started (Unix ms) and the outbox's next sequence number then.</summary>
public sealed record AgentStart(long AtMs, long Sequence);

/// <summary>The broker connection as the status shows it.</summary>
public sealed record BrokerState(bool Connected, long? SinceMs, string? LastError);
