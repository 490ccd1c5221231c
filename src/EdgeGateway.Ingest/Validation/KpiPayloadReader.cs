using System.Text.Json;
using EdgeGateway.Core;
using EdgeGateway.Core.Configuration;
using EdgeGateway.Core.Kpi;
using EdgeGateway.Core.Payload;
using EdgeGateway.Core.Traces;
using static EdgeGateway.Ingest.Validation.PayloadProblem;

namespace EdgeGateway.Ingest.Validation;

/// <summary>
/// Reads a KPI payload (<see cref="KpiPayload"/>, src/docs/payloads-and-topics.md, "KPI payload") into a <see cref="KpiRecord"/>:
/// required and unknown fields, types and ranges, the window fitting its kind, buckets adding up to it within 1 ms, counts
/// agreeing, Aux statistics in order. Throws <see cref="InvalidPayloadException"/> naming the first field in error.
/// </summary>
internal static class KpiPayloadReader
{
    private const double BucketToleranceSeconds = 0.001;
    private const int MaxAuxSignals = 8;

    public static KpiRecord Read(JsonElement root, TopicAddress topic, PayloadClock clock)
    {
        var f = JsonFields.Of(root, "");
        f.Version();
        var site = f.Id(KpiPayload.Site);
        var cell = f.Id(KpiPayload.Cell);
        var gateway = f.Id(KpiPayload.Gateway);
        Agree("site", topic.Site, site);
        Agree("cell", topic.Cell!, cell);
        var seq = f.Integer(KpiPayload.Seq, 0, long.MaxValue);

        var w = f.Object(KpiPayload.Window);
        var kind = w.OneOf(KpiPayload.Kind, WindowKinds.Names);
        if (kind != topic.Window)
        {
            throw Mismatch($"topic window '{topic.Window}' differs from payload window.kind '{kind}'");
        }

        var start = w.Timestamp(KpiPayload.Start, clock);
        var end = w.Timestamp(KpiPayload.End, clock);
        w.End();
        if (end <= start)
        {
            throw Range($"window.end {TraceTimestamp.Format(end)} is not after window.start {TraceTimestamp.Format(start)}");
        }

        var lengthMs = end - start;
        var longest = kind switch { "1m" => 60_000L, "shift" or "day" => 25 * 3_600_000L, _ => 10 * 366 * 86_400_000L };
        if (lengthMs > longest)
        {
            throw Range($"window is {Seconds(lengthMs)} s long, longer than a '{kind}' window can be ({Seconds(longest)} s)");
        }

        var length = lengthMs / 1000.0;
        var values = new double?[KpiFields.All.Count];
        List<AuxStatistics> aux = [];
        var clockSynced = false;
        foreach (var (name, fields) in KpiFields.Objects)
        {
            if (name == KpiPayload.DataQuality)
            {
                aux = f.Optional(KpiPayload.Aux) is { } auxElement ? ReadAux(auxElement) : [];
            }

            var o = name.Length == 0 ? f : f.Object(name);
            foreach (var field in fields)
            {
                values[field.Index] = ReadField(o, field, length);
            }

            if (name == KpiPayload.DataQuality)
            {
                clockSynced = o.Boolean(KpiPayload.ClockSynced);
            }

            if (name.Length > 0)
            {
                o.End();
            }
        }

        CheckBuckets(values, length);
        CheckCounts(values);
        var definitions = f.String(KpiPayload.Definitions, IsDefinitions, "a definitions version (1-64 of A-Z a-z 0-9 . _ / -)");
        f.End();

        return new KpiRecord
        {
            Site = site, Cell = cell, Gateway = gateway, Seq = seq, Window = kind, StartMs = start, EndMs = end, Values = values,
            Aux = aux, ClockSynced = clockSynced, Definitions = definitions,
        };
    }

