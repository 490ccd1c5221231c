using System.Globalization;

namespace EdgeGateway.Cli.Tests;

/// <summary>
/// Dates on the command line hold the years of the contract's timestamps, 1970-9000, for every command: outside is one
/// line naming the option, exit code 2. (<c>evaluate --from 0001-01-01</c> was an unhandled ArgumentOutOfRangeException.)
/// </summary>
public sealed class DateArgumentTests
{
    [Theory]
    [InlineData("--from", "evaluate", "--register", "r.csv", "--from", "0001-01-01", "--to", "2026-03-02", "--out", "o", "--influx-url", "http://127.0.0.1:9")]
    [InlineData("--to", "evaluate", "--register", "r.csv", "--from", "2026-01-05", "--to", "9999-12-31", "--out", "o", "--influx-url", "http://127.0.0.1:9")]
    [InlineData("--from", "report", "--from", "9999-12-31", "--influx-url", "http://127.0.0.1:9")]
    [InlineData("--to", "report", "--to", "0001-01-01T00:00:00Z", "--influx-url", "http://127.0.0.1:9")]
    [InlineData("--from", "simulate", "--config", "CONFIG", "--from", "1969-12-31", "--to", "2026-03-03", "--seed", "1", "--trace", "t.csv", "--truth", "t.json")]
    [InlineData("--to", "simulate", "--config", "CONFIG", "--from", "2026-03-02", "--to", "9001-01-01", "--seed", "1", "--trace", "t.csv", "--truth", "t.json")]
    public void DateOutsideTheYears1970To9000_IsOneLineNamingTheOption_Exit2(string option, params string[] args)
    {
        args = [.. args.Select(a => a == "CONFIG" ? RepoPaths.Sample("simulation.json") : a)];
        using var stdout = new MemoryStream();
        using var stderr = new StringWriter(CultureInfo.InvariantCulture) { NewLine = "\n" };

        var exit = Program.Run(args, stdout, stderr);

        Assert.Equal(Program.InputError, exit);
        Assert.Equal(0, stdout.Length);
        var line = Assert.Single(stderr.ToString().TrimEnd('\n').Split('\n'));
        Assert.StartsWith($"edgegw {args[0]}: {option}", line, StringComparison.Ordinal);
        Assert.Contains(args[Array.IndexOf(args, option) + 1], line, StringComparison.Ordinal);
    }
}
