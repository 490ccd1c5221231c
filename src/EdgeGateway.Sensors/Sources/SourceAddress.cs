using System.Globalization;
using EdgeGateway.Core;
using EdgeGateway.Core.Configuration;
using EdgeGateway.Core.Signals;

namespace EdgeGateway.Sensors.Sources;

/// <summary>
/// A parsed and validated signal <c>Source</c> (src/docs/sources.md): <c>gpio:LINE</c> or
/// <c>i2c:BUS:0xADDR/DEVICE[:CHANNEL]</c>. <see cref="ToString"/> gives the canonical text.
/// </summary>
public sealed record SourceAddress(SourceKind Kind, int Bus, int Address, int Line, SourceChannel Channel)
{
    /// <summary>Highest BCM line of the 40-pin header.</summary>
    public const int MaxBcmLine = 27;

    /// <summary>Highest I2C bus number accepted (<c>/dev/i2c-BUS</c>; the header's bus is 1).</summary>
    public const int MaxBus = 99;

    /// <summary>Shunt resistor of the common INA219 breakout boards (R100).</summary>
    public const double DefaultShuntOhms = 0.1;

    /// <summary>INA219: the shunt resistor in ohms (<c>ina219:shunt=0.01</c>); 0 for other kinds.</summary>
    public double ShuntOhms { get; init; }

    /// <summary>True for the single-ended and differential ADS1115 inputs.</summary>
    public bool IsAdcInput => Channel is >= SourceChannel.Ain0 and <= SourceChannel.Ain2Ain3;

    /// <summary>True for the ADS1115 differential inputs.</summary>
    public bool IsDifferential => Channel is >= SourceChannel.Ain0Ain1 and <= SourceChannel.Ain2Ain3;

    /// <summary>The device part of an I2C address: <c>i2c:1:0x48</c>.</summary>
    public string Device => Kind == SourceKind.Gpio ? $"gpio:{Line}" : string.Create(CultureInfo.InvariantCulture, $"i2c:{Bus}:0x{Address:x2}");

    /// <summary>Parses and validates the source of <paramref name="signal"/> against its role; problems name the signal's config location.</summary>
    /// <exception cref="InputException">The source is malformed or does not fit the signal's role.</exception>
    public static SourceAddress Parse(SignalConfig signal)
    {
        ArgumentNullException.ThrowIfNull(signal);
        var text = signal.Source ?? throw signal.Location.Problem("Source: missing");
        if (!TryParse(text, out var address, out var problem))
        {
            throw signal.Location.Problem($"Source '{InputText.Quote(text)}': {problem}");
        }

        if (!Accepts(address.Kind, address.Channel, signal.Role))
        {
            throw signal.Location.Problem($"Source '{InputText.Quote(text)}': a {address.Kind.ToString().ToLowerInvariant()} source cannot carry role {signal.Role} ({RolesOf(address.Kind)})");
        }

        return address;
    }

