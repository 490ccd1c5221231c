using System.Text;
using EdgeGateway.Agent.Control;
using EdgeGateway.Core.Configuration;
using EdgeGateway.Core.Kpi;
using EdgeGateway.Core.Signals;

namespace EdgeGateway.Agent.Tests.Control;

/// <summary>
/// Remote commands as the agent reads them (src/docs/payloads-and-topics.md, "Commands"): what each becomes, and the
/// exact error of each way to get one wrong. A command not understood never reaches the engine, so it changes nothing.
/// </summary>
public sealed class ControlCommandReaderTests
{
    // Two cells in Amsterdam (UTC+1 in winter); site-wide reason codes; press1 has two articles, lathe2 none.
    private const string Config = """
        {
          "EdgeGateway": {
            "Site": "sme-0042",
            "TimeZone": "Europe/Amsterdam",
            "StopReasons": { "Codes": { "waiting_material": { "Class": "Idle" }, "tool_change": { "Class": "Setup" } } },
            "Cells": [
              { "Id": "press1", "IdealCycleSeconds": 30, "Signals": { "run": { "Role": "StateRun" }, "cycle": { "Role": "CyclePulse" } },
                "Articles": { "A-100": { "IdealCycleSeconds": 30 }, "B-200": { "IdealCycleSeconds": 45, "PartsPerCycle": 2 } },
                "Shifts": [ { "Days": "Mon-Fri", "Start": "06:00", "End": "14:00" } ] },
              { "Id": "lathe2", "IdealCycleSeconds": 60, "Signals": { "run2": { "Role": "StateRun" }, "cycle2": { "Role": "CyclePulse" } },
                "Shifts": [ { "Days": "Mon-Fri", "Start": "06:00", "End": "14:00" } ] }
            ]
          }
        }
        """;

    private static readonly GatewayConfig s_config = ConfigReader.Read(Encoding.UTF8.GetBytes(Config), "control.json");
    private static readonly SignalMap s_signals = new(s_config);
    private static readonly ControlCommandReader s_reader = new(s_config);

    // Saturday 28 March 2026, 09:30 UTC = 10:30 in Amsterdam.
    private static readonly long s_now = DateTimeOffset.Parse("2026-03-28T09:30:00Z", System.Globalization.CultureInfo.InvariantCulture).ToUnixTimeMilliseconds();

    private static long Utc(string text) => DateTimeOffset.Parse(text, System.Globalization.CultureInfo.InvariantCulture).ToUnixTimeMilliseconds();

    private static ControlCommand Read(string json)
    {
        var command = s_reader.Read(Encoding.UTF8.GetBytes(json), s_now, out _, out var error);
        Assert.True(command is not null, error);
        return command;
    }

    private static (string? Id, string Error) Refuse(string json)
    {
        var command = s_reader.Read(Encoding.UTF8.GetBytes(json), s_now, out var id, out var error);
        Assert.Null(command);
        return (id, error!);
    }

    [Fact]
    public void A_reason_becomes_the_reason_signal_of_its_cell_and_code_at_the_time_given_or_when_applied()
    {
        var now = Read("""{"command":"reason","cell":"lathe2","code":"tool_change"}""");
        Assert.Equal(s_signals.ReasonSignal(1, 1), now.Signal);
        Assert.Null(now.AtMs);
        Assert.Equal(new SignalEvent(5000, s_signals.ReasonSignal(1, 1), 5000), now.ToEvent(5000));

        Assert.Equal(Utc("2026-03-28T08:10:00Z"), Read("""{"command":"reason","cell":"press1","code":"waiting_material","at":"2026-03-28T08:10:00Z"}""").AtMs);
        Assert.Equal(Utc("2026-03-28T08:10:00.250Z"), Read("""{"command":"reason","cell":"press1","code":"waiting_material","at":"2026-03-28T08:10:00.25Z"}""").AtMs);
        Assert.Equal(Utc("2026-03-28T07:10:00Z"), Read("""{"command":"reason","cell":"press1","code":"waiting_material","at":"2026-03-28T08:10"}""").AtMs);
        Assert.Equal(Utc("2026-03-28T07:10:00Z"), Read("""{"command":"reason","cell":"press1","code":"waiting_material","at":"08:10"}""").AtMs);
        Assert.Equal("reason waiting_material for cell press1 at 08:10", Read("""{"command":"reason","cell":"press1","code":"waiting_material","at":"08:10"}""").Text);
    }

    [Fact]
    public void An_article_becomes_the_article_signal_of_its_cell()
    {
        var command = Read("""{"id":"t-1","command":"article","cell":"press1","article":"B-200"}""");
        Assert.Equal(s_signals.ArticleSignal(0, 1), command.Signal);
        Assert.Equal(ContextKind.Article, s_signals.Context(command.Signal));
    }

    [Fact]
    public void A_closure_to_a_date_runs_through_that_day_as_in_the_config_and_an_extra_shift_takes_its_times_as_given()
    {
        var closure = Read("""{"command":"closure","from":"2026-12-24T12:00","to":"2026-12-26"}""");
        Assert.Equal((Utc("2026-12-24T11:00:00Z"), Utc("2026-12-26T23:00:00Z")), (closure.FromMs, closure.ToMs));
        Assert.Equal(new SignalEvent(s_now, s_signals.ClosureSignal, closure.FromMs, closure.ToMs), closure.ToEvent(s_now));

        var shift = Read("""{"command":"extra_shift","from":"2026-12-19T06:00","to":"2026-12-19T14:00:00Z"}""");
        Assert.Equal((s_signals.ExtraShiftSignal, Utc("2026-12-19T05:00:00Z"), Utc("2026-12-19T14:00:00Z")), (shift.Signal, shift.FromMs, shift.ToMs));

        var days = Read("""{"command":"extra_shift","from":"2026-12-19","to":"2026-12-20"}""");
        Assert.Equal(Utc("2026-12-19T23:00:00Z"), days.ToMs); // only a closure's "to" means the end of the day
    }

