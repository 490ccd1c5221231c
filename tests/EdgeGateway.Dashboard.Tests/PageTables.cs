using System.Text.RegularExpressions;

namespace EdgeGateway.Dashboard.Tests;

/// <summary>The pages' sections and tables as text, for tests that compare what a page shows.</summary>
internal static partial class PageTables
{
    /// <summary>The HTML of the page's <c>section</c> with <paramref name="id"/>.</summary>
    public static string Section(string page, string id)
    {
        var start = page.IndexOf($"<section id=\"{id}\">", StringComparison.Ordinal);
        Assert.True(start >= 0, $"no section {id}");
        return page[start..page.IndexOf("</section>", start, StringComparison.Ordinal)];
    }

    /// <summary>The texts of the data cells (<c>td</c>) of every row with any, in order.</summary>
    public static List<string[]> Rows(string html) => [.. Row().Matches(html).Select(m => Cells(m.Groups[1].Value)).Where(cells => cells.Length > 0)];

    /// <summary>The texts of the data cells (<c>td</c>) in <paramref name="html"/>.</summary>
    public static string[] Cells(string html) => [.. Cell().Matches(html).Select(c => c.Groups[1].Value)];

    [GeneratedRegex("<tr[^>]*>(.*?)</tr>")]
    private static partial Regex Row();

    [GeneratedRegex("<td[^>]*>([^<]*)</td>")]
    private static partial Regex Cell();
}