    /// <summary>Parses a source text without a role check; <paramref name="problem"/> says what is wrong.</summary>
    public static bool TryParse(string text, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out SourceAddress? address, [System.Diagnostics.CodeAnalysis.NotNullWhen(false)] out string? problem)
    {
        ArgumentNullException.ThrowIfNull(text);
        address = null;
        var trimmed = text.Trim();
        if (trimmed.StartsWith("gpio:", StringComparison.OrdinalIgnoreCase))
        {
            var lineText = trimmed["gpio:".Length..];
            if (!int.TryParse(lineText, NumberStyles.None, CultureInfo.InvariantCulture, out var line) || line > MaxBcmLine)
            {
                problem = $"expected gpio:LINE with a BCM line 0-{MaxBcmLine} of the 40-pin header, e.g. gpio:17";
                return false;
            }

            address = new SourceAddress(SourceKind.Gpio, -1, -1, line, SourceChannel.None);
            problem = null;
            return true;
        }

        if (!trimmed.StartsWith("i2c:", StringComparison.OrdinalIgnoreCase))
        {
            problem = "expected gpio:LINE or i2c:BUS:0xADDR/DEVICE[:CHANNEL], e.g. gpio:17 or i2c:1:0x48/ads1115:a0";
            return false;
        }

        var slash = trimmed.IndexOf('/', StringComparison.Ordinal);
        var busAndAddress = (slash < 0 ? trimmed : trimmed[..slash])["i2c:".Length..].Split(':');
        if (slash < 0 || busAndAddress.Length != 2)
        {
            problem = "expected i2c:BUS:0xADDR/DEVICE[:CHANNEL], e.g. i2c:1:0x48/ads1115:a0";
            return false;
        }

        if (!int.TryParse(busAndAddress[0], NumberStyles.None, CultureInfo.InvariantCulture, out var bus) || bus > MaxBus)
        {
            problem = $"bus '{InputText.Quote(busAndAddress[0])}' is not a bus number 0-{MaxBus} (/dev/i2c-BUS; 1 on a Raspberry Pi header)";
            return false;
        }

        var addressText = busAndAddress[1];
        if (!addressText.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            || !int.TryParse(addressText.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var i2cAddress)
            || addressText.Length is < 3 or > 4 || i2cAddress is < 0x03 or > 0x77)
        {
            problem = $"address '{InputText.Quote(addressText)}' is not a 7-bit I2C address in hex, 0x03-0x77 (e.g. 0x48)";
            return false;
        }

        var deviceAndChannel = trimmed[(slash + 1)..];
        var colon = deviceAndChannel.IndexOf(':', StringComparison.Ordinal);
        var device = (colon < 0 ? deviceAndChannel : deviceAndChannel[..colon]).ToLowerInvariant();
        var channel = colon < 0 ? null : deviceAndChannel[(colon + 1)..].ToLowerInvariant();
        return device switch
        {
            "ads1115" => ParseAds1115(bus, i2cAddress, channel, out address, out problem),
            "ina219" => ParseIna219(bus, i2cAddress, channel, out address, out problem),
            "bme280" => ParseBme280(bus, i2cAddress, channel, out address, out problem),
            "adxl345" => ParseAdxl345(bus, i2cAddress, channel, out address, out problem),
            _ => Fail($"unknown device '{InputText.Quote(device)}' (supported: ads1115, ina219, bme280, adxl345)", out address, out problem),
        };
    }

    /// <inheritdoc/>
    public override string ToString() => Kind switch
    {
        SourceKind.Gpio => Device,
        SourceKind.Ads1115 => $"{Device}/ads1115:{ChannelName(Channel)}",
        SourceKind.Ina219 => ShuntOhms == DefaultShuntOhms ? $"{Device}/ina219" : string.Create(CultureInfo.InvariantCulture, $"{Device}/ina219:shunt={ShuntOhms}"),
        SourceKind.Bme280 => $"{Device}/bme280:{ChannelName(Channel)}",
        _ => $"{Device}/adxl345:{ChannelName(Channel)}",
    };

    /// <summary>The roles a source kind can carry, for messages.</summary>
    internal static string RolesOf(SourceKind kind) => kind switch
    {
        SourceKind.Gpio => "gpio carries level roles StateRun, StateIdle, StateDown, Setup, the reason-box buttons ReasonButton, ArticleButton and pulse roles CyclePulse, ScrapPulse",
        SourceKind.Ads1115 => "ads1115 carries PowerKw (current transformer) or Aux (volts)",
        SourceKind.Ina219 => "ina219 carries PowerKw",
        _ => $"{kind.ToString().ToLowerInvariant()} carries Aux",
    };

    private static bool Accepts(SourceKind kind, SourceChannel channel, SignalRole role) => kind switch
    {
        SourceKind.Gpio => role.IsLevel() || role.IsButton() || role.IsPulse(), // a reason-box button is a 0/1 level like a lamp
        SourceKind.Ads1115 => role is SignalRole.PowerKw or SignalRole.Aux,
        SourceKind.Ina219 => role == SignalRole.PowerKw,
        _ => role == SignalRole.Aux && channel != SourceChannel.None,
    };

    private static string ChannelName(SourceChannel channel) => channel switch
    {
        SourceChannel.Ain0 => "a0",
        SourceChannel.Ain1 => "a1",
        SourceChannel.Ain2 => "a2",
        SourceChannel.Ain3 => "a3",
        SourceChannel.Ain0Ain1 => "a0-a1",
        SourceChannel.Ain0Ain3 => "a0-a3",
        SourceChannel.Ain1Ain3 => "a1-a3",
        SourceChannel.Ain2Ain3 => "a2-a3",
        _ => channel.ToString().ToLowerInvariant(),
    };