    private static double? ReadField(JsonFields o, KpiField field, double windowSeconds)
    {
        var max = field.WithinWindow ? windowSeconds : field.Max;
        var tolerance = field.WithinWindow ? BucketToleranceSeconds : 0;
        return field.Type switch
        {
            KpiFieldType.WholeNumber => o.Integer(field.Name, (long)field.Min, (long)max),
            KpiFieldType.Number => o.Number(field.Name, field.Min, max, tolerance, field.MinExclusive),
            KpiFieldType.NullableNumber => o.NullableNumber(field.Name, field.Min, max),
            _ => o.IndexOf(field.Name, field.Choices),
        };
    }

    /// <summary>The buckets share the window out: they add up to its length within 1 ms.</summary>
    private static void CheckBuckets(double?[] values, double length)
    {
        var sum = 0.0;
        foreach (var bucket in KpiFields.Buckets)
        {
            sum += values[bucket.Index]!.Value;
        }

        if (Math.Abs(sum - length) > BucketToleranceSeconds + (1e-12 * length))
        {
            throw Range($"buckets add up to {Format(Math.Round(sum, 3))} s, not the window's {Format(length)} s (more than 1 ms apart)");
        }
    }

    /// <summary>Good is produced − scrap; unattended good parts are among them.</summary>
    private static void CheckCounts(double?[] values)
    {
        var produced = (long)values[KpiFields.Produced.Index]!.Value;
        var good = (long)values[KpiFields.Good.Index]!.Value;
        var scrap = (long)values[KpiFields.Scrap.Index]!.Value;
        var unattendedGood = (long)values[KpiFields.UnattendedGood.Index]!.Value;
        if (good != produced - scrap)
        {
            throw Range($"counts.good: {good} is not produced - scrap ({produced} - {scrap} = {produced - scrap})");
        }

        if (unattendedGood < -scrap || unattendedGood > produced)
        {
            throw Range($"counts.unattended_good: {unattendedGood} is out of range [{-scrap}, {produced}]");
        }
    }

    private static List<AuxStatistics> ReadAux(JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw Schema($"aux: expected an object, got {Describe(element)}");
        }

        var aux = new List<AuxStatistics>();
        foreach (var property in element.EnumerateObject())
        {
            if (aux.Count == MaxAuxSignals)
            {
                throw Range($"aux: more than {MaxAuxSignals} signals");
            }

            var path = $"aux.{InputText.Quote(property.Name, 64)}";
            if (!Ids.IsValid(property.Name))
            {
                throw Schema($"{path}: the signal name is not an id ({Ids.Rule})");
            }

            if (aux.Exists(a => a.Signal == property.Name))
            {
                throw Schema($"{path}: appears more than once");
            }

            var s = JsonFields.Of(property.Value, path);
            var samples = s.Integer(KpiPayload.Samples, 0, (long)Large);
            var min = s.NullableNumber(KpiPayload.Min, -Large, Large);
            var mean = s.NullableNumber(KpiPayload.Mean, -Large, Large);
            var max = s.NullableNumber(KpiPayload.Max, -Large, Large);
            s.End();
            if (samples == 0)
            {
                if (min is not null || mean is not null || max is not null)
                {
                    throw Range($"{path}: samples is 0 but min, mean and max are not all null");
                }
            }
            else
            {
                if (min is not { } lo || mean is not { } mid || max is not { } hi)
                {
                    throw Range($"{path}: min, mean and max must be numbers when samples is {samples}");
                }

                var slack = 1e-9 * Math.Max(1, Math.Max(Math.Abs(lo), Math.Abs(hi)));
                if (mid < lo - slack || mid > hi + slack)
                {
                    throw Range($"{path}: min {Format(lo)}, mean {Format(mid)} and max {Format(hi)} are not in order");
                }
            }

            aux.Add(new AuxStatistics(property.Name, samples, min, mean, max));
        }

        return aux;
    }

    private static bool IsDefinitions(string text) => text.Length is > 0 and <= 64 && text.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '/' or '-');

    private static string Seconds(long ms) => Format(ms / 1000.0);
}
