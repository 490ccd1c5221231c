using System.Buffers;
using System.Text.Json;
using EdgeGateway.Core.Kpi;

namespace EdgeGateway.Agent.Control;

/// <summary>
/// The reply to a command, one JSON object: <c>{"id":…,"ok":true,"outcome":"done|replaced|not_saved","message":"…"}</c> or
/// <c>{"id":…,"ok":false,"error":"…"}</c>; <c>id</c> is the request's, or null.
/// </summary>
internal static class ControlReply
{
    /// <summary>The engine's outcome: ok with <c>done</c>, <c>replaced</c> or <c>not_saved</c>, or its refusal as the error.</summary>
    public static byte[] Of(string? id, ContextOutcome outcome) => outcome.Succeeded()
        ? Write(id, writer =>
        {
            writer.WriteBoolean("ok", true);
            writer.WriteString("outcome", outcome switch { ContextOutcome.Replaced => "replaced", ContextOutcome.NotSaved => "not_saved", _ => "done" });
            writer.WriteString("message", outcome.Describe());
        })
        : Error(id, outcome.Describe());

    /// <summary>A command not taken: <paramref name="error"/> says why.</summary>
    public static byte[] Error(string? id, string error) => Write(id, writer =>
    {
        writer.WriteBoolean("ok", false);
        writer.WriteString("error", error);
    });

    private static byte[] Write(string? id, Action<Utf8JsonWriter> body)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        // Relaxed escaping: the messages quote with ' and people read them; a reply is never put into HTML.
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartObject();
            writer.WritePropertyName("id");
            if (id is null)
            {
                writer.WriteNullValue();
            }
            else
            {
                writer.WriteRawValue(id);
            }

            body(writer);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }
}
