namespace EdgeGateway.Ingest.Validation;

/// <summary>Where a record from a gateway's outbox came from: its site (from the topic), gateway and sequence number.</summary>
public readonly record struct RecordSender(string Site, string Gateway, long Seq);

/// <summary>A validated message, ready to become one point.</summary>
public abstract class IngestRecord
{
    /// <summary>Site id (tag).</summary>
    public required string Site { get; init; }

    /// <summary>The gateway that sent it.</summary>
    public required string Gateway { get; init; }
}

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
