using System.Text;
using System.Text.Json.Nodes;
using CsCheck;
using EdgeGateway.Core.Payload;
using EdgeGateway.Ingest.Validation;

namespace EdgeGateway.Ingest.Tests.Fixtures;

/// <summary>One malformed message and the rejection classes that are right for it.</summary>
internal sealed record MalformedMessage(string Mutation, string Topic, byte[] Payload, long Size, RejectionKind[] Expected)
{
    public override string ToString() => $"{Mutation} on {Topic}: {Encoding.UTF8.GetString(Payload[..Math.Min(Payload.Length, 300)])}";
}

/// <summary>
/// Messages that are invalid by construction: mutations of valid payloads (kpi, state, status, the agent's own output)
/// that no reading of the contract accepts, plus random bytes and random topics.
/// </summary>
internal static class Malformed
{
    public static readonly string[] Mutations =
    [
        "random bytes", "missing field", "wrong type", "huge number", "unknown field", "mismatched topic id", "oversize", "truncated",
        "invalid UTF-8", "ratio out of range", "end not after start", "repeated field", "negative bucket", "NaN token", "random topic",
    ];

    private static readonly RejectionKind[] s_any = Enum.GetValues<RejectionKind>();
    private static readonly string[] s_ratios = ["availability", "technical_efficiency", "setup_rate"];

    /// <summary>The valid messages the mutations start from.</summary>
    public static IReadOnlyList<(string Topic, string Json)> Bases { get; } = BuildBases();

    /// <summary>Generates malformed messages; every mutation is equally likely.</summary>
    public static Gen<MalformedMessage> Gen { get; } = CsCheck.Gen.Select(CsCheck.Gen.Int[0, Mutations.Length - 1], CsCheck.Gen.Int[0, int.MaxValue], Build);

