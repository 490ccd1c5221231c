namespace EdgeGateway.Cli.Config;

/// <summary>
/// The answers of <c>edgegw config init</c>: asked one by one on a terminal, each checked as it is given (a wrong one
/// is said and asked again), the default shown in brackets and taken by Enter; or, non-interactive, taken from
/// <c>--set KEY=VALUE</c> and the defaults, a missing or wrong one failing with its key.
/// </summary>
internal sealed class Questions(TextReader input, TextWriter output, IReadOnlyDictionary<string, string>? preset)
{
    /// <summary>Non-interactive: every answer from <c>--set</c> or its default.</summary>
    public bool Scripted => preset is not null;

    /// <summary>Says something (interactive only).</summary>
    public void Say(string text)
    {
        if (!Scripted)
        {
            output.WriteLine(text);
        }
    }

    /// <summary>
    /// The answer to <paramref name="prompt"/> (key <paramref name="key"/> for <c>--set</c>), checked by
    /// <paramref name="check"/>, which returns null when the answer is good or says what is wrong.
    /// </summary>
    /// <exception cref="ConfigInitException">Scripted and the answer is missing or wrong; or the input ended.</exception>
    public string Ask(string key, string prompt, string? defaultAnswer, Func<string, string?> check)
    {
        if (preset is not null)
        {
            var answer = preset.TryGetValue(key, out var given) ? given.Trim() : defaultAnswer
                ?? throw new ConfigInitException($"--set {key}=… is needed ({prompt})");
            return check(answer) is { } problem ? throw new ConfigInitException($"--set {key}={answer}: {problem}") : answer;
        }

        while (true)
        {
            output.Write(defaultAnswer is null ? $"{prompt}: " : $"{prompt} [{defaultAnswer}]: ");
            output.Flush();
            var line = input.ReadLine() ?? throw new ConfigInitException("the input ended before every question was answered; nothing was written");
            var answer = line.Trim().Length == 0 && defaultAnswer is not null ? defaultAnswer : line.Trim();
            if (check(answer) is not { } problem)
            {
                return answer;
            }

            output.WriteLine($"  ! {problem}");
        }
    }

    /// <summary>A yes/no answer.</summary>
    public bool YesNo(string key, string prompt, bool defaultAnswer) =>
        Ask(key, $"{prompt} (y/n)", defaultAnswer ? "y" : "n", a => a.ToLowerInvariant() is "y" or "yes" or "n" or "no" ? null : "answer y or n")
            .StartsWith('y');

    /// <summary>A number between <paramref name="min"/> and <paramref name="max"/>.</summary>
    public double Number(string key, string prompt, double? defaultAnswer, double min, double max) =>
        double.Parse(
            Ask(key, prompt, defaultAnswer?.ToString(System.Globalization.CultureInfo.InvariantCulture), a =>
                double.TryParse(a, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var v) && v >= min && v <= max
                    ? null
                    : FormattableString.Invariant($"a number from {min} to {max}, please")),
            System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>An answer <c>edgegw config init</c> cannot use when it cannot ask again (scripted), or no more input.</summary>
internal sealed class ConfigInitException(string message) : Exception(message);
