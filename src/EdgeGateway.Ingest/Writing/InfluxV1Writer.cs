using System.Buffers;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using EdgeGateway.Ingest.Hosting;

namespace EdgeGateway.Ingest.Writing;

/// <summary>
/// Writes through InfluxDB 1.x's <c>POST /write?db=&amp;rp=&amp;precision=ms</c> (InfluxDB.Client speaks only the v2 API,
/// which 1.x answers with 404): the body is the line of each point (<see cref="Points.PointBuilder"/>), encoded as UTF-8 into
/// a pooled buffer (a batch's body is hundreds of KB: as one string, and again as its bytes, it was two large-object
/// allocations per write and drove gen 2 collections — src/docs/ingest.md), user and password go
/// in a basic-authentication header. The database is created before the first write (and again when a write finds it
/// gone): <c>CREATE DATABASE</c> is idempotent.
/// </summary>
public sealed class InfluxV1Writer : IPointWriter, IDisposable
{
    private readonly HttpClient _http;
    private readonly InfluxOptions _options;
    private readonly Uri _writeUri;
    private readonly Uri _queryUri;
    private readonly TimeProvider _time;
    private bool _databaseReady;

    /// <summary>A writer with its own <see cref="HttpClient"/>.</summary>
    public InfluxV1Writer(InfluxOptions options, TimeProvider? time = null)
        : this(options, new HttpClient(), time)
    {
    }

