using System.Globalization;

namespace EdgeGateway.Cli.Tests;

/// <summary>
/// An empty path (<c>--config ""</c>, or an unset shell variable) for any file option of any command: one line naming
/// the option, exit code 2 — it was an unhandled ArgumentException from the file system, with its stack.
/// </summary>
public sealed class EmptyPathTests
{
    [Theory]
    [InlineData("--config", "replay", "--config", "", "--trace", "t.csv")]
    [InlineData("--trace", "replay", "--config", "c.json", "--trace", " ")]
    [InlineData("--truth", "simulate", "--config", "c.json", "--from", "2026-03-02", "--to", "2026-03-03", "--seed", "1", "--trace", "t.csv", "--truth", "")]
    [InlineData("--trace", "calibrate", "--config", "c.json", "--trace", "")]
    [InlineData("--register", "evaluate", "--register", "", "--from", "2026-01-05", "--to", "2026-03-02", "--out", "out")]
    [InlineData("--out", "evaluate", "--register", "r.csv", "--from", "2026-01-05", "--to", "2026-03-02", "--out", "")]
    [InlineData("--config", "sensors", "scan", "--config", "")]
    [InlineData("--config", "sensors", "watch", "--config", "")]
    [InlineData("--status-file", "status", "--status-file", "")]
    public void EmptyPath_IsOneLineNamingTheOption_Exit2(string option, params string[] args)
    {
        using var stdout = new MemoryStream();
        using var stderr = new StringWriter(CultureInfo.InvariantCulture) { NewLine = "\n" };

        var exit = Program.Run(args, stdout, stderr);

        Assert.Equal(Program.InputError, exit);
        Assert.Equal(0, stdout.Length);
        Assert.Equal($"edgegw: {option}: the path is empty; give a file name (see 'edgegw --help')\n", stderr.ToString());
    }
}
