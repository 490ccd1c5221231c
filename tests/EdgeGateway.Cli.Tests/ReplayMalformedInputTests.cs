using System.Globalization;
using System.Text;
using System.Text.Json;

namespace EdgeGateway.Cli.Tests;

/// <summary>
/// The replay contract for bad input: exit code 2, nothing on stdout, and one stderr line naming the file,
/// the line (where one applies) and the problem. Runs <see cref="Program.Run"/> in-process on files in a temp dir.
/// </summary>
public sealed class ReplayMalformedInputTests : IDisposable
{
    // Line of the bad trace line in the "late error" cases: far enough that many 1m records would already exist.
    private const int LateLine = 5000;

    // Monday 23 March 2026, 06:00 in Amsterdam (UTC+1): inside the first shift of the config below.
    private static readonly DateTime s_traceStart = new(2026, 3, 23, 5, 0, 0, DateTimeKind.Utc);

    private static readonly string s_validConfig = """
        {
          "EdgeGateway": {
            "Site": "site-1",
            "TimeZone": "Europe/Amsterdam",
            "Cells": [
              {
                "Id": "cell-1",
                "IdealCycleSeconds": 30,
                "MinorStopSeconds": 120,
                "MinorStopPolicy": "Iso22400",
                "Signals": {
                  "green": { "Role": "StateRun" },
                  "yellow": { "Role": "StateIdle" },
                  "red": { "Role": "StateDown" },
                  "setup": { "Role": "Setup" },
                  "cycle": { "Role": "CyclePulse" },
                  "scrap": { "Role": "ScrapPulse" },
                  "power": { "Role": "PowerKw" }
                },
                "Shifts": [
                  { "Days": "Mon-Fri", "Start": "06:00", "End": "14:00",
                    "Breaks": [ { "Start": "10:00", "End": "10:15" } ] },
                  { "Days": "Mon-Fri", "Start": "14:00", "End": "22:00" }
                ]
              },
              {
                "Id": "cell-2",
                "IdealCycleSeconds": 12.5,
                "Signals": {
                  "press-run": { "Role": "StateRun" },
                  "press-cycle": { "Role": "CyclePulse" }
                },
                "Shifts": [
                  { "Days": "Mon-Sat", "Start": "22:00", "End": "06:00", "Staffed": false }
                ]
              }
            ]
          }
        }
        """.ReplaceLineEndings("\n");

