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
/// required and unknown fields (the <see cref="KpiField.Optional"/> ones may be left out), types and ranges, the window
/// fitting its kind, buckets adding up to it within 1 ms, counts agreeing, Aux statistics in order, the seconds per
/// reason within the window and the counts per article within the record's. Throws <see cref="InvalidPayloadException"/>
/// naming the first field in error.
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
        // Empty without allocating: most records (of cells without reasons or articles) have none.
        IReadOnlyList<ReasonTime> reasons = [];
        IReadOnlyList<ArticleParts> articles = [];
        var clockSynced = false;
        foreach (var (name, fields) in KpiFields.Objects)
        {
            if (name == KpiPayload.DataQuality)
            {
                aux = f.Optional(KpiPayload.Aux) is { } auxElement ? ReadAux(auxElement) : [];
                reasons = f.Optional(KpiPayload.Reasons) is { } reasonsElement ? ReadReasons(reasonsElement, length) : [];
                articles = f.Optional(KpiPayload.Articles) is { } articlesElement ? ReadArticles(articlesElement, values) : [];
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
            Aux = aux, Reasons = reasons, Articles = articles, ClockSynced = clockSynced, Definitions = definitions,
        };
    }

    private static double? ReadField(JsonFields o, KpiField field, double windowSeconds)
    {
        if (field.Optional && !o.Has(field.Name))
        {
            // A gateway older than the field: stored without it.
            return null;
        }

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

    /// <summary>
    /// Reason code → seconds of stop time booked to it: each within the window, together too (a second of stop time has
    /// one reason at most), at most <see cref="StopReasons.MaxCodes"/> codes.
    /// </summary>
    private static List<ReasonTime> ReadReasons(JsonElement element, double windowSeconds)
    {
        var r = JsonFields.Of(element, KpiPayload.Reasons);
        var reasons = new List<ReasonTime>();
        var sum = 0.0;
        foreach (var property in element.EnumerateObject())
        {
            CheckKey(KpiPayload.Reasons, property.Name, reasons.Count, StopReasons.MaxCodes, "reason code", reasons.Exists(x => x.Code == property.Name));
            var seconds = r.Number(property.Name, 0, windowSeconds, BucketToleranceSeconds);
            sum += seconds;
            reasons.Add(new ReasonTime(property.Name, seconds));
        }

        r.End();
        if (sum > windowSeconds + BucketToleranceSeconds + (1e-12 * windowSeconds))
        {
            throw Range($"{KpiPayload.Reasons}: add up to {Format(Math.Round(sum, 3))} s, more than the window's {Format(windowSeconds)} s");
        }

        return reasons;
    }

    /// <summary>
    /// Article id → produced, scrap, good (= produced − scrap), at most <see cref="ArticleConfig.MaxPerCell"/> articles;
    /// together no more than the record's counts (parts made while no article was set are in those alone).
    /// </summary>
    private static List<ArticleParts> ReadArticles(JsonElement element, double?[] values)
    {
        var a = JsonFields.Of(element, KpiPayload.Articles);
        var articles = new List<ArticleParts>();
        long produced = 0, scrap = 0;
        foreach (var property in element.EnumerateObject())
        {
            CheckKey(KpiPayload.Articles, property.Name, articles.Count, ArticleConfig.MaxPerCell, "article id", articles.Exists(x => x.Article == property.Name));
            var parts = a.Object(property.Name);
            var made = parts.Integer(KpiPayload.Produced, 0, (long)Large);
            var scrapped = parts.Integer(KpiPayload.Scrap, 0, (long)Large);
            var good = parts.Integer(KpiPayload.Good, -(long)Large, (long)Large);
            parts.End();
            if (good != made - scrapped)
            {
                throw Range($"{PathOf(KpiPayload.Articles, property.Name)}.{KpiPayload.Good}: {good} is not produced - scrap ({made} - {scrapped} = {made - scrapped})");
            }

            produced += made;
            scrap += scrapped;
            articles.Add(new ArticleParts(property.Name, made, scrapped, good));
        }

        a.End();
        CheckArticleSum(KpiFields.Produced, produced, values);
        CheckArticleSum(KpiFields.Scrap, scrap, values);
        return articles;
    }

    /// <summary>A key of <c>reasons</c> or <c>articles</c>: an id, not repeated, no more than the configuration can hold.</summary>
    private static void CheckKey(string objectName, string key, int count, int most, string what, bool repeated)
    {
        if (count == most)
        {
            throw Range($"{objectName}: more than {most} {what}s");
        }

        if (!Ids.IsValid(key))
        {
            throw Schema($"{PathOf(objectName, key)}: the {what} is not an id ({Ids.Rule})");
        }

        if (repeated)
        {
            throw Schema($"{PathOf(objectName, key)}: appears more than once");
        }
    }

    // Made only for a reason: a valid record's keys need none.
    private static string PathOf(string objectName, string key) => $"{objectName}.{InputText.Quote(key, 64)}";

    private static void CheckArticleSum(KpiField count, long articlesSum, double?[] values)
    {
        var total = (long)values[count.Index]!.Value;
        if (articlesSum > total)
        {
            throw Range($"{KpiPayload.Articles}: {count.Name} adds up to {articlesSum}, more than {count.Path} {total}");
        }
    }

    private static bool IsDefinitions(string text) => text.Length is > 0 and <= 64 && text.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '/' or '-');

    private static string Seconds(long ms) => Format(ms / 1000.0);
}
