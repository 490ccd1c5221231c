using EdgeGateway.Core.Configuration;
using EdgeGateway.Core.Kpi;

namespace EdgeGateway.Core.Payload;

/// <summary>
/// The topic scheme (src/docs/payloads-and-topics.md, "MQTT"), built by the agent and parsed by the ingest:
/// <c>{prefix}/{site}/{cell}/kpi/{window}</c>, <c>{prefix}/{site}/{cell}/state</c>, the retained
/// <c>{prefix}/{site}/status/{gateway}</c>, <c>{prefix}/{site}/batch/{gateway}</c> and the confirmations on
/// <c>{confirmPrefix}/{site}/{gateway}</c>; the remote commands to a gateway on <c>{prefix}/{site}/command/{gateway}</c> and
/// its replies on <c>{prefix}/{site}/reply/{gateway}</c> (src/docs/payloads-and-topics.md, "Commands"). Everything a gateway
/// writes lies under its site, so a broker ACL on <c>{prefix}/{site}/#</c> confines it. An instance holds one gateway's topics.
/// </summary>
public sealed class TopicScheme(string prefix, string site, string gateway)
{
    /// <summary>The default topic prefix of the records (agent and ingest): schema v1.</summary>
    public const string DefaultPrefix = "edgegw/v1";

    /// <summary>The level of a KPI topic before its window kind.</summary>
    public const string KpiLevel = "kpi";

    /// <summary>The last level of a state topic.</summary>
    public const string StateLevel = "state";

    /// <summary>The level of a status topic before its gateway.</summary>
    public const string StatusLevel = "status";

    /// <summary>The level that marks a batch: <c>{prefix}/{site}/batch/{gateway}</c>.</summary>
    public const string BatchLevel = "batch";

    /// <summary>The level of a command topic before its gateway: <c>{prefix}/{site}/command/{gateway}</c>.</summary>
    public const string CommandLevel = "command";

    /// <summary>The level of a command reply topic before its gateway: <c>{prefix}/{site}/reply/{gateway}</c>.</summary>
    public const string ReplyLevel = "reply";

    /// <summary>The levels a cell may not be named: its state topic <c>{prefix}/{site}/{cell}/state</c> would be a gateway's topic.</summary>
    public static IReadOnlyList<string> GatewayLevels { get; } = [StatusLevel, BatchLevel, CommandLevel, ReplyLevel];

    /// <summary>The level under the prefix that holds the ingest's dead letters (not a valid site).</summary>
    public const string DeadLetterLevel = "_deadletter";

    /// <summary>The retained birth / last-will topic of this gateway.</summary>
    public string Status { get; } = StatusTopic(prefix, site, gateway);

    /// <summary>This gateway's batches of records (src/docs/payloads-and-topics.md, "Batches").</summary>
    public string Batch { get; } = BatchTopic(prefix, site, gateway);

    /// <summary>The commands to this gateway (src/docs/payloads-and-topics.md, "Commands").</summary>
    public string Command { get; } = CommandTopic(prefix, site, gateway);

    /// <summary>This gateway's replies to its commands.</summary>
    public string Reply { get; } = ReplyTopic(prefix, site, gateway);

    /// <summary>Everything of the site (for subscribers and ACLs).</summary>
    public string SiteFilter { get; } = $"{prefix}/{site}/#";

    /// <summary>KPI records of one cell and window kind.</summary>
    public string Kpi(string cell, WindowKind kind) => KpiTopic(prefix, site, cell, kind);

    /// <summary>State changes of one cell.</summary>
    public string State(string cell) => StateTopic(prefix, site, cell);

    /// <summary>Every topic under <paramref name="prefix"/>: <c>{prefix}/#</c> (the ingest's subscription).</summary>
    public static string AllFilter(string prefix) => $"{prefix}/#";

    /// <summary><c>{prefix}/{site}/{cell}/kpi/{window}</c>.</summary>
    public static string KpiTopic(string prefix, string site, string cell, WindowKind kind) => $"{prefix}/{site}/{cell}/{KpiLevel}/{kind.Name()}";

    /// <summary><c>{prefix}/{site}/{cell}/state</c>.</summary>
    public static string StateTopic(string prefix, string site, string cell) => $"{prefix}/{site}/{cell}/{StateLevel}";

    /// <summary><c>{prefix}/{site}/status/{gateway}</c>.</summary>
    public static string StatusTopic(string prefix, string site, string gateway) => $"{prefix}/{site}/{StatusLevel}/{gateway}";

    /// <summary><c>{prefix}/{site}/batch/{gateway}</c>.</summary>
    public static string BatchTopic(string prefix, string site, string gateway) => $"{prefix}/{site}/{BatchLevel}/{gateway}";

