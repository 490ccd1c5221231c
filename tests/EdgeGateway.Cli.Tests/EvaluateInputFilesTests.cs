using System.Globalization;
using System.Text;

namespace EdgeGateway.Cli.Tests;

/// <summary>
/// <c>edgegw evaluate</c>'s file options, checked before InfluxDB is asked (so no database is needed): a register that
/// is a directory or missing, an output folder that is a file — one line, exit code 2; a register through a pipe is read.
/// </summary>
public sealed class EvaluateInputFilesTests : IDisposable
{
    private const string Register = "site,cell,treated,go_live,ramp_up_days\nsme-1,c1,yes,2026-02-02,7\nsme-2,c2,no,,\n";

    private readonly string _dir = Directory.CreateTempSubdirectory("edgegw-evaluate-files-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void RegisterIsADirectory_ExitsTwoSayingSo()
    {
        var (exit, stderr) = Evaluate(_dir, Path.Combine(_dir, "out"));

        Assert.Equal(Program.InputError, exit);
        Assert.Equal($"edgegw evaluate: {_dir}: cannot read the register: it is a directory, not a file\n", stderr);
    }

    [Fact]
    public void RegisterMissing_ExitsTwoSayingSo()
    {
        var register = Path.Combine(_dir, "register.csv");

        var (exit, stderr) = Evaluate(register, Path.Combine(_dir, "out"));

        Assert.Equal(Program.InputError, exit);
        Assert.Equal($"edgegw evaluate: {register}: cannot read the register: the file does not exist\n", stderr);
    }

    [Fact]
    public void OutputFolderIsAFile_ExitsTwoBeforeAnythingRuns()
    {
        var register = Path.Combine(_dir, "register.csv");
        File.WriteAllText(register, Register);
        var output = Path.Combine(_dir, "report.html");
        File.WriteAllText(output, "earlier");

        var (exit, stderr) = Evaluate(register, output);

        Assert.Equal(Program.InputError, exit);
        Assert.Equal($"edgegw evaluate: --out: '{output}' is a file, not a directory\n", stderr);
        Assert.Equal("earlier", File.ReadAllText(output));
    }

    [Fact]
    public async Task RegisterThroughANamedPipe_IsRead()
    {
        var register = Path.Combine(_dir, "register.pipe");
        var writer = NamedPipe.Serve(register, Register);

        // No InfluxDB answers on the port: exit code 1, after the register was read and counted.
        var (exit, stderr) = Evaluate(register, Path.Combine(_dir, "out"));

        await writer.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(1, exit);
        Assert.Contains($"register {register}: 2 cells (1 with a voucher)", stderr, StringComparison.Ordinal);
    }

    private static (int Exit, string Stderr) Evaluate(string register, string output)
    {
        using var stdout = new MemoryStream();
        using var stderr = new StringWriter(CultureInfo.InvariantCulture) { NewLine = "\n" };
        var exit = Program.Run(
            ["evaluate", "--register", register, "--from", "2026-01-05", "--to", "2026-03-02", "--out", output, "--influx-url", "http://127.0.0.1:9"],
            stdout,
            stderr);
        Assert.Equal("", Encoding.UTF8.GetString(stdout.ToArray()));
        return (exit, stderr.ToString());
    }
}
