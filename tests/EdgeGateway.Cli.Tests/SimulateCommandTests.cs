using System.Globalization;
using System.Text;

namespace EdgeGateway.Cli.Tests;

/// <summary>
/// <c>edgegw simulate</c> given outputs it cannot write as asked, or a config as editors save it: exit code 2 with one
/// stderr line naming the option, and no file written; or success.
/// </summary>
public sealed class SimulateCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("edgegw-simulate-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task TraceAndTruthTheSameFile_ExitsTwoNamingBoth_AndWritesNothing()
    {
        // Was exit code 0 with only the truth left: the second move replaced the trace.
        var output = Path.Combine(_dir, "x");

        var (exit, stdout, stderr) = await ServiceProcess.RunToExitAsync("edgegw", Simulate(output, output), TimeSpan.FromMinutes(2));

        Assert.True(exit == Program.InputError, $"exit code {exit}; stderr: {stderr}");
        Assert.Equal("", stdout);
        Assert.Equal($"edgegw simulate: --truth: '{output}' is the same file as --trace '{output}'; the two outputs need two files\n", stderr.ReplaceLineEndings("\n"));
        Assert.Empty(Directory.GetFileSystemEntries(_dir));
    }

    [Theory]
    [InlineData("relative spelling")]
    [InlineData("symbolic link")]
    public void TraceAndTruthTheSameFileByAnotherPath_ExitsTwo_AndLeavesTheFileAlone(string @case)
    {
        var trace = Path.Combine(_dir, "run.csv");
        File.WriteAllText(trace, "earlier run");
        var truth = @case == "symbolic link"
            ? File.CreateSymbolicLink(Path.Combine(_dir, "truth.json"), trace).FullName
            : Path.Combine(_dir, ".", "sub", "..", "run.csv");

        var (exit, stdout, stderr) = Run(Simulate(trace, truth));

        Assert.Equal(Program.InputError, exit);
        Assert.Empty(stdout);
        var line = Assert.Single(stderr.TrimEnd('\n').Split('\n'));
        Assert.Contains("is the same file as --trace", line, StringComparison.Ordinal);
        Assert.Equal("earlier run", File.ReadAllText(trace));
    }

    [Fact]
    public void OutputIsADirectory_ExitsTwoNamingTheOption()
    {
        var (exit, _, stderr) = Run(Simulate(_dir, Path.Combine(_dir, "truth.json")));

        Assert.Equal(Program.InputError, exit);
        Assert.Equal($"edgegw simulate: --trace: '{_dir}' is a directory; give a file name\n", stderr.ReplaceLineEndings("\n"));
    }

    [Theory]
    [InlineData("/dev/stdout")]
    [InlineData("/dev/null")]
    [InlineData("/dev/fd/63")]
    public void OutputIsADeviceOrAPipe_ExitsTwo_InsteadOfReplacingIt(string device)
    {
        // Outputs are moved into place: as root, a move onto /dev/null would replace the device for every process.
        var (exit, _, stderr) = Run(Simulate(device, Path.Combine(_dir, "truth.json")));

        Assert.Equal(Program.InputError, exit);
        Assert.Equal($"edgegw simulate: --trace: '{device}' is a device or a pipe: the output is written to a temporary file beside it and moved into place, so give a file name\n", stderr.ReplaceLineEndings("\n"));
        Assert.Empty(Directory.GetFileSystemEntries(_dir));
    }

    [Fact]
    public void ConfigIsADirectory_ExitsTwoSayingSo()
    {
        var args = Simulate(Path.Combine(_dir, "t.csv"), Path.Combine(_dir, "t.json"));
        args[Array.IndexOf(args, "--config") + 1] = _dir;

        var (exit, _, stderr) = Run(args);

        Assert.Equal(Program.InputError, exit);
        Assert.Equal($"edgegw simulate: {_dir}: cannot read the config: it is a directory, not a file\n", stderr.ReplaceLineEndings("\n"));
    }

    [Fact]
    public void SimulationConfigWithByteOrderMark_IsAccepted()
    {
        var config = Path.Combine(_dir, "bom.json");
        File.WriteAllText(config, File.ReadAllText(RepoPaths.Sample("simulation.json")), new UTF8Encoding(encoderShouldEmitUTF8Identifier: true));
        var args = Simulate(Path.Combine(_dir, "t.csv"), Path.Combine(_dir, "t.json"));
        args[Array.IndexOf(args, "--config") + 1] = config;

        var (exit, _, stderr) = Run(args);

        Assert.Equal("", stderr);
        Assert.Equal(0, exit);
        Assert.True(File.Exists(Path.Combine(_dir, "t.csv")) && File.Exists(Path.Combine(_dir, "t.json")), "both outputs written");
    }

    private static string[] Simulate(string trace, string truth) =>
        ["simulate", "--config", RepoPaths.Sample("simulation.json"), "--from", "2026-03-02", "--to", "2026-03-03", "--seed", "1", "--trace", trace, "--truth", truth];

    private static (int Exit, byte[] Stdout, string Stderr) Run(string[] args)
    {
        using var stdout = new MemoryStream();
        using var stderr = new StringWriter(CultureInfo.InvariantCulture) { NewLine = "\n" };
        var exit = Program.Run(args, stdout, stderr);
        return (exit, stdout.ToArray(), stderr.ToString());
    }
}
