using System.Globalization;
using EdgeGateway.Ingest.Tests.Fixtures;

namespace EdgeGateway.Ingest.Tests.Hosting;

/// <summary>
/// <c>dotnet edgegw-ingest.dll --config FILE [--Ingest:Key=value]</c> as a process: a bad config is one line per problem
/// and exit code 2; a good one subscribes, says "Ingest ready" and stores what arrives.
/// </summary>
public sealed class IngestProcessTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("edgegw-ingest-config-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void TheShippedIngest_CollectsGarbageWithTheServerCollector()
    {
        // src/docs/ingest.md, "Throughput": with the workstation collector the ingest did not keep up with InfluxDB.
        using var config = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "edgegw-ingest.runtimeconfig.json")));

        Assert.True(config.RootElement.GetProperty("runtimeOptions").GetProperty("configProperties").GetProperty("System.GC.Server").GetBoolean());
    }

    [Fact]
    public async Task UnknownKeys_AndBrokenRules_AreEachOneLine_Exit2()
    {
        var path = Write("""
            { "Ingest": { "Mqtt": { "Hots": "broker", "Port": 70000, "Password": "x" }, "BatchSize": 5000,
                          "Influx": { "Version": 2, "Url": "localhost:8086" } },
              "Extra": {} }
            """);

        var (exit, stderr) = await RunToExitAsync(path);

        Assert.Equal(2, exit);
        var lines = Lines(stderr);
        Assert.Equal([$"edgegw-ingest: {path}:1: Ingest.Mqtt.Hots: unknown key", $"edgegw-ingest: {path}:3: Extra: unknown key"], lines);
    }

    [Fact]
    public async Task RangesAndRulesAcrossFields_AreEachOneLine_Exit2()
    {
        var path = Write("""
            { "Ingest": { "Mqtt": { "Port": 70000, "Password": "x", "ReceiveMaximum": 100 }, "BatchSize": 500,
                          "Influx": { "Version": 2, "Url": "localhost:8086" } } }
            """);

        var (exit, stderr) = await RunToExitAsync(path);

        Assert.Equal(2, exit);
        var lines = Lines(stderr);
        Assert.Contains(lines, l => l.Contains("Port", StringComparison.Ordinal) && l.Contains("65535", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.EndsWith("Ingest.Mqtt.Password: is set but Ingest.Mqtt.Username is not", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.EndsWith("Ingest.BatchSize: (500) must not exceed Ingest.Mqtt.ReceiveMaximum (100): a batch fills only with unacknowledged messages", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.EndsWith("Ingest.Influx.Url: 'localhost:8086' is not an absolute http or https URL", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.EndsWith("Ingest.Influx.Org: is required when Ingest.Influx.Version is 2", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.EndsWith("Ingest.Influx.Token: is required when Ingest.Influx.Version is 2", StringComparison.Ordinal));
        Assert.Equal(6, lines.Length);
    }

    [Fact]
    public async Task AValueOfTheWrongType_NamesTheKey_Exit2()
    {
        var path = Write("""{ "Ingest": { "Mqtt": { "Port": "eighty" } } }""");
        var (exit, stderr) = await RunToExitAsync(path);

        Assert.Equal(2, exit);
        Assert.StartsWith($"edgegw-ingest: {path}:1: Ingest.Mqtt.Port: ", Assert.Single(Lines(stderr)), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Ingest.Influx.Version: '3' is not 1 or 2", "--Ingest:Influx:Version=3")]
    [InlineData("Ingest.Influx.Version: 'Three' is not 1 or 2", "--Ingest:Influx:Version=Three")]
    [InlineData("Ingest.Mqtt.Hots: unknown key", "--Ingest:Mqtt:Hots=broker")]
    [InlineData("Ingest.Mqtt.ReceiveMaximum: must be between 1 and 65535", "--Ingest:Mqtt:ReceiveMaximum=70000")]
    [InlineData("Ingest.Mqtt.ConfirmTopicPrefix: 'a/+/b' must be a topic without the MQTT wildcards # or + and without a trailing /", "--Ingest:Mqtt:ConfirmTopicPrefix=a/+/b")]
    [InlineData("Ingest.BatchSize: 'many' is not a whole number", "--Ingest:BatchSize=many")]
    [InlineData("Ingest.StatusInterval: must be between 00:00:01 and 1.00:00:00", "--Ingest:StatusInterval=100.00:00:00")]
    [InlineData("Ingest.Mqtt.MaxBackoff: must be at most 1.00:00:00, found 100.00:00:00", "--Ingest:Mqtt:MaxBackoff=100.00:00:00")]
    public async Task CommandLineOverride_IsCheckedToo_OneLine_Exit2(string problem, string argument)
    {
        var path = Write("""{ "Ingest": { } }""");

        var (exit, stderr) = await RunToExitAsync(path, argument);

        Assert.Equal(2, exit);
        Assert.Equal($"edgegw-ingest: {path}:1: {problem}", Assert.Single(Lines(stderr)));
    }

    [Fact]
    public async Task CaFileThatIsNoCertificate_IsOneLine_Exit2_NotAFailedStart()
    {
        var path = Write("""{ "Ingest": { "Mqtt": { "Tls": true, "CaFile": "/etc/passwd" } } }""");

        var (exit, stderr) = await RunToExitAsync(path);

        Assert.Equal(2, exit);
        Assert.Equal($"edgegw-ingest: {path}:1: Ingest.Mqtt.CaFile: '/etc/passwd' is not a certificate (PEM or DER): ASN1 corrupted data.", Assert.Single(Lines(stderr)));
    }

    [Fact]
    public async Task AnInvalidFleetFile_IsRefusedAtStart_NamingTheKeysLineAndItsOwn_Exit2()
    {
        var fleet = Path.Combine(_dir, "fleet.csv");
        File.WriteAllText(fleet, "site,gateway,cells\nsme-0042,gw-1,a;b\nsme-0042,gw-2,c;b\n");
        var path = Write($$"""
            { "Ingest": {
                "FleetFile": "{{fleet}}" } }
            """);

        var (exit, stderr) = await RunToExitAsync(path);

        Assert.Equal(2, exit);
        Assert.Equal($"edgegw-ingest: {path}:2: Ingest.FleetFile: {fleet}:3: cell 'b' of site 'sme-0042' is gateway 'gw-1''s already (line 2): a cell is measured by one gateway", Assert.Single(Lines(stderr)));
    }

    [Fact]
    public async Task AFleetFileThatCannotBeRead_IsRefusedAtStart_Exit2()
    {
        var path = Write("""{ "Ingest": { } }""");
        var missing = Path.Combine(_dir, "missing.csv");

        var (missingExit, missingError) = await RunToExitAsync(path, $"--Ingest:FleetFile={missing}");
        var (folderExit, folderError) = await RunToExitAsync(path, $"--Ingest:FleetFile={_dir}");

        Assert.Equal((2, 2), (missingExit, folderExit));
        Assert.Equal($"edgegw-ingest: {path}:1: Ingest.FleetFile: {missing}: cannot read the fleet file: the file does not exist", Assert.Single(Lines(missingError)));
        Assert.Equal($"edgegw-ingest: {path}:1: Ingest.FleetFile: {_dir}: cannot read the fleet file: it is a directory, not a file", Assert.Single(Lines(folderError)));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void AnEmptyOrAbsentFleetFile_IsNoFleet(string? path) => Assert.Null(new Ingest.Hosting.IngestFleet(path).Fleet);

    [Fact]
    public async Task MissingOrBrokenFile_IsOneLine_Exit2()
    {
        var (missingExit, missing) = await RunToExitAsync(Path.Combine(_dir, "nope.json"));
        var (brokenExit, broken) = await RunToExitAsync(Write("{ \"Ingest\": "));

        Assert.Equal((2, 2), (missingExit, brokenExit));
        Assert.EndsWith("nope.json: cannot read the config: the file does not exist", Assert.Single(Lines(missing)), StringComparison.Ordinal);
        Assert.Contains(".json:1: invalid JSON: ", Assert.Single(Lines(broken)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConfigFromAPipe_IsRead()
    {
        // bash's <(…) hands the ingest /dev/fd/63, a pipe, which can be read once. The override makes one rule fail, so
        // the ingest ends at once; the line proves the pipe's content (BatchSize 5000) was read and checked.
        var (exit, _, stderr) = await ServiceProcess.RunToExitAsync(
            "edgegw-ingest", ["""{"Ingest":{"BatchSize":5000}}"""], TimeSpan.FromSeconds(30), bash: """--config <(echo "$1") --Ingest:Mqtt:ReceiveMaximum=100""");

        Assert.Equal(2, exit);
        Assert.Matches(@"^edgegw-ingest: /dev/fd/\d+:1: Ingest\.BatchSize: \(5000\) must not exceed Ingest\.Mqtt\.ReceiveMaximum \(100\)", Assert.Single(Lines(stderr)));
    }

    [Fact]
    public async Task ConfigFromAPipe_Runs_AndStopsWithExit0OnSigterm()
    {
        var config = $$"""{ "Ingest": { "Mqtt": { "Port": {{Loopback.FreePort()}} }, "DeadLetterDirectory": "{{_dir}}" }, "Logging": { "LogLevel": { "Default": "Information" } } }""";
        using var ingest = ServiceProcess.Start("edgegw-ingest", [config], bash: """--config <(echo "$1")""");
        await PipelineHarness.WaitAsync(() => ingest.FindLine("Application started") is not null, "the ingest to start", TimeSpan.FromSeconds(30));

        Assert.Equal(0, await ingest.StopAsync());
    }

    [Theory]
    [InlineData("/etc/passwd", "it is a file, not a directory")]
    [InlineData("/etc/passwd/dead", "/etc/passwd is a file, not a directory")]
    [InlineData("read-only", "read-only file system")]
    [InlineData("root's", "permission denied")]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public async Task DeadLetterDirectoryThatCannotBeUsed_IsRefusedAtStart_OneLine_Exit2(string directory, string reason)
    {
        // read-only: the root of a tmpfs mounted read-only; root's: a folder in one of root's (the test's), the ingest
        // running as nobody.
        using var disk = directory == "read-only" ? SmallFileSystem.Mount(1024 * 1024) : null;
        disk?.Remount(readOnly: true);
        var asNobody = directory == "root's";
        if (asNobody)
        {
            File.SetUnixFileMode(_dir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        }

        directory = disk?.Path ?? (asNobody ? Path.Combine(_dir, "dead") : directory);
        var path = Write("""{ "Ingest": { } }""");

        var (exit, _, stderr) = await ServiceProcess.RunToExitAsync("edgegw-ingest", ["--config", path, $"--Ingest:DeadLetterDirectory={directory}"], TimeSpan.FromSeconds(30), asNobody: asNobody);

        Assert.Equal(2, exit);
        Assert.Equal($"edgegw-ingest: {path}:1: Ingest.DeadLetterDirectory: '{directory}' cannot hold dead letters: {reason}", Assert.Single(Lines(stderr)));
    }

    [Fact]
    public async Task GoodConfig_Subscribes_SaysIngestReady_CreatesTheDatabase_AndStoresWhatArrives()
    {
        await using var broker = await InProcessBroker.StartAsync();
        using var influx = new FakeInflux();
        var path = Write($$"""
            { "Ingest": { "Mqtt": { "Host": "127.0.0.1", "ClientId": "ingest-process-test", "SharedSubscription": false },
                          "Influx": { "Url": "{{influx.Url}}" }, "DeadLetterDirectory": "{{_dir}}", "FlushInterval": "00:00:00.100" },
              "Logging": { "LogLevel": { "Default": "Information" } } }
            """);
        using var ingest = ServiceProcess.Start("edgegw-ingest", ["--config", path, $"--Ingest:Mqtt:Port={broker.Port.ToString(CultureInfo.InvariantCulture)}"]);
        await PipelineHarness.WaitAsync(() => ingest.FindLine("Ingest ready") is not null, "Ingest ready", TimeSpan.FromSeconds(30));
        var gateway = await broker.ConnectAsync("gw-1");
        await InProcessBroker.PublishAsync(gateway, Payloads.KpiTopic, Payloads.Bytes(Payloads.Kpi));

        await influx.WaitForAsync(r => r.Any(q => q.Path == "/write"), TimeSpan.FromSeconds(15));
        Assert.Equal("/query", influx.Requests[0].Path);
        Assert.StartsWith("kpi,cell=cell-1,site=sme-0042,window=shift ", Assert.Single(influx.Writes).Body, StringComparison.Ordinal);
        Assert.Equal(new Dictionary<string, string> { ["db"] = "edgegw", ["rp"] = "autogen", ["precision"] = "ms" }, influx.Writes[0].Query);
        await PipelineHarness.WaitAsync(() => broker.AcknowledgedBy("ingest-process-test") == 1, "the acknowledgement");
    }

    private string Write(string json)
    {
        var path = Path.Combine(_dir, $"ingest-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, json);
        return path;
    }

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static async Task<(int Exit, string Stderr)> RunToExitAsync(string configPath, params string[] extra)
    {
        var (exit, _, stderr) = await ServiceProcess.RunToExitAsync("edgegw-ingest", ["--config", configPath, .. extra], TimeSpan.FromSeconds(30));
        return (exit, stderr);
    }
}
