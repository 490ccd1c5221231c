using EdgeGateway.Core.Configuration;
using EdgeGateway.Core.Kpi;
using EdgeGateway.Core.Payload;

namespace EdgeGateway.Core.Tests.Payload;

/// <summary>The name lists of the payloads line up with the enums and lists they are indexed by.</summary>
public sealed class PayloadNamesTests
{
    [Fact]
    public void NameLists_HaveOneNamePerEnumValue()
    {
        Assert.Equal(BucketDurations.BucketCount, KpiPayload.BucketNames.Count);
        Assert.Equal(Enum.GetValues<MinorStopPolicy>().Length, KpiPayload.Policies.Count);
        Assert.Equal(Enum.GetValues<MachineState>().Length, StatePayload.States.Count);
        Assert.Equal(Enum.GetValues<WindowKind>().Length, WindowKinds.Names.Count);
    }

    [Fact]
    public void EveryKpi_HasItsRange_AvailabilityAndQualityAtMostOne()
    {
        Assert.Equal(KpiPayload.KpiNames.Count, KpiPayload.KpiRanges.Count);
        Assert.Equal((0.0, 1.0), KpiPayload.KpiRanges[0]);
        Assert.Equal((-KpiPayload.Large, 1.0), KpiPayload.KpiRanges[2]);
        Assert.Equal(["availability", "quality"], [KpiPayload.KpiNames[0], KpiPayload.KpiNames[2]]);
    }
}
