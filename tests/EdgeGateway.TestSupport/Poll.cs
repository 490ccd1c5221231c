using System.Diagnostics;

namespace EdgeGateway.TestSupport;

/// <summary>Waits for a condition by polling it, never longer than a timeout, failing with a message that says what was awaited and what was seen.</summary>
internal static class Poll
{
    private static readonly TimeSpan s_interval = TimeSpan.FromMilliseconds(50);

    /// <summary>Polls <paramref name="probe"/> until <paramref name="condition"/> holds for its value, which is returned.</summary>
    /// <exception cref="TimeoutException">It did not hold within <paramref name="timeout"/>; the message describes the last value.</exception>
    public static async Task<T> Until<T>(Func<T> probe, Func<T, bool> condition, TimeSpan timeout, string awaited, Func<T, string> describe)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var value = probe();
            if (condition(value))
            {
                return value;
            }

            if (clock.Elapsed > timeout)
            {
                throw new TimeoutException($"waited {timeout.TotalSeconds:0.#} s for {awaited}; last seen: {describe(value)}");
            }

            await Task.Delay(s_interval);
        }
    }

    /// <summary>Polls <paramref name="condition"/> until it holds.</summary>
    public static Task Until(Func<bool> condition, TimeSpan timeout, string awaited, Func<string> describe) =>
        Until(condition, ok => ok, timeout, awaited, _ => describe());
}
