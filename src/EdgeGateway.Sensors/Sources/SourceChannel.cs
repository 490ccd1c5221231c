
namespace EdgeGateway.Sensors.Sources;

/// <summary>Which input of a device a source reads.</summary>
public enum SourceChannel
{
    /// <summary>The device has a single reading (GPIO line, INA219 power).</summary>
    None,

    /// <summary>ADS1115 AIN0 against GND.</summary>
    Ain0,

    /// <summary>ADS1115 AIN1 against GND.</summary>
    Ain1,

    /// <summary>ADS1115 AIN2 against GND.</summary>
    Ain2,

    /// <summary>ADS1115 AIN3 against GND.</summary>
    Ain3,

    /// <summary>ADS1115 AIN0 − AIN1 (differential).</summary>
    Ain0Ain1,

    /// <summary>ADS1115 AIN0 − AIN3 (differential).</summary>
    Ain0Ain3,

    /// <summary>ADS1115 AIN1 − AIN3 (differential).</summary>
    Ain1Ain3,

    /// <summary>ADS1115 AIN2 − AIN3 (differential).</summary>
    Ain2Ain3,

    /// <summary>BME280 temperature in °C.</summary>
    Temperature,

    /// <summary>BME280 relative humidity in %.</summary>
    Humidity,

    /// <summary>BME280 pressure in hPa.</summary>
    Pressure,

    /// <summary>ADXL345 vibration RMS in g.</summary>
    Vibration,
}
