using System.CommandLine;
using EdgeGateway.Agent.Control;
using EdgeGateway.Agent.Hosting;

namespace EdgeGateway.Cli.Control;

/// <summary>
/// The remote commands to the running agent (src/docs/cli.md, "Remote commands"): <c>edgegw reason --cell CELL --code CODE
/// [--at TIME]</c>, <c>edgegw article --cell CELL --article ID</c>, <c>edgegw calendar close|extra-shift --from T --to T</c>,
/// each with <c>[--socket PATH]</c>. The agent checks them against its config and applies them; exit 0 done, 1 the agent
/// refused or cannot be reached (stderr says which), 2 malformed arguments.
/// </summary>
internal static class ControlCommands
{
    /// <summary>The three commands: <c>reason</c>, <c>article</c>, <c>calendar</c>.</summary>
    public static IEnumerable<Command> Create(Stream stdout, TextWriter stderr)
    {
        var cell = new Option<string>("--cell") { Description = "The cell's id, as in the config", Required = true };

        var code = new Option<string>("--code") { Description = "The reason code (StopReasons.Codes of the config)", Required = true };
        var at = new Option<string?>("--at") { Description = "When the stop was (default: now): a UTC timestamp 2026-03-28T08:10:00Z, a site-local 2026-03-28T08:10, or 08:10 today" };
        var reasonSocket = SocketOption();
        var reason = new Command("reason", "Give the cell's current (or just ended) stop a reason") { cell, code, at, reasonSocket };
        reason.SetAction(p => ControlClient.Send("reason", ControlCommandReader.Reason, [("cell", p.GetValue(cell)), ("code", p.GetValue(code)), ("at", p.GetValue(at))], p.GetValue(reasonSocket)!, stdout, stderr));
        yield return reason;

        var articleCell = new Option<string>("--cell") { Description = "The cell's id, as in the config", Required = true };
        var id = new Option<string>("--article") { Description = "The article's id (the cell's Articles in the config)", Required = true };
        var articleSocket = SocketOption();
        var article = new Command("article", "Set the article the cell makes from now on") { articleCell, id, articleSocket };
        article.SetAction(p => ControlClient.Send("article", ControlCommandReader.Article, [("cell", p.GetValue(articleCell)), ("article", p.GetValue(id))], p.GetValue(articleSocket)!, stdout, stderr));
        yield return article;

        yield return new Command("calendar", "Change the plant calendar of the running agent: a closure, an extra shift")
        {
            Range("close", ControlCommandReader.Closure, "Close the plant (every cell): no planned production from --from to --to; a date as --to closes through its end", stdout, stderr),
            Range("extra-shift", ControlCommandReader.ExtraShift, "Add a one-off staffed shift for every cell from --from to --to (refused if it overlaps a shift)", stdout, stderr),
        };
    }

    private static Command Range(string name, string command, string description, Stream stdout, TextWriter stderr)
    {
        const string Forms = "a UTC timestamp 2026-12-24T11:00:00Z, a site-local date 2026-12-24 or date and time 2026-12-24T12:00";
        var from = new Option<string>("--from") { Description = $"The start: {Forms}", Required = true };
        var to = new Option<string>("--to") { Description = $"The end, after --from: {Forms}", Required = true };
        var socket = SocketOption();
        var result = new Command(name, description) { from, to, socket };
        result.SetAction(p => ControlClient.Send("calendar " + name, command, [("from", p.GetValue(from)), ("to", p.GetValue(to))], p.GetValue(socket)!, stdout, stderr));
        return result;
    }

    private static Option<string> SocketOption() => InputFiles.PathOption(new Option<string>("--socket")
    {
        Description = "The agent's control socket (Agent:ControlSocket)",
        DefaultValueFactory = _ => AgentOptions.DefaultControlSocket,
    });
}
