using System.Buffers;

namespace EdgeGateway.Core.Configuration;

/// <summary>
/// Site, cell and gateway ids: 1–64 of <c>A–Z a–z 0–9 . _ -</c>, because they become MQTT topic levels and InfluxDB
/// tags. Checked without Regex so that the agent does not load System.Text.RegularExpressions (0.8 MB resident).
/// </summary>
public static class Ids
{
    /// <summary>The rule, as messages state it.</summary>
    public const string Rule = "1-64 of A-Z a-z 0-9 . _ -";

    private static readonly SearchValues<char> s_allowed =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-");

    /// <summary>Whether <paramref name="text"/> is an id.</summary>
    public static bool IsValid(string? text) =>
        text is { Length: >= 1 and <= 64 } && !text.AsSpan().ContainsAnyExcept(s_allowed);
}