    public static MalformedMessage Build(int mutation, int seed)
    {
        var random = new Random(seed);
        var (topic, json) = Bases[random.Next(Bases.Count)];
        var isKpi = topic.Contains("/kpi/", StringComparison.Ordinal);
        var name = Mutations[mutation];
        switch (name)
        {
            case "random bytes":
                var bytes = new byte[random.Next(0, 400)];
                random.NextBytes(bytes);
                return new(name, topic, bytes, bytes.Length, s_any);

            case "missing field":
                {
                    var root = Parse(json);
                    // Aux, reasons and articles are optional, and so is each of their signals, codes and articles; so are the
                    // fields added after v1.
                    JsonNode?[] optionalObjects = [root["aux"], root["reasons"], root["articles"]];
                    var (parent, key, _) = Pick(
                        Leaves(root, includeObjects: true)
                            .Where(l => !(ReferenceEquals(l.Parent, root) && IsOptional(l.Key)) && !optionalObjects.Contains(l.Parent))
                            .ToList(),
                        random);
                    parent.Remove(key);
                    return Message(name, topic, root.ToJsonString(), RejectionKind.Schema);
                }

            case "wrong type":
                {
                    var root = Parse(json);
                    var (parent, key, node) = Pick(Leaves(root, includeObjects: true), random);
                    parent[key] = WrongType(node, random);
                    return Message(name, topic, root.ToJsonString(), RejectionKind.Schema);
                }

            case "huge number":
                {
                    var root = Parse(json);
                    var (parent, key, _) = Pick(Leaves(root, includeObjects: false).Where(l => l.Node is JsonValue v && v.GetValueKind() == System.Text.Json.JsonValueKind.Number).ToList(), random);
                    var huge = new[] { "1e300", "-1e300", "1e400", "-1e400", "1.7976931348623157e308", "123456789012345678901234567890" }[random.Next(6)];
                    parent[key] = JsonNode.Parse(huge);
                    return Message(name, topic, root.ToJsonString(), RejectionKind.Range, RejectionKind.Schema);
                }

            case "unknown field":
                {
                    var root = Parse(json);
                    // Not in reasons, where a new name is a reason code (its number then out of range, or not).
                    var objects = Leaves(root, includeObjects: true).Where(l => l.Node is JsonObject && l.Key != "reasons").Select(l => (JsonObject)l.Node!).Append(root).ToList();
                    objects[random.Next(objects.Count)]["x_" + random.Next(1000)] = random.Next();
                    return Message(name, topic, root.ToJsonString(), RejectionKind.Schema);
                }

            case "mismatched topic id":
                {
                    var levels = topic.Split('/');
                    var at = random.Next(2, levels.Length);
                    if (levels[at] is "kpi" or "state" or "status")
                    {
                        at = 2;
                    }

                    levels[at] = levels[at] switch
                    {
                        "1m" => "day",
                        "shift" or "day" or "total" => "1m",
                        var id => id + "x",
                    };
                    return Message(name, string.Join('/', levels), json, RejectionKind.Mismatch);
                }

            case "oversize":
                {
                    var padded = json + new string(' ', Payloads.MaxBytes - json.Length + random.Next(1, 2000));
                    var payload = Encoding.UTF8.GetBytes(padded);
                    return new(name, topic, payload, payload.Length, [RejectionKind.Oversize]);
                }

            case "truncated":
                return Message(name, topic, json[..random.Next(json.Length)], RejectionKind.Json);

            case "invalid UTF-8":
                {
                    var payload = Encoding.UTF8.GetBytes(json).ToList();
                    payload.Insert(random.Next(payload.Count + 1), new byte[] { 0xFF, 0xC0, 0x80, 0xED }[random.Next(4)]);
                    return new(name, topic, [.. payload], payload.Count, [RejectionKind.Encoding]);
                }

            case "ratio out of range" when isKpi:
                {
                    var root = Parse(json);
                    root["kpi"]![s_ratios[random.Next(s_ratios.Length)]] = random.Next(2) == 0 ? 1 + random.NextDouble() + 1e-9 : -random.NextDouble() - 1e-9;
                    return Message(name, topic, root.ToJsonString(), RejectionKind.Range);
                }

            case "end not after start" when isKpi:
                {
                    var root = Parse(json);
                    var start = DateTimeOffset.Parse(root["window"]!["start"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);
                    root["window"]!["end"] = Payloads.Time(start.ToUnixTimeMilliseconds() - random.Next(0, 100_000_000));
                    return Message(name, topic, root.ToJsonString(), RejectionKind.Range);
                }

            case "negative bucket" when isKpi:
                {
                    var root = Parse(json);
                    root["buckets"]![KpiPayload.BucketNames[random.Next(7)]] = -1 - random.Next(100_000);
                    return Message(name, topic, root.ToJsonString(), RejectionKind.Range);
                }

            case "repeated field":
                {
                    var key = Parse(json).Select(p => p.Key).ElementAt(random.Next(Parse(json).Count));
                    var repeated = "{\"" + key + "\": 1, " + json.TrimStart()[1..];
                    return Message(name, topic, repeated, RejectionKind.Schema);
                }

            case "NaN token":
                {
                    var token = new[] { "NaN", "Infinity", "-Infinity", "nan", "+1", "01", ".5" }[random.Next(7)];
                    var broken = json.Replace("\"v\": 1", "\"v\": " + token, StringComparison.Ordinal).Replace("\"v\":1", "\"v\":" + token, StringComparison.Ordinal);
                    return Message(name, topic, broken, RejectionKind.Json);
                }

            case "random topic":
                {
                    const string chars = "abcxyz019-_./ $";
                    var tail = new StringBuilder("q");
                    for (var i = random.Next(0, 40); i > 0; i--)
                    {
                        tail.Append(chars[random.Next(chars.Length)]);
                    }

                    return Message(name, $"{Payloads.Prefix}/{tail}", json, s_any);
                }

            default:
                // A KPI-only mutation drawn for another kind: fall back to truncation.
                return Message(name + " (truncated)", topic, json[..random.Next(json.Length)], RejectionKind.Json);
        }
    }

    private static MalformedMessage Message(string mutation, string topic, string json, params RejectionKind[] expected)
    {
        var payload = Encoding.UTF8.GetBytes(json);
        return new(mutation, topic, payload, payload.Length, expected);
    }

    /// <summary>A top-level field a valid payload may leave out.</summary>
    private static bool IsOptional(string key) =>
        key is "aux" or "reasons" or "articles" || KpiFields.All.Any(f => f.Parent.Length == 0 && f.Name == key && f.Optional);

    private static JsonObject Parse(string json) => JsonNode.Parse(json)!.AsObject();

    private static (JsonObject Parent, string Key, JsonNode? Node) Pick(List<(JsonObject Parent, string Key, JsonNode? Node)> leaves, Random random) =>
        leaves[random.Next(leaves.Count)];

    /// <summary>Every field (with its parent) of every object below <paramref name="root"/>; nulls are left out (null is valid for some).</summary>
    private static List<(JsonObject Parent, string Key, JsonNode? Node)> Leaves(JsonObject root, bool includeObjects)
    {
        var leaves = new List<(JsonObject, string, JsonNode?)>();
        foreach (var (key, node) in root)
        {
            if (node is JsonObject child)
            {
                if (includeObjects)
                {
                    leaves.Add((root, key, node));
                }

                leaves.AddRange(Leaves(child, includeObjects));
            }
            else if (node is not null)
            {
                leaves.Add((root, key, node));
            }
        }

        return leaves;
    }

    /// <summary>A value of a JSON type the field never has (never null: some fields may be null).</summary>
    private static JsonNode WrongType(JsonNode? node, Random random)
    {
        var kind = node?.GetValueKind();
        var candidates = new List<Func<JsonNode>>();
        if (kind != System.Text.Json.JsonValueKind.String)
        {
            candidates.Add(() => JsonValue.Create(new[] { "NaN", "Infinity", "-Infinity", "1", "", "x" }[random.Next(6)]));
        }

        if (kind != System.Text.Json.JsonValueKind.Number)
        {
            candidates.Add(() => JsonValue.Create(random.Next(-5, 5)));
        }

        if (kind is not (System.Text.Json.JsonValueKind.True or System.Text.Json.JsonValueKind.False))
        {
            candidates.Add(() => JsonValue.Create(random.Next(2) == 0));
        }

        if (kind != System.Text.Json.JsonValueKind.Array)
        {
            candidates.Add(() => new JsonArray(1, 2));
        }

        if (kind != System.Text.Json.JsonValueKind.Object)
        {
            candidates.Add(() => new JsonObject { ["a"] = 1 });
        }

        return candidates[random.Next(candidates.Count)]();
    }

    private static List<(string, string)> BuildBases()
    {
        var bases = new List<(string, string)>
        {
            (Payloads.KpiTopic, Payloads.Kpi), (Payloads.KpiTopic, Payloads.KpiWithReasonsAndArticles), (Payloads.StateTopic, Payloads.State),
            (Payloads.StatusTopic, Payloads.StatusOnline), (Payloads.StatusTopic, Payloads.StatusOffline),
        };
        var sample = Payloads.SampleRecords();
        foreach (var index in new[] { 0, 1, 500, sample.Count - 3, sample.Count - 2, sample.Count - 1 })
        {
            bases.Add((sample[index].Topic, Encoding.UTF8.GetString(sample[index].Payload)));
        }

        var (auxTopic, auxPayload) = Payloads.AuxRecords()[0];
        bases.Add((auxTopic, Encoding.UTF8.GetString(auxPayload)));
        var (contextTopic, contextPayload) = Payloads.ContextRecords()[^1];
        bases.Add((contextTopic, Encoding.UTF8.GetString(contextPayload)));
        return bases;
    }
}
