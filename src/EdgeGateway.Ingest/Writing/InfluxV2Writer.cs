using EdgeGateway.Ingest.Hosting;
using InfluxDB.Client;
using InfluxDB.Client.Core.Exceptions;
using InfluxDB.Client.Api.Domain;

namespace EdgeGateway.Ingest.Writing;

/// <summary>
/// Writes through InfluxDB.Client's v2 API (InfluxDB 2.x / Cloud: org, bucket, token), with the async
/// <see cref="WriteApiAsync"/> so that every failure comes back here (the batching <c>GetWriteApi()</c> reports failures
/// only through events). Points are those of the v1 path, all with millisecond precision, so one request per batch.
/// Covered here only by a contract test against a local HTTP listener: there is no InfluxDB 2 on this machine.
/// </summary>
public sealed class InfluxV2Writer : IPointWriter, IDisposable
{
    private readonly InfluxDBClient _client;
    private readonly WriteApiAsync _writeApi;
    private readonly InfluxOptions _options;

    /// <summary>A writer for <paramref name="options"/> (Url, Org, Bucket, Token, Timeout).</summary>
    public InfluxV2Writer(InfluxOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _client = new InfluxDBClient(new InfluxDBClientOptions(options.Url)
        {
            Token = options.Token,
            Org = options.Org,
            Bucket = options.Bucket,
            Timeout = options.Timeout,
        });
        _writeApi = _client.GetWriteApiAsync();
    }

    /// <inheritdoc />
    public async Task<WriteOutcome> WriteAsync(IReadOnlyList<string> lines, CancellationToken cancellationToken)
    {
        try
        {
            await _writeApi.WriteRecordsAsync([.. lines], WritePrecision.Ms, _options.Bucket, _options.Org, cancellationToken).ConfigureAwait(false);
            return WriteOutcome.Ok;
        }
        catch (HttpException e)
        {
            return Classify(e);
        }
        catch (HttpRequestException e)
        {
            return new WriteOutcome(WriteStatus.Failed, $"write to {_options.Url} failed: {e.Message}");
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new WriteOutcome(WriteStatus.Failed, $"write to {_options.Url} timed out after {_options.Timeout.TotalSeconds:0.#} s");
        }
    }

    /// <inheritdoc />
    public void Dispose() => _client.Dispose();

    private WriteOutcome Classify(HttpException e)
    {
        var retryAfter = e.RetryAfter is { } seconds ? TimeSpan.FromSeconds(seconds) : (TimeSpan?)null;
        return e.Status switch
        {
            400 => new WriteOutcome(WriteStatus.RejectedInvalid, e.Message),
            413 => new WriteOutcome(WriteStatus.TooLarge, $"413: {e.Message}"),
            429 or 503 => new WriteOutcome(WriteStatus.RetryAfter, $"{e.Status}: {e.Message}", retryAfter),
            401 or 403 => new WriteOutcome(WriteStatus.Failed, $"write refused ({e.Status}): {e.Message} (check Ingest:Influx:Token, Org and Bucket)"),
            404 => new WriteOutcome(WriteStatus.Failed, $"write failed (404): {e.Message} (is {_options.Url} an InfluxDB 2? InfluxDB 1.x needs Ingest:Influx:Version 1)"),
            _ => new WriteOutcome(WriteStatus.Failed, $"write failed ({e.Status}): {e.Message}"),
        };
    }
}
