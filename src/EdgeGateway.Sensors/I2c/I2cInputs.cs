using EdgeGateway.Sensors.Sources;
using Microsoft.Extensions.Logging;

namespace EdgeGateway.Sensors.I2c;

/// <summary>
/// The I2C channels of a gateway grouped by chip, sampled by the polling loop. A bus error (NACK, timeout, a chip that
/// no longer answers) faults every channel of that chip at once and closes it; the chip is opened again every
/// <see cref="RetryPeriod"/> until it answers, and each channel reports its next valid window.
/// </summary>
internal sealed class I2cInputs : IDisposable
{
    /// <summary>Time between attempts to open a chip that failed.</summary>
    public static readonly TimeSpan RetryPeriod = TimeSpan.FromSeconds(5);

    private readonly I2cChip[] _chips;
    private readonly HardwareAccess _hardware;
    private readonly ILogger _logger;

    /// <summary>Groups <paramref name="inputs"/> (I2C sources only) by bus and address.</summary>
    public I2cInputs(IReadOnlyList<HardwareInput> inputs, HardwareAccess hardware, ILogger logger)
    {
        _hardware = hardware;
        _logger = logger;
        var chips = new List<I2cChip>();
        foreach (var input in inputs)
        {
            var address = input.Address;
            var chip = chips.Find(c => c.Bus == address.Bus && c.Address == address.Address);
            if (chip is null)
            {
                chip = address.Kind switch
                {
                    SourceKind.Ads1115 => new Ads1115Chip(address.Bus, address.Address),
                    SourceKind.Ina219 => new Ina219Chip(address.Bus, address.Address, address.ShuntOhms),
                    SourceKind.Bme280 => new Bme280Chip(address.Bus, address.Address),
                    SourceKind.Adxl345 => new Adxl345Chip(address.Bus, address.Address),
                    _ => throw new ArgumentException($"{address} is not an I2C source", nameof(inputs)),
                };
                chips.Add(chip);
            }

            chip.Channels.Add(chip switch
            {
                Ads1115Chip ads => new AdcChannel(input, ads),
                Ina219Chip ina => new Ina219Channel(input, ina),
                Bme280Chip bme => new Bme280Channel(input, bme),
                Adxl345Chip adxl => new VibrationChannel(input, adxl),
                _ => throw new InvalidOperationException("unreachable"),
            });
        }

        _chips = [.. chips];
    }

    /// <summary>The chips, in config order of their first channel.</summary>
    public IReadOnlyList<I2cChip> Chips => _chips;

    /// <summary>Number of channels.</summary>
    public int ChannelCount => _chips.Sum(chip => chip.Channels.Count);

    /// <summary>Shortest sample period of any channel, in ticks (<see cref="long.MaxValue"/> without channels).</summary>
    public long FastestPeriodTicks => _chips.SelectMany(chip => chip.Channels).Select(channel => channel.PeriodTicks).DefaultIfEmpty(long.MaxValue).Min();

    /// <summary>How early a sample may be taken: half the polling tick, so a tick that fires a little early still samples.</summary>
    public long ToleranceTicks { get; set; }

    /// <summary>Opens every chip; one that does not answer faults its channels and is retried.</summary>
    public void Start(long nowTicks, EventOutbox outbox)
    {
        foreach (var chip in _chips)
        {
            TryOpen(chip, nowTicks, outbox);
        }
    }

    /// <summary>Reads every channel that is due; retries closed chips whose retry time has come.</summary>
    public void Poll(long nowTicks, EventOutbox outbox)
    {
        foreach (var chip in _chips)
        {
            if (!chip.IsOpen)
            {
                if (nowTicks < chip.RetryAtTicks || !TryOpen(chip, nowTicks, outbox))
                {
                    continue;
                }
            }

            try
            {
                foreach (var channel in chip.Channels)
                {
                    if (channel.IsDue(nowTicks, ToleranceTicks))
                    {
                        channel.Sample(nowTicks, ToleranceTicks, outbox, _logger);
                    }
                }
            }
            catch (Exception e) when (I2cChip.IsBusError(e))
            {
                chip.Close();
                chip.RetryAtTicks = nowTicks + RetryPeriod.Ticks;
                var reason = $"I2C error reading the {chip.Model} at {chip.Device}: {HardwareAccess.OneLine(e.Message)}";
                foreach (var channel in chip.Channels)
                {
                    channel.Fault(nowTicks, reason, outbox, _logger);
                }
            }
        }
    }

    /// <summary>Closes every chip.</summary>
    public void Dispose()
    {
        foreach (var chip in _chips)
        {
            chip.Close();
        }
    }

    private bool TryOpen(I2cChip chip, long nowTicks, EventOutbox outbox)
    {
        try
        {
            chip.Open(_hardware);
        }
        catch (Exception e) when (I2cChip.IsBusError(e))
        {
            chip.RetryAtTicks = nowTicks + RetryPeriod.Ticks;
            var reason = $"cannot open the {chip.Model} at {chip.Device}: {HardwareAccess.OneLine(e.Message)}";
            var any = false;
            foreach (var channel in chip.Channels)
            {
                any |= !channel.Faulted;
                channel.Fault(nowTicks, reason, outbox, _logger);
            }

            if (!any)
            {
                HardwareLog.ReopenFailed(_logger, chip.Device, chip.Model, reason);
            }

            return false;
        }

        HardwareLog.DeviceOpened(_logger, chip.Device, chip.Model);
        foreach (var channel in chip.Channels)
        {
            channel.Restart(nowTicks);
        }

        return true;
    }
}
