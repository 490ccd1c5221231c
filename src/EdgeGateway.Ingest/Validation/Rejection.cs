namespace EdgeGateway.Ingest.Validation;

/// <summary>Why a message was dead-lettered, by class; the class names the dead-letter topic and the counter.</summary>
public enum RejectionKind
{
    /// <summary>The topic is not a kpi, state, status or batch topic, or one of its ids is malformed.</summary>
    Topic,

    /// <summary>The payload is larger than <c>Ingest:MaxPayloadBytes</c>.</summary>
    Oversize,

    /// <summary>The payload is not UTF-8.</summary>
    Encoding,

    /// <summary>The payload is empty or not one well-formed JSON value.</summary>
    Json,

    /// <summary>A field is missing, unknown, repeated or of the wrong type.</summary>
    Schema,

    /// <summary>A value is out of its range, or values contradict each other (end before start, buckets not adding up).</summary>
    Range,

    /// <summary>The ids in the topic differ from the ids in the payload.</summary>
    Mismatch,

    /// <summary>The database refused the point as invalid (or too large to write on its own).</summary>
    Database,

    /// <summary>A time lies before <c>Ingest:EarliestTime</c> or further in the future than <c>Ingest:MaxFutureSkew</c>: the gateway's clock is wrong.</summary>
    Time,

    /// <summary>
    /// The sender is not who the fleet file (<c>Ingest:FleetFile</c>) says may send it: a site, cell or gateway it does
    /// not list, a record of a cell whose gateway is another, a batch holding another gateway's cell. Confirmed to nobody.
    /// </summary>
    Identity,
}

/// <summary>Contract names of <see cref="RejectionKind"/> (the last level of the dead-letter topic).</summary>
public static class RejectionKinds
{
    /// <summary>All names, in enum order.</summary>
    public static readonly IReadOnlyList<string> Names = ["topic", "oversize", "encoding", "json", "schema", "range", "mismatch", "database", "time", "identity"];

    /// <summary>Number of kinds.</summary>
    public static int Count => Names.Count;

    /// <summary>The contract name, e.g. <c>range</c>.</summary>
    public static string Name(this RejectionKind kind) => Names[(int)kind];
}

/// <summary>A message that cannot be stored: the class and one line saying exactly what is wrong.</summary>
public readonly record struct Rejection(RejectionKind Kind, string Reason);
