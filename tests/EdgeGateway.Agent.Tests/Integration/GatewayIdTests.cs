using System.Security.Cryptography;
using System.Text;
using EdgeGateway.Agent.Hosting;

namespace EdgeGateway.Agent.Tests.Integration;

/// <summary>
/// The default gateway id comes from the machine id (src/docs/agent.md, <c>GatewayId</c>), so two gateways set up
/// alike at one site, as fresh Raspberry Pis all named <c>raspberrypi</c> are, never share an MQTT session.
/// </summary>
[Collection(MosquittoGroup.Name)]
public sealed class GatewayIdTests(PlainBroker fixture) : IClassFixture<PlainBroker>
{
    [Theory]
    [InlineData("3d1219c7c4c5404aaa1f6d2a48adfda4\n")]
    [InlineData("0123456789ABCDEF0123456789abcdef")]
    public void The_default_id_is_gw_and_12_hex_digits_of_the_sha256_of_the_machine_id(string machineIdFile)
    {
        var digest = SHA256.HashData(Encoding.ASCII.GetBytes("edgegw gateway id\n" + machineIdFile.Trim().ToLowerInvariant()));
        Assert.Equal("gw-" + Convert.ToHexStringLower(digest)[..12], DefaultGatewayId.From(machineIdFile));
    }

    [Theory]
    [InlineData("")]
    [InlineData("uninitialized\n")]
    [InlineData("3d1219c7c4c5404aaa1f6d2a48adfda")]
    public void A_file_that_is_no_machine_id_gives_none(string machineIdFile) => Assert.Null(DefaultGatewayId.From(machineIdFile));

    [Fact]
    public async Task Two_default_configured_gateways_at_one_site_keep_their_own_sessions()
    {
        var folder = Directory.CreateTempSubdirectory("edgegw-machine-ids-").FullName;
        try
        {
            var runs = new[] { "a", "b" }.Select(name =>
            {
                var machineId = Path.Combine(folder, name);
                File.WriteAllText(machineId, Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)) + "\n");
                var run = new AgentRun($"default-{name}", fixture.Broker.Port, speedFactor: 600) { MachineIdFile = machineId };
                run.Settings.Remove("GatewayId");
                return (Run: run, Id: DefaultGatewayId.From(File.ReadAllText(machineId))!);
            }).ToList();
            var subscribers = new List<RecordSubscriber>();
            try
            {
                foreach (var (run, id) in runs)
                {
                    subscribers.Add(await RecordSubscriber.ConnectAsync(fixture.Broker, id, confirm: true));
                    run.Start();
                }

                foreach (var (run, id) in runs)
                {
                    await Poll.Until(() => run.Current.FindLine("Connected to the broker") is not null, TimeSpan.FromSeconds(30), $"{id} connecting", () => run.Current.Tail());
                }

                // Had they one client id, the broker would close the older session at every connect of the other.
                await Task.Delay(TimeSpan.FromSeconds(5));
                foreach (var (run, id) in runs)
                {
                    var status = run.ReadStatus();
                    Assert.True(status is { Connected: true }, $"{id}: {status}. {run.Current.Tail()}");
                    Assert.Equal(1, run.Current.CountLines("Connected to the broker"));
                    Assert.Equal(0, run.Current.CountLines("Not delivering"));
                }

                // Each published its birth message under the id derived from its own machine id.
                Assert.All(subscribers, subscriber => Assert.Contains(subscriber.Snapshot().Statuses, s => s.Status == "online"));

                Assert.NotEqual(runs[0].Id, runs[1].Id);
            }
            finally
            {
                foreach (var subscriber in subscribers)
                {
                    await subscriber.DisposeAsync();
                }

                foreach (var (run, _) in runs)
                {
                    run.Dispose();
                }
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
