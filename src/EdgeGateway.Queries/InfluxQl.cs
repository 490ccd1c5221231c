using System.Globalization;
using System.Text.Json;
using EdgeGateway.Core.Storage;

namespace EdgeGateway.Queries;

/// <summary>Pieces of InfluxQL and of its answers that the dashboard's queries share: quoted literals, tag filters, times, cells.</summary>
public static class InfluxQl
{
    /// <summary>A string literal: backslashes and single quotes escaped, so that an id can never end the literal.</summary>
    public static string Literal(string value) => "'" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal) + "'";

    /// <summary><c> AND "site" = '…'</c>, and the cell when given.</summary>
    public static string CellFilter(string site, string? cell = null) =>
        $" AND \"{InfluxSchema.SiteTag}\" = {Literal(site)}" + (cell is null ? "" : $" AND \"{InfluxSchema.CellTag}\" = {Literal(cell)}");

    /// <summary><c> AND time &gt;= … AND time &lt; …</c> in RFC 3339 UTC.</summary>
    public static string TimeRange(DateTimeOffset from, DateTimeOffset to) => $" AND time >= '{Timestamp(from)}' AND time < '{Timestamp(to)}'";

    /// <summary>A time as InfluxQL takes it and writes it in answers.</summary>
    public static string Timestamp(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>The index of each column of <paramref name="series"/>.</summary>
    public static Dictionary<string, int> Columns(InfluxSeries series)
    {
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < series.Columns.Count; i++)
        {
            index[series.Columns[i]] = i;
        }

        return index;
    }

    /// <summary>The number in <paramref name="column"/> of <paramref name="row"/>, null when absent or not a number.</summary>
    public static double? Number(JsonElement[] row, Dictionary<string, int> index, string column) =>
        index.TryGetValue(column, out var i) && row[i].ValueKind == JsonValueKind.Number ? row[i].GetDouble() : null;

    /// <summary>The string in <paramref name="column"/> of <paramref name="row"/>, null when absent or not a string.</summary>
    public static string? Text(JsonElement[] row, Dictionary<string, int> index, string column) =>
        index.TryGetValue(column, out var i) && row[i].ValueKind == JsonValueKind.String ? row[i].GetString() : null;

    /// <summary>The row's time (the <c>time</c> column).</summary>
    /// <exception cref="InfluxQueryException">The row has no readable time.</exception>
    public static DateTimeOffset Time(JsonElement[] row, Dictionary<string, int> index) =>
        Text(row, index, "time") is { } text && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time)
            ? time
            : throw new InfluxQueryException("a row without a readable time");
}
