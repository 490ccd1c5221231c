using System.Diagnostics;
using System.Text;

namespace EdgeGateway.Cli.Tests;

/// <summary>
/// <c>edgegw config init</c> (src/docs/cli.md): typed at a real terminal (a pseudo-terminal made by <c>script</c>, the
/// answers typed and the screen read), every wrong answer said and asked again; and scripted from <c>--set</c>. What it
/// writes is what <c>edgegw config validate</c> accepts.
/// </summary>
public sealed class ConfigInitTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("edgegw-init-").FullName;

    [Fact]
    public async Task Typed_at_a_terminal_every_answer_is_checked_as_it_is_given_and_the_file_is_valid()
    {
        var notACertificate = Path.Combine(_dir, "notes.txt");
        File.WriteAllText(notACertificate, "not a certificate");
        var ca = Path.Combine(_dir, "ca.pem");
        using (var key = System.Security.Cryptography.ECDsa.Create())
        {
            var request = new System.Security.Cryptography.X509Certificates.CertificateRequest("CN=init test CA", key, System.Security.Cryptography.HashAlgorithmName.SHA256);
            using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
            File.WriteAllText(ca, certificate.ExportCertificatePem());
        }

        var config = Path.Combine(_dir, "edgegw.json");
        string[] answers =
        [
            "sme 0117", "sme-0117",                  // site: a space is no id
            "Mars/Olympus", "Europe/Amsterdam",      // time zone
            "", "",                                  // gateway id and one cell: the defaults
            "press-1", "40", "",                     // cell id, ideal cycle, minor stops
            "", "", "", "23", "17", "24", "none",    // green, yellow, red, setup 23, cycle on 17 (taken by green), 24, no scrap button
            "",                                      // active low
            "ct", "", "", "33", "", "",              // a clamp on the ADS1115, ratio 2000, 33 ohms, 230 V, 1 phase
            "2",                                     // two shifts
            "", "", "", "", "10:00-10:15",           // Mon-Fri 06:00-14:00 staffed, a break
            "Mon-Fri", "14:00", "22:00", "n", "none", // the late shift runs unattended
            "backend.example", "", "", "/nope.pem", notACertificate, ca, "", // broker, TLS, port 8883, the CA (a missing file and no certificate first), user
        ];

        var (exit, screen) = await TypeAtATerminalAsync(["config", "init", "--out", config], answers);

        Assert.True(exit == 0, screen);
        Assert.Contains("Site id, as the programme registered your company (e.g. sme-0117): ", screen, StringComparison.Ordinal);
        Assert.Contains("  ! an id is 1-64 of A-Z a-z 0-9 . _ -", screen, StringComparison.Ordinal);
        Assert.Contains("  ! no time zone 'Mars/Olympus'", screen, StringComparison.Ordinal);
        Assert.Contains("  Green lamp (the machine runs) [17]: ", screen, StringComparison.Ordinal);
        Assert.Contains("  ! GPIO 17 is taken by another signal", screen, StringComparison.Ordinal);
        Assert.Contains("  Clamp ratio: primary amps per secondary amp (printed on it: 100 A : 50 mA is 2000) [2000]: ", screen, StringComparison.Ordinal);
        Assert.Contains("  ! there is no file '/nope.pem'", screen, StringComparison.Ordinal);
        Assert.Contains($"  ! '{notACertificate}' is not a certificate (PEM or DER)", screen, StringComparison.Ordinal);
        Assert.Contains($"Wrote {config}: valid: site sme-0117, gateway ", screen, StringComparison.Ordinal);

        var text = File.ReadAllText(config);
        Assert.Contains("\"Source\": \"i2c:1:0x48/ads1115:a0-a1\"", text, StringComparison.Ordinal);
        Assert.Contains("\"Staffed\": false", text, StringComparison.Ordinal);
        using var validated = new MemoryStream();
        Assert.Equal(0, Program.Run(["config", "validate", "--config", config], validated, new StringWriter()));
        Assert.StartsWith("valid: site sme-0117, gateway ", Encoding.UTF8.GetString(validated.ToArray()), StringComparison.Ordinal);
        Assert.Contains("1 cell, 6 signals, source Sensors (6 hardware inputs)", Encoding.UTF8.GetString(validated.ToArray()), StringComparison.Ordinal);
    }

    [Fact]
    public void Scripted_the_answers_come_from_set_and_the_defaults()
    {
        var config = Path.Combine(_dir, "edgegw.json");
        var (exit, stdout, stderr) = Run(["config", "init", "--out", config, "--non-interactive", "--set", "site=sme-0203", "--set", "tls=n", "--set", "cell1.id=lathe-1", "--set", "cell1.power=none"]);

        Assert.True(exit == 0, stderr);
        Assert.StartsWith($"Wrote {config}: valid: site sme-0203, gateway ", stdout, StringComparison.Ordinal);
        Assert.Contains(", 1 cell, 4 signals, source Sensors (4 hardware inputs)", stdout, StringComparison.Ordinal);
        Assert.Contains("\"lathe-1-green\"", File.ReadAllText(config), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "--non-interactive" }, "edgegw config init: --set site=… is needed (Site id, as the programme registered your company (e.g. sme-0117))")]
    [InlineData(new[] { "--non-interactive", "--set", "site=sme-1", "--set", "time-zone=Mars/Olympus" }, "edgegw config init: --set time-zone=Mars/Olympus: no time zone 'Mars/Olympus': an IANA name like Europe/Amsterdam (timedatectl list-timezones lists them)")]
    [InlineData(new[] { "--non-interactive", "--set", "site" }, "edgegw config init: --set 'site': expected KEY=VALUE")]
    [InlineData(new[] { "--set", "site=sme-1" }, "edgegw config init: --set answers go with --non-interactive")]
    public void A_scripted_answer_missing_or_wrong_is_one_line_with_its_key_and_nothing_is_written(string[] arguments, string message)
    {
        var config = Path.Combine(_dir, "edgegw.json");
        var (exit, _, stderr) = Run(["config", "init", "--out", config, .. arguments]);

        Assert.Equal(2, exit);
        Assert.Equal(message + "\n", stderr.ReplaceLineEndings("\n"));
        Assert.False(File.Exists(config));
    }

    [Fact]
    public void An_existing_file_is_kept_unless_forced()
    {
        var config = Path.Combine(_dir, "edgegw.json");
        File.WriteAllText(config, "{}");
        string[] arguments = ["config", "init", "--out", config, "--non-interactive", "--set", "site=sme-1", "--set", "tls=n"];

        var (exit, _, stderr) = Run(arguments);
        Assert.Equal(2, exit);
        Assert.Equal($"edgegw config init: {config} exists; --force overwrites it\n", stderr.ReplaceLineEndings("\n"));
        Assert.Equal("{}", File.ReadAllText(config));

        Assert.Equal(0, Run([.. arguments, "--force"]).Exit);
        Assert.Contains("\"Site\": \"sme-1\"", File.ReadAllText(config), StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static (int Exit, string Stdout, string Stderr) Run(string[] arguments)
    {
        using var stdout = new MemoryStream();
        var stderr = new StringWriter();
        var exit = Program.Run(arguments, stdout, stderr);
        return (exit, Encoding.UTF8.GetString(stdout.ToArray()), stderr.ToString());
    }

    /// <summary>Runs <c>edgegw</c> on a pseudo-terminal (<c>script</c>), typing <paramref name="answers"/> one line at a time; returns its exit code and the screen.</summary>
    private static async Task<(int Exit, string Screen)> TypeAtATerminalAsync(string[] arguments, string[] answers)
    {
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";
        var command = string.Join(' ', [Quote(dotnet), Quote(Path.Combine(AppContext.BaseDirectory, "edgegw.dll")), .. arguments.Select(Quote)]);
        var start = new ProcessStartInfo("script") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var word in (string[])["--quiet", "--return", "--command", command, "/dev/null"])
        {
            start.ArgumentList.Add(word);
        }

        using var process = Process.Start(start)!;
        var screen = new StringBuilder();
        var reading = Task.Run(async () =>
        {
            var buffer = new char[4096];
            int read;
            while ((read = await process.StandardOutput.ReadAsync(buffer)) > 0)
            {
                lock (screen)
                {
                    screen.Append(buffer, 0, read);
                }
            }
        });
        var mark = 0;
        foreach (var answer in answers)
        {
            // Each answer once its question is on the screen, as a person types it: after the last answer's line, a
            // new line that ends in a question.
            await Poll.Until(
                () => Text(screen) is var text && text.Length > mark && text[mark..].Contains('\n', StringComparison.Ordinal) && text.TrimEnd().EndsWith(':'),
                TimeSpan.FromSeconds(30), $"the question for '{answer}'", () => Text(screen));
            mark = Text(screen).Length;
            await process.StandardInput.WriteAsync(answer + "\n");
            await process.StandardInput.FlushAsync();
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        await reading;
        return (process.ExitCode, Text(screen).Replace("\r", "", StringComparison.Ordinal));

        static string Quote(string word) => $"'{word.Replace("'", "'\\''", StringComparison.Ordinal)}'";

        static string Text(StringBuilder screen)
        {
            lock (screen)
            {
                return screen.ToString();
            }
        }
    }
}
