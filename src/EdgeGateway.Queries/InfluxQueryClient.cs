using System.Net.Sockets;
using System.Text.Json;

namespace EdgeGateway.Queries;

/// <summary>One series of an InfluxDB 1.x query answer: its tags, column names and rows (cells as JSON).</summary>
public sealed record InfluxSeries(
    string Name,
    IReadOnlyDictionary<string, string> Tags,
    IReadOnlyList<string> Columns,
    IReadOnlyList<JsonElement[]> Rows);

/// <summary>InfluxDB did not answer (refused, timed out) or answered with something that is not its query API.</summary>
public sealed class InfluxUnreachableException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>InfluxDB answered, with an error about the query (e.g. the database does not exist).</summary>
public sealed class InfluxQueryException(string message) : Exception(message);

/// <summary>
/// Runs InfluxQL through the 1.x HTTP API (<c>GET /query?db=…&amp;q=…</c>) and reads its JSON answer; InfluxDB 2
/// answers the same on its v1 compatibility API (with a <paramref name="token"/>: <c>Authorization: Token …</c>).
/// Synchronous: a command runs one query at a time.
/// </summary>
public sealed class InfluxQueryClient(HttpClient http, Uri baseUrl, string database, string? token = null)
{
    // A base "http://host:8086/influx" must keep its path when "query" is appended.
    private readonly Uri _base = baseUrl.AbsoluteUri.EndsWith('/') ? baseUrl : new Uri(baseUrl.AbsoluteUri + "/");

    /// <summary>Where the client sends its queries, for messages.</summary>
    public Uri BaseUrl => _base;

    /// <summary>The series of the first statement's answer (none when nothing matched).</summary>
    /// <exception cref="InfluxUnreachableException">No answer, or not a query API answer.</exception>
    /// <exception cref="InfluxQueryException">InfluxDB rejected the query.</exception>
    public IReadOnlyList<InfluxSeries> Query(string influxQl)
    {
        var uri = new Uri(_base, $"query?db={Uri.EscapeDataString(database)}&q={Uri.EscapeDataString(influxQl)}");
        using var request = new HttpRequestMessage(HttpMethod.Get, uri);
        if (token is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", $"Token {token}");
        }

        HttpResponseMessage response;
        try
        {
            response = http.Send(request);
        }
        catch (HttpRequestException e)
        {
            throw new InfluxUnreachableException($"InfluxDB at {_base} does not answer: {Reason(e)}", e);
        }
        catch (TaskCanceledException e)
        {
            throw new InfluxUnreachableException($"InfluxDB at {_base} does not answer within {http.Timeout.TotalSeconds:0} s", e);
        }

        using (response)
        {
            JsonDocument document;
            try
            {
                using var body = response.Content.ReadAsStream();
                document = JsonDocument.Parse(body);
            }
            catch (Exception e) when (e is JsonException or IOException or HttpRequestException)
            {
                throw new InfluxUnreachableException($"{_base} answered HTTP {(int)response.StatusCode} without an InfluxDB query result: is it InfluxDB's HTTP API?", e);
            }

            using (document)
            {
                return Read(document.RootElement, (int)response.StatusCode);
            }
        }
    }

    private List<InfluxSeries> Read(JsonElement root, int status)
    {
        if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("error", out var topError))
        {
            // 400 (bad query), 401 (credentials) and 5xx come as {"error": "..."}.
            var message = $"InfluxDB at {_base} answered HTTP {status}: {topError.GetString()}";
            throw status >= 500 ? new InfluxUnreachableException(message) : new InfluxQueryException(message);
        }

        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("results", out var results) || results.ValueKind != JsonValueKind.Array)
        {
            throw new InfluxUnreachableException($"{_base} answered HTTP {status} without an InfluxDB query result: is it InfluxDB's HTTP API?");
        }

        var series = new List<InfluxSeries>();
        foreach (var result in results.EnumerateArray())
        {
            if (result.TryGetProperty("error", out var error))
            {
                throw new InfluxQueryException($"InfluxDB at {_base}: {error.GetString()}");
            }

            if (!result.TryGetProperty("series", out var list))
            {
                continue;
            }

            foreach (var item in list.EnumerateArray())
            {
                // A server with max-row-limit set cuts a long answer and marks it partial: missing rows would
                // silently read as days without data.
                if (item.TryGetProperty("partial", out var partial) && partial.ValueKind == JsonValueKind.True)
                {
                    throw new InfluxQueryException($"InfluxDB at {_base} cut its answer short (partial result: its [http] max-row-limit is set); raise the limit or query a shorter range");
                }

                series.Add(ReadSeries(item));
            }

            if (result.TryGetProperty("partial", out var partialResult) && partialResult.ValueKind == JsonValueKind.True)
            {
                throw new InfluxQueryException($"InfluxDB at {_base} cut its answer short (partial result: its [http] max-row-limit is set); raise the limit or query a shorter range");
            }
        }

        return series;
    }

    private static InfluxSeries ReadSeries(JsonElement item)
    {
        var tags = new Dictionary<string, string>(StringComparer.Ordinal);
        if (item.TryGetProperty("tags", out var tagObject))
        {
            foreach (var tag in tagObject.EnumerateObject())
            {
                tags[tag.Name] = tag.Value.GetString() ?? "";
            }
        }

        var columns = item.GetProperty("columns").EnumerateArray().Select(c => c.GetString() ?? "").ToArray();
        var rows = new List<JsonElement[]>();
        if (item.TryGetProperty("values", out var values))
        {
            foreach (var row in values.EnumerateArray())
            {
                // Clone: the cells outlive the document.
                rows.Add([.. row.EnumerateArray().Select(cell => cell.Clone())]);
            }
        }

        return new InfluxSeries(item.TryGetProperty("name", out var name) ? name.GetString() ?? "" : "", tags, columns, rows);
    }

    private static string Reason(HttpRequestException e) => e.InnerException switch
    {
        SocketException socket => socket.Message,
        { } inner => inner.Message,
        null => e.Message,
    };
}
