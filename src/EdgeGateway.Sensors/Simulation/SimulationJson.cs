using System.Text;
using System.Text.Json;

namespace EdgeGateway.Sensors.Simulation;

/// <summary>
/// A JSON value of a <c>Simulation</c> section with the file line it starts on, so that every problem names its
/// line (System.Text.Json's DOM keeps no positions). Parsed with the config reader's options: comments, trailing commas.
/// </summary>
internal sealed class SimulationJson
{
    private SimulationJson(JsonValueKind kind, int line) => (Kind, Line) = (kind, line);

    public JsonValueKind Kind { get; }

    public int Line { get; }

    public string? String { get; private init; }

    public double Number { get; private init; }

    public string RawNumber { get; private init; } = "";

    public List<KeyValuePair<string, SimulationJson>> Properties { get; } = [];

    public List<SimulationJson> Items { get; } = [];

    /// <summary>Parses <paramref name="json"/>, whose first character is on line <paramref name="firstLine"/> of its file.</summary>
    public static SimulationJson Parse(string json, int firstLine)
    {
        var utf8 = Encoding.UTF8.GetBytes(json);
        var lineStarts = new List<long> { 0 };
        for (var i = 0; i < utf8.Length; i++)
        {
            if (utf8[i] == (byte)'\n')
            {
                lineStarts.Add(i + 1);
            }
        }

        var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        reader.Read();
        return ReadValue(ref reader, lineStarts, firstLine);
    }

    private static SimulationJson ReadValue(ref Utf8JsonReader reader, List<long> lineStarts, int firstLine)
    {
        var index = lineStarts.BinarySearch(reader.TokenStartIndex);
        var line = firstLine + (index >= 0 ? index : ~index - 1);
        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject:
                var obj = new SimulationJson(JsonValueKind.Object, line);
                while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
                {
                    var key = reader.GetString()!;
                    reader.Read();
                    obj.Properties.Add(new(key, ReadValue(ref reader, lineStarts, firstLine)));
                }

                return obj;
            case JsonTokenType.StartArray:
                var array = new SimulationJson(JsonValueKind.Array, line);
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    array.Items.Add(ReadValue(ref reader, lineStarts, firstLine));
                }

                return array;
            case JsonTokenType.String:
                return new SimulationJson(JsonValueKind.String, line) { String = reader.GetString() };
            case JsonTokenType.Number:
                return new SimulationJson(JsonValueKind.Number, line) { Number = reader.GetDouble(), RawNumber = Encoding.UTF8.GetString(reader.ValueSpan) };
            case JsonTokenType.True:
                return new SimulationJson(JsonValueKind.True, line);
            case JsonTokenType.False:
                return new SimulationJson(JsonValueKind.False, line);
            default:
                return new SimulationJson(JsonValueKind.Null, line);
        }
    }
}
