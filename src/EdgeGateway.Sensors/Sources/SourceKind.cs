
namespace EdgeGateway.Sensors.Sources;

/// <summary>The kind of hardware behind a signal's <c>Source</c>.</summary>
public enum SourceKind
{
    /// <summary><c>gpio:17</c>: a digital input line (BCM numbering) of GPIO chip 0.</summary>
    Gpio,

    /// <summary><c>i2c:1:0x48/ads1115:a0</c>: a 16-bit ADC channel (current transformer or a voltage).</summary>
    Ads1115,

    /// <summary><c>i2c:1:0x40/ina219</c>: a DC current/power monitor.</summary>
    Ina219,

    /// <summary><c>i2c:1:0x76/bme280:temperature</c>: temperature, humidity or pressure.</summary>
    Bme280,

    /// <summary><c>i2c:1:0x53/adxl345:vibration</c>: vibration RMS from a 3-axis accelerometer.</summary>
    Adxl345,
}
