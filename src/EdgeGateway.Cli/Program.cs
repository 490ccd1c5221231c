using System.CommandLine;
using EdgeGateway.Core;
using EdgeGateway.Cli.Calibrate;
using EdgeGateway.Cli.Replay;
using EdgeGateway.Cli.Status;

namespace EdgeGateway.Cli;

/// <summary>The <c>edgegw</c> command: technicians', evaluators' and demo tasks.</summary>
public static class Program
{
    /// <summary>Exit code for malformed input (config, trace, arguments).</summary>
    public const int InputError = 2;

    public static int Main(string[] args)
    {
        using var stdout = Console.OpenStandardOutput();
        return Run(args, stdout, Console.Error);
    }

    /// <summary>Runs a command line with the given output streams (tests call this directly).</summary>
    public static int Run(string[] args, Stream stdout, TextWriter stderr)
    {
        var parsed = CreateRoot(stdout, stderr).Parse(args);
        if (parsed.Errors.Count > 0)
        {
            // One line, like every other input error: scripts read the first line of stderr. The parser quotes the
            // arguments it rejects; control characters in them are shown escaped like everywhere else.
            var messages = parsed.Errors.Select(error => InputText.Quote(
                string.Join(' ', error.Message.Split((char[])['\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)),
                int.MaxValue));
            stderr.WriteLine($"edgegw: {string.Join("; ", messages)} (see 'edgegw --help')");
            return InputError;
        }

        using var output = new StreamWriter(stdout, leaveOpen: true);
        return parsed.Invoke(new InvocationConfiguration { Output = output, Error = stderr });
    }

    /// <summary>Every command, writing to the given streams; <c>--help</c> ends with the command's manual page.</summary>
    public static RootCommand CreateRoot(Stream stdout, TextWriter stderr)
    {
        var root = new RootCommand("edgegw - EdgeGateway, ISO 22400 productivity KPIs measured at the machine")
        {
            ReplayCommand.Create(stdout, stderr),
            Simulate.SimulateCommand.Create(stdout, stderr),
            CalibrateCommand.Create(stdout, stderr),
            StatusCommand.Create(stdout, stderr),
            Report.ReportCommand.Create(stdout, stderr),
            Evaluate.EvaluateCommand.Create(stdout, stderr),
            Sensors.SensorsCommand.Create(stdout, stderr),
            Record.RecordCommand.Create(stdout, stderr),
            Doctor.DoctorCommand.Create(stdout),
            Config.ConfigCommand.Create(stdout, stderr),
            Pki.PkiCommand.Create(stdout, stderr),
        };
        foreach (var command in Control.ControlCommands.Create(stdout, stderr))
        {
            root.Add(command);
        }

        Help.ManualHelpAction.Install(root);
        return root;
    }
}
