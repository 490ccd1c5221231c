using System.Buffers;
using System.Net.Sockets;
using System.Text.Json;

namespace EdgeGateway.Queries;

/// <summary>One series of an InfluxDB 1.x query answer: its tags, column names and rows (cells as JSON).</summary>
public sealed record InfluxSeries(
    string Name,
    IReadOnlyDictionary<string, string> Tags,
    IReadOnlyList<string> Columns,
    IReadOnlyList<JsonElement[]> Rows);

/// <summary>
/// Receives a streamed query answer (<see cref="InfluxQueryClient.QueryRows"/>) series by series and cell by cell, so
/// that a large answer is turned into values as it arrives instead of being held whole.
/// </summary>
public interface IInfluxRowReader
{
    /// <summary>The rows that follow belong to this series; a long series comes in several chunks, each announced again.</summary>
    void Series(string name, IReadOnlyDictionary<string, string> tags, IReadOnlyList<string> columns);

    /// <summary>
    /// One cell of the current row, in column order; <paramref name="value"/> stands on its token (times are epoch
    /// nanoseconds). An array or object cell left unread is skipped.
    /// </summary>
    void Cell(int column, ref Utf8JsonReader value);

    /// <summary>The current row is complete.</summary>
    void EndRow();
}

/// <summary>InfluxDB did not answer (refused, timed out) or answered with something that is not its query API.</summary>
public sealed class InfluxUnreachableException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>InfluxDB answered, with an error about the query (e.g. the database does not exist).</summary>
public sealed class InfluxQueryException(string message) : Exception(message);

/// <summary>
/// Runs InfluxQL through the 1.x HTTP API (<c>GET /query?db=…&amp;q=…</c>) and reads its JSON answer; InfluxDB 2
/// answers the same on its v1 compatibility API (with a <paramref name="token"/>: <c>Authorization: Token …</c>).
/// Synchronous; <see cref="QueryRows"/> may run on several threads at once, to read one large answer in slices.
/// </summary>
public sealed class InfluxQueryClient(HttpClient http, Uri baseUrl, string database, string? token = null)
{
    /// <summary>Rows per chunk of a streamed answer: InfluxDB's default, stated so the request shows it.</summary>
    private const int ChunkRows = 10_000;

    // A base "http://host:8086/influx" must keep its path when "query" is appended.
    private readonly Uri _base = baseUrl.AbsoluteUri.EndsWith('/') ? baseUrl : new Uri(baseUrl.AbsoluteUri + "/");

    /// <summary>Where the client sends its queries, for messages.</summary>
    public Uri BaseUrl => _base;

    /// <summary>The series of the first statement's answer (none when nothing matched).</summary>
    /// <exception cref="InfluxUnreachableException">No answer, or not a query API answer.</exception>
    /// <exception cref="InfluxQueryException">InfluxDB rejected the query.</exception>
    public IReadOnlyList<InfluxSeries> Query(string influxQl)
    {
        using var response = Send(influxQl, "", HttpCompletionOption.ResponseContentRead);
        JsonDocument document;
        try
        {
            using var body = response.Content.ReadAsStream();
            document = JsonDocument.Parse(body);
        }
        catch (Exception e) when (e is JsonException or IOException or HttpRequestException)
        {
            throw NotAQueryAnswer((int)response.StatusCode, e);
        }

        using (document)
        {
            return Read(document.RootElement, (int)response.StatusCode);
        }
    }

