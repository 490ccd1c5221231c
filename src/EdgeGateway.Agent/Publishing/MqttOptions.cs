using System.ComponentModel.DataAnnotations;
using EdgeGateway.Mqtt;

namespace EdgeGateway.Agent.Publishing;

/// <summary>Broker connection (config section <c>Agent:Mqtt</c>).</summary>
public sealed class MqttOptions : IBrokerSecurityOptions
{
    /// <summary>Broker host name or address.</summary>
    [Required]
    public string Host { get; set; } = "localhost";

    /// <summary>Broker port (1883 plain, 8883 TLS by convention).</summary>
    [Range(1, 65535)]
    public int Port { get; set; } = 1883;

    /// <summary>User name; with a client certificate the broker may take the certificate's CN instead.</summary>
    public string? Username { get; set; }

    /// <summary>Password (prefer the environment: <c>EDGEGW_Agent__Mqtt__Password</c>).</summary>
    public string? Password { get; set; }

    /// <summary>Use TLS.</summary>
    public bool Tls { get; set; }

    /// <summary>PEM file of the CA the broker's certificate must chain to (pinned: the system store is not used).</summary>
    public string? CaFile { get; set; }

    /// <summary>PEM client certificate (with <see cref="ClientKeyFile"/>).</summary>
    public string? ClientCertFile { get; set; }

    /// <summary>PEM private key of the client certificate.</summary>
    public string? ClientKeyFile { get; set; }

    /// <summary>Versioned topic prefix.</summary>
    [Required]
    public string TopicPrefix { get; set; } = "edgegw/v1";

    /// <summary>QoS 1 publishes awaiting their PUBACK at once.</summary>
    [Range(1, 1000)]
    public int MaxInFlight { get; set; } = 32;

    /// <summary>First reconnect delay; doubles per failure up to <see cref="MaxBackoff"/>, with ±20 % jitter.</summary>
    public TimeSpan MinBackoff { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Longest reconnect delay.</summary>
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>MQTT keep-alive.</summary>
    public TimeSpan KeepAlive { get; set; } = TimeSpan.FromSeconds(30);
}
