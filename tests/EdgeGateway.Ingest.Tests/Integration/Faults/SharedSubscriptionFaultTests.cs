using Xunit.Abstractions;

namespace EdgeGateway.Ingest.Tests.Integration.Faults;

/// <summary>
/// Issue 11, proof (the point left open in the ingest issue): two ingest instances share the subscription, one is
/// killed and never comes back. Mosquitto 2.0.11 keeps assigning the dead member its share and keeps what it had not
/// acknowledged in its session; every record must still reach InfluxDB, through the survivor, by re-send.
/// </summary>
[Collection(RealServicesGroup.Name)]
public sealed class SharedSubscriptionFaultTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Faults_OneOfTwoIngestsKilledForGood_EveryRecordThroughTheSurvivor()
    {
        // Five simulated days at six simulated hours a second: 20 s of publishing, B killed about two seconds in.
        using var scenario = await FaultScenario.LaunchAsync("shared-kill", TimeSpan.FromDays(5), 21_600, output, ingests: 2);
        var dead = scenario.IngestAt(1);
        await dead.WaitForStatusAsync(s => s.Written >= 100, TimeSpan.FromSeconds(30), "B to take its share");
        await dead.Current.KillAsync();

        var outcome = await scenario.FinishAsync(scenario.Truth(), "two ingests in one shared subscription, B SIGKILLed and not restarted");
        Assert.True(dead.Current.HasExited, "B came back");
        outcome.AssertExact(scenario.Name);
    }
}
