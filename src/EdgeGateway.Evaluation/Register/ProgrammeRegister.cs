using System.Globalization;
using System.Text;
using EdgeGateway.Core;

namespace EdgeGateway.Evaluation.Register;

/// <summary>
/// Reads the programme register CSV (src/docs/evaluation.md, "Programme register"): a header naming the columns, then one
/// cell per line. Every problem is collected; the first is thrown carrying all of them.
/// </summary>
public static class ProgrammeRegister
{
    /// <summary>Longest ramp-up accepted, in days (ten years).</summary>
    public const int MaxRampUpDays = 3650;

    private static readonly string[] s_required = ["site", "cell", "treated", "go_live", "ramp_up_days"];
    private static readonly string[] s_optional = ["sector", "size_class"];

    /// <summary>Reads the register from <paramref name="reader"/>; <paramref name="source"/> names it in errors.</summary>
    /// <exception cref="InputException">The register is malformed; <see cref="InputException.Problems"/> lists every problem.</exception>
    public static IReadOnlyList<RegisterEntry> Read(TextReader reader, string source)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(source);
        var problems = new List<InputException>();
        var entries = new List<RegisterEntry>();
        var seen = new Dictionary<(string Site, string Cell), int>();
        Dictionary<string, int>? columns = null;
        var lineNumber = 0;
        while (ReadRecord(reader, ref lineNumber, out var firstLine, out var fields, out var quoteProblem))
        {
            if (quoteProblem is not null)
            {
                problems.Add(new InputException(source, firstLine, quoteProblem));
                continue;
            }

            if (columns is null)
            {
                columns = ReadHeader(fields, source, firstLine, problems);
                if (columns is null)
                {
                    break;
                }

                continue;
            }

            var entry = ReadEntry(fields, columns, source, firstLine, problems);
            if (entry is null)
            {
                continue;
            }

            if (seen.TryGetValue((entry.Site, entry.Cell), out var earlier))
            {
                problems.Add(new InputException(source, firstLine, $"site '{InputText.Quote(entry.Site)}', cell '{InputText.Quote(entry.Cell)}' is listed twice (first on line {earlier})"));
                continue;
            }

            seen.Add((entry.Site, entry.Cell), firstLine);
            entries.Add(entry);
        }

        if (columns is null && problems.Count == 0)
        {
            problems.Add(new InputException(source, 0, $"empty register: expected the header {string.Join(',', s_required)},sector,size_class"));
        }

