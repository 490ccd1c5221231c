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