    private readonly string _dir = Directory.CreateTempSubdirectory("edgegw-cli-tests-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>
    /// Config cases: (case, text to find in the valid config, its replacement, marker of the line the error must name,
    /// which occurrence of the marker, words the error must hold).
    /// </summary>
    public static TheoryData<string, string, string, string, int, string[]> BadConfigs => new()
    {
        {
            "missing key", "    \"TimeZone\": \"Europe/Amsterdam\",\n", "",
            "\"EdgeGateway\"", 1, ["missing key", "TimeZone"]
        },
        {
            "missing nested key", "{ \"Start\": \"10:00\", \"End\": \"10:15\" }", "{ \"Start\": \"10:00\" }",
            "\"Breaks\"", 1, ["missing key", "End"]
        },
        {
            "unknown time zone", "\"Europe/Amsterdam\"", "\"Mars/Olympus_Mons\"",
            "\"TimeZone\"", 1, ["unknown time zone", "Mars/Olympus_Mons"]
        },
        {
            "break outside its shift", "{ \"Start\": \"10:00\", \"End\": \"10:15\" }", "{ \"Start\": \"15:00\", \"End\": \"15:30\" }",
            "\"15:00\"", 1, ["break", "outside its shift", "15:00-15:30", "06:00-14:00"]
        },
        {
            "unknown config key", "\"Id\": \"cell-1\",", "\"Id\": \"cell-1\",\n        \"Colour\": \"blue\",",
            "\"Colour\"", 1, ["Colour", "unknown key"]
        },
        {
            "invalid JSON: bad number", "\"IdealCycleSeconds\": 30,", "\"IdealCycleSeconds\": 30x,",
            "30x", 1, ["invalid JSON"]
        },
        {
            "invalid JSON: unquoted string", "\"green\": { \"Role\": \"StateRun\" }", "\"green\": { \"Role\": StateRun }",
            "StateRun }", 1, ["invalid JSON"]
        },
        {
            "unknown MinorStopPolicy", "\"MinorStopPolicy\": \"Iso22400\"", "\"MinorStopPolicy\": \"Fastest\"",
            "\"MinorStopPolicy\"", 1, ["MinorStopPolicy", "'Fastest'", "Iso22400", "Nakajima"]
        },
        {
            "bad Days syntax", "\"Days\": \"Mon-Fri\", \"Start\": \"06:00\"", "\"Days\": \"Monday-Friday\", \"Start\": \"06:00\"",
            "\"Monday-Friday\"", 1, ["Days", "'Monday-Friday'", "not a set of days"]
        },
        {
            "bad time syntax", "\"Start\": \"14:00\", \"End\": \"22:00\"", "\"Start\": \"14:00\", \"End\": \"22h00\"",
            "\"22h00\"", 1, ["End", "'22h00'", "not a time of day"]
        },
        {
            // The error belongs on the shift that runs into an earlier one, not on some line above both.
            "overlapping shifts", "\"Start\": \"14:00\", \"End\": \"22:00\"", "\"Start\": \"13:00\", \"End\": \"22:00\"",
            "\"13:00\"", 1, ["Shifts", "overlaps", "06:00-14:00", "13:00-22:00"]
        },
        {
            // Was an unhandled ArgumentException (a TimeSpan of Infinity) with exit code 1.
            "implausible IdealCycleSeconds", "\"IdealCycleSeconds\": 30,", "\"IdealCycleSeconds\": 1e308,",
            "1e308", 1, ["IdealCycleSeconds", "1e308", "out of range", "at most 86400"]
        },
        {
            // Was an InvalidOperationException: "Total window for -9223370262603306901 ms is no longer open".
            "implausible MinorStopSeconds", "\"MinorStopSeconds\": 120,", "\"MinorStopSeconds\": 9.3e15,",
            "9.3e15", 1, ["MinorStopSeconds", "9.3e15", "out of range", "at most 86400"]
        },
        {
            "unknown top-level section", "{\n  \"EdgeGateway\": {", "{\n  \"Agents\": {},\n  \"EdgeGateway\": {",
            "\"Agents\"", 1, ["Agents", "unknown key"]
        },
        {
            // The error belongs on the second declaration of the name (cell-2), as a compiler reports a duplicate.
            "duplicate signal name across cells", "\"press-run\"", "\"green\"",
            "\"green\"", 2, ["green", "cell-1", "cell-2", "unique"]
        },
    };

    /// <summary>Trace lines that are bad on their own; <c>{next}</c> is a timestamp after every event before it.</summary>
    public static TheoryData<string, string, string[]> BadTraceLines => new()
    {
        { "bad timestamp: no Z", "{nextLocal},power,1.5", ["bad timestamp"] },
        { "bad timestamp: offset", "{nextLocal}+01:00,power,1.5", ["bad timestamp", "+01:00"] },
        { "bad timestamp: space for T", "2026-03-23 07:30:00.000Z,power,1.5", ["bad timestamp", "2026-03-23 07:30:00.000Z"] },
        { "bad timestamp: 30 February", "2026-02-30T07:30:00.000Z,power,1.5", ["bad timestamp", "2026-02-30T07:30:00.000Z"] },
        { "bad timestamp: hour 24", "2026-03-23T24:00:00.000Z,power,1.5", ["bad timestamp", "2026-03-23T24:00:00.000Z"] },
        { "bad timestamp: not a date", "yesterday,power,1.5", ["bad timestamp", "yesterday"] },
        { "unknown signal", "{next},blue,1", ["unknown signal", "blue"] },
        { "unknown signal: case differs", "{next},Green,1", ["unknown signal", "Green"] },
        { "time going backwards", "{first},power,1.5", ["backwards", "2026-03-23T05:00:00.000Z"] },
        { "bad value: text", "{next},power,abc", ["bad value", "abc", "power"] },
        { "bad value: empty", "{next},power,", ["bad value", "power"] },
        { "bad value: NaN", "{next},power,NaN", ["bad value", "NaN"] },
        { "bad value: Infinity", "{next},power,Infinity", ["bad value", "Infinity"] },
        { "bad value: -Infinity", "{next},power,-Infinity", ["bad value", "-Infinity"] },
        { "bad value: overflows to infinity", "{next},power,1e999", ["bad value", "1e999"] },
        { "pulse value 2", "{next},cycle,2", ["bad value", "cycle", "pulse"] },
        { "pulse value 0", "{next},scrap,0", ["bad value", "scrap", "pulse"] },
        { "level value 2", "{next},green,2", ["bad value", "green", "level"] },
        { "level value 0.5", "{next},red,0.5", ["bad value", "red", "level"] },
        { "negative power", "{next},power,-0.5", ["bad value", "-0.5", "power", "negative"] },
        { "too few fields", "{next},power", ["three fields"] },
        { "too many fields", "{next},power,1.5,kW", ["three fields"] },
        { "decimal comma", "{next},power,12,5", ["three fields", "12,5"] },

        // Followed by further power samples: was an overflow to infinity in the energy sum and a crash with exit code 1.
        { "implausible power", "{next},power,1e308", ["bad value", "'1e308'", "power", "above 1000000 kW"] },
        { "NUL after a value", "{next},power,0.29\0", ["bad value", "'0.29\\u0000'", "power"] },
        { "escape sequence in a signal name", "{next},gr\u001b[2Jeen,1", ["unknown signal", "'gr\\u001b[2Jeen'"] },
    };

    [Fact]
    public void ValidTrace_PrintsManyOneMinuteRecords()
    {
        // The baseline of the late-error cases: without the bad line, the same prefix prints records.
        var config = Write("edgegw.json", s_validConfig);
        var trace = Write("trace.csv", string.Join('\n', ValidTraceLines(LateLine - 1)) + "\n");

        var result = Replay(config, trace);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("", result.Stderr);
        using var records = JsonDocument.Parse(result.Stdout);
        Assert.True(records.RootElement.GetArrayLength() > 60, $"expected more than 60 1m records, got {records.RootElement.GetArrayLength()}");
    }

    [Theory]
    [MemberData(nameof(BadTraceLines))]
    public void MalformedTraceLine_AfterManyValidEvents_ExitsTwoWithOneLineNamingFileAndLineAndNoOutput(string @case, string badLine, string[] words)
    {
        var lines = ValidTraceLines(LateLine - 1);
        var next = s_traceStart.AddMilliseconds(LateLine * 1000);
        lines.Add(badLine
            .Replace("{nextLocal}", next.ToString("yyyy-MM-ddTHH:mm:ss.fff", CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("{next}", Timestamp(next), StringComparison.Ordinal)
            .Replace("{first}", Timestamp(s_traceStart), StringComparison.Ordinal));
        lines.AddRange(ValidTraceLines(20, next.AddMinutes(1)).Skip(1));
        var config = Write("edgegw.json", s_validConfig);
        var trace = Write("trace.csv", string.Join('\n', lines) + "\n");

        var result = Replay(config, trace);

        AssertRejected(result, trace, LateLine, words, @case);
    }

    [Fact]
    public void BadValue_OnLine5000WithCrLfLineEnds_NamesLine5000()
    {
        var lines = ValidTraceLines(LateLine - 1);
        lines.Add($"{Timestamp(s_traceStart.AddHours(3))},power,1.5kW");
        var config = Write("edgegw.json", s_validConfig);
        var trace = Write("trace.csv", string.Join("\r\n", lines) + "\r\n");

        var result = Replay(config, trace);

        AssertRejected(result, trace, LateLine, ["bad value", "'1.5kW'", "power"], "CRLF");
    }

    [Fact]
    public void TimestampAtTheEndOfYear9999_IsRejectedNotACrash()
    {
        // Well-formed, but its local day ends after DateTime.MaxValue: the engine cannot place it in a window.
        var config = Write("edgegw.json", s_validConfig);
        var trace = Write("trace.csv", "timestamp,signal,value\n9999-12-31T20:00:00.000Z,green,1\n");

        var result = Replay(config, trace);

        AssertRejected(result, trace, 2, ["timestamp", "9999-12-31T20:00:00.000Z"], "year 9999");
    }

    [Theory]
    [InlineData("missing header", new[] { "2026-03-23T05:00:00.000Z,green,1" }, 1)]
    [InlineData("missing header after comments", new[] { "# cell-1", "# recorded by hand", "2026-03-23T05:00:00.000Z,green,1" }, 3)]
    [InlineData("header with other names", new[] { "time,signal,value", "2026-03-23T05:00:00.000Z,green,1" }, 1)]
    [InlineData("header in other case", new[] { "Timestamp,Signal,Value", "2026-03-23T05:00:00.000Z,green,1" }, 1)]
    public void MissingHeader_ExitsTwoWithOneLineNamingTheHeaderLine(string @case, string[] lines, int line)
    {
        var config = Write("edgegw.json", s_validConfig);
        var trace = Write("trace.csv", string.Join('\n', lines) + "\n");

        var result = Replay(config, trace);

        AssertRejected(result, trace, line, ["header", "timestamp,signal,value"], @case);
    }

    [Theory]
    [MemberData(nameof(BadConfigs))]
    public void MalformedConfig_ExitsTwoWithOneLineNamingFileAndLineAndNoOutput(string @case, string find, string replace, string lineMarker, int occurrence, string[] words)
    {
        Assert.True(Occurrences(s_validConfig, find) == 1, $"test setup: '{find}' must occur once in the valid config");
        var text = s_validConfig.Replace(find, replace, StringComparison.Ordinal);
        var config = Write("edgegw.json", text);
        var trace = Write("trace.csv", string.Join('\n', ValidTraceLines(200)) + "\n");

        var result = Replay(config, trace);

        AssertRejected(result, config, LineOf(text, lineMarker, occurrence), words, @case);
    }

    [Fact]
    public void InvalidJson_NamesOnlyTheOneBasedLine()
    {
        var text = s_validConfig.Replace("\"IdealCycleSeconds\": 30,", "\"IdealCycleSeconds\": 30x,", StringComparison.Ordinal);
        var line = LineOf(text, "30x", 1);
        var config = Write("edgegw.json", text);
        var trace = Write("trace.csv", string.Join('\n', ValidTraceLines(10)) + "\n");

        var result = Replay(config, trace);

        AssertRejected(result, config, line, ["invalid JSON"], "invalid JSON");

        // The parser's own zero-based position would contradict the line named in front.
        var message = result.Stderr.TrimEnd();
        Assert.True(!message.Contains($"LineNumber: {line - 1}", StringComparison.Ordinal), $"the error names line {line} and also line {line - 1}: {message}");
    }

    [Fact]
    public void ValidConfig_IsAccepted()
    {
        // The baseline of the config cases: every bad config differs from this one in one place.
        var config = Write("edgegw.json", s_validConfig);
        var trace = Write("trace.csv", string.Join('\n', ValidTraceLines(200)) + "\n");

        var result = Replay(config, trace);

        Assert.Equal("", result.Stderr);
        Assert.Equal(0, result.ExitCode);
        Assert.NotEmpty(result.Stdout);
    }

    [Fact]
    public void ConfigWithUtf8ByteOrderMark_IsAccepted()
    {
        // Was "invalid JSON: '0xEF' is an invalid start of a value", though traces with a BOM were accepted.
        var config = Path.Combine(_dir, "bom.json");
        File.WriteAllText(config, s_validConfig, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true));
        Assert.Equal(0xEF, File.ReadAllBytes(config)[0]);
        var trace = Write("trace.csv", string.Join('\n', ValidTraceLines(200)) + "\n");

        var result = Replay(config, trace);

        Assert.Equal("", result.Stderr);
        Assert.Equal(0, result.ExitCode);
    }

    [Theory]
    [InlineData("")]
    [InlineData("\n  \n")]
    [InlineData("\uFEFF")]
    public void EmptyConfig_SaysTheFileIsEmpty(string text)
    {
        var config = Write("edgegw.json", text);

        var result = Replay(config, Write("trace.csv", "timestamp,signal,value\n"));

        AssertRejected(result, config, 1, ["the file is empty; expected a JSON object"], "empty config");
    }

    [Theory]
    [InlineData("config")]
    [InlineData("trace")]
    public void Utf16File_SaysSaveItAsUtf8(string which)
    {
        // Windows Notepad's "Unicode": was "invalid JSON: '0xFF' is an invalid start of a value" (a bad header for a trace).
        var config = Path.Combine(_dir, "edgegw.json");
        File.WriteAllText(config, s_validConfig, which == "config" ? Encoding.Unicode : new UTF8Encoding(false));
        var trace = Path.Combine(_dir, "trace.csv");
        File.WriteAllText(trace, string.Join('\n', ValidTraceLines(10)) + "\n", which == "trace" ? Encoding.Unicode : new UTF8Encoding(false));

        var result = Replay(config, trace);

        AssertRejected(result, which == "config" ? config : trace, 1, ["the file is UTF-16 text; save it as UTF-8"], which);
    }

    [Fact]
    public void ConfigWithTheAgentsSections_IsAccepted()
    {
        // /etc/edgegw/edgegw.json holds the agent's sections too; the commands read the same file.
        var text = s_validConfig.Replace("{\n  \"EdgeGateway\": {", "{\n  \"Agent\": { \"Source\": \"Simulator\" },\n  \"Logging\": { \"LogLevel\": { \"Default\": \"Warning\" } },\n  \"EdgeGateway\": {", StringComparison.Ordinal);
        Assert.NotEqual(s_validConfig, text);
        var config = Write("edgegw.json", text);
        var trace = Write("trace.csv", string.Join('\n', ValidTraceLines(200)) + "\n");

        var result = Replay(config, trace);

        Assert.Equal("", result.Stderr);
        Assert.Equal(0, result.ExitCode);
    }

    [Fact]
    public void ConfigIsADirectory_ExitsTwoSayingSo()
    {
        // Was "Access to the path '/tmp' is denied".
        var trace = Write("trace.csv", string.Join('\n', ValidTraceLines(10)) + "\n");

        var result = Replay(_dir, trace);

        AssertRejected(result, _dir, line: null, ["config", "is a directory, not a file"], "config is a directory");
    }

    [Fact]
    public void TraceIsADirectory_ExitsTwoSayingSo()
    {
        var config = Write("edgegw.json", s_validConfig);

        var result = Replay(config, _dir);

        AssertRejected(result, _dir, line: null, ["trace", "is a directory, not a file"], "trace is a directory");
    }

    [Fact]
    public void ConfigBelowAFile_ExitsTwoWithOneLine()
    {
        // ENOTDIR: a path through a file. (Permissions cannot be tested here: the tests run as root, who reads anything.)
        var config = Path.Combine(Write("plain.txt", "x"), "edgegw.json");

        var result = Replay(config, Write("trace.csv", "timestamp,signal,value\n"));

        AssertRejected(result, config, line: null, ["cannot read the config"], "parent is a file");
    }

    [Fact]
    public async Task ConfigAndTraceThroughNamedPipes_AreRead()
    {
        // What a shell's process substitution <(...) hands over: a pipe that can be read once and not seeked.
        var config = Path.Combine(_dir, "config.pipe");
        var trace = Path.Combine(_dir, "trace.pipe");
        var writers = Task.WhenAll(
            NamedPipe.Serve(config, s_validConfig),
            NamedPipe.Serve(trace, string.Join('\n', ValidTraceLines(200)) + "\n"));

        var result = Replay(config, trace);

        await writers.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal("", result.Stderr);
        Assert.Equal(0, result.ExitCode);
        Assert.NotEmpty(result.Stdout);
    }

    /// <summary>The documented limit is 65 536 bytes per line, not counting its line end: that many are read, one more is not.</summary>
    [Theory]
    [InlineData(65_535, "\n", true)]
    [InlineData(65_536, "\n", true)]
    [InlineData(65_536, "\r\n", true)]
    [InlineData(65_537, "\n", false)]
    [InlineData(65_537, "", false)]
    public void TraceLineLength_AcceptedUpTo65536Bytes(int length, string lineEnd, bool accepted)
    {
        var config = Write("edgegw.json", s_validConfig);
        var lines = ValidTraceLines(20);
        lines.Insert(2, "#" + new string('x', length - 1));
        var trace = Write("trace.csv", string.Join(lineEnd.Length == 0 ? "\n" : lineEnd, lines) + lineEnd);
        if (lineEnd.Length == 0)
        {
            // The long line is the last one, without a line end.
            trace = Write("trace.csv", string.Join('\n', ValidTraceLines(20)) + "\n#" + new string('x', length - 1));
        }

        var result = Replay(config, trace);

        if (accepted)
        {
            Assert.Equal("", result.Stderr);
            Assert.Equal(0, result.ExitCode);
        }
        else
        {
            AssertRejected(result, trace, lineEnd.Length == 0 ? 21 : 3, ["line longer than 65536 bytes"], $"{length} bytes");
        }
    }

    [Fact]
    public void OutputThatCannotBeWritten_ExitsOneWithOneLine_NotAStack()
    {
        // A full disk under the held output or a stdout that fails: not the input's fault, and no stack trace.
        var config = Write("edgegw.json", s_validConfig);
        var trace = Write("trace.csv", string.Join('\n', ValidTraceLines(200)) + "\n");
        using var stdout = new FullDisk();
        using var stderr = new StringWriter(CultureInfo.InvariantCulture) { NewLine = "\n" };

        var exit = Program.Run(["replay", "--config", config, "--trace", trace, "--format", "json"], stdout, stderr);

        Assert.Equal(1, exit);
        Assert.Equal("edgegw replay: cannot write the output: No space left on device\n", stderr.ToString());
    }

    [Fact]
    public void MissingConfigFile_ExitsTwoWithOneLineNamingTheFile()
    {
        var config = Path.Combine(_dir, "no-such-config.json");
        var trace = Write("trace.csv", string.Join('\n', ValidTraceLines(10)) + "\n");

        var result = Replay(config, trace);

        AssertRejected(result, config, line: null, ["cannot read", "config"], "missing config");
    }

    [Fact]
    public void MissingTraceFile_ExitsTwoWithOneLineNamingTheFile()
    {
        var config = Write("edgegw.json", s_validConfig);
        var trace = Path.Combine(_dir, "no-such-trace.csv");

        var result = Replay(config, trace);

        AssertRejected(result, trace, line: null, ["cannot read", "trace"], "missing trace");
    }

    [Theory]
    [InlineData("--window", "5m", "5m")]
    [InlineData("--window", "week", "week")]
    [InlineData("--format", "csv", "csv")]
    [InlineData("--window", "1m\u001b[2J", "1m\\u001b[2J")] // control characters are shown escaped, not sent to the terminal
    [InlineData("--format", "json\0", "json\\u0000")]
    public void BadOptionValue_ExitsTwoWithOneLineNamingOptionAndValue(string option, string value, string shown)
    {
        var config = Write("edgegw.json", s_validConfig);
        var trace = Write("trace.csv", string.Join('\n', ValidTraceLines(10)) + "\n");
        string[] args = ["replay", "--config", config, "--trace", trace, "--window", "1m", "--format", "json"];
        args[Array.IndexOf(args, option) + 1] = value;

        var result = Run(args);

        Assert.Equal(Program.InputError, result.ExitCode);
        Assert.Empty(result.Stdout);
        var message = AssertOneLine(result.Stderr);
        Assert.Contains(shown, message, StringComparison.Ordinal);
        Assert.DoesNotContain(message, char.IsControl);
    }

    private static void AssertRejected(ReplayResult result, string file, int? line, string[] words, string @case)
    {
        Assert.True(result.ExitCode == Program.InputError, $"{@case}: exit code {result.ExitCode}, expected 2; stderr: {result.Stderr}");
        Assert.True(result.Stdout.Length == 0, $"{@case}: {result.Stdout.Length} bytes on stdout, expected none: {Encoding.UTF8.GetString(result.Stdout.AsSpan(0, Math.Min(200, result.Stdout.Length)))}");
        var message = AssertOneLine(result.Stderr);
        Assert.Contains(file, message, StringComparison.Ordinal);
        if (line is { } l)
        {
            // file:line: problem, as compilers write it.
            Assert.True(message.Contains($"{file}:{l}:", StringComparison.Ordinal), $"{@case}: expected line {l} in: {message}");
        }

        foreach (var word in words)
        {
            Assert.True(message.Contains(word, StringComparison.OrdinalIgnoreCase), $"{@case}: expected '{word}' in: {message}");
        }
    }

    private static string AssertOneLine(string stderr)
    {
        Assert.EndsWith("\n", stderr, StringComparison.Ordinal);
        var line = stderr[..^1].TrimEnd('\r');
        Assert.True(!line.Contains('\n', StringComparison.Ordinal) && !line.Contains('\r', StringComparison.Ordinal), $"expected one line on stderr, got:\n{stderr}");
        Assert.False(string.IsNullOrWhiteSpace(line), "expected an error on stderr");
        return line;
    }

    /// <summary>Header, a comment, then level, pulse and power events one second apart; <paramref name="count"/> lines in all.</summary>
    private static List<string> ValidTraceLines(int count, DateTime? start = null)
    {
        var t = start ?? s_traceStart;
        var lines = new List<string>(count) { "timestamp,signal,value", "# test trace: cell-1 running" };
        string[] opening = ["green,1", "yellow,0", "red,0", "setup,0", "press-run,0"];
        foreach (var e in opening)
        {
            if (lines.Count < count)
            {
                lines.Add($"{Timestamp(t)},{e}");
            }
        }

        for (var i = 1; lines.Count < count; i++)
        {
            var at = Timestamp(t.AddSeconds(i));
            lines.Add((i % 30) switch
            {
                0 => $"{at},cycle,1",
                17 => $"{at},press-cycle,1",
                _ => string.Create(CultureInfo.InvariantCulture, $"{at},power,{4.5 + (i % 7 * 0.1):0.0}"),
            });
        }

        return lines;
    }

    private static string Timestamp(DateTime utc) => utc.ToString("yyyy-MM-ddTHH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private static int LineOf(string text, string marker, int occurrence)
    {
        var at = -1;
        for (var i = 0; i < occurrence; i++)
        {
            at = text.IndexOf(marker, at + 1, StringComparison.Ordinal);
            Assert.True(at >= 0, $"test setup: occurrence {occurrence} of '{marker}' not found");
        }

        return text.AsSpan(0, at).Count('\n') + 1;
    }

    private static int Occurrences(string text, string part)
    {
        var count = 0;
        for (var at = text.IndexOf(part, StringComparison.Ordinal); at >= 0; at = text.IndexOf(part, at + 1, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }

    private string Write(string name, string text)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, text, new UTF8Encoding(false));
        return path;
    }

    private static ReplayResult Replay(string config, string trace) =>
        Run(["replay", "--config", config, "--trace", trace, "--window", "1m", "--format", "json"]);

    private static ReplayResult Run(string[] args)
    {
        using var stdout = new MemoryStream();
        using var stderr = new StringWriter(CultureInfo.InvariantCulture) { NewLine = "\n" };
        var exitCode = Program.Run(args, stdout, stderr);
        return new ReplayResult(exitCode, stdout.ToArray(), stderr.ToString());
    }

    /// <summary>A stdout whose every write fails as on a full disk.</summary>
    private sealed class FullDisk : MemoryStream
    {
        public override void Write(byte[] buffer, int offset, int count) => throw new IOException("No space left on device");

        public override void Write(ReadOnlySpan<byte> buffer) => throw new IOException("No space left on device");
    }

    private readonly record struct ReplayResult(int ExitCode, byte[] Stdout, string Stderr);
}
