using System.Reflection;

namespace EdgeGateway.Ingest.Tests.Hosting;

/// <summary>
/// <c>--help</c> and <c>--version</c> of both services, run as the built programs: they print and exit 0 without reading
/// any config (the default config file does not exist on the test machine; a given one need not either).
/// </summary>
public sealed class ServiceCommandLineTests
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(30);

    public static TheoryData<string, string[]> Services => new()
    {
        { "edgegw-agent", [] },
        { "edgegw-agent", ["--config", "/nonexistent/edgegw.json"] },
        { "edgegw-ingest", [] },
        { "edgegw-ingest", ["--config", "/nonexistent/ingest.json"] },
    };

    [Theory]
    [MemberData(nameof(Services))]
    public async Task Version_PrintsTheInformationalVersion_Exit0_WithoutAConfig(string service, string[] config)
    {
        AssertNoDefaultConfig(service);

        var (exit, stdout, stderr) = await ServiceProcess.RunToExitAsync(service, [.. config, "--version"], s_timeout);

        Assert.Equal("", stderr);
        Assert.Equal(0, exit);
        Assert.Equal($"{service} {InformationalVersion(service)}\n", stdout);
    }

    [Theory]
    [MemberData(nameof(Services))]
    public async Task Help_SaysTheCommandLine_WhereTheConfigIsRead_AndTheExitCodes_Exit0_WithoutAConfig(string service, string[] config)
    {
        AssertNoDefaultConfig(service);
        var (section, variable, defaultPath) = service == "edgegw-agent"
            ? ("Agent", "EDGEGW_CONFIG", Agent.Program.DefaultConfigPath)
            : ("Ingest", "EDGEGW_INGEST_CONFIG", Program.DefaultConfigPath);

        var (exit, stdout, stderr) = await ServiceProcess.RunToExitAsync(service, [.. config, "--help"], s_timeout);

        Assert.Equal("", stderr);
        Assert.Equal(0, exit);
        var lines = stdout.Split('\n');
        Assert.StartsWith($"{service} {InformationalVersion(service)}: ", lines[0], StringComparison.Ordinal);
        Assert.Contains($"Usage: {service} [--config FILE] [--{section}:KEY=VALUE ...]", lines);
        Assert.Contains($"       {service} --help | --version", lines);
        Assert.Contains($"${variable}", stdout, StringComparison.Ordinal);
        Assert.Contains(defaultPath, stdout, StringComparison.Ordinal);
        Assert.Contains($"EDGEGW_{section}__Mqtt__Password", stdout, StringComparison.Ordinal);
        Assert.Contains("  0  stopped on request (SIGTERM, SIGINT); also after --help and --version", lines);
        Assert.Contains("  1  a fatal error while running: the service manager may restart the program", lines);
        Assert.Contains("  2  a bad config, argument or input file, or a folder that cannot be used: restarting cannot help", lines);

        // Self-contained: a device has the program, not the repository's docs.
        Assert.DoesNotContain(".md", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithoutHelp_TheMissingConfig_IsStillExit2()
    {
        var (exit, _, stderr) = await ServiceProcess.RunToExitAsync("edgegw-ingest", ["--config", "/nonexistent/ingest.json"], s_timeout);

        Assert.Equal(2, exit);
        Assert.StartsWith("edgegw-ingest: /nonexistent/ingest.json: ", stderr, StringComparison.Ordinal);
    }

    private static string InformationalVersion(string service)
    {
        var assembly = service == "edgegw-agent" ? typeof(Agent.Program).Assembly : typeof(Program).Assembly;
        var version = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()!.InformationalVersion;
        Assert.Matches(@"^\d+\.\d+\.\d+", version);
        return version;
    }

    private static void AssertNoDefaultConfig(string service) =>
        Assert.False(File.Exists(service == "edgegw-agent" ? Agent.Program.DefaultConfigPath : Program.DefaultConfigPath), "the test needs a machine without the default config");
}