    /// <summary>
    /// Runs <paramref name="influxQl"/> with a chunked answer (<c>chunked=true</c>, times as epoch nanoseconds) and hands
    /// its rows to <paramref name="rows"/> while they arrive: influxd encodes the next chunk while this one is read, and
    /// no answer is ever held whole. Safe to call from several threads at once (one reader each).
    /// </summary>
    /// <exception cref="InfluxUnreachableException">No answer, or not a query API answer.</exception>
    /// <exception cref="InfluxQueryException">InfluxDB rejected the query, also in the middle of the answer.</exception>
    public void QueryRows(string influxQl, IInfluxRowReader rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        using var response = Send(influxQl, $"&chunked=true&chunk_size={ChunkRows}&epoch=ns", HttpCompletionOption.ResponseHeadersRead);
        var status = (int)response.StatusCode;

        // The client's timeout covers only the headers of a streamed answer: a server that stalls in the middle of it
        // is cut off the same way, by closing the response under the reading thread.
        using var deadline = new CancellationTokenSource(http.Timeout);
        using var cutOff = deadline.Token.Register(response.Dispose);
        try
        {
            using var body = response.Content.ReadAsStream();
            if (new ChunkedAnswer(this, status, rows).Read(body) == 0)
            {
                throw NotAQueryAnswer(status);
            }
        }
        catch (Exception e) when (deadline.IsCancellationRequested && e is IOException or ObjectDisposedException or HttpRequestException)
        {
            throw new InfluxUnreachableException($"InfluxDB at {_base} does not answer within {http.Timeout.TotalSeconds:0} s", e);
        }
        catch (Exception e) when (e is JsonException or IOException or HttpRequestException)
        {
            throw NotAQueryAnswer(status, e);
        }
    }

    private HttpResponseMessage Send(string influxQl, string parameters, HttpCompletionOption completion)
    {
        var uri = new Uri(_base, $"query?db={Uri.EscapeDataString(database)}{parameters}&q={Uri.EscapeDataString(influxQl)}");
        using var request = new HttpRequestMessage(HttpMethod.Get, uri);
        if (token is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", $"Token {token}");
        }

        try
        {
            return http.Send(request, completion);
        }
        catch (HttpRequestException e)
        {
            throw new InfluxUnreachableException($"InfluxDB at {_base} does not answer: {Reason(e)}", e);
        }
        catch (TaskCanceledException e)
        {
            throw new InfluxUnreachableException($"InfluxDB at {_base} does not answer within {http.Timeout.TotalSeconds:0} s", e);
        }
    }

    private InfluxUnreachableException NotAQueryAnswer(int status, Exception? inner = null) =>
        new($"{_base} answered HTTP {status} without an InfluxDB query result: is it InfluxDB's HTTP API?", inner);

    /// <summary>The answer's <c>{"error": …}</c>: 400 (bad query), 401 (credentials) and 5xx come so.</summary>
    private Exception AnswerError(int status, string? error)
    {
        var message = $"InfluxDB at {_base} answered HTTP {status}: {error}";
        return status >= 500 ? new InfluxUnreachableException(message) : new InfluxQueryException(message);
    }

    private InfluxQueryException StatementError(string? error) => new($"InfluxDB at {_base}: {error}");

