using System.Text.Json;

namespace EdgeGateway.Cli.Tests.Control;

/// <summary>What KPI records say about the context commands set: the seconds per reason code, the articles with parts.</summary>
internal static class ContextRecords
{
    /// <summary>The 1m KPI records among <paramref name="payloads"/> (state records and others skipped), parsed.</summary>
    public static List<JsonElement> Minutes(IEnumerable<byte[]> payloads)
    {
        var records = new List<JsonElement>();
        foreach (var payload in payloads)
        {
            using var document = JsonDocument.Parse(payload);
            var root = document.RootElement;
            if (root.TryGetProperty("window", out var window) && window.GetProperty("kind").GetString() == "1m")
            {
                records.Add(root.Clone());
            }
        }

        return records;
    }

    /// <summary>The seconds the record books to reason <paramref name="code"/> (0 without).</summary>
    public static double ReasonSeconds(JsonElement record, string code) =>
        record.TryGetProperty("reasons", out var reasons) && reasons.TryGetProperty(code, out var seconds) ? seconds.GetDouble() : 0;

    /// <summary>The ids in the record's <c>articles</c> object.</summary>
    public static IReadOnlyList<string> Articles(JsonElement record) =>
        record.TryGetProperty("articles", out var articles) ? [.. articles.EnumerateObject().Select(a => a.Name)] : [];

    /// <summary>The reason codes the record books time to.</summary>
    public static IReadOnlyList<string> Reasons(JsonElement record) =>
        record.TryGetProperty("reasons", out var reasons) ? [.. reasons.EnumerateObject().Where(r => r.Value.GetDouble() > 0).Select(r => r.Name)] : [];
}
