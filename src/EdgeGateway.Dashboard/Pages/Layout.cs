using System.Globalization;
using System.Net;
using System.Text;
using EdgeGateway.Dashboard.Access;
using Microsoft.AspNetCore.Antiforgery;

namespace EdgeGateway.Dashboard.Pages;

/// <summary>
/// The frame of every page: the report's style sheet and the dashboard's (files, no inline script), the navigation for
/// the user's role, and forms with their antiforgery token.
/// </summary>
internal static class Layout
{
    /// <summary>The page as an HTML result with <paramref name="status"/>.</summary>
    public static IResult Page(HttpContext context, string title, string body, SiteScope? scope, int status = StatusCodes.Status200OK)
    {
        var html = new StringBuilder(body.Length + 2048);
        html.Append(CultureInfo.InvariantCulture, $"<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{E(title)} · edgegw-dashboard</title>\n");
        html.Append("<link rel=\"icon\" href=\"data:,\">\n<link rel=\"stylesheet\" href=\"/static/report.css\">\n<link rel=\"stylesheet\" href=\"/static/dashboard.css\">\n</head>\n<body>\n");
        if (scope is not null)
        {
            html.Append("<nav class=\"top\"><a href=\"/\">Overview</a><a href=\"/evaluation\">Evaluation</a>");
            if (scope.Role == Role.Admin)
            {
                html.Append("<a href=\"/users\">Users</a>");
            }

            var who = scope.Site is null ? DashboardUser.RoleName(scope.Role) : $"sme, site {scope.Site}";
            html.Append(CultureInfo.InvariantCulture, $"<span class=\"who\">{E(scope.Name)} ({E(who)})</span>");
            html.Append(Form(context, "/signout", "<button type=\"submit\" class=\"link\">Sign out</button>", "inline"));
            html.Append("</nav>\n");
        }

        html.Append("<main>\n").Append(body).Append("\n</main>\n</body>\n</html>\n");
        return Results.Content(html.ToString(), "text/html; charset=utf-8", Encoding.UTF8, status);
    }

    /// <summary>A POST form to <paramref name="action"/> with the antiforgery token and <paramref name="inner"/> fields.</summary>
    public static string Form(HttpContext context, string action, string inner, string? cssClass = null)
    {
        var tokens = context.RequestServices.GetRequiredService<IAntiforgery>().GetAndStoreTokens(context);
        var css = cssClass is null ? "" : $" class=\"{cssClass}\"";
        return $"<form method=\"post\" action=\"{E(action)}\"{css}><input type=\"hidden\" name=\"{E(tokens.FormFieldName)}\" value=\"{E(tokens.RequestToken ?? "")}\">{inner}</form>";
    }

    /// <summary>A page saying what is wrong, with nothing else (404s carry no data of what was asked for).</summary>
    public static IResult Problem(HttpContext context, SiteScope? scope, int status, string heading, string text) =>
        Page(context, heading, $"<h1>{E(heading)}</h1><p class=\"lead\">{E(text)}</p>", scope, status);

    /// <summary>HTML-encoded text.</summary>
    public static string E(string text) => WebUtility.HtmlEncode(text);

    /// <summary>A ratio in percent with one decimal, as <c>edgegw report</c> prints it (<c>-</c> when missing).</summary>
    public static string Percent(double? ratio) => ratio is { } r ? (r * 100).ToString("0.0", CultureInfo.InvariantCulture) + "%" : "-";

    /// <summary>A date as YYYY-MM-DD.</summary>
    public static string Date(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>A path segment escaped for a URL.</summary>
    public static string Url(string segment) => Uri.EscapeDataString(segment);
}
