using System.ComponentModel.DataAnnotations;
using EdgeGateway.Mqtt;

namespace EdgeGateway.Agent.Publishing;

/// <summary>Broker connection (config section <c>Agent:Mqtt</c>): the keys every broker connection has, and the agent's own.</summary>
public sealed class MqttOptions : BrokerOptions
{
    /// <summary>Versioned topic prefix.</summary>
    [Required]
    public string TopicPrefix { get; set; } = "edgegw/v1";

    /// <summary>QoS 1 publishes awaiting their PUBACK at once.</summary>
    [Range(1, 1000)]
    public int MaxInFlight { get; set; } = 32;
}
