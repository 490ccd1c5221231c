using System.Text;
using System.Threading.Channels;
using EdgeGateway.Agent.Control;
using EdgeGateway.Core.Configuration;
using EdgeGateway.Core.Kpi;
using EdgeGateway.Core.Signals;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace EdgeGateway.Agent.Tests.Control;

/// <summary>
/// The handler between the channels and the engine: a command with an id that comes again (an MQTT redelivery, a
/// retry after a lost reply) is answered as the first time and reaches the engine once.
/// </summary>
public sealed class ControlHandlerTests
{
    private const string Config = """
        {
          "EdgeGateway": {
            "Site": "sme-0042",
            "TimeZone": "Europe/Amsterdam",
            "Cells": [
              { "Id": "press1", "IdealCycleSeconds": 30, "Signals": { "run": { "Role": "StateRun" } },
                "Shifts": [ { "Days": "Mon-Fri", "Start": "06:00", "End": "14:00" } ] }
            ]
          }
        }
        """;

    private readonly ControlQueue _queue = new(Channel.CreateUnbounded<SignalEvent>());
    private readonly ControlHandler _handler;

    public ControlHandlerTests()
    {
        var config = ConfigReader.Read(Encoding.UTF8.GetBytes(Config), "control.json");
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-12-01T09:30:00Z", System.Globalization.CultureInfo.InvariantCulture));
        _handler = new ControlHandler(config, _queue, time, NullLogger<ControlHandler>.Instance);
    }

    private Task<byte[]> Handle(string json) => _handler.HandleAsync(Encoding.UTF8.GetBytes(json), "mqtt", CancellationToken.None);

    private void ApplyAll(ContextOutcome outcome, int expected)
    {
        var taken = 0;
        while (_queue.TryTake(out var pending))
        {
            pending.Outcome.SetResult(outcome);
            taken++;
        }

        Assert.Equal(expected, taken);
    }

    [Fact]
    public async Task A_repeated_command_with_an_id_reaches_the_engine_once_and_gets_the_first_reply()
    {
        const string close = """{"id":"c1","command":"closure","from":"2026-12-24","to":"2026-12-26"}""";
        var first = Handle(close);
        var again = Handle(close);
        ApplyAll(ContextOutcome.Done, expected: 1);

        var reply = Encoding.UTF8.GetString(await first);
        Assert.Equal("""{"id":"c1","ok":true,"outcome":"done","message":"done"}""", reply);
        Assert.Equal(reply, Encoding.UTF8.GetString(await again));

        // Later, too (the first is done), and a repeat of the same request after it was answered.
        Assert.Equal(reply, Encoding.UTF8.GetString(await Handle(close)));
        ApplyAll(ContextOutcome.Done, expected: 0);
    }

    [Fact]
    public async Task Another_id_or_no_id_is_a_new_command()
    {
        var first = Handle("""{"id":"c1","command":"closure","from":"2026-12-24","to":"2026-12-26"}""");
        var otherId = Handle("""{"id":"c2","command":"closure","from":"2026-12-24","to":"2026-12-26"}""");
        var noId = Handle("""{"command":"closure","from":"2026-12-24","to":"2026-12-26"}""");
        var noIdAgain = Handle("""{"command":"closure","from":"2026-12-24","to":"2026-12-26"}""");
        ApplyAll(ContextOutcome.Overlaps, expected: 4);

        await Task.WhenAll(first, otherId, noId, noIdAgain);
        Assert.Contains("\"id\":\"c2\"", Encoding.UTF8.GetString(await otherId), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Only_the_last_remembered_commands_are_remembered()
    {
        for (var i = 0; i <= ControlHandler.RememberedCommands; i++)
        {
            _ = Handle($$"""{"id":"c{{i}}","command":"closure","from":"2026-12-24","to":"2026-12-26"}""");
        }

        ApplyAll(ContextOutcome.Done, expected: ControlHandler.RememberedCommands + 1);

        // c1 is still remembered; c0 is forgotten (applied again, and remembering it now forgets c1).
        var remembered = Handle("""{"id":"c1","command":"closure","from":"2026-12-24","to":"2026-12-26"}""");
        var oldest = Handle("""{"id":"c0","command":"closure","from":"2026-12-24","to":"2026-12-26"}""");
        ApplyAll(ContextOutcome.Overlaps, expected: 1);
        Assert.Contains("\"ok\":false", Encoding.UTF8.GetString(await oldest), StringComparison.Ordinal);
        Assert.Contains("\"ok\":true", Encoding.UTF8.GetString(await remembered), StringComparison.Ordinal);
    }
}
