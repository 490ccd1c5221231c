using System.Globalization;
using System.Text;

namespace EdgeGateway.Ingest.Tests.Points;

/// <summary>
/// What one line of InfluxDB line protocol means, read the way InfluxDB 1.x reads it: measurement, tags, fields with
/// their types (a float as its double, an integer (<c>i</c>), a string, a boolean) and time. Two lines that read the
/// same store the same point, whatever the order of their fields or the digits of their floats.
/// </summary>
public sealed record LinePoint(string Measurement, IReadOnlyDictionary<string, string> Tags, IReadOnlyDictionary<string, object> Fields, long Time)
{
    public static LinePoint Read(string line)
    {
        var position = 0;
        var key = Token(line, ref position, stops: ", ");
        var tags = new SortedDictionary<string, string>(StringComparer.Ordinal);
        while (line[position] == ',')
        {
            position++;
            var tag = Token(line, ref position, stops: "=");
            position++;
            tags.Add(tag, Token(line, ref position, stops: ", "));
        }

        Expect(line, ref position, ' ');
        var fields = new SortedDictionary<string, object>(StringComparer.Ordinal);
        do
        {
            if (fields.Count > 0)
            {
                position++;
            }

            var name = Token(line, ref position, stops: "=");
            position++;
            fields.Add(name, Value(line, ref position));
        }
        while (line[position] == ',');

        Expect(line, ref position, ' ');
        var time = long.Parse(line.AsSpan(position), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        return new LinePoint(key, tags, fields, time);
    }

    /// <summary>Equal measurement, tags, typed field values (doubles bit for bit) and time.</summary>
    public bool Means(LinePoint other) =>
        Measurement == other.Measurement && Time == other.Time && Tags.SequenceEqual(other.Tags) && Fields.Count == other.Fields.Count
        && Fields.All(f => other.Fields.TryGetValue(f.Key, out var v) && v.GetType() == f.Value.GetType() && (f.Value is double d ? BitConverter.DoubleToInt64Bits(d) == BitConverter.DoubleToInt64Bits((double)v) : f.Value.Equals(v)));

    public override string ToString() =>
        $"{Measurement} {string.Join(',', Tags.Select(t => $"{t.Key}={t.Value}"))} {string.Join(',', Fields.Select(f => $"{f.Key}={(f.Value is double d ? d.ToString("R", CultureInfo.InvariantCulture) : f.Value)}:{f.Value.GetType().Name}"))} {Time}";

    private static object Value(string line, ref int position)
    {
        if (line[position] == '"')
        {
            var text = new StringBuilder();
            for (position++; line[position] != '"'; position++)
            {
                if (line[position] == '\\' && line[position + 1] is '"' or '\\')
                {
                    position++;
                }

                text.Append(line[position]);
            }

            position++;
            return text.ToString();
        }

        var raw = Token(line, ref position, stops: ", ");
        return raw switch
        {
            "true" or "t" or "T" or "True" or "TRUE" => true,
            "false" or "f" or "F" or "False" or "FALSE" => false,
            _ when raw.EndsWith('i') => long.Parse(raw.AsSpan(0, raw.Length - 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture),
            _ => double.Parse(raw, NumberStyles.Float, CultureInfo.InvariantCulture),
        };
    }

    /// <summary>Up to the first unescaped stop character; a backslash before a stop character or <c>=</c> escapes it.</summary>
    private static string Token(string line, ref int position, string stops)
    {
        var text = new StringBuilder();
        for (; position < line.Length && !stops.Contains(line[position], StringComparison.Ordinal); position++)
        {
            if (line[position] == '\\' && position + 1 < line.Length && line[position + 1] is ',' or ' ' or '=')
            {
                position++;
            }

            text.Append(line[position]);
        }

        return text.ToString();
    }

    private static void Expect(string line, ref int position, char expected)
    {
        if (line[position] != expected)
        {
            throw new FormatException($"expected '{expected}' at {position} of: {line}");
        }

        position++;
    }
}
