using System.Globalization;
using System.Text;
using EdgeGateway.Dashboard.Access;
using EdgeGateway.Dashboard.Cells;
using EdgeGateway.Dashboard.Programme;
using EdgeGateway.Evaluation.Report;
using EdgeGateway.Evaluation.Results;
using static EdgeGateway.Dashboard.Pages.Layout;

namespace EdgeGateway.Dashboard.Evaluation;

/// <summary>
/// The evaluation (<c>/evaluation</c>) and its files (<c>/evaluation/FILE</c>). Evaluators see the full report of
/// <c>edgegw evaluate</c> (the same code) and download evaluation.json and the CSV files; an SME sees its own cells'
/// before/after and downloads only cells.csv with its own rows: the programme's effects and breakdowns rest on other
/// sites' data.
/// </summary>
internal static class EvaluationPage
{
    public static async Task<IResult> Get(HttpContext context, SnapshotCache cache, string title)
    {
        var scope = SiteScope.Of(context.User);
        var snapshot = await cache.CurrentAsync(context.RequestAborted);
        if (Result(snapshot) is not { } result)
        {
            return Running(context, scope, snapshot);
        }

        var body = snapshot.Rendered.GetOrAdd("evaluation|" + scope.CacheKey, _ =>
        {
            var html = new StringWriter(new StringBuilder(), CultureInfo.InvariantCulture);
            if (scope.WholeProgramme)
            {
                html.Write(Downloads(CsvReport.Files.Prepend("evaluation.json")));
                HtmlReport.WriteBody(html, result, title);
            }
            else
            {
                OwnCells(html, result, scope);
            }

            return html.ToString();
        });
        return Page(context, "Evaluation", body, scope);
    }

    /// <summary>evaluation.json or a CSV file of the evaluation; what the user may not see is "not found".</summary>
    public static async Task<IResult> Download(HttpContext context, string file, SnapshotCache cache)
    {
        var scope = SiteScope.Of(context.User);
        var known = file == "evaluation.json" || CsvReport.Files.Contains(file);
        if (!known || (!scope.WholeProgramme && file != "cells.csv"))
        {
            return CellPage.NotFound(context, scope);
        }

        var snapshot = await cache.CurrentAsync(context.RequestAborted);
        if (Result(snapshot) is not { } result)
        {
            return Results.Problem("The evaluation of this data version is still running; try again in a few seconds.", statusCode: StatusCodes.Status503ServiceUnavailable);
        }

        if (file == "evaluation.json")
        {
            using var buffer = new MemoryStream();
            JsonReport.Write(buffer, result);
            return Results.File(buffer.ToArray(), "application/json", file);
        }

        // The one place an SME's rows are cut from the evaluation: cells.csv holds each cell's own numbers only.
        var visible = scope.WholeProgramme ? result : result with { Cells = [.. scope.Filter(result.Cells, c => c.Site)] };
        using var text = new StringWriter(CultureInfo.InvariantCulture);
        CsvReport.Write(text, visible, file);
        return Results.File(Encoding.UTF8.GetBytes(text.ToString()), "text/csv; charset=utf-8", file);
    }

    /// <summary>The evaluation when it is done and succeeded; null while it runs or when it failed (the page says which).</summary>
    private static EvaluationResult? Result(ProgrammeSnapshot snapshot) =>
        snapshot.Evaluation.IsCompletedSuccessfully ? snapshot.Evaluation.Result : null;

    private static IResult Running(HttpContext context, SiteScope scope, ProgrammeSnapshot snapshot) =>
        snapshot.Evaluation.IsFaulted
            ? Problem(context, scope, StatusCodes.Status503ServiceUnavailable, "No evaluation", snapshot.Evaluation.Exception?.InnerException?.Message ?? "the evaluation failed")
            : Problem(context, scope, StatusCodes.Status503ServiceUnavailable, "Evaluation running", "The evaluation of this data version is running (a few seconds); refresh the page to see it.");

    private static string Downloads(IEnumerable<string> files) =>
        "<p class=\"downloads\" id=\"downloads\">Download: " + string.Join(" · ", files.Select(f => $"<a href=\"/evaluation/{E(f)}\" download>{E(f)}</a>")) + "</p>\n";

    private static void OwnCells(StringWriter html, EvaluationResult result, SiteScope scope)
    {
        var cells = scope.Filter(result.Cells, c => c.Site).ToList();
        html.Write($"<h1>Your cells in the evaluation</h1>\n<p class=\"lead\">Site {E(scope.Site!)}: each cell's own outcomes before go-live and after ramp-up, and its OEE per period. The programme's effect compares many sites and is the evaluators' to read.</p>\n");
        html.Write(Downloads(["cells.csv"]));
        html.Write("<section id=\"before-after\"><h2>Before and after</h2><table><tr><th>Cell</th><th>Outcome</th><th>Before</th><th>After</th><th>Change</th></tr>\n");
        foreach (var cell in cells)
        {
            foreach (var (outcome, values) in cell.BeforeAfter.OrderBy(kv => kv.Key))
            {
                html.Write($"<tr><td>{E(cell.Cell)}</td><td>{E(OutcomeText.Name(outcome))}</td><td class=\"num\">{E(OutcomeText.Level(outcome, values.Before))}</td><td class=\"num\">{E(OutcomeText.Level(outcome, values.After))}</td><td class=\"num\">{E(values.Change is { } c ? OutcomeText.Effect(outcome, c) : "–")}</td></tr>\n");
            }
        }

        html.Write("</table></section>\n<section id=\"cells\"><h2>OEE per period</h2>\n");
        HtmlReport.CellCharts(html, result, cells);
        html.Write("</section>\n");
    }
}