    private static bool ParseAds1115(int bus, int address, string? channel, out SourceAddress? result, out string? problem)
    {
        if (address is < 0x48 or > 0x4B)
        {
            return Fail($"an ADS1115 answers at 0x48-0x4B (ADDR pin to GND, VDD, SDA, SCL), not 0x{address:x2}", out result, out problem);
        }

        SourceChannel? input = channel switch
        {
            "a0" => SourceChannel.Ain0,
            "a1" => SourceChannel.Ain1,
            "a2" => SourceChannel.Ain2,
            "a3" => SourceChannel.Ain3,
            "a0-a1" => SourceChannel.Ain0Ain1,
            "a0-a3" => SourceChannel.Ain0Ain3,
            "a1-a3" => SourceChannel.Ain1Ain3,
            "a2-a3" => SourceChannel.Ain2Ain3,
            _ => null,
        };
        if (input is null)
        {
            return Fail($"ads1115 needs an input: a0, a1, a2, a3 (single-ended) or a0-a1, a0-a3, a1-a3, a2-a3 (differential){Found(channel)}", out result, out problem);
        }

        return Ok(new SourceAddress(SourceKind.Ads1115, bus, address, -1, input.Value), out result, out problem);
    }

    private static bool ParseIna219(int bus, int address, string? channel, out SourceAddress? result, out string? problem)
    {
        if (address is < 0x40 or > 0x4F)
        {
            return Fail($"an INA219 answers at 0x40-0x4F (A0/A1 pins), not 0x{address:x2}", out result, out problem);
        }

        var shunt = DefaultShuntOhms;
        if (channel is not null)
        {
            if (!channel.StartsWith("shunt=", StringComparison.Ordinal)
                || !double.TryParse(channel.AsSpan("shunt=".Length), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out shunt)
                || shunt is <= 0 or > 10)
            {
                return Fail($"ina219 takes an optional shunt=OHMS (0 < OHMS <= 10, default {DefaultShuntOhms.ToString(CultureInfo.InvariantCulture)}){Found(channel)}", out result, out problem);
            }
        }

        return Ok(new SourceAddress(SourceKind.Ina219, bus, address, -1, SourceChannel.None) { ShuntOhms = shunt }, out result, out problem);
    }

    private static bool ParseBme280(int bus, int address, string? channel, out SourceAddress? result, out string? problem)
    {
        if (address is not (0x76 or 0x77))
        {
            return Fail($"a BME280 answers at 0x76 (SDO to GND) or 0x77 (SDO to VDD), not 0x{address:x2}", out result, out problem);
        }

        SourceChannel? quantity = channel switch
        {
            "temperature" => SourceChannel.Temperature,
            "humidity" => SourceChannel.Humidity,
            "pressure" => SourceChannel.Pressure,
            _ => null,
        };
        return quantity is null
            ? Fail($"bme280 needs a quantity: temperature (°C), humidity (%) or pressure (hPa){Found(channel)}", out result, out problem)
            : Ok(new SourceAddress(SourceKind.Bme280, bus, address, -1, quantity.Value), out result, out problem);
    }

    private static bool ParseAdxl345(int bus, int address, string? channel, out SourceAddress? result, out string? problem)
    {
        if (address is not (0x53 or 0x1D))
        {
            return Fail($"an ADXL345 answers at 0x53 (ALT ADDRESS to GND) or 0x1D (to VDD), not 0x{address:x2}", out result, out problem);
        }

        return channel is null or "vibration"
            ? Ok(new SourceAddress(SourceKind.Adxl345, bus, address, -1, SourceChannel.Vibration), out result, out problem)
            : Fail($"adxl345 has one quantity: vibration (RMS in g){Found(channel)}", out result, out problem);
    }

    private static string Found(string? channel) => channel is null ? "" : $", found '{InputText.Quote(channel)}'";

    private static bool Ok(SourceAddress address, out SourceAddress? result, out string? problem)
    {
        result = address;
        problem = null;
        return true;
    }

    private static bool Fail(string message, out SourceAddress? result, out string? problem)
    {
        result = null;
        problem = message;
        return false;
    }
}
