using System.ComponentModel.DataAnnotations;
using EdgeGateway.Core.Payload;
using EdgeGateway.Mqtt;

namespace EdgeGateway.Agent.Publishing;

/// <summary>Broker connection (config section <c>Agent:Mqtt</c>): the keys every broker connection has, and the agent's own.</summary>
public sealed class MqttOptions : BrokerOptions
{
    /// <summary>Versioned topic prefix.</summary>
    [Required]
    public string TopicPrefix { get; set; } = TopicScheme.DefaultPrefix;

    /// <summary>QoS 1 publishes awaiting their PUBACK at once.</summary>
    [Range(1, 1000)]
    public int MaxInFlight { get; set; } = 32;

    /// <summary>Most records in one MQTT message while a backlog drains (1: every record alone).</summary>
    [Range(1, 1000)]
    public int BatchRecords { get; set; } = 50;

    /// <summary>Most bytes of one batch message; must not exceed the ingest's <c>MaxPayloadBytes</c>.</summary>
    [Range(1024, 16 * 1024 * 1024)]
    public int BatchBytes { get; set; } = 48 * 1024;

    /// <summary>A record sent this long ago and not confirmed by the backend is sent again.</summary>
    public TimeSpan ConfirmTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often the retained status (the birth message) is published again while connected.</summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Records sent and awaiting the backend's confirmation at once; the publisher waits when this many are.</summary>
    [Range(1, 1_000_000)]
    public int MaxUnconfirmed { get; set; } = 20_000;
}
