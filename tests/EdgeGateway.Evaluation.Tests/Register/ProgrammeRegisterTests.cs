using EdgeGateway.Core;
using EdgeGateway.Evaluation.Register;

namespace EdgeGateway.Evaluation.Tests.Register;

public sealed class ProgrammeRegisterTests
{
    [Fact]
    public void Read_MatchesColumnsByName_InAnyOrder_WithQuotesCommentsAndBlankLines()
    {
        const string Csv = """"
            # programme 2026, wave 1
            Cell,SITE,go_live,treated,ramp_up_days,size_class,sector

            cell-1,sme-0042,2026-06-01,yes,28,small,"metal, sheet"
            "cell ""2""",sme-0042,,no,,small,metal
            # a comment between rows
            cell-3,sme-0043,2026-07-15,1,,micro,
            """";

        var entries = ProgrammeRegister.Read(new StringReader(Csv), "register.csv");

        Assert.Equal(
            [
                new RegisterEntry("sme-0042", "cell-1", true, new DateOnly(2026, 6, 1), 28, "metal, sheet", "small"),
                new RegisterEntry("sme-0042", "cell \"2\"", false, null, 0, "metal", "small"),
                new RegisterEntry("sme-0043", "cell-3", true, new DateOnly(2026, 7, 15), 0, null, "micro"),
            ],
            entries);
    }

    [Theory]
    [InlineData("true", true)]
    [InlineData("TRUE", true)]
    [InlineData("Yes", true)]
    [InlineData("1", true)]
    [InlineData("false", false)]
    [InlineData("no", false)]
    [InlineData("0", false)]
    public void Read_Treated_AcceptsTrueFalseYesNoOneZero(string text, bool treated)
    {
        var csv = $"site,cell,treated,go_live,ramp_up_days\ns,c,{text},{(treated ? "2026-01-05" : "")},7\n";
        Assert.Equal(treated, ProgrammeRegister.Read(new StringReader(csv), "r.csv")[0].Treated);
    }

    [Fact]
    public void Read_OptionalColumns_MayBeAbsent()
    {
        var entry = ProgrammeRegister.Read(new StringReader("site,cell,treated,go_live,ramp_up_days\ns,c,no,,\n"), "r.csv").Single();
        Assert.Equal(new RegisterEntry("s", "c", false, null, 0, null, null), entry);
    }

    [Theory]
    [InlineData("s,c,maybe,,0", "treated: 'maybe' is not a yes/no value")]
    [InlineData("s,c,yes,2026-13-01,0", "go_live: '2026-13-01' is not a date YYYY-MM-DD")]
    [InlineData("s,c,yes,01.06.2026,0", "go_live: '01.06.2026' is not a date YYYY-MM-DD")]
    [InlineData("s,c,yes,,0", "go_live: empty, but the cell is treated")]
    [InlineData("s,c,no,2026-06-01,0", "go_live: '2026-06-01' given for a control")]
    [InlineData("s,c,yes,2026-06-01,3651", "ramp_up_days: '3651' is not a whole number of days from 0 to 3650")]
    [InlineData("s,c,yes,2026-06-01,-1", "ramp_up_days: '-1' is not a whole number")]
    [InlineData("s,c,yes,2026-06-01,2.5", "ramp_up_days: '2.5' is not a whole number")]
    [InlineData(",c,no,,0", "site: empty")]
    [InlineData("s, ,no,,0", "cell: empty")]
    [InlineData("s,\"c\u0007\",no,,0", "cell: 'c\\u0007' contains a control character")]
    [InlineData("s,c,no,,0,extra", "6 fields, but the header has 5 columns")]
    [InlineData("s,\"c,no,,0", "a quoted field is not closed before the end of the file")]
    [InlineData("s,\"c\"x,no,,0", "text after the closing quote of field 2")]
    public void Read_BadLine_NamesFileLineColumnAndValue(string line, string problem)
    {
        var exception = Assert.Throws<InputException>(() => Read($"# header follows\nsite,cell,treated,go_live,ramp_up_days\n{line}\n"));
        Assert.Equal("register.csv", exception.InputName);
        Assert.Equal(3, exception.Line);
        Assert.StartsWith(problem, exception.Problem, StringComparison.Ordinal);
        Assert.StartsWith($"register.csv:3: {problem}", exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("site,cell,treated,go_live", "header: column 'ramp_up_days' is missing")]
    [InlineData("site,cell,treated,go_live,ramp_up_days,region", "header: unknown column 'region'")]
    [InlineData("site,cell,treated,go_live,ramp_up_days,Site", "header: column 'Site' appears twice")]
    public void Read_BadHeader_IsAnError(string header, string problem)
    {
        var exception = Assert.Throws<InputException>(() => Read($"{header}\ns,c,no,,0\n"));
        Assert.Equal(1, exception.Line);
        Assert.StartsWith(problem, exception.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_EmptyFile_IsAnError()
    {
        var exception = Assert.Throws<InputException>(() => Read("# only a comment\n\n"));
        Assert.StartsWith("empty register", exception.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_DuplicateSiteAndCell_IsAnErrorNamingTheFirstLine()
    {
        var exception = Assert.Throws<InputException>(() => Read("site,cell,treated,go_live,ramp_up_days\ns,c,no,,0\nt,c,no,,0\ns,c,yes,2026-01-01,0\n"));
        Assert.Equal(4, exception.Line);
        Assert.Equal("site 's', cell 'c' is listed twice (first on line 2)", exception.Problem);
    }

    [Fact]
    public void Read_CollectsEveryProblem_AndThrowsTheFirst()
    {
        var exception = Assert.Throws<InputException>(() => Read("site,cell,treated,go_live,ramp_up_days\ns,c,maybe,,x\ns,d,no,,0\n,e,yes,,0\n"));
        Assert.Equal(
            ["register.csv:2: treated", "register.csv:2: ramp_up_days", "register.csv:4: site", "register.csv:4: go_live"],
            exception.Problems.Select(p => p.Message.Split(':')[0] + ":" + p.Message.Split(':')[1] + ":" + p.Message.Split(':')[2]));
        Assert.Equal(exception.Problems[0].Message, exception.Message);
    }

    private static IReadOnlyList<RegisterEntry> Read(string csv) => ProgrammeRegister.Read(new StringReader(csv), "register.csv");
}
