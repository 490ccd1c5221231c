using EdgeGateway.Evaluation.Report;

namespace EdgeGateway.Dashboard.Pages;

/// <summary>The two style sheets every page links: the evaluation report's (the same charts) and the dashboard's own.</summary>
internal static class StyleSheets
{
    /// <summary>The report's styles as the report inlines them.</summary>
    public const string Report = HtmlReport.Styles;

    /// <summary>
    /// The dashboard's layout over the report's: navigation, tables and charts that scroll inside their box on a narrow
    /// screen rather than shrink their text or widen the page, the heat map's and the state timeline's colours.
    /// </summary>
    public const string Dashboard = """
        body { max-width: 1240px; padding: 0 16px 24px; } main { padding-top: 12px; }
        nav.top { display: flex; flex-wrap: wrap; gap: 4px 16px; align-items: center; padding: 10px 0; border-bottom: 1px solid #d5dbe1; margin-bottom: 12px; }
        nav.top a { color: #1c64b4; font-weight: 600; text-decoration: none; } nav.top .who { margin-left: auto; color: #4a5560; font-size: 14px; }
        form.inline { display: inline; } button.link { background: none; border: none; color: #1c64b4; font: inherit; cursor: pointer; padding: 0; }
        table { display: block; overflow-x: auto; max-width: 100%; }
        figure { overflow-x: auto; max-width: 100%; box-sizing: border-box; }
        .grid, .grid-wide { grid-template-columns: repeat(auto-fill, minmax(min(320px, 100%), 1fr)); }
        .grid-wide { grid-template-columns: repeat(auto-fill, minmax(min(560px, 100%), 1fr)); }
        .cards { display: flex; flex-wrap: wrap; gap: 10px; margin: 8px 0; } .card { border: 1px solid #e3e7eb; border-radius: 6px; padding: 8px 12px; min-width: 130px; }
        .card b { display: block; font-size: 22px; } .card span { color: #4a5560; font-size: 13px; }
        .online { color: #137333; font-weight: 600; } .offline { color: #b3261e; font-weight: 600; }
        form.stack label { display: block; margin: 8px 0 2px; } form.stack input, form.stack select { font: inherit; padding: 4px 6px; max-width: 100%; box-sizing: border-box; }
        form.stack button { display: block; } form.stack button, form.row button { margin-top: 10px; font: inherit; padding: 4px 12px; } form.row { display: flex; flex-wrap: wrap; gap: 6px; align-items: end; }
        form.row input, form.row select { font: inherit; padding: 3px 5px; max-width: 10em; }
        .error { color: #b3261e; font-weight: 600; } .ok { color: #137333; font-weight: 600; }
        svg.strip { display: block; } svg .cov0 { fill: #e6e9ed; } svg .cov1 { fill: #f4c7c3; } svg .cov2 { fill: #f7dc9c; } svg .cov3 { fill: #b7dfb9; } svg .cov4 { fill: #34a853; }
        svg .st-run { fill: #34a853; } svg .st-down { fill: #d93025; } svg .st-setup { fill: #f9ab00; } svg .st-idle { fill: #9aa0a6; } svg .st-planned_stop, svg .st-planned { fill: #4285f4; } svg .st-unknown, svg .st-other { fill: #dadce0; }
        svg .pareto { fill: #1c64b4; } svg .oee { fill: none; stroke: #1d2329; stroke-width: 2.2; } svg .availability { fill: none; stroke: #1c64b4; stroke-width: 1.5; }
        svg .effectiveness { fill: none; stroke: #f9ab00; stroke-width: 1.5; } svg .quality { fill: none; stroke: #137333; stroke-width: 1.5; }
        .legend span { display: inline-block; margin-right: 12px; font-size: 13px; } .legend i { display: inline-block; width: 12px; height: 12px; vertical-align: -1px; margin-right: 4px; border-radius: 2px; }
        .legend .l-run { background: #34a853; } .legend .l-down { background: #d93025; } .legend .l-setup { background: #f9ab00; } .legend .l-idle { background: #9aa0a6; } .legend .l-planned_stop { background: #4285f4; } .legend .l-unknown { background: #dadce0; }
        .legend .l-oee { background: #1d2329; } .legend .l-availability { background: #1c64b4; } .legend .l-effectiveness { background: #f9ab00; } .legend .l-quality { background: #137333; }
        .legend .l-cov0 { background: #e6e9ed; } .legend .l-cov1 { background: #f4c7c3; } .legend .l-cov2 { background: #f7dc9c; } .legend .l-cov3 { background: #b7dfb9; } .legend .l-cov4 { background: #34a853; }
        @media (max-width: 700px) { body { padding: 0 10px 16px; } h1 { font-size: 22px; } svg.chart { max-width: none; } svg.strip { max-width: none; } }
        """;
}
