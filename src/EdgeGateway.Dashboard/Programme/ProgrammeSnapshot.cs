using EdgeGateway.Evaluation.Panel;
using EdgeGateway.Evaluation.Register;
using EdgeGateway.Evaluation.Results;
using EdgeGateway.Queries;

namespace EdgeGateway.Dashboard.Programme;

/// <summary>One cell of the register with its data: day records, weeks, and coverage per week of the window.</summary>
public sealed record ProgrammeCell(RegisterEntry Entry, CellDays? Days, CellWeeks? Weeks, IReadOnlyList<double> WeekCoverage)
{
    /// <summary>The cell's site.</summary>
    public string Site => Entry.Site;

    /// <summary>The cell's id.</summary>
    public string Cell => Entry.Cell;

    /// <summary>Days with a day record.</summary>
    public int DaysWithData => Days?.Days.Count ?? 0;
}

/// <summary>
/// Everything expensive the pages show, for one data version: the register, each register cell's day records, weekly
/// KPIs and coverage, and the evaluation (computed in the background: it takes seconds). Immutable; replaced as a whole
/// when the data version changes.
/// </summary>
public sealed class ProgrammeSnapshot(
    string version, DateOnly from, DateOnly to, IReadOnlyList<ProgrammeCell> cells, int unregistered, DateTimeOffset builtAt, Task<EvaluationResult> evaluation)
{
    private readonly Dictionary<(string Site, string Cell), ProgrammeCell> _byId = cells.ToDictionary(c => (c.Site, c.Cell));

    /// <summary>The data version (src/docs/dashboard.md, "Data version").</summary>
    public string Version => version;

    /// <summary>First day of the window.</summary>
    public DateOnly From => from;

    /// <summary>Day after the window's last.</summary>
    public DateOnly To => to;

    /// <summary>Number of weeks (periods of 7 days from <see cref="From"/>) in the window.</summary>
    public int Weeks => (to.DayNumber - from.DayNumber + 6) / 7;

    /// <summary>The register's cells in register order, each with its data.</summary>
    public IReadOnlyList<ProgrammeCell> Cells => cells;

    /// <summary>Cells with day records that the register does not list (shown as a count only).</summary>
    public int Unregistered => unregistered;

    /// <summary>When this snapshot was read.</summary>
    public DateTimeOffset BuiltAt => builtAt;

    /// <summary>The evaluation of this data version (running or done).</summary>
    public Task<EvaluationResult> Evaluation => evaluation;

    /// <summary>The rendered parts of pages, per scope and part (they depend only on the snapshot).</summary>
    public System.Collections.Concurrent.ConcurrentDictionary<string, string> Rendered { get; } = new(StringComparer.Ordinal);

    /// <summary>The register cell, or null.</summary>
    public ProgrammeCell? Find(string site, string cell) => _byId.GetValueOrDefault((site, cell));

    /// <summary>
    /// Coverage per week of [<paramref name="from"/>, <paramref name="to"/>): days with a record times their known share,
    /// over 7 (the last week over its days in the window).
    /// </summary>
    public static IReadOnlyList<double> Coverage(CellDays? days, DateOnly from, DateOnly to)
    {
        var weeks = (to.DayNumber - from.DayNumber + 6) / 7;
        var sums = new double[weeks];
        foreach (var d in days?.Days ?? [])
        {
            var week = (d.Day.DayNumber - from.DayNumber) / 7;
            if (week >= 0 && week < weeks)
            {
                sums[week] += Math.Clamp(d.Coverage, 0, 1);
            }
        }

        for (var w = 0; w < weeks; w++)
        {
            var length = Math.Min(7, to.DayNumber - (from.DayNumber + (7 * w)));
            sums[w] /= length;
        }

        return sums;
    }
}
