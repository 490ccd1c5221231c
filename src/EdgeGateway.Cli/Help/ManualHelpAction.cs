using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;

namespace EdgeGateway.Cli.Help;

/// <summary>
/// <c>--help</c> as System.CommandLine prints it (description, usage, options), followed by the command's
/// <see cref="ManualPage"/>: exit status, files and examples.
/// </summary>
public sealed class ManualHelpAction(HelpAction standard) : SynchronousCommandLineAction
{
    /// <summary>Gives <paramref name="root"/>'s help option this action.</summary>
    public static void Install(RootCommand root)
    {
        var help = root.Options.OfType<HelpOption>().Single();
        help.Action = new ManualHelpAction((HelpAction)help.Action!);
    }

    /// <inheritdoc/>
    public override bool ClearsParseErrors => true;

    /// <inheritdoc/>
    public override int Invoke(ParseResult parseResult)
    {
        ArgumentNullException.ThrowIfNull(parseResult);
        var result = standard.Invoke(parseResult);
        if (Manual.Pages.TryGetValue(PathOf(parseResult.CommandResult.Command), out var page))
        {
            Write(parseResult.InvocationConfiguration.Output, page);
        }

        return result;
    }

    /// <summary>The command's words after <c>edgegw</c>: <c>config validate</c>; "" for the root.</summary>
    public static string PathOf(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        var words = new List<string>();
        for (Symbol? symbol = command; symbol is Command c and not RootCommand; symbol = c.Parents.FirstOrDefault())
        {
            words.Insert(0, c.Name);
        }

        return string.Join(' ', words);
    }

    private static void Write(TextWriter output, ManualPage page)
    {
        output.WriteLine("Exit status:");
        foreach (var line in page.ExitStatus)
        {
            output.WriteLine($"  {line}");
        }

        output.WriteLine();
        if (page.Files is { } files)
        {
            output.WriteLine("Files:");
            foreach (var line in files)
            {
                output.WriteLine($"  {line}");
            }

            output.WriteLine();
        }

        output.WriteLine("Examples:");
        foreach (var (line, what) in page.Examples)
        {
            output.WriteLine($"  {line}");
            output.WriteLine($"      {what}");
        }

        output.WriteLine();
        output.WriteLine("More: man edgegw; every command in detail: src/docs/cli.md of the EdgeGateway repository.");
    }
}
