using Microsoft.Extensions.Options;

namespace EdgeGateway.Agent.Outbox;

/// <summary>The ranges of <see cref="OutboxOptions"/> that attributes cannot state trim-safely, and the cross-field rule.</summary>
public sealed class OutboxOptionsValidator : IValidateOptions<OutboxOptions>
{
    /// <summary>Checks <paramref name="options"/>; every failure is named with its key.</summary>
    public ValidateOptionsResult Validate(string? name, OutboxOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        List<string>? failures = null;
        if (string.IsNullOrWhiteSpace(options.Directory))
        {
            (failures ??= []).Add("Outbox:Directory is required");
        }

        if (options.MaxBytes < 1024 * 1024)
        {
            (failures ??= []).Add($"Outbox:MaxBytes must be at least 1 MiB, found {options.MaxBytes}");
        }

        if (options.SegmentBytes is < 64 * 1024 or > 1024L * 1024 * 1024)
        {
            (failures ??= []).Add($"Outbox:SegmentBytes must be 64 KiB to 1 GiB, found {options.SegmentBytes}");
        }
        else if (options.SegmentBytes > options.MaxBytes / 2)
        {
            // Space is freed a segment at a time; at least two must fit, or a drop could empty the outbox.
            (failures ??= []).Add($"Outbox:SegmentBytes ({options.SegmentBytes}) must be at most half of Outbox:MaxBytes ({options.MaxBytes})");
        }

        if (options.MaxAge < TimeSpan.FromHours(1) || options.MaxAge > TimeSpan.FromDays(3650))
        {
            (failures ??= []).Add($"Outbox:MaxAge must be 1 hour to 3650 days, found {options.MaxAge}");
        }

        if (options.FlushInterval < TimeSpan.Zero || options.FlushInterval > TimeSpan.FromMinutes(10))
        {
            (failures ??= []).Add($"Outbox:FlushInterval must be 0 to 10 minutes, found {options.FlushInterval}");
        }

        return failures is null ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