    [Theory]
    [InlineData("""{"command":"reason","cell":"press1","code":"nope"}""", "unknown reason code 'nope': the codes are waiting_material, tool_change")]
    [InlineData("""{"command":"reason","cell":"press9","code":"tool_change"}""", "unknown cell 'press9': this gateway's cells are press1, lathe2")]
    [InlineData("""{"command":"article","cell":"press1","article":"C-300"}""", "unknown article 'C-300' of cell 'press1': its articles are A-100, B-200")]
    [InlineData("""{"command":"article","cell":"lathe2","article":"A-100"}""", "unknown article 'A-100': cell 'lathe2' has no articles configured (Cells[].Articles)")]
    [InlineData("""{"command":"pause","cell":"press1"}""", "unknown command 'pause': expected reason, article, closure or extra_shift")]
    [InlineData("""{"cell":"press1"}""", "\"command\" is missing: one of reason, article, closure, extra_shift")]
    [InlineData("""{"command":"reason","cell":"press1"}""", "\"code\" is missing: a reason command needs it")]
    [InlineData("""{"command":"reason","code":"tool_change"}""", "\"cell\" is missing: a reason command needs it")]
    [InlineData("""{"command":"reason","cell":"press1","code":7}""", "\"code\" of reason must be a string, not a JSON number")]
    [InlineData("""{"command":"reason","cell":"press1","code":"tool_change","when":"08:10"}""", "unknown field \"when\" in a reason command: it takes \"cell\", \"code\", \"at\"")]
    [InlineData("""{"command":"reason","cell":"press1","code":"tool_change","at":"8 o'clock"}""", "\"at\": '8 o'clock' is not a UTC timestamp (2026-03-28T08:10:00Z), a site-local date (2026-12-24) or date and time (2026-12-24T12:00), or a time of today (08:10)")]
    [InlineData("""{"command":"closure","from":"2026-12-24","to":"12:00"}""", "\"to\": '12:00' is not a UTC timestamp (2026-03-28T08:10:00Z), a site-local date (2026-12-24) or date and time (2026-12-24T12:00)")]
    [InlineData("""{"command":"closure","from":"2026-12-27","to":"2026-12-26"}""", "\"to\" (2026-12-26) is not after \"from\" (2026-12-27)")]
    [InlineData("""{"command":"extra_shift","from":"2026-12-19T14:00","to":"2026-12-19T06:00"}""", "\"to\" (2026-12-19T06:00) is not after \"from\" (2026-12-19T14:00)")]
    [InlineData("""{"command":"extra_shift","from":"2026-12-19T06:00"}""", "\"to\" is missing: a extra_shift command needs it")]
    [InlineData("""["reason"]""", "the command is a JSON array, not an object such as {\"command\":\"reason\",\"cell\":\"press1\",\"code\":\"waiting_material\"}")]
    [InlineData("""{"id":{"a":1},"command":"reason"}""", "\"id\" must be a string or a number")]
    public void A_command_not_understood_gets_an_error_naming_what_is_wrong_and_what_is_right(string json, string error)
    {
        Assert.Equal(error, Refuse(json).Error);
    }

    [Fact]
    public void Not_json_says_so_and_the_id_of_a_refused_command_is_echoed_when_it_can_be_read()
    {
        Assert.StartsWith("the command is not JSON: ", Refuse("reason press1 tool_change").Error, StringComparison.Ordinal);
        Assert.Null(Refuse("reason press1 tool_change").Id);
        Assert.Equal(("\"x-7\"", "unknown cell 'press9': this gateway's cells are press1, lathe2"), Refuse("""{"id":"x-7","command":"reason","cell":"press9","code":"tool_change"}"""));
        Assert.Equal("42", Refuse("""{"id":42,"command":"nope"}""").Id);
        Assert.Equal($"the command has 4097 bytes, more than the {ControlCommandReader.MaxBytes} a command may have", Refuse(new string(' ', 4097)).Error);
    }

    [Fact]
    public void A_reply_carries_the_id_and_the_engines_outcome_or_refusal()
    {
        Assert.Equal("""{"id":"x-7","ok":true,"outcome":"done","message":"done"}""", Encoding.UTF8.GetString(ControlReply.Of("\"x-7\"", ContextOutcome.Done)));
        Assert.Equal("""{"id":42,"ok":true,"outcome":"replaced","message":"done: it replaces the reason the stop had"}""", Encoding.UTF8.GetString(ControlReply.Of("42", ContextOutcome.Replaced)));
        Assert.Equal("""{"id":null,"ok":false,"error":"it overlaps a shift"}""", Encoding.UTF8.GetString(ControlReply.Of(null, ContextOutcome.Overlaps)));
        Assert.Equal("""{"id":null,"ok":false,"error":"unknown cell 'x'"}""", Encoding.UTF8.GetString(ControlReply.Error(null, "unknown cell 'x'")));
    }
}
