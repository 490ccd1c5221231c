using System.Net;
using EdgeGateway.Dashboard.Access;

namespace EdgeGateway.Dashboard.Tests;

/// <summary>Every input from outside — config, users file, command line, query string — refused with a line naming what and where.</summary>
[Collection(DashboardTests.Name)]
public sealed class InputErrorTests(DashboardProgramme programme)
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task BadConfigValues_ExitTwo_WithOneLinePerProblem_NamingFileAndKey()
    {
        var config = Write("bad.json", """{ "Dashboard": { "InfluxUrl": "ftp://x", "Users": "users.json", "KeysDirectory": "keys", "From": "2026-13-01", "DataCheckSeconds": 0 } }""");

        var (exit, _, stderr) = await ServiceProcess.RunToExitAsync("edgegw-dashboard", ["--config", config], s_timeout);

        Assert.Equal(2, exit);
        Assert.Equal(
            [
                $"edgegw-dashboard: {config}: Dashboard:InfluxUrl: 'ftp://x' is not an http(s) URL",
                $"edgegw-dashboard: {config}: Dashboard:Register: required",
                $"edgegw-dashboard: {config}: Dashboard:From: '2026-13-01' is not a date YYYY-MM-DD",
                $"edgegw-dashboard: {config}: Dashboard:DataCheckSeconds: 0 must be from 1 to 86400",
            ],
            stderr.TrimEnd('\n').Split('\n'));
    }

    [Fact]
    public async Task UnknownConfigKey_ExitsTwo_NamingIt()
    {
        var config = Write("unknown.json", """{ "Dashboard": { "Registr": "register.csv" } }""");

        var (exit, _, stderr) = await ServiceProcess.RunToExitAsync("edgegw-dashboard", ["--config", config], s_timeout);

        Assert.Equal(2, exit);
        Assert.Equal($"edgegw-dashboard: {config}: Dashboard:Registr: unknown key\n", stderr);
    }

    [Fact]
    public async Task BadUsersFile_ExitsTwo_NamingTheEntryAndField()
    {
        var folder = Directory.CreateTempSubdirectory("edgegw-dashboard-input-").FullName;
        File.Copy(programme.RegisterFile, Path.Combine(folder, "register.csv"));
        File.WriteAllText(Path.Combine(folder, "users.json"), """{ "users": [ { "name": "eva", "role": "boss", "password_hash": "x" } ] }""");
        var config = Path.Combine(folder, "dashboard.json");
        File.WriteAllText(config, """{ "Dashboard": { "Register": "register.csv", "Users": "users.json", "KeysDirectory": "keys", "From": "2026-01-05" } }""");

        var (exit, _, stderr) = await ServiceProcess.RunToExitAsync("edgegw-dashboard", ["--config", config], s_timeout);

        var users = Path.Combine(folder, "users.json");
        Assert.Equal(2, exit);
        Assert.Equal(
            [
                $"edgegw-dashboard: {users}: users[0].role: 'boss' is not evaluator, sme or admin",
                $"edgegw-dashboard: {users}: users[0].password_hash: not a password hash of ASP.NET Core's PasswordHasher (create users with 'edgegw-dashboard --config FILE user add NAME --role ROLE')",
            ],
            stderr.TrimEnd('\n').Split('\n'));
        Directory.Delete(folder, recursive: true);
    }

    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public void UserAdd_WritesTheUsersFileOwnerOnly_AndLeavesNoTemporaryFile()
    {
        var folder = Directory.CreateDirectory(Path.Combine(programme.Folder, "owner-only")).FullName;
        var file = Path.Combine(folder, "users.json");

        var exit = Program.UserCommand(["add", "first-admin", "--role", "admin"], new UsersFile(file), new StringReader("a-long-password\n"), new StringWriter(), new StringWriter());

        Assert.Equal(0, exit);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        Assert.Equal([file], Directory.GetFiles(folder));
    }

    [Fact]
    public void UserAdd_UsersFileThatCannotBeSaved_ExitsOne_WithOneLineNamingTheFile()
    {
        var file = Path.Combine(programme.Folder, "no-such-folder", "users.json");
        using var stderr = new StringWriter();

        var exit = Program.UserCommand(["add", "first-admin", "--role", "admin"], new UsersFile(file), new StringReader("a-long-password\n"), new StringWriter(), stderr);

        Assert.Equal(1, exit);
        var line = Assert.Single(stderr.ToString().ReplaceLineEndings("\n").Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith($"edgegw-dashboard: user: cannot save {file}: ", line, StringComparison.Ordinal);
    }

    [Fact]
    public void UserAdd_StoresAHashNotThePassword_ThatVerifies()
    {
        var file = Path.Combine(programme.Folder, "cli-users.json");
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();

        var exit = Program.UserCommand(["add", "first-admin", "--role", "admin"], new UsersFile(file), new StringReader("a-long-password\n"), stdout, stderr);

        Assert.Equal(0, exit);
        Assert.Equal("", stderr.ToString());
        Assert.DoesNotContain("a-long-password", File.ReadAllText(file), StringComparison.Ordinal);
        Assert.Equal(Role.Admin, new UsersFile(file).Verify("first-admin", "a-long-password")?.Role);
        Assert.Null(new UsersFile(file).Verify("first-admin", "another-password"));
    }

    [Theory]
    [InlineData(new[] { "add", "x", "--role", "sme" }, "edgegw-dashboard: user: an sme user needs a site\n")]
    [InlineData(new[] { "add", "x", "--role", "boss" }, "edgegw-dashboard: user: --role: 'boss' is not evaluator, sme or admin\n")]
    [InlineData(new[] { "remove", "nobody" }, "edgegw-dashboard: user: no user 'nobody' in USERS\n")]
    public void UserCommand_BadArguments_ExitTwo_WithOneLine(string[] args, string expected)
    {
        var file = Path.Combine(programme.Folder, "cli-bad-users.json");
        using var stderr = new StringWriter();

        var exit = Program.UserCommand(args, new UsersFile(file), new StringReader("a-long-password\n"), new StringWriter(), stderr);

        Assert.Equal(2, exit);
        Assert.Equal(expected.Replace("USERS", file, StringComparison.Ordinal), stderr.ToString().ReplaceLineEndings("\n"));
    }

    [Fact]
    public async Task CellPage_BadDay_Is400_NamingTheParameter()
    {
        using var client = await programme.SignInAsync(DashboardProgramme.EvaluatorName, DashboardProgramme.EvaluatorPassword);
        var cell = programme.SmeCell;

        var answer = await client.GetAsync(new Uri($"/cells/{cell.Site}/{cell.Cell}?day=2026-02-30", UriKind.Relative));

        Assert.Equal(HttpStatusCode.BadRequest, answer.StatusCode);
        Assert.Contains("day: &#39;2026-02-30&#39; is not a date YYYY-MM-DD from 2026-01-05 to 2026-07-05", await answer.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private string Write(string name, string json)
    {
        var path = Path.Combine(programme.Folder, name);
        File.WriteAllText(path, json);
        return path;
    }
}
