using System.Globalization;
using System.Text.Json;
using EdgeGateway.Core;
using EdgeGateway.Core.Payload;

namespace EdgeGateway.Ingest.Validation;

/// <summary>How a payload's problem is said and raised: the rejection kinds, numbers and values as a reason shows them.</summary>
internal static class PayloadProblem
{
    /// <summary>Bound of counts and of quantities without a natural one; larger values are typing or overflow errors.</summary>
    public const double Large = KpiPayload.Large;

    /// <summary>An integer bound as a reason shows it (±1e12 as such).</summary>
    public static string Format(long value) => value switch
    {
        (long)Large => "1e12",
        -(long)Large => "-1e12",
        _ => value.ToString(CultureInfo.InvariantCulture),
    };

    /// <summary>A number as a reason shows it: integers without a fraction, 1e12 as <c>1e12</c>, otherwise round-trip.</summary>
    public static string Format(double value) => value switch
    {
        Large => "1e12",
        -Large => "-1e12",
        _ when value == Math.Floor(value) && Math.Abs(value) < 1e15 => value.ToString("0", CultureInfo.InvariantCulture),
        _ => value.ToString("R", CultureInfo.InvariantCulture),
    };

    public static string Describe(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => $"the string \"{InputText.Quote(element.GetString()!, 40)}\"",
        JsonValueKind.Number => $"the number {InputText.Quote(element.GetRawText(), 40)}",
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        JsonValueKind.Null => "null",
        JsonValueKind.Object => "an object",
        _ => "an array",
    };

    public static InvalidPayloadException Schema(string reason) => new(new Rejection(RejectionKind.Schema, reason));

    public static InvalidPayloadException Range(string reason) => new(new Rejection(RejectionKind.Range, reason));

    public static InvalidPayloadException Mismatch(string reason) => new(new Rejection(RejectionKind.Mismatch, reason));

    public static InvalidPayloadException Implausible(string reason) => new(new Rejection(RejectionKind.Time, reason));

    /// <summary>The topic's id and the payload's must be the same.</summary>
    public static void Agree(string level, string inTopic, string inPayload)
    {
        if (inTopic != inPayload)
        {
            throw Mismatch($"topic {level} '{inTopic}' differs from payload {level} '{inPayload}'");
        }
    }
}
