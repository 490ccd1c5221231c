using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using EdgeGateway.Agent.Hosting;
using EdgeGateway.Core;
using EdgeGateway.Core.Configuration;
using EdgeGateway.Hosting;
using EdgeGateway.Sensors.Sources;

namespace EdgeGateway.Cli.Config;

/// <summary>
/// <c>edgegw config init [--out FILE] [--force] [--non-interactive] [--set KEY=VALUE …]</c>: a config for this gateway,
/// asked question by question over SSH in a technician's words (site, gateway id, time zone, each cell's stack light,
/// cycle and scrap inputs, a current clamp, its shifts with breaks, the broker and its TLS CA), every answer checked as
/// it is given; or non-interactive from <c>--set</c> answers and the defaults, for scripted installs. The file written
/// is one <c>edgegw config validate</c> accepts: it is checked the same way before it is written (src/docs/cli.md).
/// </summary>
internal static class ConfigInit
{
    private static readonly (string Name, Core.Signals.SignalRole Role, string Prompt, string FirstCell)[] s_gpioSignals =
    [
        ("green", Core.Signals.SignalRole.StateRun, "Green lamp (the machine runs)", "17"),
        ("yellow", Core.Signals.SignalRole.StateIdle, "Yellow lamp (ready, not running)", "27"),
        ("red", Core.Signals.SignalRole.StateDown, "Red lamp (fault, down)", "22"),
        ("setup", Core.Signals.SignalRole.Setup, "Setup key switch", "none"),
        ("cycle", Core.Signals.SignalRole.CyclePulse, "Cycle sensor (one pulse per part)", "24"),
        ("scrap", Core.Signals.SignalRole.ScrapPulse, "Scrap button (one press per scrap part)", "none"),
    ];

    public static Command Create(Stream stdout, TextWriter stderr)
    {
        var output = InputFiles.PathOption(new Option<string>("--out") { Description = "Where to write the config", DefaultValueFactory = _ => "/etc/edgegw/edgegw.json" });
        var force = new Option<bool>("--force") { Description = "Overwrite the file without asking" };
        var scripted = new Option<bool>("--non-interactive") { Description = "Ask nothing: the answers come from --set and the defaults" };
        var set = new Option<string[]>("--set") { Description = "An answer by its key, e.g. --set site=sme-0117 (keys in src/docs/cli.md)", AllowMultipleArgumentsPerToken = false };
        var command = new Command("init", "Write a config for this gateway, asking question by question (or from --set answers)") { output, force, scripted, set };
        command.SetAction(parsed =>
        {
            using var writer = new StreamWriter(stdout, leaveOpen: true) { AutoFlush = true };
            return Run(parsed.GetValue(output)!, parsed.GetValue(force), parsed.GetValue(scripted), parsed.GetValue(set) ?? [], Console.In, writer, stderr);
        });
        return command;
    }

    /// <summary>Asks (or takes the <paramref name="sets"/>), checks and writes; 0 written, 2 an answer or the file refused.</summary>
    public static int Run(string outPath, bool force, bool scripted, IReadOnlyList<string> sets, TextReader input, TextWriter output, TextWriter stderr)
    {
        Dictionary<string, string>? preset = null;
        if (scripted || sets.Count > 0)
        {
            preset = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var set in sets)
            {
                var equals = set.IndexOf('=', StringComparison.Ordinal);
                if (equals <= 0)
                {
                    stderr.WriteLine($"edgegw config init: --set '{InputText.Quote(set)}': expected KEY=VALUE");
                    return Program.InputError;
                }

                preset[set[..equals].Trim()] = set[(equals + 1)..];
            }

            if (!scripted)
            {
                stderr.WriteLine("edgegw config init: --set answers go with --non-interactive");
                return Program.InputError;
            }
        }

