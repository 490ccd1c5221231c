using EdgeGateway.Agent.Status;
using Microsoft.Extensions.Time.Testing;

namespace EdgeGateway.Agent.Tests.Status;

public sealed class HostReadingsTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("edgegw-host-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Uptime_CountsFromConstruction_InSeconds()
    {
        var time = new FakeTimeProvider();
        var host = new HostReadings(time, Path.Combine(_folder, "absent"));
        Assert.Equal(0, host.UptimeS);
        time.Advance(TimeSpan.FromMilliseconds(90_125));
        Assert.Equal(90.125, host.UptimeS);
    }

    [Fact]
    public void CpuTemp_IsMillidegreesOfTheThermalFile_NullWhenAbsentOrGarbled()
    {
        var path = Path.Combine(_folder, "temp");
        var host = new HostReadings(new FakeTimeProvider(), path);
        Assert.Null(host.CpuTempC());

        File.WriteAllText(path, "48312\n");
        Assert.Equal(48.312, host.CpuTempC());

        File.WriteAllText(path, "-1500\n");
        Assert.Equal(-1.5, host.CpuTempC());

        File.WriteAllText(path, "hot\n");
        Assert.Null(host.CpuTempC());
    }

    [Fact]
    public void DiskFree_IsTheOutboxFileSystemsAvailableBytes()
    {
        var free = HostReadings.DiskFreeBytes(_folder);
        var expected = new DriveInfo(_folder).AvailableFreeSpace;
        Assert.NotNull(free);
        Assert.InRange(free.Value, 1, expected + (64L << 20)); // the temp file system is in use meanwhile
        Assert.InRange(free.Value, expected - (64L << 20), long.MaxValue);
    }
}
