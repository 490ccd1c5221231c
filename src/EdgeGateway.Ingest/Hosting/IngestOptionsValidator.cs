using EdgeGateway.Core.Traces;
using Microsoft.Extensions.Options;

namespace EdgeGateway.Ingest.Hosting;

/// <summary>Validates the DataAnnotations of the ingest's options (and nested Mqtt, Influx) without reflection.</summary>
[OptionsValidator]
internal sealed partial class IngestOptionsAnnotations : IValidateOptions<IngestOptions>;

/// <summary>Rules across fields of the ingest's options, and ranges of keys that are no numbers; each failure names the key.</summary>
internal sealed class IngestOptionsValidator(TimeProvider time) : IValidateOptions<IngestOptions>
{
    /// <summary>Longest <c>Ingest:MaxFutureSkew</c>: near an hour it would let a clock set to local time instead of UTC pass.</summary>
    public static readonly TimeSpan LongestFutureSkew = TimeSpan.FromMinutes(30);

    public ValidateOptionsResult Validate(string? name, IngestOptions options)
    {
        var failures = new List<string>();
        var mqtt = options.Mqtt;
        var influx = options.Influx;

        failures.AddRange(mqtt.Problems("Ingest:Mqtt"));

        if (mqtt.SessionExpiry < TimeSpan.Zero || mqtt.SessionExpiry.TotalSeconds > uint.MaxValue)
        {
            failures.Add("Ingest:Mqtt:SessionExpiry must not be negative");
        }

        if (options.BatchSize > mqtt.ReceiveMaximum)
        {
            // Each message is one point and stays unacknowledged until its batch is written, so a batch can only fill
            // up to the number of messages the broker lets be in flight.
            failures.Add($"Ingest:BatchSize ({options.BatchSize}) must not exceed Ingest:Mqtt:ReceiveMaximum ({mqtt.ReceiveMaximum}): a batch fills only with unacknowledged messages");
        }

        if (options.FlushInterval <= TimeSpan.Zero || options.FlushInterval > TimeSpan.FromMinutes(1))
        {
            failures.Add("Ingest:FlushInterval must be more than 00:00:00 and at most 00:01:00");
        }

        if (options.MinRetryDelay <= TimeSpan.Zero || options.MaxRetryDelay < options.MinRetryDelay)
        {
            failures.Add("Ingest:MinRetryDelay must be positive and at most Ingest:MaxRetryDelay");
        }

        if (options.StatusInterval < TimeSpan.FromSeconds(1) || options.StatusInterval > TimeSpan.FromDays(1))
        {
            // Also the period of a timer, which takes at most 49.7 days (a longer one failed the status logger at start).
            failures.Add("Ingest:StatusInterval must be between 00:00:01 and 1.00:00:00");
        }

        if (options.MaxFutureSkew < TimeSpan.Zero || options.MaxFutureSkew > LongestFutureSkew)
        {
            failures.Add($"Ingest:MaxFutureSkew must be between 00:00:00 and {LongestFutureSkew:c}");
        }

        var now = time.GetUtcNow();
        if (options.EarliestTime < DateTimeOffset.UnixEpoch || options.EarliestTime > now)
        {
            // Later than now, it would dead-letter every record.
            failures.Add($"Ingest:EarliestTime must be between 1970-01-01T00:00:00.000Z and now ({TraceTimestamp.Format(now.ToUnixTimeMilliseconds())})");
        }

        if (!Uri.TryCreate(influx.Url, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
        {
            failures.Add($"Ingest:Influx:Url: '{influx.Url}' is not an absolute http or https URL");
        }

        if (influx.Timeout <= TimeSpan.Zero || influx.Timeout > TimeSpan.FromMinutes(10))
        {
            failures.Add("Ingest:Influx:Timeout must be more than 00:00:00 and at most 00:10:00");
        }

        switch (influx.Version)
        {
            case InfluxApiVersion.V1:
                if (string.IsNullOrWhiteSpace(influx.Database))
                {
                    failures.Add("Ingest:Influx:Database is required when Ingest:Influx:Version is 1");
                }

                if ((influx.Username is null) != (influx.Password is null))
                {
                    failures.Add("Ingest:Influx:Username and Ingest:Influx:Password go together");
                }

                break;
            case InfluxApiVersion.V2:
                foreach (var (key, value) in new[] { ("Org", influx.Org), ("Bucket", influx.Bucket), ("Token", influx.Token) })
                {
                    if (string.IsNullOrWhiteSpace(value))
                    {
                        failures.Add($"Ingest:Influx:{key} is required when Ingest:Influx:Version is 2");
                    }
                }

                break;
            default:
                failures.Add($"Ingest:Influx:Version: '{(int)influx.Version}' is not 1 or 2");
                break;
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