    private List<InfluxSeries> Read(JsonElement root, int status)
    {
        if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("error", out var topError))
        {
            throw AnswerError(status, topError.GetString());
        }

        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("results", out var results) || results.ValueKind != JsonValueKind.Array)
        {
            throw NotAQueryAnswer(status);
        }

        var series = new List<InfluxSeries>();
        foreach (var result in results.EnumerateArray())
        {
            if (result.TryGetProperty("error", out var error))
            {
                throw StatementError(error.GetString());
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

    /// <summary>
    /// A chunked answer: one JSON document per chunk, each on its own line, in InfluxDB's query answer form; a series
    /// longer than a chunk continues in the next one (marked partial, which here means "more follows", not "cut").
    /// </summary>
    private sealed class ChunkedAnswer(InfluxQueryClient client, int status, IInfluxRowReader rows)
    {
        private const int FirstBufferBytes = 1 << 20;

        /// <summary>Reads the chunks of <paramref name="body"/> into the row reader; how many there were.</summary>
        public int Read(Stream body)
        {
            var buffer = ArrayPool<byte>.Shared.Rent(FirstBufferBytes);
            try
            {
                var chunks = 0;
                int start = 0, end = 0, scanned = 0;
                while (true)
                {
                    var newline = buffer.AsSpan(scanned, end - scanned).IndexOf((byte)'\n');
                    if (newline >= 0)
                    {
                        chunks += Chunk(buffer.AsSpan(start, scanned + newline - start));
                        start = scanned = scanned + newline + 1;
                        continue;
                    }

                    scanned = end;
                    if (end == buffer.Length)
                    {
                        // Make room: move the unfinished chunk to the front, or grow when it fills most of the buffer
                        // (moving it again and again for a few bytes each would cost more than the reading).
                        var target = start < buffer.Length / 2 ? ArrayPool<byte>.Shared.Rent(buffer.Length * 2) : buffer;
                        buffer.AsSpan(start, end - start).CopyTo(target);
                        if (target != buffer)
                        {
                            ArrayPool<byte>.Shared.Return(buffer);
                            buffer = target;
                        }

                        (end, scanned, start) = (end - start, scanned - start, 0);
                    }

                    var read = body.Read(buffer, end, buffer.Length - end);
                    if (read == 0)
                    {
                        // The last chunk need not end with a newline.
                        return chunks + Chunk(buffer.AsSpan(start, end - start));
                    }

                    end += read;
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }

        /// <summary>One chunk's document (1), or nothing but white space (0).</summary>
        private int Chunk(ReadOnlySpan<byte> json)
        {
            if (json.Trim(" \t\r"u8).IsEmpty)
            {
                return 0;
            }

            var reader = new Utf8JsonReader(json);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                throw client.NotAQueryAnswer(status);
            }

            var results = false;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("error"u8))
                {
                    reader.Read();
                    throw client.AnswerError(status, Text(ref reader));
                }

                var isResults = reader.ValueTextEquals("results"u8);
                reader.Read();
                if (isResults && reader.TokenType == JsonTokenType.StartArray)
                {
                    Results(ref reader);
                    results = true;
                }
                else
                {
                    reader.Skip();
                }
            }

            return results ? 1 : throw client.NotAQueryAnswer(status);
        }

        private void Results(ref Utf8JsonReader reader)
        {
            while (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
            {
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    if (reader.ValueTextEquals("error"u8))
                    {
                        reader.Read();
                        throw client.StatementError(Text(ref reader));
                    }

                    var isSeries = reader.ValueTextEquals("series"u8);
                    reader.Read();
                    if (isSeries && reader.TokenType == JsonTokenType.StartArray)
                    {
                        while (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
                        {
                            Series(ref reader);
                        }
                    }
                    else
                    {
                        reader.Skip();
                    }
                }
            }
        }

        private void Series(ref Utf8JsonReader reader)
        {
            var name = "";
            var tags = new Dictionary<string, string>(StringComparer.Ordinal);
            List<string>? columns = null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var property = reader.ValueSpan;
                reader.Read();
                if (property.SequenceEqual("name"u8))
                {
                    name = Text(ref reader);
                }
                else if (property.SequenceEqual("tags"u8) && reader.TokenType == JsonTokenType.StartObject)
                {
                    while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                    {
                        var tag = reader.GetString()!;
                        reader.Read();
                        tags[tag] = Text(ref reader);
                    }
                }
                else if (property.SequenceEqual("columns"u8) && reader.TokenType == JsonTokenType.StartArray)
                {
                    columns = [];
                    while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                    {
                        columns.Add(Text(ref reader));
                    }
                }
                else if (property.SequenceEqual("values"u8) && reader.TokenType == JsonTokenType.StartArray)
                {
                    // InfluxDB writes the columns before the values; rows without them could not be read.
                    rows.Series(name, tags, columns ?? throw client.NotAQueryAnswer(status));
                    Values(ref reader);
                }
                else
                {
                    reader.Skip();
                }
            }
        }

        private void Values(ref Utf8JsonReader reader)
        {
            while (reader.Read() && reader.TokenType == JsonTokenType.StartArray)
            {
                var column = 0;
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    rows.Cell(column++, ref reader);
                    if (reader.TokenType is JsonTokenType.StartArray or JsonTokenType.StartObject)
                    {
                        reader.Skip();
                    }
                }

                rows.EndRow();
            }
        }

        private static string Text(ref Utf8JsonReader reader) => reader.TokenType == JsonTokenType.String ? reader.GetString()! : "";
    }

    private static string Reason(HttpRequestException e) => e.InnerException switch
    {
        SocketException socket => socket.Message,
        { } inner => inner.Message,
        null => e.Message,
    };
}
