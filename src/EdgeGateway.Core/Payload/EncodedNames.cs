using System.Text.Json;

namespace EdgeGateway.Core.Payload;

/// <summary>Lists of contract names pre-encoded for <see cref="Utf8JsonWriter"/>, so that writing them allocates nothing.</summary>
internal static class EncodedNames
{
    /// <summary><paramref name="names"/>, each encoded, in the same order.</summary>
    public static JsonEncodedText[] Of(IReadOnlyList<string> names)
    {
        var encoded = new JsonEncodedText[names.Count];
        for (var i = 0; i < encoded.Length; i++)
        {
            encoded[i] = JsonEncodedText.Encode(names[i]);
        }

        return encoded;
    }
}
