using EdgeGateway.Core.Signals;

namespace EdgeGateway.Core.Configuration;

/// <summary>A named signal of a cell and its role; <see cref="Source"/> is the hardware address (ignored by replay).</summary>
public sealed record SignalConfig(string Name, SignalRole Role, string? Source)
{
    /// <summary>How the hardware input is read; only what the config set.</summary>
    public SourceOptions Options { get; init; } = new();

    /// <summary>The reason code a <see cref="SignalRole.ReasonButton"/> gives, else null.</summary>
    public string? Reason { get; init; }

    /// <summary>The article an <see cref="SignalRole.ArticleButton"/> sets, else null.</summary>
    public string? Article { get; init; }

    /// <summary>Where the signal was declared.</summary>
    public ConfigLocation Location { get; init; } = new("", 0, Name);
}

/// <summary>Pull resistor of a digital input.</summary>
public enum InputPull
{
    /// <summary>No internal pull resistor (the opto board drives the line).</summary>
    None,

    /// <summary>Internal pull-up.</summary>
    Up,

    /// <summary>Internal pull-down.</summary>
    Down,
}