        try
        {
            var full = InputFiles.CheckOutputFile("--out", outPath);
            var questions = new Questions(input, output, preset);
            if (File.Exists(full) && !force && (questions.Scripted || !questions.YesNo("overwrite", $"{outPath} exists: overwrite it", false)))
            {
                throw new ConfigInitException($"{outPath} exists; --force overwrites it");
            }

            questions.Say("edgegw config init: the config of this gateway, question by question. [x] is the default: Enter takes it.");
            var bytes = Ask(questions);
            var checkedConfig = AgentConfigCheck.Check(bytes, outPath, []);
            if (checkedConfig.Problems.Count > 0)
            {
                // The answers were each checked; a whole-file problem left is a rule across answers (e.g. overlapping shifts).
                foreach (var problem in checkedConfig.Problems)
                {
                    stderr.WriteLine($"edgegw config init: {problem}");
                }

                stderr.WriteLine("edgegw config init: nothing was written");
                return Program.InputError;
            }

            var temp = Path.Combine(Path.GetDirectoryName(full)!, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
            File.WriteAllBytes(temp, bytes);
            File.Move(temp, full, overwrite: true);
            output.WriteLine($"Wrote {outPath}: {ConfigCommand.Summary(checkedConfig)}");
            output.WriteLine("The broker password goes into /etc/edgegw/secrets.env as EDGEGW_Agent__Mqtt__Password=…, not into this file.");
            return 0;
        }
        catch (Exception e) when (e is ConfigInitException or InputException)
        {
            stderr.WriteLine($"edgegw config init: {e.Message}");
            return Program.InputError;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            stderr.WriteLine($"edgegw config init: cannot write '{InputText.Quote(outPath)}': {StorageErrors.Reason(e)}");
            return Program.InputError;
        }
    }

    /// <summary>Every question, and the config as UTF-8 JSON.</summary>
    private static byte[] Ask(Questions q)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteStartObject("EdgeGateway");
            var site = q.Ask("site", "Site id, as the programme registered your company (e.g. sme-0117)", null, IdProblem);
            json.WriteString("Site", site);
            json.WriteString("TimeZone", q.Ask("time-zone", "Time zone of the site (IANA name, e.g. Europe/Amsterdam)", LocalTimeZone(), ZoneProblem));
            var gateway = q.Ask("gateway", "Gateway id, unique at the site (the default comes from this device)", DefaultGatewayId.Get(), IdProblem);
            var cells = (int)q.Number("cells", "How many cells (machines) does this gateway watch", 1, 1, 16);
            var cellIds = new HashSet<string>(StringComparer.Ordinal);
            var lines = new HashSet<int>();
            json.WriteStartArray("Cells");
            for (var n = 1; n <= cells; n++)
            {
                q.Say($"Cell {n}");
                WriteCell(q, json, $"cell{n}", n == 1, cellIds, lines);
            }

            json.WriteEndArray();
            json.WriteEndObject();

            json.WriteStartObject("Agent");
            json.WriteString("GatewayId", gateway);
            json.WriteStartObject("Mqtt");
            json.WriteString("Host", q.Ask("broker", "Broker host (the backend's name or address)", "localhost", a => a.Length > 0 && !a.Contains(' ', StringComparison.Ordinal) ? null : "a host name or address, without spaces"));
            var tls = q.YesNo("tls", "TLS to the broker, checked against the CA certificate that signed it", true);
            json.WriteNumber("Port", (int)q.Number("port", "Broker port", tls ? 8883 : 1883, 1, 65535));
            json.WriteBoolean("Tls", tls);
            if (tls)
            {
                json.WriteString("CaFile", q.Ask("ca-file", "  CA certificate file (PEM), e.g. /etc/edgegw/ca.pem", null, CertificateProblem));
            }

