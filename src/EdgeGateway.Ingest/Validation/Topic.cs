using EdgeGateway.Core;
using EdgeGateway.Core.Kpi;
using EdgeGateway.Core.Payload;

namespace EdgeGateway.Ingest.Validation;

/// <summary>What a topic carries.</summary>
public enum MessageKind
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
}

/// <summary>The levels of a topic the ingest reads (src/docs/payloads-and-topics.md, "MQTT").</summary>
public readonly record struct TopicAddress(MessageKind Kind, string Site, string? Cell, string? Window, string? Gateway);

/// <summary>Parses <c>{prefix}/{site}/{cell}/kpi/{window}</c>, <c>{prefix}/{site}/{cell}/state</c> and <c>{prefix}/{site}/status/{gateway}</c>.</summary>
public static class TopicParser
{
    /// <summary>The level under the prefix that holds dead letters (not a valid site for the ingest).</summary>
    public const string DeadLetterLevel = "_deadletter";

    /// <summary>
    /// Splits <paramref name="topic"/> into its ids. A topic <c>{prefix}/{site}/status/state</c> is read as the status of
    /// gateway <c>state</c>, not as the state of a cell named <c>status</c>; <c>{prefix}/{site}/batch/state</c> likewise as
    /// a batch of gateway <c>state</c>.
    /// </summary>
    public static bool TryParse(string prefix, string topic, out TopicAddress address, out Rejection rejection)
    {
        address = default;
        rejection = default;
        if (topic.Length <= prefix.Length || !topic.StartsWith(prefix, StringComparison.Ordinal) || topic[prefix.Length] != '/')
        {
            return Fail($"topic '{InputText.Quote(topic, 64)}' is not under the prefix '{prefix}'", out rejection);
        }

        var levels = topic[(prefix.Length + 1)..].Split('/');
        if (levels[0] == DeadLetterLevel)
        {
            address = new TopicAddress(MessageKind.DeadLetter, "", null, null, null);
            return true;
        }

        MessageKind kind;
        string? cell = null, window = null, gateway = null;
        if (levels.Length == 4 && levels[2] == "kpi")
        {
            (kind, cell, window) = (MessageKind.Kpi, levels[1], levels[3]);
        }
        else if (levels.Length == 3 && levels[1] == "status")
        {
            (kind, gateway) = (MessageKind.Status, levels[2]);
        }
        else if (levels.Length == 3 && levels[1] == RecordBatch.TopicLevel)
        {
            (kind, gateway) = (MessageKind.Batch, levels[2]);
        }
        else if (levels.Length == 3 && levels[2] == "state")
        {
            (kind, cell) = (MessageKind.State, levels[1]);
        }
        else
        {
            return Fail($"topic '{InputText.Quote(topic, 64)}' is not a kpi, state, status or batch topic under '{prefix}'", out rejection);
        }

        if (!Ids.IsValid(levels[0]))
        {
            return Fail($"topic site '{InputText.Quote(levels[0], 64)}' is not an id ({Ids.Rule})", out rejection);
        }

        if (cell is not null && !Ids.IsValid(cell))
        {
            return Fail($"topic cell '{InputText.Quote(cell, 64)}' is not an id ({Ids.Rule})", out rejection);
        }

        if (gateway is not null && !Ids.IsValid(gateway))
        {
            return Fail($"topic gateway '{InputText.Quote(gateway, 64)}' is not an id ({Ids.Rule})", out rejection);
        }

        if (window is not null && !WindowKinds.TryParse(window, out _))
        {
            return Fail($"topic window '{InputText.Quote(window, 64)}' is not one of {string.Join(", ", WindowKinds.Names)}", out rejection);
        }

        address = new TopicAddress(kind, levels[0], cell, window, gateway);
        return true;
    }

    private static bool Fail(string reason, out Rejection rejection)
    {
        rejection = new Rejection(RejectionKind.Topic, reason);
        return false;
    }
}

/// <summary>Programme ids (site, cell, gateway, signal names): 1–64 of <c>A-Z a-z 0-9 . _ -</c>, as the config requires.</summary>
internal static class Ids
{
    public const string Rule = "1-64 of A-Z a-z 0-9 . _ -";

    public static bool IsValid(ReadOnlySpan<char> id)
    {
        if (id.Length is 0 or > 64)
        {
            return false;
        }

        foreach (var c in id)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-'))
            {
                return false;
            }
        }

        return true;
    }
}
