using System.Globalization;
using EdgeGateway.Core;
using EdgeGateway.Core.Configuration;
using EdgeGateway.Core.Signals;

namespace EdgeGateway.Sensors.Sources;

/// <summary>One signal read from hardware: its number in the <see cref="SignalMap"/>, its config, parsed source and settings.</summary>
public sealed record HardwareInput(int Signal, SignalConfig Config, SourceAddress Address, SourceSettings Settings)
{
    /// <summary>The signal's name.</summary>
    public string Name => Config.Name;

    /// <summary>
    /// The hardware inputs of every cell of <paramref name="config"/> (signals without a <c>Source</c> are not read from
    /// hardware), validated one by one and against each other.
    /// </summary>
    /// <exception cref="InputException">A source is malformed, an option does not apply, or two signals claim the same input (carrying every such problem).</exception>
    public static IReadOnlyList<HardwareInput> Read(GatewayConfig config, SignalMap signals)
    {
        var problems = new List<InputException>();
        var inputs = Check(config, signals, problems);
        InputException.ThrowIfAny(problems);
        return inputs;
    }

    /// <summary>
    /// Like <see cref="Read"/>, but adds every problem to <paramref name="problems"/> (one per signal at most) and returns
    /// the inputs that are valid; needs no hardware (the agent's start-time config check and <c>edgegw config validate</c>).
    /// </summary>
    public static IReadOnlyList<HardwareInput> Check(GatewayConfig config, SignalMap signals, List<InputException> problems)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(signals);
        ArgumentNullException.ThrowIfNull(problems);
        var inputs = new List<HardwareInput>();
        foreach (var cell in config.Cells)
        {
            foreach (var signal in cell.Signals)
            {
                if (signal.Source is null)
                {
                    continue;
                }

                try
                {
                    var address = SourceAddress.Parse(signal);
                    var settings = SourceSettings.Resolve(signal, address);
                    _ = signals.TryFind(signal.Name, out var number);
                    var input = new HardwareInput(number, signal, address, settings);
                    CheckAgainst(inputs, input);
                    inputs.Add(input);
                }
                catch (InputException e)
                {
                    problems.Add(e);
                }
            }
        }

        try
        {
            CheckSharedConverters(inputs);
        }
        catch (InputException e)
        {
            problems.Add(e);
        }

        return inputs;
    }

    private static void CheckAgainst(List<HardwareInput> earlier, HardwareInput input)
    {
        var a = input.Address;
        foreach (var other in earlier)
        {
            var b = other.Address;
            if (a.Kind == SourceKind.Gpio && b.Kind == SourceKind.Gpio && a.Line == b.Line)
            {
                throw input.Config.Location.Problem($"Source '{a}': gpio line {a.Line} is already read for signal '{other.Name}'");
            }

            if (a.Kind != SourceKind.Gpio && b.Kind != SourceKind.Gpio && a.Bus == b.Bus && a.Address == b.Address)
            {
                if (a.Kind != b.Kind)
                {
                    throw input.Config.Location.Problem($"Source '{a}': {a.Device} is already an {b.Kind.ToString().ToLowerInvariant()} for signal '{other.Name}'");
                }

                if (a.Channel == b.Channel)
                {
                    throw input.Config.Location.Problem($"Source '{a}': the same input is already read for signal '{other.Name}'");
                }

                if (a.Kind == SourceKind.Ina219 && a.ShuntOhms != b.ShuntOhms)
                {
                    throw input.Config.Location.Problem($"Source '{a}': signal '{other.Name}' gives {a.Device} another shunt");
                }
            }

            // BCM 2 and 3 are SDA and SCL of I2C bus 1 on the 40-pin header.
            if (a.Kind == SourceKind.Gpio && a.Line is 2 or 3 && b.Kind != SourceKind.Gpio && b.Bus == 1)
            {
                throw input.Config.Location.Problem($"Source '{a}': BCM {a.Line} is {(a.Line == 2 ? "SDA" : "SCL")} of I2C bus 1, which signal '{other.Name}' uses");
            }

            if (b.Kind == SourceKind.Gpio && b.Line is 2 or 3 && a.Kind != SourceKind.Gpio && a.Bus == 1)
            {
                throw input.Config.Location.Problem($"Source '{a}': I2C bus 1 runs on BCM 2 and 3, but signal '{other.Name}' reads gpio:{b.Line}");
            }
        }
    }

    private static void CheckSharedConverters(List<HardwareInput> inputs)
    {
        // Channels of one ADS1115 take turns on its single converter: at most 860 conversions per second in all.
        for (var i = 0; i < inputs.Count; i++)
        {
            var first = inputs[i];
            if (first.Address.Kind != SourceKind.Ads1115)
            {
                continue;
            }

            var total = 0.0;
            HardwareInput? last = null;
            foreach (var other in inputs)
            {
                if (other.Address.Kind == SourceKind.Ads1115 && other.Address.Bus == first.Address.Bus && other.Address.Address == first.Address.Address)
                {
                    total += other.Settings.SampleRateHz;
                    last = other;
                }
            }

            var max = SourceSettings.MaxSampleRateHz(SourceKind.Ads1115);
            if (total > max && last is not null)
            {
                throw last.Config.Location.Problem(string.Create(CultureInfo.InvariantCulture,
                    $"Source '{last.Address}': the channels of {first.Address.Device} need {total} samples/s together, more than the {max} one ADS1115 converts; lower SampleRateHz or use another ADS1115"));
            }
        }
    }
}
