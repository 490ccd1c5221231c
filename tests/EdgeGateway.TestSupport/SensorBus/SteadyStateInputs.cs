using System.Text;
using EdgeGateway.Core.Configuration;

namespace EdgeGateway.TestSupport.SensorBus;

/// <summary>
/// The load the polling path is measured with (allocation test, benchmarks, CPU measurement): four cells, each with a
/// current transformer at 100 Hz on its own ADS1115 plus a stack-light level and a cycle pulse input (4 analog
/// channels at 100 Hz + 8 digital inputs); with <c>extras</c> a fifth cell with an INA219, BME280 temperature and
/// humidity, and ADXL345 vibration at 100 Hz. Each cycle input sees a bouncing pulse every 0.5 s, each lamp changes
/// every 3 s.
/// </summary>
public static class SteadyStateInputs
{
    /// <summary>Events per simulated second: 4 CTs × 5 windows, 8 pulses, 4/3 lamp changes; extras: INA219, BME280 × 2 / 2 s, ADXL345.</summary>
    public static double EventsPerSecond(bool extras) => (4 * 5) + 8 + (4.0 / 3) + (extras ? 3 : 0);

    /// <summary>The signals of each cell.</summary>
    public static string[] Cells(bool extras)
    {
        var cells = new string[extras ? 5 : 4];
        for (var i = 0; i < 4; i++)
        {
            cells[i] = $$"""
                "power{{i}}": { "Role": "PowerKw", "Source": "i2c:1:0x{{0x48 + i:x2}}/ads1115:a0-a1", "CtRatio": 2000, "BurdenOhms": 33, "SampleRateHz": 100 },
                "run{{i}}": { "Role": "StateRun", "Source": "gpio:{{4 + i}}", "ActiveLow": true },
                "cycle{{i}}": { "Role": "CyclePulse", "Source": "gpio:{{16 + i}}" }
                """;
        }

        if (!extras)
        {
            return cells;
        }

        cells[4] = """
            "dc": { "Role": "PowerKw", "Source": "i2c:1:0x40/ina219" },
            "temp": { "Role": "Aux", "Source": "i2c:1:0x76/bme280:temperature", "SampleRateHz": 1, "WindowMs": 2000 },
            "rh": { "Role": "Aux", "Source": "i2c:1:0x76/bme280:humidity", "SampleRateHz": 1, "WindowMs": 2000 },
            "vibration": { "Role": "Aux", "Source": "i2c:1:0x53/adxl345:vibration", "SampleRateHz": 100 }
            """;
        return cells;
    }

    /// <summary>The gateway config of <see cref="Cells"/>, as <see cref="BusRig"/> builds it.</summary>
    public static GatewayConfig Config(bool extras) => ConfigReader.Read(Encoding.UTF8.GetBytes(BusRig.Json(Cells(extras))), "steady-state.json");

    /// <summary>The chips on the bus, their waveforms sampled on <paramref name="clock"/>.</summary>
    public static void AddChips(SimulatedI2cBus bus, TimeProvider clock, bool extras)
    {
        for (var i = 0; i < 4; i++)
        {
            var adc = bus.Add(new SimulatedAds1115(1, 0x48 + i, clock));

            // 40 Hz keeps 100 Hz sampling off the 2:1 ratio that 50 Hz would hit; the value does not matter here.
            adc.Pins[0] = new SineSignal(1.65, 0.2 + (0.1 * i), 40, noiseRms: 0.002, seed: i);
            adc.Pins[1] = new ConstantSignal(1.65);
        }

        if (!extras)
        {
            return;
        }

        bus.Add(new SimulatedIna219(1, 0x40, 0.1) { BusVolts = 24, LoadAmps = 1.2 });
        bus.Add(new SimulatedBme280(1, 0x76)).SetConditions(21.3, 40, 1000);
        var adxl = bus.Add(new SimulatedAdxl345(1, 0x53, clock));
        adxl.Axes[0] = new SineSignal(0, 0.3, 25, noiseRms: 0.01);
        adxl.Axes[1] = new SineSignal(0, 0, 0, noiseRms: 0.01, seed: 2);
        adxl.Axes[2] = new SineSignal(1, 0, 0, noiseRms: 0.01, seed: 3);
    }

    /// <summary>A rig with the steady-state inputs on a manual clock.</summary>
    public static BusRig Rig(bool extras)
    {
        var rig = new BusRig(Cells(extras));
        AddChips(rig.I2c, rig.Clock, extras);
        return rig;
    }

    /// <summary>The edges of 10 ms tick number <paramref name="tick"/> (allocation-free).</summary>
    public static void Stimulate(SimulatedGpioDriver gpio, int tick)
    {
        for (var i = 0; i < 4; i++)
        {
            var phase = (tick + (i * 7)) % 50;
            if (phase == 0)
            {
                gpio.Set(16 + i, true);
                gpio.Set(16 + i, false);
                gpio.Set(16 + i, true);
            }
            else if (phase == 20)
            {
                gpio.Set(16 + i, false);
            }

            if ((tick + (i * 11)) % 300 == 0)
            {
                gpio.Set(4 + i, !gpio.Level(4 + i));
            }
        }
    }
}