            json.WriteString("Username", q.Ask("username", "Broker user name (the site id in the backend's ACL)", site, a => a.Length > 0 ? null : "a user name, please"));
            json.WriteEndObject();
            json.WriteEndObject();
            json.WriteEndObject();
        }

        return stream.ToArray();
    }

    private static void WriteCell(Questions q, Utf8JsonWriter json, string key, bool first, HashSet<string> cellIds, HashSet<int> lines)
    {
        json.WriteStartObject();
        var id = q.Ask($"{key}.id", "  Cell id (e.g. press-1)", first ? "cell-1" : null, a => IdProblem(a) ?? (cellIds.Contains(a) ? "another cell has this id" : null));
        cellIds.Add(id);
        json.WriteString("Id", id);
        json.WriteNumber("IdealCycleSeconds", q.Number($"{key}.ideal-cycle-s", "  Ideal cycle time: the fastest a good part can be made, in seconds", first ? 30 : null, 0.001, 86_400));
        json.WriteNumber("MinorStopSeconds", q.Number($"{key}.minor-stop-s", "  Stops shorter than this many seconds count as minor stops (0: none)", 120, 0, 86_400));
        q.Say("  Where each signal is wired: the GPIO line by its BCM number (after \"GPIO\" on a pinout: 17 is pin 11), or none.");
        var wired = new List<(string Name, Core.Signals.SignalRole Role, int Line)>();
        foreach (var (name, role, prompt, firstCell) in s_gpioSignals)
        {
            var answer = q.Ask($"{key}.{name}", $"  {prompt}", first ? firstCell : "none", a => GpioProblem(a, lines));
            if (answer != "none")
            {
                var line = int.Parse(answer, CultureInfo.InvariantCulture);
                lines.Add(line);
                wired.Add(($"{id}-{name}", role, line));
            }
        }

        var activeLow = wired.Count > 0 && q.YesNo($"{key}.active-low", "  Do the inputs read low when on (an optocoupler board, as in hardware/README.md)", true);
        json.WriteStartObject("Signals");
        foreach (var (name, role, line) in wired)
        {
            json.WriteStartObject(name);
            json.WriteString("Role", role.ToString());
            json.WriteString("Source", $"gpio:{line}");
            if (activeLow)
            {
                json.WriteBoolean("ActiveLow", true);
                json.WriteString("Pull", "Up");
            }

            json.WriteEndObject();
        }

        if (q.Ask($"{key}.power", "  Machine power: a current clamp on an ADS1115 (ct), or none", "none", a => a is "ct" or "none" ? null : "answer ct or none") == "ct")
        {
            json.WriteStartObject($"{id}-power");
            json.WriteString("Role", "PowerKw");
            json.WriteString("Source", q.Ask($"{key}.ct-source", "  ADS1115 address and the input pair the clamp is on", "i2c:1:0x48/ads1115:a0-a1", AdsProblem));
            json.WriteNumber("CtRatio", q.Number($"{key}.ct-ratio", "  Clamp ratio: primary amps per secondary amp (printed on it: 100 A : 50 mA is 2000)", 2000, 1, 100_000));
            json.WriteNumber("BurdenOhms", q.Number($"{key}.burden-ohms", "  Burden resistor across the clamp's output, in ohms (on the clamp's board or the breakout)", 33, 0.01, 100_000));
            json.WriteNumber("VoltageV", q.Number($"{key}.voltage-v", "  Mains voltage, phase to neutral, in volts", 230, 1, 1000));
            json.WriteNumber("Phases", (int)q.Number($"{key}.phases", "  Phases: 1, or 3 for one clamp on one phase of a balanced three-phase machine", 1, 1, 3));
            json.WriteEndObject();
        }

        json.WriteEndObject();
        var shifts = (int)q.Number($"{key}.shifts", "  How many shifts does it run (Mon-Fri 06:00-14:00 counts once)", first ? 1 : null, 0, 10);
        json.WriteStartArray("Shifts");
        for (var m = 1; m <= shifts; m++)
        {
            var shift = $"{key}.shift{m}";
            q.Say($"  Shift {m}");
            json.WriteStartObject();
            json.WriteString("Days", q.Ask($"{shift}.days", "    Days (e.g. Mon-Fri, Sat, Mon,Wed)", m == 1 ? "Mon-Fri" : null, a => ConfigObject.TryParseDays(a, out _) ? null : "days like Mon-Fri, Sat or Mon,Wed,Fri"));
            var start = q.Ask($"{shift}.start", "    Starts at (HH:MM)", m == 1 ? "06:00" : null, TimeProblem);
            json.WriteString("Start", start);
            json.WriteString("End", q.Ask($"{shift}.end", "    Ends at (HH:MM; earlier than the start: over midnight)", m == 1 ? "14:00" : null, a => TimeProblem(a) ?? (a == start ? "the end must differ from the start" : null)));
            json.WriteBoolean("Staffed", q.YesNo($"{shift}.staffed", "    Staffed: people at the machine (no: it runs unattended)", true));
            var breaks = q.Ask($"{shift}.breaks", "    Breaks (HH:MM-HH:MM, comma separated), or none", "none", BreaksProblem);
            json.WriteStartArray("Breaks");
            foreach (var range in breaks == "none" ? [] : breaks.Split(',', StringSplitOptions.TrimEntries))
            {
                var times = range.Split('-', StringSplitOptions.TrimEntries);
                json.WriteStartObject();
                json.WriteString("Start", times[0]);
                json.WriteString("End", times[1]);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static string? CertificateProblem(string answer)
    {
        if (!File.Exists(answer))
        {
            return $"there is no file '{InputText.Quote(answer)}'";
        }

        try
        {
            using var certificate = System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadCertificateFromFile(answer);
            return null;
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return $"'{InputText.Quote(answer)}' is not a certificate (PEM or DER)";
        }
    }

    private static string? IdProblem(string answer) => Ids.IsValid(answer) ? null : $"an id is {Ids.Rule}";

    private static string? ZoneProblem(string answer)
    {
        try
        {
            TimeZoneInfo.FindSystemTimeZoneById(answer);
            return answer.Contains('/', StringComparison.Ordinal) || answer == "UTC" ? null : "an IANA name like Europe/Amsterdam";
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            return $"no time zone '{InputText.Quote(answer)}': an IANA name like Europe/Amsterdam (timedatectl list-timezones lists them)";
        }
    }

    /// <summary>The system's time zone (<c>/etc/timezone</c>, as Debian keeps it), or Europe/Amsterdam.</summary>
    private static string LocalTimeZone()
    {
        try
        {
            var name = File.ReadAllText("/etc/timezone").Trim();
            return ZoneProblem(name) is null ? name : "Europe/Amsterdam";
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return "Europe/Amsterdam";
        }
    }

    private static string? GpioProblem(string answer, HashSet<int> used)
    {
        if (answer == "none")
        {
            return null;
        }

        if (!SourceAddress.TryParse($"gpio:{answer}", out _, out var problem))
        {
            return $"{problem.Replace("gpio:LINE", "a line", StringComparison.Ordinal)}, or none";
        }

        return used.Contains(int.Parse(answer, CultureInfo.InvariantCulture)) ? $"GPIO {answer} is taken by another signal" : null;
    }

    private static string? AdsProblem(string answer) =>
        !SourceAddress.TryParse(answer, out var address, out var problem) ? problem
        : address.Kind != SourceKind.Ads1115 ? "an ADS1115 input pair, e.g. i2c:1:0x48/ads1115:a0-a1"
        : null;

    private static string? TimeProblem(string answer) =>
        TimeOnly.TryParseExact(answer, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out _) ? null : "a time like 06:00";

    private static string? BreaksProblem(string answer)
    {
        if (answer == "none")
        {
            return null;
        }

        foreach (var range in answer.Split(',', StringSplitOptions.TrimEntries))
        {
            var times = range.Split('-', StringSplitOptions.TrimEntries);
            if (times.Length != 2 || TimeProblem(times[0]) is not null || TimeProblem(times[1]) is not null)
            {
                return $"'{InputText.Quote(range)}' is not a break like 10:00-10:15";
            }
        }

        return null;
    }
}