    /// <summary><c>{prefix}/{site}/command/{gateway}</c>; <c>+</c> as the gateway gives the filter of every gateway of the site.</summary>
    public static string CommandTopic(string prefix, string site, string gateway) => $"{prefix}/{site}/{CommandLevel}/{gateway}";

    /// <summary><c>{prefix}/{site}/reply/{gateway}</c>.</summary>
    public static string ReplyTopic(string prefix, string site, string gateway) => $"{prefix}/{site}/{ReplyLevel}/{gateway}";

    /// <summary>The topic a gateway reads its delivery confirmations on: <c>{confirmPrefix}/{site}/{gateway}</c>.</summary>
    public static string ConfirmationTopic(string confirmPrefix, string site, string gateway) => $"{confirmPrefix}/{site}/{gateway}";

    /// <summary>The topic of the ingest's dead letters of one kind: <c>{prefix}/_deadletter/{kind}</c>.</summary>
    public static string DeadLetterTopic(string prefix, string kind) => $"{prefix}/{DeadLetterLevel}/{kind}";

    /// <summary>
    /// Splits <paramref name="topic"/> into its ids; false with the <paramref name="problem"/> (one line) when it is not
    /// a topic of the scheme under <paramref name="prefix"/>. A topic <c>{prefix}/{site}/status/state</c> is read as the
    /// status of gateway <c>state</c>, not as the state of a cell named <c>status</c>; <c>{prefix}/{site}/batch/state</c>,
    /// <c>…/command/state</c> and <c>…/reply/state</c> likewise as gateway <c>state</c>'s (<see cref="GatewayLevels"/>).
    /// </summary>
    public static bool TryParse(string prefix, string topic, out TopicAddress address, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        ArgumentNullException.ThrowIfNull(topic);
        address = default;
        problem = null;
        if (topic.Length <= prefix.Length || !topic.StartsWith(prefix, StringComparison.Ordinal) || topic[prefix.Length] != '/')
        {
            return Fail($"topic '{InputText.Quote(topic, 64)}' is not under the prefix '{prefix}'", out problem);
        }

        var levels = topic[(prefix.Length + 1)..].Split('/');
        if (levels[0] == DeadLetterLevel)
        {
            address = new TopicAddress(TopicKind.DeadLetter, "", null, null, null);
            return true;
        }

        TopicKind kind;
        string? cell = null, window = null, gateway = null;
        if (levels.Length == 4 && levels[2] == KpiLevel)
        {
            (kind, cell, window) = (TopicKind.Kpi, levels[1], levels[3]);
        }
        else if (levels.Length == 3 && levels[1] == StatusLevel)
        {
            (kind, gateway) = (TopicKind.Status, levels[2]);
        }
        else if (levels.Length == 3 && levels[1] == BatchLevel)
        {
            (kind, gateway) = (TopicKind.Batch, levels[2]);
        }
        else if (levels.Length == 3 && levels[1] == CommandLevel)
        {
            (kind, gateway) = (TopicKind.Command, levels[2]);
        }
        else if (levels.Length == 3 && levels[1] == ReplyLevel)
        {
            (kind, gateway) = (TopicKind.Reply, levels[2]);
        }
        else if (levels.Length == 3 && levels[2] == StateLevel)
        {
            (kind, cell) = (TopicKind.State, levels[1]);
        }
        else
        {
            return Fail($"topic '{InputText.Quote(topic, 64)}' is not a kpi, state, status, batch, command or reply topic under '{prefix}'", out problem);
        }

        if (!Ids.IsValid(levels[0]))
        {
            return Fail($"topic site '{InputText.Quote(levels[0], 64)}' is not an id ({Ids.Rule})", out problem);
        }

        if (cell is not null && !Ids.IsValid(cell))
        {
            return Fail($"topic cell '{InputText.Quote(cell, 64)}' is not an id ({Ids.Rule})", out problem);
        }

        if (gateway is not null && !Ids.IsValid(gateway))
        {
            return Fail($"topic gateway '{InputText.Quote(gateway, 64)}' is not an id ({Ids.Rule})", out problem);
        }

        if (window is not null && !WindowKinds.TryParse(window, out _))
        {
            return Fail($"topic window '{InputText.Quote(window, 64)}' is not one of {string.Join(", ", WindowKinds.Names)}", out problem);
        }

        address = new TopicAddress(kind, levels[0], cell, window, gateway);
        return true;
    }

    private static bool Fail(string reason, out string? problem)
    {
        problem = reason;
        return false;
    }
}
