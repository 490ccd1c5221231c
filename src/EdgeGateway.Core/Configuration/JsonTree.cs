using System.Text;
using System.Text.Json;

namespace EdgeGateway.Core.Configuration;

/// <summary>
/// A JSON value that remembers the line it starts on, so that config errors can name the line.
/// (System.Text.Json's DOM does not keep positions.)
/// </summary>
internal sealed class JsonTree
{
    private JsonTree(JsonValueKind kind, int line) => (Kind, Line) = (kind, line);

    public JsonValueKind Kind { get; }

    public int Line { get; }

    public string? String { get; private init; }

    public double Number { get; private init; }

    public string RawNumber { get; private init; } = "";

    public List<KeyValuePair<string, JsonTree>> Properties { get; } = [];

    public List<JsonTree> Items { get; } = [];

    /// <summary>The value of <paramref name="key"/> (matched case-insensitively) in this object, or null.</summary>
    public JsonTree? Find(string key)
    {
        foreach (var (name, value) in Properties)
        {
            if (string.Equals(name, key, StringComparison.OrdinalIgnoreCase))
            {
                return value;
            }
        }

        return null;
    }

    /// <summary>Parses <paramref name="utf8"/>; a syntax error becomes an <see cref="InputException"/> naming <paramref name="source"/> and the line.</summary>
    public static JsonTree Parse(ReadOnlySpan<byte> utf8, string source)
    {
        if (ByteOrderMark.IsUtf16(utf8))
        {
            throw new InputException(source, 1, ByteOrderMark.Utf16Problem);
        }

        utf8 = ByteOrderMark.SkipUtf8(utf8);
        if (utf8.Trim(" \t\r\n"u8).IsEmpty)
        {
            // The reader would say "does not contain any JSON tokens … isFinalBlock": this is what it means.
            throw new InputException(source, 1, "the file is empty; expected a JSON object");
        }

        var lineStarts = LineStarts(utf8);
        var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        try
        {
            if (!reader.Read())
            {
                throw new InputException(source, 1, "the file is empty; expected a JSON object");
            }

            var root = ReadValue(ref reader, lineStarts, source);
            if (reader.Read())
            {
                throw new InputException(source, LineOf(lineStarts, reader.TokenStartIndex), "unexpected content after the JSON object");
            }

            return root;
        }
        catch (JsonException e)
        {
            throw new InputException(source, (int)(e.LineNumber ?? 0) + 1, "invalid JSON: " + FirstSentence(e.Message));
        }
    }

    private static JsonTree ReadValue(ref Utf8JsonReader reader, List<long> lineStarts, string source)
    {
        var line = LineOf(lineStarts, reader.TokenStartIndex);
        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject:
                var obj = new JsonTree(JsonValueKind.Object, line);
                while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
                {
                    var keyLine = LineOf(lineStarts, reader.TokenStartIndex);
                    var key = reader.GetString()!;
                    foreach (var existing in obj.Properties)
                    {
                        if (string.Equals(existing.Key, key, StringComparison.OrdinalIgnoreCase))
                        {
                            throw new InputException(source, keyLine, $"key '{InputText.Quote(key)}' appears twice in the same object");
                        }
                    }

                    reader.Read();
                    obj.Properties.Add(new(key, ReadValue(ref reader, lineStarts, source)));
                }

                return obj;
            case JsonTokenType.StartArray:
                var array = new JsonTree(JsonValueKind.Array, line);
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    array.Items.Add(ReadValue(ref reader, lineStarts, source));
                }

                return array;
            case JsonTokenType.String:
                return new JsonTree(JsonValueKind.String, line) { String = reader.GetString() };
            case JsonTokenType.Number:
                return new JsonTree(JsonValueKind.Number, line)
                {
                    Number = reader.GetDouble(),
                    RawNumber = Encoding.UTF8.GetString(reader.ValueSpan),
                };
            case JsonTokenType.True:
                return new JsonTree(JsonValueKind.True, line);
            case JsonTokenType.False:
                return new JsonTree(JsonValueKind.False, line);
            default:
                return new JsonTree(JsonValueKind.Null, line);
        }
    }

    private static List<long> LineStarts(ReadOnlySpan<byte> utf8)
    {
        var starts = new List<long> { 0 };
        for (var i = 0; i < utf8.Length; i++)
        {
            if (utf8[i] == (byte)'\n')
            {
                starts.Add(i + 1);
            }
        }

        return starts;
    }

    private static int LineOf(List<long> lineStarts, long offset)
    {
        var index = lineStarts.BinarySearch(offset);
        return (index >= 0 ? index : ~index - 1) + 1;
    }

    private static string FirstSentence(string message)
    {
        // The reader appends its own zero-based position; the line we name is the one-based line.
        foreach (var marker in (ReadOnlySpan<string>)[" LineNumber:", " Path:"])
        {
            var cut = message.IndexOf(marker, StringComparison.Ordinal);
            if (cut > 0)
            {
                message = message[..cut];
            }
        }

        return message.TrimEnd();
    }
}
