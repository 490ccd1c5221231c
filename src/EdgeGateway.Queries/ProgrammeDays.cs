using EdgeGateway.Evaluation.Estimation;
using EdgeGateway.Evaluation.Panel;
using EdgeGateway.Evaluation.Register;
using EdgeGateway.Evaluation.Results;

namespace EdgeGateway.Queries;

/// <summary>
/// The day records of a window read for a programme register: every cell's (<see cref="All"/>) and those the register
/// lists (<see cref="Registered"/>); and their evaluation. What <c>edgegw evaluate</c> and the dashboard share.
/// </summary>
public sealed record ProgrammeDays(IReadOnlyList<CellDays> All, IReadOnlyList<CellDays> Registered)
{
    /// <summary>How many cells with day records the register does not list.</summary>
    public int Unregistered => All.Count - Registered.Count;

    /// <summary>The day records of [<paramref name="from"/>, <paramref name="to"/>) (<see cref="DayRecordsQuery"/>), split by the register.</summary>
    /// <exception cref="InfluxUnreachableException">No answer.</exception>
    /// <exception cref="InfluxQueryException">InfluxDB rejected the query, or its answer is not day records.</exception>
    public static ProgrammeDays Read(InfluxQueryClient client, IReadOnlyList<RegisterEntry> register, DateOnly from, DateOnly to)
    {
        var cells = DayRecordsQuery.Read(client, from, to);
        var known = register.Select(e => (e.Site, e.Cell)).ToHashSet();
        return new ProgrammeDays(cells, [.. cells.Where(c => known.Contains((c.Site, c.Cell)))]);
    }

    /// <summary>The evaluation of the registered cells, with a note on the cells left out for not being in the register.</summary>
    public EvaluationResult Evaluate(IReadOnlyList<RegisterEntry> register, EvaluationOptions options, IProgress<string>? progress = null)
    {
        var result = ProgrammeEvaluator.Evaluate(register, Registered, options, progress);
        return Unregistered > 0
            ? result with { Notes = [.. result.Notes, $"{Unregistered} cells with day records are not in the register and were left out."] }
            : result;
    }
}
