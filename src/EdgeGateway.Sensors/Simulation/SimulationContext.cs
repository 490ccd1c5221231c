using EdgeGateway.Core.Configuration;

namespace EdgeGateway.Sensors.Simulation;

/// <summary>A plant closure the simulation announces at run time (a <c>@closure</c> context event at <see cref="AnnouncedMs"/>).</summary>
public readonly record struct AnnouncedClosure(long AnnouncedMs, TimeRange Time)
{
    /// <summary>
    /// The closure as a run from <paramref name="fromMs"/> announces and applies it: announced at <paramref name="fromMs"/>
    /// at the earliest, and in force from its announcement on at the earliest (the engine's rule for a closure event).
    /// </summary>
    public AnnouncedClosure Effective(long fromMs)
    {
        var announced = Math.Max(AnnouncedMs, fromMs);
        return new AnnouncedClosure(announced, Time with { FromMs = Math.Max(Time.FromMs, announced) });
    }
}

/// <summary>
/// How the simulated operators give context (src/docs/simulation.md, "Reasons, articles and closures"): which stops get a
/// reason and when, how often a setup changes the article, and the plant closures announced at run time. Takes effect only
/// where the config has what it needs: reasons with <c>StopReasons</c>, article changes with the cell's <c>Articles</c>.
/// </summary>
public sealed record SimulationContext
{
    /// <summary>The defaults: most stops get a reason, some late; every setup changes the article; no closures announced.</summary>
    public static readonly SimulationContext Default = new();

    /// <summary>
    /// Whether the simulated operator gives reasons and sets articles at all; false: they come only from outside (the
    /// agent's commands: <c>edgegw reason</c>, <c>edgegw article</c>, the MQTT command topic), as in a demo with a person at it.
    /// </summary>
    public bool Operator { get; init; } = true;

    /// <summary>Share of stops (failures, minor stops, waits before the start) that an operator gives a reason.</summary>
    public double ReasonShare { get; init; } = 0.8;

    /// <summary>Mean time from the stop's start to the reason (exponential), s: some come after the stop ended, within the grace time or beyond.</summary>
    public double ReasonDelayMeanSeconds { get; init; } = 300;

    /// <summary>Share of reasons that name the stop by its start (<c>--at</c>); the others name the moment they are given.</summary>
    public double ReasonAtStopShare { get; init; } = 0.5;

    /// <summary>Share of reasons that a second, different reason replaces a little later.</summary>
    public double ReasonReplaceShare { get; init; } = 0.1;

    /// <summary>
    /// Weight of each reason code (index in <c>StopReasons.Codes</c>), or null: the codes whose class fits the stop's lamp
    /// (red: <c>Down</c>; yellow: the other classes), all codes where none fits.
    /// </summary>
    public IReadOnlyList<double>? ReasonWeights { get; init; }

    /// <summary>Share of setups (changeovers) after which the cell makes another article.</summary>
    public double ArticleChangeShare { get; init; } = 1;

    /// <summary>Plant closures announced during the run: they close every cell.</summary>
    public IReadOnlyList<AnnouncedClosure> Closures { get; init; } = [];

    /// <summary>The closures every cell's section announces, as a run from <paramref name="fromMs"/> applies them, in announcement order.</summary>
    public static List<AnnouncedClosure> AllClosures(IReadOnlyList<SimulationOptions> options, long fromMs)
    {
        ArgumentNullException.ThrowIfNull(options);
        var all = new List<AnnouncedClosure>();
        foreach (var cell in options)
        {
            all.AddRange(cell.Context.Closures.Select(c => c.Effective(fromMs)));
        }

        // Stable: closures announced at one instant keep the config order.
        return [.. all.OrderBy(c => c.AnnouncedMs)];
    }
}
