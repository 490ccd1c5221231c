using EdgeGateway.Core.Configuration;
using EdgeGateway.Core.Kpi;

namespace EdgeGateway.Agent.Control;

/// <summary>
/// The one handler of remote commands, whichever way they came (the control socket, the MQTT command topic): reads the
/// request, hands it to the engine thread, waits for the outcome and returns the reply (<see cref="ControlReply"/>). A
/// request that is not understood never reaches the engine. Every command is logged with its outcome.
/// </summary>
internal sealed partial class ControlHandler(GatewayConfig config, ControlQueue queue, TimeProvider time, ILogger<ControlHandler> logger)
{
    /// <summary>How long a command waits for the engine before the reply says it did not come to it.</summary>
    public static readonly TimeSpan EngineTimeout = TimeSpan.FromSeconds(10);

    /// <summary>How many recent commands with an id are remembered, so that a repeat is answered without being applied again.</summary>
    public const int RememberedCommands = 64;

    private readonly ControlCommandReader _reader = new(config);
    private readonly Lock _recentLock = new();
    private readonly Dictionary<string, Task<byte[]>> _recent = [];
    private readonly Queue<string> _recentOrder = new();

    /// <summary>
    /// Handles one request from <paramref name="channel"/> (for the log: <c>socket</c>, <c>mqtt</c>); returns the reply.
    /// A request with an id that repeats one of the last <see cref="RememberedCommands"/> byte for byte — an MQTT
    /// redelivery after a reconnect, a tablet retrying after a lost reply — gets the first one's reply and is not
    /// applied again: a second closure or extra shift would otherwise be refused as overlapping the first.
    /// </summary>
    public Task<byte[]> HandleAsync(ReadOnlyMemory<byte> request, string channel, CancellationToken cancellationToken)
    {
        var command = _reader.Read(request.Span, time.GetUtcNow().ToUnixTimeMilliseconds(), out var id, out var error);
        if (command is null)
        {
            Log.NotUnderstood(logger, channel, error!);
            return Task.FromResult(ControlReply.Error(id, error!));
        }

        if (id is null)
        {
            return ApplyAsync(command, id, channel, cancellationToken);
        }

        var key = System.Text.Encoding.UTF8.GetString(request.Span);
        lock (_recentLock)
        {
            if (_recent.TryGetValue(key, out var first))
            {
                Log.Repeated(logger, channel, command.Text, id);
                return first;
            }

            var reply = ApplyAsync(command, id, channel, cancellationToken);
            _recent[key] = reply;
            _recentOrder.Enqueue(key);
            if (_recentOrder.Count > RememberedCommands)
            {
                _recent.Remove(_recentOrder.Dequeue());
            }

            return reply;
        }
    }

    private async Task<byte[]> ApplyAsync(ControlCommand command, string? id, string channel, CancellationToken cancellationToken)
    {
        string error;
        ContextOutcome outcome;
        try
        {
            outcome = await queue.SubmitAsync(command).WaitAsync(EngineTimeout, time, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // Queued but not taken (the signal source ended, or the engine has not started): it may still be applied later.
            error = $"the engine did not take the command within {EngineTimeout.TotalSeconds:0} s (has the signal source ended?); it may still be applied";
            Log.NotTaken(logger, channel, command.Text, error);
            return ControlReply.Error(id, error);
        }

        var described = outcome.Describe();
        Log.Applied(logger, channel, command.Text, outcome.Succeeded() ? "ok" : "refused", described);
        return ControlReply.Of(id, outcome);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 700, Level = LogLevel.Information, Message = "Command ({Channel}) {Command}: {Verdict}, {Outcome}")]
        public static partial void Applied(ILogger logger, string channel, string command, string verdict, string outcome);

        [LoggerMessage(EventId = 701, Level = LogLevel.Information, Message = "Command ({Channel}) not understood, nothing changed: {Error}")]
        public static partial void NotUnderstood(ILogger logger, string channel, string error);

        [LoggerMessage(EventId = 702, Level = LogLevel.Warning, Message = "Command ({Channel}) {Command}: {Error}")]
        public static partial void NotTaken(ILogger logger, string channel, string command, string error);

        [LoggerMessage(EventId = 703, Level = LogLevel.Information, Message = "Command ({Channel}) {Command}: a repeat of id {Id}, answered as the first time, not applied again")]
        public static partial void Repeated(ILogger logger, string channel, string command, string id);
    }
}
