namespace EdgeGateway.Core.Kpi;

/// <summary>
/// The windows in progress of a gateway's engine at one instant, so that a restarted agent goes on with them
/// (src/docs/kpi-model.md, "Live starts and restarts"). <paramref name="TakenAtMs"/>: the engine's time when it was taken.
/// </summary>
public sealed record EngineCheckpoint(string Site, long TakenAtMs, IReadOnlyList<CellCheckpoint> Cells);

/// <summary>
/// One cell's windows in progress. <paramref name="BookedThroughMs"/>: time before it is in the windows, time after
/// it is not (a stop whose kind was still open is not booked: it becomes unknown with the gap).
/// </summary>
public sealed record CellCheckpoint(string Cell, long TraceStartMs, long BookedThroughMs, int AuxSignals, IReadOnlyList<KindCheckpoint> Kinds)
{
    /// <summary>The cell's current article (id), or null: a restart goes on making it if it is still configured.</summary>
    public string? Article { get; init; }
}

/// <summary>The open windows of one kind, oldest first.</summary>
public sealed record KindCheckpoint(WindowKind Kind, IReadOnlyList<WindowTotals> Open);
