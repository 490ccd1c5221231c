namespace EdgeGateway.Ingest.Validation;

/// <summary>A machine-state change of a cell.</summary>
public sealed class StateRecord : CellRecord
{
    /// <summary>When the state began, Unix ms.</summary>
    public required long AtMs { get; init; }

    /// <summary><c>unknown</c>, <c>idle</c>, <c>run</c>, <c>down</c> or <c>setup</c>.</summary>
    public required string State { get; init; }
}
