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
    public void KpiFields_StandTogetherPerObject_InPayloadOrder_WithUniquePathsAndColumns()
    {
        var objects = KpiFields.All.Select(f => f.Parent).Distinct().ToList();
        Assert.Equal(["buckets", "counts", "kpi", "energy", "minor_stops", "", "data_quality"], objects);
        Assert.Equal(objects.Count, KpiFields.Objects.Count);
        Assert.Equal(KpiFields.All, KpiFields.Objects.SelectMany(o => o.Fields));
        Assert.Equal(Enumerable.Range(0, KpiFields.All.Count), KpiFields.All.Select(f => f.Index));
        Assert.Equal(KpiFields.All.Count, KpiFields.All.Select(f => f.Path).Distinct().Count());
        Assert.Equal(KpiFields.All.Count, KpiFields.All.Select(f => f.Column).Distinct().Count());
    }

    [Fact]
    public void AvailabilityAndQuality_AreAtMostOne_QualityMayGoNegative()
    {
        Assert.Equal((0.0, 1.0), (KpiFields.Find("kpi.availability")!.Min, KpiFields.Find("kpi.availability")!.Max));
        Assert.Equal((-KpiPayload.Large, 1.0), (KpiFields.Find("kpi.quality")!.Min, KpiFields.Find("kpi.quality")!.Max));
    }
}
