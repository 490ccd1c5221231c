using EdgeGateway.Ingest.Hosting;

namespace EdgeGateway.Ingest.Tests.Hosting;

/// <summary>
/// <c>Ingest:FleetFile</c> is read and checked at start like every ingest key: a file that cannot be read or is invalid
/// is one line naming the key's line in the config and the fleet file's own line, exit code 2; the ingest never runs
/// without the fleet it was told to check.
/// </summary>
public sealed class FleetFileOptionsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("edgegw-ingest-fleet-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void NoFleetFile_IsNoFleet(string? path) => Assert.Null(new IngestFleet(path).Fleet);

    [Fact]
    public void AFleetFile_IsReadWithTheBrokerConfigsParser()
    {
        var path = Path.Combine(_dir, "fleet.csv");
        File.WriteAllText(path, "# the fleet\nsite,gateway,cells\nsme-0042,gw-1,cell-1;cell-2\n");

        var fleet = new IngestFleet(path).Fleet;

        Assert.Equal((path, "gw-1", 3), (fleet!.Name, fleet.OwnerOf("sme-0042", "cell-2")!.Gateway, fleet.OwnerOf("sme-0042", "cell-2")!.Line));
    }

    [Fact]
    public async Task TheShippedIngest_RefusesAnInvalidFleetFile_NamingItsLine_Exit2()
    {
        var fleet = Path.Combine(_dir, "fleet.csv");
        File.WriteAllText(fleet, "site,gateway,cells\nsme-0042,gw-1,a;b\nsme-0042,gw-2,c;b\n");
        var config = Path.Combine(_dir, "ingest.json");
        File.WriteAllText(config, $$"""
            { "Ingest": {
                "FleetFile": "{{fleet}}" } }
            """);

        var (exit, _, stderr) = await ServiceProcess.RunToExitAsync("edgegw-ingest", ["--config", config], TimeSpan.FromSeconds(30));

        Assert.Equal(2, exit);
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        Assert.Equal($"edgegw-ingest: {config}:2: Ingest.FleetFile: {fleet}:3: cell 'b' of site 'sme-0042' is gateway 'gw-1''s already (line 2): a cell is measured by one gateway", line);
    }

    [Theory]
    [InlineData("missing.csv", "the file does not exist")]
    [InlineData(".", "it is a directory, not a file")]
    public async Task TheShippedIngest_RefusesAFleetFileItCannotRead_Exit2(string name, string reason)
    {
        var fleet = Path.Combine(_dir, name);
        var config = Path.Combine(_dir, "ingest.json");
        File.WriteAllText(config, """{ "Ingest": { } }""");

        var (exit, _, stderr) = await ServiceProcess.RunToExitAsync("edgegw-ingest", ["--config", config, $"--Ingest:FleetFile={fleet}"], TimeSpan.FromSeconds(30));

        Assert.Equal(2, exit);
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        Assert.Equal($"edgegw-ingest: {config}:1: Ingest.FleetFile: {fleet}: cannot read the fleet file: {reason}", line);
    }
}
