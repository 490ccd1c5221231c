namespace EdgeGateway.Core.Payload;

/// <summary>What a topic of the <see cref="TopicScheme"/> carries.</summary>
public enum TopicKind
{
    /// <summary><c>{prefix}/{site}/{cell}/kpi/{window}</c>.</summary>
    Kpi,

    /// <summary><c>{prefix}/{site}/{cell}/state</c>.</summary>
    State,

    /// <summary><c>{prefix}/{site}/status/{gateway}</c>.</summary>
    Status,

    /// <summary><c>{prefix}/_deadletter/…</c>: the ingest's own output, seen again through its subscription; skipped.</summary>
    DeadLetter,

    /// <summary><c>{prefix}/{site}/batch/{gateway}</c>: several kpi and state records of one gateway in one message.</summary>
    Batch,

    /// <summary><c>{prefix}/{site}/command/{gateway}</c>: a remote command to one gateway (not a record; the ingest skips it).</summary>
    Command,

    /// <summary><c>{prefix}/{site}/reply/{gateway}</c>: a gateway's reply to a command (not a record; the ingest skips it).</summary>
    Reply,
}

/// <summary>The levels of a parsed topic (<see cref="TopicScheme.TryParse"/>).</summary>
public readonly record struct TopicAddress(TopicKind Kind, string Site, string? Cell, string? Window, string? Gateway);
