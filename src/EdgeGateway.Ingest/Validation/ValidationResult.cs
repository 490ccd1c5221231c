using EdgeGateway.Core.Payload;

namespace EdgeGateway.Ingest.Validation;

/// <summary>What became of a message: a record to store, a rejection to dead-letter, or one to skip (the ingest's own dead letter, a doctor's probe).</summary>
public readonly struct ValidationResult
{
    private ValidationResult(IngestRecord? record, Rejection rejection, bool ignored, RecordSender? sender, BatchEnvelope? batch = null)
    {
        Record = record;
        Rejection = rejection;
        Ignored = ignored;
        Sender = sender;
        Batch = batch;
    }

    /// <summary>Set when the message is a readable batch: its records, each to be validated with <see cref="MessageValidator.ValidateBatched"/>.</summary>
    public BatchEnvelope? Batch { get; }

    /// <summary>
    /// The gateway and sequence number of a record from a gateway's outbox (kpi, state), valid or not, where they could be
    /// read: the ingest confirms it to that gateway once it is stored or dead-lettered.
    /// </summary>
    public RecordSender? Sender { get; }

    /// <summary>Set when the message is valid.</summary>
    public IngestRecord? Record { get; }

    /// <summary>Set when <see cref="IsRejected"/>.</summary>
    public Rejection Rejection { get; }

    /// <summary>The message is a dead letter the ingest published itself (its subscription covers the dead-letter topic).</summary>
    public bool Ignored { get; }

    /// <summary>The message is invalid.</summary>
    public bool IsRejected => Record is null && !Ignored && Batch is null;

    internal static ValidationResult Accept(IngestRecord record) => new(record, default, ignored: false, record switch
    {
        CellRecord fromOutbox => fromOutbox.Sender,
        _ => null,
    });

    internal static ValidationResult Reject(RejectionKind kind, string reason) => new(null, new Rejection(kind, reason), ignored: false, null);

    internal static ValidationResult Reject(Rejection rejection, RecordSender? sender = null) => new(null, rejection, ignored: false, sender);

    internal static ValidationResult Ignore() => new(null, default, ignored: true, null);

    internal static ValidationResult Split(BatchEnvelope batch) => new(null, default, ignored: false, null, batch);
}

/// <summary>A batch's site and gateway (from its topic, checked against its payload) and its records.</summary>
public sealed record BatchEnvelope(string Site, string Gateway, IReadOnlyList<BatchedRecord> Records);
