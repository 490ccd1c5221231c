using System.ComponentModel.DataAnnotations;
using EdgeGateway.Agent.Outbox;
using EdgeGateway.Agent.Publishing;

namespace EdgeGateway.Agent.Hosting;

/// <summary>Where the agent's signal events come from.</summary>
public enum EventSourceKind
{
    /// <summary>GPIO and I2C sensors named by the signals' <c>Source</c>.</summary>
    Sensors,

    /// <summary>The cell simulator (each cell's <c>Simulation</c> section), optionally faster than real time.</summary>
    Simulator,

    /// <summary>A recorded trace, replayed as fast as the pipeline takes it.</summary>
    Trace,
}

/// <summary>The agent's own options (config section <c>Agent</c>; environment <c>EDGEGW_Agent__…</c>; command line <c>--Agent:…</c>).</summary>
public sealed class AgentOptions
{
    /// <summary>This gateway's id, unique in its site (MQTT client id and status topic); by default one derived from the machine id.</summary>
    [Required]
    public string GatewayId { get; set; } = DefaultGatewayId.Get();

    /// <summary>Where signal events come from.</summary>
    public EventSourceKind Source { get; set; } = EventSourceKind.Sensors;

    /// <summary>The trace to replay when <see cref="Source"/> is <see cref="EventSourceKind.Trace"/>.</summary>
    public string? TracePath { get; set; }

    /// <summary>Simulator: simulated seconds per real second.</summary>
    [Range(0.001, 1_000_000)]
    public double SpeedFactor { get; set; } = 1;

    /// <summary>Simulator: the simulated start instant (default: now).</summary>
    public DateTimeOffset? SimulationStart { get; set; }

    /// <summary>Simulator: the simulated end instant (default: none, it runs on). The source ends there, the windows in
    /// progress close, and the agent keeps delivering what it holds.</summary>
    public DateTimeOffset? SimulationEnd { get; set; }

    /// <summary>Simulator: random seed.</summary>
    public int SimulationSeed { get; set; } = 1;

    /// <summary>Window kinds published (contract names); empty means <see cref="DefaultWindows"/>.</summary>
    /// <remarks>
    /// The default is not the property's initial value: the config binder appends configured array items to an
    /// initial array instead of replacing it.
    /// </remarks>
    public string[] Windows { get; set; } = [];

    /// <summary>What is published when <see cref="Windows"/> is not configured.</summary>
    public static IReadOnlyList<string> DefaultWindows { get; } = ["1m", "shift", "day"];

    /// <summary>The window kinds in effect.</summary>
    public IReadOnlyList<string> EffectiveWindows => Windows.Length == 0 ? DefaultWindows : Windows;

    /// <summary>Where the running agent writes its status for <c>edgegw status</c>.</summary>
    [Required]
    public string StatusFile { get; set; } = "/run/edgegw/status.json";

    /// <summary>
    /// The Unix domain socket on which <c>edgegw reason</c>, <c>article</c> and <c>calendar</c> reach the agent
    /// (src/docs/agent.md, "Remote commands"); made with mode 0660, so only root and the service's group may use it.
    /// Empty: no socket.
    /// </summary>
    public string ControlSocket { get; set; } = DefaultControlSocket;

    /// <summary>Where the control socket is when nothing says otherwise (systemd's RuntimeDirectory=edgegw).</summary>
    public const string DefaultControlSocket = "/run/edgegw/control.sock";

    /// <summary>
    /// How often the engine's windows in progress are saved next to the outbox, so that a restart goes on with them
    /// (src/docs/agent.md, "Restarts"); after a crash the time since the last save is unknown.
    /// </summary>
    public TimeSpan WindowCheckpointInterval { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Capacity of the channel between sources and the engine; sources wait when it is full.</summary>
    [Range(16, 10_000_000)]
    public int EventQueueCapacity { get; set; } = 65_536;

    /// <summary>Broker connection.</summary>
    [Microsoft.Extensions.Options.ValidateObjectMembers]
    public MqttOptions Mqtt { get; set; } = new();

    /// <summary>The durable outbox.</summary>
    [Microsoft.Extensions.Options.ValidateObjectMembers]
    public OutboxOptions Outbox { get; set; } = new();
}
