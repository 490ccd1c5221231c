using EdgeGateway.Core.Payload;
using System.Text;
using System.Text.Json.Nodes;
using CsCheck;
using EdgeGateway.Ingest.Validation;
using static EdgeGateway.Ingest.Tests.Fixtures.Payloads;

namespace EdgeGateway.Ingest.Tests.Validation;

/// <summary>Every class of invalid message is rejected with the exact reason; valid ones (the agent's own output) pass.</summary>
public sealed class MessageValidatorTests
{
    private const long ArrivalMs = 1_774_900_000_000;

    private static readonly MessageValidator s_validator = new(Prefix, MaxBytes);

    [Fact]
    public void GoldenKpi_AfterTheFirst_AllocatesUnder1500BytesPerMessage()
    {
        var payload = Bytes(Kpi);
        var validator = new MessageValidator(Prefix, MaxBytes);
        Assert.NotNull(validator.Validate(KpiTopic, payload, payload.Length, ArrivalMs).Record);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++)
        {
            Assert.NotNull(validator.Validate(KpiTopic, payload, payload.Length, ArrivalMs).Record);
        }

        // The record, its strings and arrays, and the JsonDocument: 1.1 KB. Copying each JSON object's properties into a
        // dictionary made it 6.5 KB, and a new dictionary and list per object 12.9 KB (src/docs/ingest.md).
        var perMessage = (GC.GetAllocatedBytesForCurrentThread() - before) / 100;
        Assert.True(perMessage < 1_500, $"{perMessage} B per message");
    }

    [Fact]
    public void GoldenKpi_IsAccepted_WithEveryValue()
    {
        var record = Assert.IsType<KpiRecord>(Accept(KpiTopic, Kpi));

        Assert.Equal(("sme-0042", "cell-1", "gw-1", 4711L, "shift"), (record.Site, record.Cell, record.Gateway, record.Seq, record.Window));
        Assert.Equal(new DateTimeOffset(2026, 3, 30, 6, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds(), record.StartMs);
        Assert.Equal(8 * 3_600_000L, record.EndMs - record.StartMs);
        Assert.Equal(
            [
                22380, 0, 2820, 0, 3600, 0, 0, // buckets
                19271, 18848, 423, 0, 1, // counts
                0.888, 0.861, 0.978, 0.748, 0.748, 0.888, 0, 0.654, 0.022, 22380, 2820, 3099.9, // kpi
                12.5, null, null, // energy
                0, 0.0, 0, 120.0, // minor stops, policy Iso22400
                1.0, 19271, 0, // ideal cycle, ideal seconds, unassigned stops
                1.0, 0, // data quality
            ],
            record.Values);
        Assert.Equal((true, "iso22400-2/1"), (record.ClockSynced, record.Definitions));
        Assert.Empty(record.Aux);
    }

    [Fact]
    public void AgentEncoderOutput_ForTheSampleTrace_IsAllAccepted()
    {
        var messages = SampleRecords();

        Assert.True(messages.Count > 2800, $"only {messages.Count} records");
        foreach (var (topic, payload) in messages)
        {
            var result = s_validator.Validate(topic, payload, payload.Length, ArrivalMs);
            Assert.True(result.Record is not null, $"{topic}: {result.Rejection.Reason}");
        }
    }

    [Fact]
    public void AgentEncoderOutput_WithAuxSignals_IsAccepted_WithTheirStatistics()
    {
        var (topic, payload) = AuxRecords()[0];

        var record = Assert.IsType<KpiRecord>(s_validator.Validate(topic, payload, payload.Length, ArrivalMs).Record);

        Assert.Equal([new AuxStatistics("temp", 2, 21.5, 22.5, 23.5), new AuxStatistics("vib.rms", 0, null, null, null)], record.Aux);
    }

    [Fact]
    public void State_And_Status_AreAccepted_OfflineAtArrivalTime()
    {
        var state = Assert.IsType<StateRecord>(Accept(StateTopic, State));
        var online = Assert.IsType<StatusRecord>(Accept(StatusTopic, StatusOnline));
        var offline = Assert.IsType<StatusRecord>(Accept(StatusTopic, StatusOffline));

        Assert.Equal(("cell-1", "gw-1", 12L, "run", "2026-03-30T06:01:02.345Z"), (state.Cell, state.Gateway, state.Seq, state.State, Time(state.AtMs)));
        Assert.Equal(("online", "2026-03-30T05:59:00.000Z", "0.1.0", 3L, 0L, 1L, (bool?)true),
            (online.Status, Time(online.AtMs), online.Software, online.OutboxDepth, online.OutboxDropped, online.OutboxCorrupt, online.ClockSynced));
        Assert.Equal(("offline", ArrivalMs, (string?)null), (offline.Status, offline.AtMs, offline.Software));
    }

    [Fact]
    public void OwnDeadLetters_AreIgnored_NotRejected()
    {
        var result = s_validator.Validate("edgegw/v1/_deadletter/range", Bytes("{}"), 2, ArrivalMs);

        Assert.True(result.Ignored);
        Assert.False(result.IsRejected);
    }

    [Theory]
    [InlineData("edgegw/v1/sme-0042/command/gw-1", "{\"command\":\"reason\",\"cell\":\"cell-1\",\"code\":\"waiting_material\"}")]
    [InlineData("edgegw/v1/sme-0042/reply/gw-1", "{\"id\":null,\"ok\":true,\"outcome\":\"done\",\"message\":\"done\"}")]
    [InlineData("edgegw/v1/sme-0042/command/gw-1", "not json at all")]
    public void CommandsAndReplies_AreIgnored_NotDeadLettered(string topic, string payload)
    {
        var result = s_validator.Validate(topic, Bytes(payload), payload.Length, ArrivalMs);

        Assert.True(result.Ignored);
        Assert.False(result.IsRejected);
    }

    [Fact]
    public void DoctorsPublishProbe_OnAStatusTopic_IsIgnored_ElsewhereOrAlteredRejected()
    {
        var probe = Bytes(StatusPayload.Probe);
        var altered = Bytes(StatusPayload.Probe.Replace("doctor", "Doctor", StringComparison.Ordinal));

        Assert.True(s_validator.Validate(StatusTopic, probe, probe.Length, ArrivalMs).Ignored);
        Assert.True(s_validator.Validate(StatusTopic, altered, altered.Length, ArrivalMs).IsRejected);
        Assert.True(s_validator.Validate(KpiTopic, probe, probe.Length, ArrivalMs).IsRejected);
    }

    [Theory]
    [InlineData("kpi", "availability", "\"0.9\"", "kpi.availability: expected a number or null, got the string \"0.9\"")]
    [InlineData("counts", "produced", "1.5", "counts.produced: expected an integer, got the number 1.5")]
    [InlineData("counts", "produced", "1e3", "counts.produced: expected an integer, got the number 1e3")]
    [InlineData("", "site", "42", "site: expected an id string, got the number 42")]
    [InlineData("", "window", "[]", "window: expected an object, got an array")]
    [InlineData("data_quality", "clock_synced", "\"true\"", "data_quality.clock_synced: expected true or false, got the string \"true\"")]
    [InlineData("energy", "kwh", "null", "energy.kwh: expected a number, got null")]
    [InlineData("window", "start", "1774850400000", "window.start: expected a timestamp string, got the number 1774850400000")]
    [InlineData("minor_stops", "policy", "{}", "minor_stops.policy: expected a string, got an object")]
    public void WrongType_IsRejected_NamingFieldAndValue(string objectPath, string field, string value, string reason) =>
        AssertRejected(Set(objectPath, field, value), RejectionKind.Schema, reason);

    [Theory]
    [InlineData("\"NaN\"", "kpi.oee: expected a number or null, got the string \"NaN\"")]
    [InlineData("\"Infinity\"", "kpi.oee: expected a number or null, got the string \"Infinity\"")]
    [InlineData("\"-Infinity\"", "kpi.oee: expected a number or null, got the string \"-Infinity\"")]
    public void NaNOrInfinity_AsStrings_AreRejected(string value, string reason) =>
        AssertRejected(Set("kpi", "oee", value), RejectionKind.Schema, reason);

    [Theory]
    [InlineData("energy", "kwh", "1e400", "energy.kwh: 1e400 is not a finite number")]
    [InlineData("kpi", "throughput_per_h", "1e300", "kpi.throughput_per_h: 1e300 is out of range [0, 1e12]")]
    [InlineData("kpi", "teep", "-1e300", "kpi.teep: -1e300 is out of range [-1e12, 1e12]")]
    [InlineData("counts", "failures", "99999999999999999999", "counts.failures: 99999999999999999999 is out of range [0, 1e12]")]
    [InlineData("counts", "failures", "1000000000001", "counts.failures: 1000000000001 is out of range [0, 1e12]")]
    [InlineData("", "seq", "-1", "seq: -1 is out of range [0, 9223372036854775807]")]
    [InlineData("", "ideal_cycle_s", "0", "ideal_cycle_s: 0 is out of range (0, 1e12]")]
    public void HugeOrImpossibleNumbers_AreRejected(string objectPath, string field, string value, string reason) =>
        AssertRejected(Set(objectPath, field, value), RejectionKind.Range, reason);

    [Fact]
    public void NaNToken_IsNotJson()
    {
        var result = Reject(KpiTopic, Kpi.Replace("\"oee\": 0.748", "\"oee\": NaN", StringComparison.Ordinal));

        Assert.Equal(RejectionKind.Json, result.Kind);
        Assert.StartsWith("payload is not valid JSON: 'N' is an invalid start of a value.", result.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "gateway", "gateway: required field is missing")]
    [InlineData("window", "start", "window.start: required field is missing")]
    [InlineData("data_quality", "clock_synced", "data_quality.clock_synced: required field is missing")]
    [InlineData("kpi", "mttr_s", "kpi.mttr_s: required field is missing")]
    public void MissingField_IsRejected(string objectPath, string field, string reason) =>
        AssertRejected(Mutate(Kpi, root => At(root, objectPath).Remove(field)), RejectionKind.Schema, reason);

    [Theory]
    [InlineData("", "extra", "extra: unknown field")]
    [InlineData("kpi", "oee_percent", "kpi.oee_percent: unknown field")]
    public void UnknownField_IsRejected(string objectPath, string field, string reason) =>
        AssertRejected(Mutate(Kpi, root => At(root, objectPath)[field] = 1), RejectionKind.Schema, reason);

    [Fact]
    public void RepeatedField_IsRejected() =>
        AssertRejected(Kpi.Replace("\"cell\": \"cell-1\",", "\"cell\": \"cell-1\", \"cell\": \"cell-1\",", StringComparison.Ordinal), RejectionKind.Schema, "cell: appears more than once");

    [Theory]
    [InlineData("2026-03-30T06:00:00.000Z", "window.end 2026-03-30T06:00:00.000Z is not after window.start 2026-03-30T06:00:00.000Z")]
    [InlineData("2026-03-30T05:59:59.999Z", "window.end 2026-03-30T05:59:59.999Z is not after window.start 2026-03-30T06:00:00.000Z")]
    public void WindowEnd_NotAfterStart_IsRejected(string end, string reason) =>
        AssertRejected(Set("window", "end", $"\"{end}\""), RejectionKind.Range, reason);

    [Fact]
    public void Window_LongerThanItsKind_IsRejected()
    {
        var json = Mutate(Kpi, root => root["window"]!["kind"] = "1m");

        AssertRejected("edgegw/v1/sme-0042/cell-1/kpi/1m", json, RejectionKind.Range, "window is 28800 s long, longer than a '1m' window can be (60 s)");
    }

    [Theory]
    [InlineData("\"2026-03-30 06:00:00\"")]
    [InlineData("\"2026-03-30T06:00:00+01:00\"")]
    [InlineData("\"2026-02-30T06:00:00.000Z\"")]
    public void Timestamp_NotInTheContractFormat_IsRejected(string start) =>
        AssertRejected(Set("window", "start", start), RejectionKind.Range, $"window.start: {start} is not a UTC timestamp like 2026-03-30T06:00:00.000Z");

    [Theory]
    [InlineData("9999-12-30T00:00:00.000Z", "window.start 9999-12-30T00:00:00.000Z is 7973 years in the future (tolerance 5 min, Ingest:MaxFutureSkew)")]
    [InlineData("1677-09-21T00:12:43.145Z", "window.start 1677-09-21T00:12:43.145Z is before the earliest accepted time 2020-01-01T00:00:00.000Z (Ingest:EarliestTime)")]
    [InlineData("0001-01-01T00:00:00.000Z", "window.start 0001-01-01T00:00:00.000Z is before the earliest accepted time 2020-01-01T00:00:00.000Z (Ingest:EarliestTime)")]
    public void Timestamp_WellFormedButOutOfRange_IsATimeRejection_NotAFormOne(string start, string reason) =>
        AssertRejected(Set("window", "start", $"\"{start}\""), RejectionKind.Time, reason);

    [Theory]
    [InlineData("window", "start", "2099-01-01T00:00:00.000Z", "window.start 2099-01-01T00:00:00.000Z is 72 years in the future (tolerance 5 min, Ingest:MaxFutureSkew)")]
    [InlineData("window", "start", "1970-01-01T00:00:00.000Z", "window.start 1970-01-01T00:00:00.000Z is before the earliest accepted time 2020-01-01T00:00:00.000Z (Ingest:EarliestTime)")]
    [InlineData("window", "start", "2019-12-31T23:59:59.999Z", "window.start 2019-12-31T23:59:59.999Z is before the earliest accepted time 2020-01-01T00:00:00.000Z (Ingest:EarliestTime)")]
    [InlineData("window", "end", "2026-03-30T19:51:40.001Z", "window.end 2026-03-30T19:51:40.001Z is 5 min 0.001 s in the future (tolerance 5 min, Ingest:MaxFutureSkew)")]
    [InlineData("window", "end", "2026-03-31T03:46:40.000Z", "window.end 2026-03-31T03:46:40.000Z is 8 h in the future (tolerance 5 min, Ingest:MaxFutureSkew)")]
    public void KpiWindow_InTheFutureBeyondTheTolerance_OrBeforeTheEarliestTime_IsDeadLetteredAsTime(string objectPath, string field, string time, string reason)
    {
        var json = Mutate(Kpi, root =>
        {
            // The window kept at 8 h, so that only its time is wrong.
            var window = At(root, objectPath);
            var ms = DateTimeOffset.Parse(time, System.Globalization.CultureInfo.InvariantCulture).ToUnixTimeMilliseconds();
            window["start"] = Time(field == "start" ? ms : ms - (8 * 3_600_000));
            window["end"] = Time(field == "end" ? ms : ms + (8 * 3_600_000));
        });

        AssertRejected(json, RejectionKind.Time, reason);
    }

    [Fact]
    public void KpiWindow_EndingExactlyAtTheTolerance_IsAccepted()
    {
        // ArrivalMs is 2026-03-30T19:46:40.000Z; the tolerance 5 min.
        var json = Mutate(Kpi, root =>
        {
            root["window"]!["start"] = "2026-03-30T11:51:40.000Z";
            root["window"]!["end"] = "2026-03-30T19:51:40.000Z";
        });

        Assert.IsType<KpiRecord>(Accept(KpiTopic, json));
    }

    [Fact]
    public void StateAndBirth_InTheFuture_AreDeadLetteredAsTime()
    {
        var state = Mutate(State, root => root["at"] = "2026-03-30T20:00:00.000Z");
        var birth = Mutate(StatusOnline, root => root["at"] = "2099-01-01T00:00:00.000Z");

        AssertRejected(StateTopic, state, RejectionKind.Time, "at 2026-03-30T20:00:00.000Z is 13 min 20 s in the future (tolerance 5 min, Ingest:MaxFutureSkew)");
        AssertRejected(StatusTopic, birth, RejectionKind.Time, "at 2099-01-01T00:00:00.000Z is 72 years in the future (tolerance 5 min, Ingest:MaxFutureSkew)");
    }

    [Fact]
    public void OfflineStatus_IsTimedAtArrival_WhateverTheLimits()
    {
        var validator = new MessageValidator(Prefix, MaxBytes, new PlausibleTime(TimeSpan.Zero, DateTimeOffset.FromUnixTimeMilliseconds(ArrivalMs)));
        var payload = Bytes(StatusOffline);

        var record = Assert.IsType<StatusRecord>(validator.Validate(StatusTopic, payload, payload.Length, ArrivalMs).Record);

        Assert.Equal(ArrivalMs, record.AtMs);
    }

    [Fact]
    public void ConfiguredLimits_AreTheOnesApplied_AndNamedInTheReason()
    {
        var validator = new MessageValidator(Prefix, MaxBytes, new PlausibleTime(TimeSpan.FromSeconds(30), new DateTimeOffset(2026, 3, 30, 6, 30, 0, TimeSpan.Zero)));
        var state = Bytes(State);
        var later = Bytes(Mutate(State, root => root["at"] = "2026-03-30T19:47:10.001Z"));

        Assert.Equal(
            new Rejection(RejectionKind.Time, "at 2026-03-30T06:01:02.345Z is before the earliest accepted time 2026-03-30T06:30:00.000Z (Ingest:EarliestTime)"),
            validator.Validate(StateTopic, state, state.Length, ArrivalMs).Rejection);
        Assert.Equal(
            new Rejection(RejectionKind.Time, "at 2026-03-30T19:47:10.001Z is 30.001 s in the future (tolerance 30 s, Ingest:MaxFutureSkew)"),
            validator.Validate(StateTopic, later, later.Length, ArrivalMs).Rejection);
    }

    [Theory]
    [InlineData(0, "0 s")]
    [InlineData(1, "0.001 s")]
    [InlineData(59_999, "59.999 s")]
    [InlineData(60_000, "1 min")]
    [InlineData(300_000, "5 min")]
    [InlineData(300_001, "5 min 0.001 s")]
    [InlineData(7_199_999, "119 min 59.999 s")]
    [InlineData(7_200_000, "2 h")]
    [InlineData(172_799_999, "47 h")]
    [InlineData(172_800_000, "2 days")]
    [InlineData(63_113_903_999, "730 days")]
    [InlineData(63_113_904_000, "2 years")]
    public void Durations_InReasons_AreExactBelowTwoHours_WholeUnitsAbove(long ms, string text) =>
        Assert.Equal(text, PlausibleTime.Duration(ms));

    [Fact]
    public void TimeRejections_GoToTheirOwnDeadLetterKind() =>
        Assert.Equal(("time", 10), (RejectionKind.Time.Name(), RejectionKinds.Count));

    [Theory]
    [InlineData("cell\u202egnp.exe", "cell: \"cell\\u202egnp.exe\" is not an id (1-64 of A-Z a-z 0-9 . _ -)")]
    [InlineData("a\u2028b\u200bc\u0000d\u0085", "cell: \"a\\u2028b\\u200bc\\u0000d\\u0085\" is not an id (1-64 of A-Z a-z 0-9 . _ -)")]
    [InlineData("\ud83d\ude00 ok", "cell: \"\ud83d\ude00 ok\" is not an id (1-64 of A-Z a-z 0-9 . _ -)")]
    [InlineData("\udb40\udc41", "cell: \"\\udb40\\udc41\" is not an id (1-64 of A-Z a-z 0-9 . _ -)")]
    public void QuotedInput_ShowsInvisibleAndReorderingCharactersEscaped(string cell, string reason) =>
        AssertRejected(StateTopic, Mutate(State, root => root["cell"] = cell), RejectionKind.Range, reason);

    [Theory]
    [InlineData("x\\ud800y")]
    [InlineData("x\\ude00")]
    [InlineData("x\\ud83d\\u0041")]
    [InlineData("\\\\\\ud83dx")]
    public void LoneSurrogateEscape_IsRejectedAsJson_NotAValidatorCrash(string cell)
    {
        // Reading such a string threw InvalidOperationException out of the validator.
        var json = State.Replace("\"cell\": \"cell-1\"", $"\"cell\": \"{cell}\"", StringComparison.Ordinal);
        var at = json.LastIndexOf("\\ud", StringComparison.Ordinal);

        AssertRejected(StateTopic, json, RejectionKind.Json, $"payload is not valid JSON: the escape {json.Substring(at, 6)} at offset {at} is half a surrogate pair, not a character");
    }

    [Fact]
    public void StringEscapes_AreRejectedAsJson_ExactlyWhenNoTextHoldsThem()
    {
        string[] pieces = ["\\ud83d", "\\ude00", "\\u0041", "\\\\", "\\n", "a"];

        Gen.Int[0, pieces.Length - 1].Array[0, 6].Sample(picks =>
        {
            var json = State.Replace("\"cell\": \"cell-1\"", $"\"cell\": \"{string.Concat(picks.Select(p => pieces[p]))}\"", StringComparison.Ordinal);
            bool readable;
            using (var document = System.Text.Json.JsonDocument.Parse(json))
            {
                try
                {
                    document.RootElement.GetProperty("cell").GetString();
                    readable = true;
                }
                catch (InvalidOperationException)
                {
                    readable = false;
                }
            }

            var payload = Bytes(json);
            var result = s_validator.Validate(StateTopic, payload, payload.Length, ArrivalMs);
            Assert.True(result.IsRejected, json);
            Assert.True(readable == (result.Rejection.Kind != RejectionKind.Json), $"{json}: {result.Rejection.Reason}");
        }, iter: 3000);
    }

    [Theory]
    [InlineData("\\ud83d\\ude00", "cell: \"\ud83d\ude00\" is not an id (1-64 of A-Z a-z 0-9 . _ -)")]
    [InlineData("\\\\ud800", "cell: \"\\\\ud800\" is not an id (1-64 of A-Z a-z 0-9 . _ -)")]
    public void SurrogatePairEscape_OrEscapedBackslash_IsReadAsText(string cell, string reason) =>
        AssertRejected(StateTopic, State.Replace("\"cell\": \"cell-1\"", $"\"cell\": \"{cell}\"", StringComparison.Ordinal), RejectionKind.Range, reason);

    [Fact]
    public void QuotedInput_ClippedAtTheLimit_NeverSplitsASurrogatePair()
    {
        var cell = new string('a', 63) + "\ud83d\ude00";

        var reason = Reject(StateTopic, Mutate(State, root => root["cell"] = cell)).Reason;

        Assert.Equal($"cell: \"{new string('a', 63)}…\" is not an id (1-64 of A-Z a-z 0-9 . _ -)", reason);
    }

    [Fact]
    public void Timestamp_WrittenWithJsonEscapes_IsReadAsItsText()
    {
        var json = Kpi.Replace("\"start\": \"2026-03-30T06:00:00.000Z\"", "\"start\": \"2026\\u002d03-30T06:00:00.000Z\"", StringComparison.Ordinal);
        Assert.Contains("\\u002d", json, StringComparison.Ordinal);

        var record = Assert.IsType<KpiRecord>(Accept(KpiTopic, json));

        Assert.Equal(new DateTimeOffset(2026, 3, 30, 6, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds(), record.StartMs);
    }

    [Theory]
    [InlineData("kpi", "availability", "1.7", "kpi.availability: 1.7 is out of range [0, 1]")]
    [InlineData("kpi", "technical_efficiency", "-0.1", "kpi.technical_efficiency: -0.1 is out of range [0, 1]")]
    [InlineData("kpi", "quality", "1.01", "kpi.quality: 1.01 is out of range [-1e12, 1]")]
    [InlineData("energy", "idle_energy_share", "2", "energy.idle_energy_share: 2 is out of range [0, 1]")]
    [InlineData("data_quality", "coverage", "-0.5", "data_quality.coverage: -0.5 is out of range [0, 1]")]
    public void RatioOutOfRange_IsRejected(string objectPath, string field, string value, string reason) =>
        AssertRejected(Set(objectPath, field, value), RejectionKind.Range, reason);

    [Theory]
    [InlineData("down", "-5", "buckets.down: -5 is out of range [0, 28800]")]
    [InlineData("run", "28801", "buckets.run: 28801 is out of range [0, 28800]")]
    public void Bucket_NegativeOrLongerThanTheWindow_IsRejected(string bucket, string value, string reason) =>
        AssertRejected(Set("buckets", bucket, value), RejectionKind.Range, reason);

    [Theory]
    [InlineData("22379", "buckets add up to 28799 s, not the window's 28800 s (more than 1 ms apart)")]
    [InlineData("22379.998", "buckets add up to 28799.998 s, not the window's 28800 s (more than 1 ms apart)")]
    [InlineData("22380.002", "buckets add up to 28800.002 s, not the window's 28800 s (more than 1 ms apart)")]
    public void Buckets_NotAddingUpToTheWindowWithin1ms_AreRejected(string run, string reason) =>
        AssertRejected(Set("buckets", "run", run), RejectionKind.Range, reason);

    [Theory]
    [InlineData("22379.9995")]
    [InlineData("22380.001")]
    public void Buckets_WithinOneMillisecond_AreAccepted(string run) =>
        Assert.IsType<KpiRecord>(Accept(KpiTopic, Set("buckets", "run", run)));

    [Fact]
    public void Good_NotProducedMinusScrap_IsRejected() =>
        AssertRejected(Set("counts", "good", "18000"), RejectionKind.Range, "counts.good: 18000 is not produced - scrap (19271 - 423 = 18848)");

    [Fact]
    public void NegativeGood_IsAccepted_WhenScrapExceedsPartsInAMinute()
    {
        var json = Mutate(Kpi, root =>
        {
            var counts = root["counts"]!.AsObject();
            (counts["produced"], counts["scrap"], counts["good"]) = (1, 3, -2);
            (root["kpi"]!["quality"], root["kpi"]!["scrap_ratio"], root["kpi"]!["oee"]) = (-2, 3, -1.5);
        });

        Assert.Equal(-2, Assert.IsType<KpiRecord>(Accept(KpiTopic, json))[KpiFields.Good]);
    }

    [Theory]
    [InlineData("edgegw/v1/sme-0042/cell-2/kpi/shift", "topic cell 'cell-2' differs from payload cell 'cell-1'")]
    [InlineData("edgegw/v1/sme-0043/cell-1/kpi/shift", "topic site 'sme-0043' differs from payload site 'sme-0042'")]
    [InlineData("edgegw/v1/sme-0042/cell-1/kpi/day", "topic window 'day' differs from payload window.kind 'shift'")]
    public void TopicIds_DifferingFromPayloadIds_AreRejected(string topic, string reason) =>
        AssertRejected(topic, Kpi, RejectionKind.Mismatch, reason);

    [Fact]
    public void StatusGateway_DifferingFromTopic_IsRejected() =>
        AssertRejected("edgegw/v1/sme-0042/status/gw-2", StatusOnline, RejectionKind.Mismatch, "topic gateway 'gw-2' differs from payload gateway 'gw-1'");

    [Theory]
    [InlineData("edgegw/v1/sme-0042/cell-1/kpi", "topic 'edgegw/v1/sme-0042/cell-1/kpi' is not a kpi, state, status, batch, command or reply topic under 'edgegw/v1'")]
    [InlineData("edgegw/v1/sme-0042/cell-1/kpi/5m", "topic window '5m' is not one of total, day, shift, 1m")]
    [InlineData("edgegw/v1/sme 42/cell-1/state", "topic site 'sme 42' is not an id (1-64 of A-Z a-z 0-9 . _ -)")]
    [InlineData("edgegw/v2/sme-0042/cell-1/state", "topic 'edgegw/v2/sme-0042/cell-1/state' is not under the prefix 'edgegw/v1'")]
    public void UnknownOrMalformedTopic_IsRejected(string topic, string reason) =>
        AssertRejected(topic, State, RejectionKind.Topic, reason);

    [Fact]
    public void Oversize_IsRejected_BeforeReadingIt()
    {
        var result = s_validator.Validate(KpiTopic, new byte[MaxBytes], 70_000, ArrivalMs);

        Assert.Equal(new Rejection(RejectionKind.Oversize, "payload is 70000 bytes, over the limit of 65536 bytes"), result.Rejection);
    }

    [Fact]
    public void NonUtf8_IsRejected_WithTheOffset()
    {
        var payload = Bytes("{\"site\":\"x\"}");
        payload[9] = 0xFF;

        var result = s_validator.Validate(StateTopic, payload, payload.Length, ArrivalMs);

        Assert.Equal(new Rejection(RejectionKind.Encoding, "payload is not UTF-8: invalid byte sequence at offset 9"), result.Rejection);
    }

    [Fact]
    public void RandomBytes_AreRejected()
    {
        var payload = new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A };

        Assert.Equal(new Rejection(RejectionKind.Encoding, "payload is not UTF-8: invalid byte sequence at offset 0"), s_validator.Validate(KpiTopic, payload, payload.Length, ArrivalMs).Rejection);
    }

    [Theory]
    [InlineData("", RejectionKind.Json, "payload is empty")]
    [InlineData("[1]", RejectionKind.Schema, "payload is not a JSON object, got an array")]
    [InlineData("{\"v\": 2}", RejectionKind.Range, "v: 2 is not a supported schema version (expected 1)")]
    public void NotAVersion1Object_IsRejected(string json, RejectionKind kind, string reason) =>
        AssertRejected(json, kind, reason);

    [Fact]
    public void TruncatedJson_IsRejected()
    {
        var result = Reject(KpiTopic, Kpi[..100]);

        Assert.Equal(RejectionKind.Json, result.Kind);
        Assert.StartsWith("payload is not valid JSON: ", result.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("state", "\"running\"", "state: \"running\" is not one of unknown, idle, run, down, setup")]
    [InlineData("at", "\"yesterday\"", "at: \"yesterday\" is not a UTC timestamp like 2026-03-30T06:00:00.000Z")]
    public void State_WithABadValue_IsRejected(string field, string value, string reason) =>
        AssertRejected(StateTopic, Mutate(State, root => root[field] = JsonNode.Parse(value)), RejectionKind.Range, reason);

    [Fact]
    public void OfflineStatus_WithFieldsOfABirth_IsRejected() =>
        AssertRejected(StatusTopic, Mutate(StatusOffline, root => root["at"] = "2026-03-30T05:59:00.000Z"), RejectionKind.Schema, "at: unknown field");

    [Fact]
    public void Status_WithABadFingerprint_IsRejected() =>
        AssertRejected(StatusTopic, Mutate(StatusOnline, root => root["config_sha256"] = "xyz"), RejectionKind.Range, "config_sha256: \"xyz\" is not a SHA-256 in lower-case hex (64 digits)");

    [Fact]
    public void Aux_WithMeanOutsideMinMax_IsRejected()
    {
        var (topic, payload) = AuxRecords()[0];
        var json = Mutate(Encoding.UTF8.GetString(payload), root => root["aux"]!["temp"]!["mean"] = 30);

        AssertRejected(topic, json, RejectionKind.Range, "aux.temp: min 21.5, mean 30 and max 23.5 are not in order");
    }

    [Fact]
    public void Aux_WithoutSamplesButValues_IsRejected()
    {
        var (topic, payload) = AuxRecords()[0];
        var json = Mutate(Encoding.UTF8.GetString(payload), root => root["aux"]!["vib.rms"]!["max"] = 1);

        AssertRejected(topic, json, RejectionKind.Range, "aux.vib.rms: samples is 0 but min, mean and max are not all null");
    }

    [Fact]
    public void KpiOfAnOlderGateway_WithoutIdealSecondsUnassignedStopsReasonsAndArticles_IsAccepted_ThoseValuesNull()
    {
        var record = Assert.IsType<KpiRecord>(Accept(KpiTopic, KpiOfAnOlderGateway));

        Assert.Equal(((double?)1.0, (double?)null, (double?)null), (record[KpiFields.IdealCycleSeconds], record[KpiFields.IdealSeconds], record[KpiFields.Find("unassigned_stops")!]));
        Assert.Empty(record.Reasons);
        Assert.Empty(record.Articles);
    }

    [Fact]
    public void KpiWithReasonsAndArticles_IsAccepted_WithEveryReasonAndArticle_InPayloadOrder()
    {
        var record = Assert.IsType<KpiRecord>(Accept(KpiTopic, KpiWithReasonsAndArticles));

        Assert.Equal(((double?)19271.5, (double?)1), (record[KpiFields.IdealSeconds], record[KpiFields.Find("unassigned_stops")!]));
        Assert.Equal([new ReasonTime("waiting_material", 1800.5), new ReasonTime("tool.change-2", 600)], record.Reasons);
        Assert.Equal([new ArticleParts("A-100", 12000, 400, 11600), new ArticleParts("B_200", 7000, 0, 7000)], record.Articles);
    }

    [Fact]
    public void AgentEncoderOutput_WithReasonsAndArticles_IsAccepted_WithThem()
    {
        var records = ContextRecords().Select(r => Assert.IsType<KpiRecord>(Accept(r.Topic, Encoding.UTF8.GetString(r.Payload)))).ToList();

        var total = Assert.Single(records, r => r.Window == "total");
        Assert.Contains(new ReasonTime("waiting_material", 90), total.Reasons);
        Assert.Equal([new ArticleParts("A-100", 2, 1, 1), new ArticleParts("B_200", 4, 0, 4)], total.Articles);
        Assert.Equal((double?)(2 * 10 + 2 * 15), total[KpiFields.IdealSeconds]);
        Assert.Contains(records, r => r.Window == "1m" && r.Reasons.Count > 0);
    }

    [Fact]
    public void EmptyReasonsAndArticles_AreAccepted_AsNone()
    {
        var json = Mutate(KpiWithReasonsAndArticles, root => (root["reasons"], root["articles"]) = (new JsonObject(), new JsonObject()));

        var record = Assert.IsType<KpiRecord>(Accept(KpiTopic, json));

        Assert.Equal(0, record.Reasons.Count + record.Articles.Count);
    }

    [Fact]
    public void ReasonSeconds_UpToTheWindowWithin1Ms_AreAccepted()
    {
        var json = Mutate(KpiWithReasonsAndArticles, root => root["reasons"] = new JsonObject { ["waiting_material"] = 28800.001 });

        Assert.IsType<KpiRecord>(Accept(KpiTopic, json));
    }

    [Theory]
    [InlineData("ideal_s", "-1", RejectionKind.Range, "ideal_s: -1 is out of range [0, 1e12]")]
    [InlineData("ideal_s", "null", RejectionKind.Schema, "ideal_s: expected a number, got null")]
    [InlineData("unassigned_stops", "-1", RejectionKind.Range, "unassigned_stops: -1 is out of range [0, 1e12]")]
    [InlineData("unassigned_stops", "1.5", RejectionKind.Schema, "unassigned_stops: expected an integer, got the number 1.5")]
    [InlineData("reasons", "[]", RejectionKind.Schema, "reasons: expected an object, got an array")]
    [InlineData("articles", "7", RejectionKind.Schema, "articles: expected an object, got the number 7")]
    public void OptionalFields_WhenPresent_AreValidatedLikeTheOthers(string field, string value, RejectionKind kind, string reason) =>
        AssertRejected(Mutate(KpiWithReasonsAndArticles, root => root[field] = JsonNode.Parse(value)), kind, reason);

    [Theory]
    [InlineData("waiting_material", "-1", RejectionKind.Range, "reasons.waiting_material: -1 is out of range [0, 28800]")]
    [InlineData("waiting_material", "28800.002", RejectionKind.Range, "reasons.waiting_material: 28800.002 is out of range [0, 28800]")]
    [InlineData("waiting_material", "\"1800\"", RejectionKind.Schema, "reasons.waiting_material: expected a number, got the string \"1800\"")]
    [InlineData("waiting_material", "null", RejectionKind.Schema, "reasons.waiting_material: expected a number, got null")]
    [InlineData("waiting material", "5", RejectionKind.Schema, "reasons.waiting material: the reason code is not an id (1-64 of A-Z a-z 0-9 . _ -)")]
    [InlineData("", "5", RejectionKind.Schema, "reasons.: the reason code is not an id (1-64 of A-Z a-z 0-9 . _ -)")]
    public void Reason_OutOfTheWindow_OrNotANumber_OrNotAnId_IsRejected(string code, string value, RejectionKind kind, string reason) =>
        AssertRejected(Mutate(KpiWithReasonsAndArticles, root => root["reasons"]![code] = JsonNode.Parse(value)), kind, reason);

    [Fact]
    public void Reasons_AddingUpToMoreThanTheWindow_AreRejected() =>
        AssertRejected(
            Mutate(KpiWithReasonsAndArticles, root => root["reasons"] = new JsonObject { ["waiting_material"] = 20000, ["tool.change-2"] = 8800.5 }),
            RejectionKind.Range, "reasons: add up to 28800.5 s, more than the window's 28800 s");

    [Fact]
    public void Reasons_ACodeLongerThan64_OrMoreCodesThanAConfigurationHolds_AreRejected()
    {
        var longCode = new string('r', 65);
        var many = new JsonObject();
        for (var i = 0; i <= 32; i++)
        {
            many[$"r{i}"] = 1;
        }

        AssertRejected(Mutate(KpiWithReasonsAndArticles, root => root["reasons"]![longCode] = 1), RejectionKind.Schema, $"reasons.{longCode[..64]}…: the reason code is not an id (1-64 of A-Z a-z 0-9 . _ -)");
        AssertRejected(Mutate(KpiWithReasonsAndArticles, root => root["reasons"] = many), RejectionKind.Range, "reasons: more than 16 reason codes");
    }

    [Theory]
    [InlineData("good", "11000", RejectionKind.Range, "articles.A-100.good: 11000 is not produced - scrap (12000 - 400 = 11600)")]
    [InlineData("produced", "-1", RejectionKind.Range, "articles.A-100.produced: -1 is out of range [0, 1e12]")]
    [InlineData("scrap", "-1", RejectionKind.Range, "articles.A-100.scrap: -1 is out of range [0, 1e12]")]
    [InlineData("produced", "1.5", RejectionKind.Schema, "articles.A-100.produced: expected an integer, got the number 1.5")]
    [InlineData("scrap", "\"400\"", RejectionKind.Schema, "articles.A-100.scrap: expected an integer, got the string \"400\"")]
    [InlineData("colour", "\"red\"", RejectionKind.Schema, "articles.A-100.colour: unknown field")]
    public void Article_WithABadCount_OrAnUnknownField_IsRejected(string field, string value, RejectionKind kind, string reason) =>
        AssertRejected(Mutate(KpiWithReasonsAndArticles, root => root["articles"]!["A-100"]![field] = JsonNode.Parse(value)), kind, reason);

    [Fact]
    public void Article_WithoutGood_OrNotAnObject_OrNotAnId_IsRejected()
    {
        AssertRejected(Mutate(KpiWithReasonsAndArticles, root => root["articles"]!["A-100"]!.AsObject().Remove("good")), RejectionKind.Schema, "articles.A-100.good: required field is missing");
        AssertRejected(Mutate(KpiWithReasonsAndArticles, root => root["articles"]!["A-100"] = 12000), RejectionKind.Schema, "articles.A-100: expected an object, got the number 12000");
        AssertRejected(
            Mutate(KpiWithReasonsAndArticles, root => root["articles"]!["A/100"] = new JsonObject { ["produced"] = 1, ["scrap"] = 0, ["good"] = 1 }),
            RejectionKind.Schema, "articles.A/100: the article id is not an id (1-64 of A-Z a-z 0-9 . _ -)");
    }

    [Fact]
    public void Articles_MakingMoreThanTheRecordCounts_AreRejected()
    {
        var moreProduced = Mutate(KpiWithReasonsAndArticles, root => root["articles"]!["B_200"] = new JsonObject { ["produced"] = 8000, ["scrap"] = 0, ["good"] = 8000 });
        var moreScrap = Mutate(KpiWithReasonsAndArticles, root => root["articles"]!["B_200"] = new JsonObject { ["produced"] = 7000, ["scrap"] = 24, ["good"] = 6976 });

        AssertRejected(moreProduced, RejectionKind.Range, "articles: produced adds up to 20000, more than counts.produced 19271");
        AssertRejected(moreScrap, RejectionKind.Range, "articles: scrap adds up to 424, more than counts.scrap 423");
    }

    private static string Set(string objectPath, string field, string value) =>
        Mutate(Kpi, root => At(root, objectPath)[field] = JsonNode.Parse(value));

    private static IngestRecord Accept(string topic, string json)
    {
        var payload = Bytes(json);
        var result = s_validator.Validate(topic, payload, payload.Length, ArrivalMs);
        return result.Record ?? throw new Xunit.Sdk.XunitException($"rejected: {result.Rejection.Reason}");
    }

    private static Rejection Reject(string topic, string json)
    {
        var payload = Bytes(json);
        var result = s_validator.Validate(topic, payload, payload.Length, ArrivalMs);
        Assert.True(result.IsRejected, "accepted");
        return result.Rejection;
    }

    private static void AssertRejected(string json, RejectionKind kind, string reason) => AssertRejected(KpiTopic, json, kind, reason);

    private static void AssertRejected(string topic, string json, RejectionKind kind, string reason) =>
        Assert.Equal(new Rejection(kind, reason), Reject(topic, json));
}
