namespace EdgeGateway.Ingest.Writing;

/// <summary>Writes a batch of points to the database and says what happened; never throws for a database or network failure.</summary>
public interface IPointWriter
{
    /// <summary>
    /// Writes <paramref name="lines"/> as one request: each the line protocol of one point, as
    /// <see cref="Points.PointBuilder"/> makes it (millisecond timestamps).
    /// </summary>
    Task<WriteOutcome> WriteAsync(IReadOnlyList<string> lines, CancellationToken cancellationToken);

    /// <summary>Gets the database ready (creates it where that is the writer's job); called once at start, best effort.</summary>
    Task<WriteOutcome> PrepareAsync(CancellationToken cancellationToken) => Task.FromResult(WriteOutcome.Ok);
}

/// <summary>What the database made of a write.</summary>
public enum WriteStatus
{
    /// <summary>Accepted (2xx): the points are stored.</summary>
    Ok,

    /// <summary>Overloaded (429, 503): try again after <see cref="WriteOutcome.RetryAfter"/> (null: back off).</summary>
    RetryAfter,

    /// <summary>The request is too large (413): split it.</summary>
    TooLarge,

    /// <summary>The request holds invalid points (400): find them, dead-letter them, write the rest.</summary>
    RejectedInvalid,

    /// <summary>Anything else (network, timeout, 5xx, authentication, missing database): back off and try again.</summary>
    Failed,
}

/// <summary>The outcome of one write: status, the server's reason, and a Retry-After when it sent one.</summary>
public readonly record struct WriteOutcome(WriteStatus Status, string? Reason = null, TimeSpan? RetryAfter = null)
{
    /// <summary>Accepted.</summary>
    public static WriteOutcome Ok { get; } = new(WriteStatus.Ok);
}
