using System.CommandLine;
using System.Text;
using EdgeGateway.Cli.Help;

namespace EdgeGateway.Cli.Tests;

/// <summary>Every command's <c>--help</c> is a man page: options, then exit status and examples that are real command lines.</summary>
public sealed class ManualTests
{
    [Fact]
    public void EveryCommand_HasItsPage_AndNoPageNamesACommandThatIsNot()
    {
        var paths = Commands(Program.CreateRoot(Stream.Null, TextWriter.Null)).Select(ManualHelpAction.PathOf).ToList();

        Assert.Equal(paths.Order(StringComparer.Ordinal), Manual.Pages.Keys.Order(StringComparer.Ordinal));
        Assert.All(Manual.Pages.Values, page => Assert.NotEmpty(page.ExitStatus));
    }

    [Fact]
    public void EveryExample_Parses_AndEachPageShowsItsOwnCommand()
    {
        var root = Program.CreateRoot(Stream.Null, TextWriter.Null);
        foreach (var (path, page) in Manual.Pages)
        {
            var ownCommandShown = false;
            foreach (var (line, _) in page.Examples)
            {
                var words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries).SkipWhile(w => w == "sudo").ToList();
                var redirect = words.FindIndex(w => w == ">");
                words = redirect < 0 ? words : words[..redirect];
                Assert.Equal("edgegw", words[0]);
                if (words.Contains("COMMAND"))
                {
                    continue; // the root's "edgegw COMMAND --help"
                }

                var parsed = root.Parse(words.Skip(1).ToArray());
                Assert.True(parsed.Errors.Count == 0, $"'{line}': {string.Join("; ", parsed.Errors.Select(e => e.Message))}");
                var command = ManualHelpAction.PathOf(parsed.CommandResult.Command);
                ownCommandShown |= path.Length == 0 || command == path || command.StartsWith(path + " ", StringComparison.Ordinal);
            }

            Assert.True(ownCommandShown, $"no example of '{path}' runs it");
        }
    }

    [Fact]
    public void Help_PrintsOptionsThenExitStatusThenExamples_AndExitsZero()
    {
        using var stdout = new MemoryStream();
        using var stderr = new StringWriter();

        var exit = Program.Run(["config", "validate", "--help"], stdout, stderr);

        var text = Encoding.UTF8.GetString(stdout.ToArray());
        Assert.Equal(0, exit);
        Assert.Equal("", stderr.ToString());
        var options = text.IndexOf("Options:", StringComparison.Ordinal);
        var exitStatus = text.IndexOf("Exit status:\n  0  valid: one summary line\n  2  invalid:", StringComparison.Ordinal);
        var examples = text.IndexOf("Examples:\n  edgegw config validate --config /etc/edgegw/edgegw.json\n", StringComparison.Ordinal);
        Assert.True(options >= 0 && exitStatus > options && examples > exitStatus, text);
    }

    private static IEnumerable<Command> Commands(Command command) => [command, .. command.Subcommands.SelectMany(Commands)];
}
