using System.Text.Json;
using EdgeGateway.Core.Payload;
using static EdgeGateway.Ingest.Validation.PayloadProblem;

namespace EdgeGateway.Ingest.Validation;

/// <summary>Reads a state payload (<see cref="StatePayload"/>) into a <see cref="StateRecord"/>; throws <see cref="InvalidPayloadException"/> naming the first field in error.</summary>
internal static class StatePayloadReader
{
    public static StateRecord Read(JsonElement root, TopicAddress topic, PayloadClock clock)
    {
        var f = JsonFields.Of(root, "");
        f.Version();
        var site = f.Id(KpiPayload.Site);
        var cell = f.Id(KpiPayload.Cell);
        Agree("site", topic.Site, site);
        Agree("cell", topic.Cell!, cell);
        var record = new StateRecord
        {
            Site = site,
            Cell = cell,
            Gateway = f.Id(KpiPayload.Gateway),
            Seq = f.Integer(KpiPayload.Seq, 0, long.MaxValue),
            AtMs = f.Timestamp(StatePayload.At, clock),
            State = f.OneOf(StatePayload.State, StatePayload.States),
        };
        f.End();
        return record;
    }
}
