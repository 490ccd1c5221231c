using System.Globalization;
using EdgeGateway.Evaluation.Panel;
using EdgeGateway.Evaluation.Register;
using EdgeGateway.Evaluation.Results;

namespace EdgeGateway.Evaluation.Estimation;

/// <summary>
/// The programme evaluation (src/docs/evaluation.md): per-cell before/after summaries and the programme-wide
/// effects by staggered difference-in-differences (Callaway &amp; Sant'Anna 2021) with a multiplier bootstrap clustered
/// by site.
/// </summary>
public static partial class ProgrammeEvaluator
{
    /// <summary>The control group, as the report names it.</summary>
    public const string ControlGroup = "never treated and not yet treated";

    /// <summary>Evaluates the programme of <paramref name="register"/> on <paramref name="data"/> (cells not in the register are ignored).</summary>
    public static EvaluationResult Evaluate(
        IReadOnlyList<RegisterEntry> register, IReadOnlyList<CellDays> data, EvaluationOptions options, IProgress<string>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(register);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var notes = new List<string>();
        var setup = Setup.Create(register, data, options, notes);
        progress?.Report($"panel: {register.Count} cells, {options.Periods} periods of {options.PeriodDays} days");

        var outcomes = options.Outcomes ?? Enum.GetValues<Outcome>();
        var influences = new List<double[]>();
        var plans = new List<OutcomePlan>();
        foreach (var outcome in outcomes)
        {
            plans.Add(OutcomePlan.Create(outcome, setup, options, influences));
            progress?.Report($"{Report.OutcomeText.Name(outcome)}: group-time effects estimated");
        }

        var draws = MultiplierBootstrap.Draws(influences, setup.Design.Sites, options.BootstrapReplications, options.Seed, progress);
        var inference = new Inference(draws, setup.ClusterCount, options.ConfidenceLevel);
        var effects = plans.ConvertAll(plan => plan.Finish(inference, options));

        AddMethodNotes(notes, setup, options);
        var settings = new EvaluationSettings(
            options.From, options.To, options.PeriodDays, options.BootstrapReplications, options.Seed, options.ConfidenceLevel,
            options.MinimumSitesPerBreakdown, ControlGroup);
        return new EvaluationResult(settings, setup.Size, effects, setup.CellSummaries(outcomes, options), notes) { Warnings = setup.Warnings };
    }

    /// <summary>
    /// The naive estimate: the mean over treated cells of (mean of periods after ramp-up − mean of periods before
    /// go-live), with no control group. Biased whenever something shared (season, trend) moves between the two.
    /// </summary>
    internal static double? NaiveBeforeAfter(IReadOnlyList<RegisterEntry> register, IReadOnlyList<CellDays> data, EvaluationOptions options, Outcome outcome)
    {
        var setup = Setup.Create(register, data, options, []);
        var values = setup.Panel.Values(outcome);
        var changes = setup.NaiveChanges(values);
        return changes.Count == 0 ? null : changes.Average(c => c.Change);
    }

    private static void AddMethodNotes(List<string> notes, Setup setup, EvaluationOptions options)
    {
        var inv = CultureInfo.InvariantCulture;
        if (setup.ClusterCount < 2)
        {
            notes.Add("Fewer than 2 sites have data: no confidence intervals and no programme-wide effect can be given.");
        }
        else if (setup.TreatedSites < options.MinimumSitesPerBreakdown)
        {
            notes.Add(string.Create(inv,
                $"The treated cells lie in only {setup.TreatedSites} sites (fewer than {options.MinimumSitesPerBreakdown}): the programme-wide effect is shown, but it describes very few companies; breakdowns and event times are suppressed."));
        }
    }
}
