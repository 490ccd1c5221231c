using System.CommandLine;
using EdgeGateway.Core;
using EdgeGateway.Core.Kpi;
using EdgeGateway.Core.Traces;

namespace EdgeGateway.Cli.Replay;

/// <summary>
/// <c>edgegw replay --config FILE --trace FILE --window total|day|shift|1m --format json|table</c>:
/// computes KPI records from a trace exactly as the live gateway would.
/// </summary>
internal static class ReplayCommand
{
    /// <summary>Exit code when the output cannot be written (a full disk, a closed stdout).</summary>
    public const int OutputFailed = 1;

    public static Command Create(Stream stdout, TextWriter stderr)
    {
        var config = InputFiles.PathOption(new Option<string>("--config") { Description = "Gateway config file (JSON, see src/docs/config.md)", Required = true });
        var trace = InputFiles.PathOption(new Option<string>("--trace") { Description = "Trace file (CSV: timestamp,signal,value)", Required = true });
        var window = new Option<string>("--window") { Description = "Window of the records", DefaultValueFactory = _ => "total" };
        window.AcceptOnlyFromAmong([.. WindowKinds.Names]);
        var format = new Option<string>("--format") { Description = "json: one array of schema-v1 records; table: for people", DefaultValueFactory = _ => "table" };
        format.AcceptOnlyFromAmong("json", "table");

        var command = new Command("replay", "Replay a recorded or simulated trace through the KPI engine and print the window records")
        {
            config, trace, window, format,
        };
        command.SetAction(parsed =>
        {
            // The parser accepted only known names.
            _ = WindowKinds.TryParse(parsed.GetValue(window), out var kind);
            return Run(parsed.GetValue(config)!, parsed.GetValue(trace)!, kind, parsed.GetValue(format) == "json", stdout, stderr);
        });
        return command;
    }

    /// <summary>The records as one JSON array of schema-v1 records, or as the table for people.</summary>
    public static IRecordOutput Output(bool json, Stream stream, TimeZoneInfo zone) =>
        json ? new JsonArrayOutput(stream) : new KpiTableOutput(stream, zone);

    /// <summary>Replays; all output is held back until the whole trace has been read, so a bad trace prints nothing but the error.</summary>
    public static int Run(string configPath, string tracePath, WindowKind kind, bool json, Stream stdout, TextWriter stderr)
    {
        try
        {
            var gateway = InputFiles.ReadConfig(configPath);
            using var held = new FileStream(Path.GetTempFileName(), FileMode.Create, FileAccess.ReadWrite, FileShare.None, 64 * 1024, FileOptions.DeleteOnClose);
            using (var sink = Output(json, held, gateway.TimeZone))
            {
                var engine = new GatewayEngine(gateway, [kind], sink);
                using var traceStream = InputFiles.OpenTrace(tracePath);
                using var reader = new TraceReader(traceStream, tracePath, engine.Signals);
                while (reader.TryRead(out var signalEvent))
                {
                    engine.Process(signalEvent);
                }

                engine.Finish();
            }

            held.Position = 0;
            held.CopyTo(stdout);
            stdout.Flush();
            return 0;
        }
        catch (InputException e)
        {
            stderr.WriteLine($"edgegw replay: {e.Message}");
            return Program.InputError;
        }
        catch (IOException e)
        {
            // Not the input's fault: the held output (in TMPDIR) or stdout could not be written, e.g. a full disk.
            stderr.WriteLine($"edgegw replay: cannot write the output: {InputText.Quote(e.Message, 200)}");
            return OutputFailed;
        }
    }
}

/// <summary>A record sink that writes a whole output document.</summary>
internal interface IRecordOutput : IWindowRecordSink, IDisposable;
