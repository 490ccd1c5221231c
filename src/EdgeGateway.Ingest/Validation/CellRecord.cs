namespace EdgeGateway.Ingest.Validation;

/// <summary>A record of one cell from a gateway's outbox (kpi, state): numbered, so the ingest confirms it to its sender.</summary>
public abstract class CellRecord : IngestRecord
{
    /// <summary>Cell id (tag).</summary>
    public required string Cell { get; init; }

    /// <summary>Per-gateway sequence number.</summary>
    public required long Seq { get; init; }

    /// <summary>Where it came from, for its confirmation.</summary>
    public RecordSender Sender => new(Site, Gateway, Seq);
}