    /// <summary>A writer using <paramref name="http"/> (disposed with the writer).</summary>
    public InfluxV1Writer(InfluxOptions options, HttpClient http, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(http);
        _options = options;
        _time = time ?? TimeProvider.System;
        _http = http;
        _http.Timeout = options.Timeout;
        if (options.Username is not null)
        {
            _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(
                "Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{options.Username}:{options.Password}")));
        }

        var baseUrl = options.Url.TrimEnd('/');
        var query = $"db={Uri.EscapeDataString(options.Database ?? "")}";
        if (!string.IsNullOrEmpty(options.RetentionPolicy))
        {
            query += $"&rp={Uri.EscapeDataString(options.RetentionPolicy)}";
        }

        _writeUri = new Uri($"{baseUrl}/write?{query}&precision=ms");
        _queryUri = new Uri($"{baseUrl}/query");
        _databaseReady = !options.CreateDatabase;
    }

    /// <inheritdoc />
    public async Task<WriteOutcome> WriteAsync(IReadOnlyList<string> lines, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lines);
        var prepared = await PrepareAsync(cancellationToken).ConfigureAwait(false);
        if (prepared.Status != WriteStatus.Ok)
        {
            return prepared;
        }

        var length = Math.Max(lines.Count - 1, 0);
        for (var i = 0; i < lines.Count; i++)
        {
            length += Encoding.UTF8.GetByteCount(lines[i]);
        }

        var buffer = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            var written = 0;
            for (var i = 0; i < lines.Count; i++)
            {
                if (i > 0)
                {
                    buffer[written++] = (byte)'\n';
                }

                written += Encoding.UTF8.GetBytes(lines[i], buffer.AsSpan(written));
            }

            using var body = new ByteArrayContent(buffer, 0, written);
            body.Headers.ContentType = new MediaTypeHeaderValue("text/plain", "utf-8");
            var (outcome, status) = await SendAsync(_writeUri, body, "write", cancellationToken).ConfigureAwait(false);
            if (status == HttpStatusCode.NotFound && _options.CreateDatabase)
            {
                // "database not found": someone dropped it; create it again before the next attempt.
                _databaseReady = false;
            }

            return outcome;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Creates the database unless <c>CreateDatabase</c> is off; the first write tries again if this fails.</summary>
    public async Task<WriteOutcome> PrepareAsync(CancellationToken cancellationToken)
    {
        if (_databaseReady)
        {
            return WriteOutcome.Ok;
        }

        var created = await CreateDatabaseAsync(cancellationToken).ConfigureAwait(false);
        _databaseReady = created.Status == WriteStatus.Ok;
        return created;
    }

    /// <summary><c>POST /query q=CREATE DATABASE "…"</c>; idempotent.</summary>
    public async Task<WriteOutcome> CreateDatabaseAsync(CancellationToken cancellationToken)
    {
        var statement = $"CREATE DATABASE \"{_options.Database!.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)}\"";
        using var body = new FormUrlEncodedContent([new KeyValuePair<string, string>("q", statement)]);
        var (outcome, status) = await SendAsync(_queryUri, body, "CREATE DATABASE", cancellationToken).ConfigureAwait(false);
        return outcome.Status switch
        {
            WriteStatus.Ok or WriteStatus.RetryAfter => outcome,

            // The database may be there already and the user merely lack the right to create one: the write will tell.
            _ when status == HttpStatusCode.Forbidden => WriteOutcome.Ok,
            _ => outcome with { Status = WriteStatus.Failed },
        };
    }

    /// <inheritdoc />
    public void Dispose() => _http.Dispose();

    private async Task<(WriteOutcome Outcome, HttpStatusCode? Status)> SendAsync(Uri uri, HttpContent body, string what, CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        try
        {
            response = await _http.PostAsync(uri, body, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            return (new WriteOutcome(WriteStatus.Failed, $"{what} to {_options.Url} failed: {e.Message}"), null);
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return (new WriteOutcome(WriteStatus.Failed, $"{what} to {_options.Url} timed out after {_options.Timeout.TotalSeconds:0.#} s"), null);
        }

        using (response)
        {
            if (response.IsSuccessStatusCode)
            {
                // A /query answers 200 with the error in the body (e.g. not allowed to create databases).
                if (uri == _queryUri && await ErrorOfAsync(response, cancellationToken).ConfigureAwait(false) is { } queryError)
                {
                    return (new WriteOutcome(WriteStatus.Failed, $"{what} failed: {queryError}"), response.StatusCode);
                }

                return (WriteOutcome.Ok, response.StatusCode);
            }

            var error = await ErrorOfAsync(response, cancellationToken).ConfigureAwait(false) ?? response.ReasonPhrase ?? "";
            var status = (int)response.StatusCode;
            var outcome = response.StatusCode switch
            {
                HttpStatusCode.BadRequest => new WriteOutcome(WriteStatus.RejectedInvalid, error),
                HttpStatusCode.RequestEntityTooLarge => new WriteOutcome(WriteStatus.TooLarge, $"{status}: {error}"),
                HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable =>
                    new WriteOutcome(WriteStatus.RetryAfter, $"{status}: {error}", RetryAfterOf(response, _time)),
                HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden =>
                    new WriteOutcome(WriteStatus.Failed, $"{what} refused ({status}): {error} (check Ingest:Influx:Username and Password)"),
                _ => new WriteOutcome(WriteStatus.Failed, $"{what} failed ({status}): {error}"),
            };
            return (outcome, response.StatusCode);
        }
    }

    /// <summary>The <c>error</c> of InfluxDB's JSON answer (or of its first result), else the body text; null when none.</summary>
    private static async Task<string?> ErrorOfAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        try
        {
            using var json = JsonDocument.Parse(text);
            var root = json.RootElement;
            if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.String)
            {
                return error.GetString();
            }

            if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("results", out var results) && results.ValueKind == JsonValueKind.Array)
            {
                foreach (var result in results.EnumerateArray())
                {
                    if (result.ValueKind == JsonValueKind.Object && result.TryGetProperty("error", out var resultError) && resultError.ValueKind == JsonValueKind.String)
                    {
                        return resultError.GetString();
                    }
                }
            }

            return response.IsSuccessStatusCode ? null : text.Trim();
        }
        catch (JsonException)
        {
            return response.IsSuccessStatusCode ? null : text.Trim();
        }
    }

    /// <summary>Retry-After as seconds or as an HTTP date; null when absent.</summary>
    internal static TimeSpan? RetryAfterOf(HttpResponseMessage response, TimeProvider time)
    {
        var retryAfter = response.Headers.RetryAfter;
        if (retryAfter?.Delta is { } delta)
        {
            return delta;
        }

        if (retryAfter?.Date is { } date)
        {
            var wait = date - time.GetUtcNow();
            return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        }

        return null;
    }
}