        InputException.ThrowIfAny(problems);
        return entries;
    }

    private static Dictionary<string, int>? ReadHeader(List<string> fields, string source, int line, List<InputException> problems)
    {
        var columns = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < fields.Count; i++)
        {
            var name = fields[i].Trim();
            if (Array.Exists(s_required, n => n.Equals(name, StringComparison.OrdinalIgnoreCase))
                || Array.Exists(s_optional, n => n.Equals(name, StringComparison.OrdinalIgnoreCase)))
            {
                if (!columns.TryAdd(name, i))
                {
                    problems.Add(new InputException(source, line, $"header: column '{InputText.Quote(name)}' appears twice"));
                }
            }
            else
            {
                problems.Add(new InputException(source, line, $"header: unknown column '{InputText.Quote(name)}' (expected {string.Join(", ", s_required)} and optionally {string.Join(", ", s_optional)})"));
            }
        }

        foreach (var name in s_required)
        {
            if (!columns.ContainsKey(name))
            {
                problems.Add(new InputException(source, line, $"header: column '{InputText.Quote(name)}' is missing"));
            }
        }

        return problems.Count == 0 ? columns : null;
    }

    private static RegisterEntry? ReadEntry(List<string> fields, Dictionary<string, int> columns, string source, int line, List<InputException> problems)
    {
        var before = problems.Count;
        if (fields.Count != columns.Count)
        {
            problems.Add(new InputException(source, line, $"{fields.Count} fields, but the header has {columns.Count} columns"));
            return null;
        }

        string Field(string name) => columns.TryGetValue(name, out var i) ? fields[i].Trim() : "";
        void Problem(string column, string problem) => problems.Add(new InputException(source, line, $"{column}: {problem}"));

        var site = Field("site");
        var cell = Field("cell");
        CheckId("site", site, Problem);
        CheckId("cell", cell, Problem);

        var treatedText = Field("treated");
        bool? treated = treatedText.ToUpperInvariant() switch
        {
            "TRUE" or "YES" or "1" => true,
            "FALSE" or "NO" or "0" => false,
            _ => null,
        };
        if (treated is null)
        {
            Problem("treated", $"'{InputText.Quote(treatedText)}' is not a yes/no value (use true, false, yes, no, 1 or 0)");
        }

        var goLiveText = Field("go_live");
        DateOnly? goLive = null;
        if (goLiveText.Length > 0)
        {
            if (DateOnly.TryParseExact(goLiveText, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            {
                goLive = date;
                if (treated == false)
                {
                    Problem("go_live", $"'{InputText.Quote(goLiveText)}' given for a control (treated = {InputText.Quote(treatedText)}); leave it empty");
                }
            }
            else
            {
                Problem("go_live", $"'{InputText.Quote(goLiveText)}' is not a date YYYY-MM-DD");
            }
        }
        else if (treated == true)
        {
            Problem("go_live", "empty, but the cell is treated: give its go-live date YYYY-MM-DD");
        }

        var rampText = Field("ramp_up_days");
        var ramp = 0;
        if (rampText.Length > 0
            && (!int.TryParse(rampText, NumberStyles.None, CultureInfo.InvariantCulture, out ramp) || ramp > MaxRampUpDays))
        {
            Problem("ramp_up_days", $"'{InputText.Quote(rampText)}' is not a whole number of days from 0 to {MaxRampUpDays}");
        }

        var sector = Optional("sector", Field("sector"), Problem);
        var sizeClass = Optional("size_class", Field("size_class"), Problem);
        return problems.Count == before ? new RegisterEntry(site, cell, treated!.Value, goLive, ramp, sector, sizeClass) : null;
    }

    private static void CheckId(string column, string value, Action<string, string> problem)
    {
        if (value.Length == 0)
        {
            problem(column, "empty; every cell needs a site and a cell id");
        }
        else if (value.Any(char.IsControl))
        {
            problem(column, $"'{InputText.Quote(value, int.MaxValue)}' contains a control character");
        }
    }

    private static string? Optional(string column, string value, Action<string, string> problem)
    {
        if (value.Any(char.IsControl))
        {
            problem(column, $"'{InputText.Quote(value, int.MaxValue)}' contains a control character");
        }

        return value.Length == 0 ? null : value;
    }

    /// <summary>
    /// Reads one RFC 4180 record, skipping blank and <c>#</c> comment lines (quoted fields may hold commas, doubled quotes and line breaks); false at the end.
    /// <paramref name="firstLine"/> is the line it starts on.
    /// </summary>
    private static bool ReadRecord(TextReader reader, ref int lineNumber, out int firstLine, out List<string> fields, out string? problem)
    {
        fields = [];
        problem = null;
        string? line;
        do
        {
            line = reader.ReadLine();
            firstLine = ++lineNumber;
            if (line is null)
            {
                return false;
            }
        }
        while (string.IsNullOrWhiteSpace(line) || line.StartsWith('#'));

        var field = new StringBuilder();
        var quoted = false;
        var wasQuoted = false;
        var i = 0;
        while (true)
        {
            if (i == line.Length)
            {
                if (!quoted)
                {
                    fields.Add(field.ToString());
                    return true;
                }

                var next = reader.ReadLine();
                if (next is null)
                {
                    problem = "a quoted field is not closed before the end of the file";
                    return true;
                }

                lineNumber++;
                field.Append('\n');
                line = next;
                i = 0;
                continue;
            }

            var c = line[i++];
            if (quoted)
            {
                if (c != '"')
                {
                    field.Append(c);
                }
                else if (i < line.Length && line[i] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else
                {
                    quoted = false;
                }
            }
            else if (c == ',')
            {
                fields.Add(field.ToString());
                field.Clear();
                wasQuoted = false;
            }
            else if (c == '"' && field.Length == 0 && !wasQuoted)
            {
                quoted = wasQuoted = true;
            }
            else if (wasQuoted && c is not (' ' or '\t'))
            {
                problem = $"text after the closing quote of field {fields.Count + 1}";
                return true;
            }
            else if (!wasQuoted)
            {
                field.Append(c);
            }
        }
    }
}
