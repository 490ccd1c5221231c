using EdgeGateway.Core.Configuration;

namespace EdgeGateway.Core.Signals.FromPower;

/// <summary>
/// Parts from power peaks (retrofits without a cycle sensor). Samples are smoothed by a moving average of
/// <c>SmoothingSamples</c>; an episode starts when the smoothed power reaches <c>AboveKw + HysteresisKw</c> and
/// ends when it falls below <c>AboveKw − HysteresisKw</c>. It is one part, counted when it ends, if it lasted
/// between <c>MinCycleSeconds</c> and <c>MaxCycleSeconds</c> (default 3 × the ideal cycle: longer episodes are
/// warm-up or manual work, not parts) and never exceeded <c>BelowKw</c> (if set). A fault abandons the episode.
/// Allocation-free after construction.
/// </summary>
public sealed class PowerCycleDetector(PowerCycleConfig config)
{
    private readonly double[] _window = new double[config.SmoothingSamples];
    private readonly long _minMs = (long)Math.Round(config.MinCycleSeconds * 1000);
    private readonly long _maxMs = (long)Math.Round(config.MaxCycleSeconds * 1000);
    private int _filled;
    private int _next;
    private double _sum;
    private bool _inEpisode;
    private bool _overBand;
    private long _episodeStart;

    /// <summary>Cycles started but dropped (too short, too long or above the band), for calibration and logs.</summary>
    public long Dropped { get; private set; }

    /// <summary>Takes a sample (NaN = sensor fault); true when it completes a part.</summary>
    public bool Update(long timestampMs, double kw)
    {
        if (double.IsNaN(kw))
        {
            (_filled, _next, _sum, _inEpisode) = (0, 0, 0, false);
            return false;
        }

        // Moving average over a ring; the sum is recomputed when the ring wraps so rounding cannot drift.
        if (_filled < _window.Length)
        {
            _filled++;
        }
        else
        {
            _sum -= _window[_next];
        }

        _window[_next] = kw;
        _sum += kw;
        _next = (_next + 1) % _window.Length;
        if (_next == 0)
        {
            _sum = 0;
            foreach (var sample in _window)
            {
                _sum += sample;
            }
        }

        var smoothed = _sum / _filled;
        if (!_inEpisode)
        {
            if (smoothed >= config.AboveKw + config.HysteresisKw)
            {
                (_inEpisode, _overBand, _episodeStart) = (true, false, timestampMs);
            }

            return false;
        }

        if (config.BelowKw is { } below && smoothed > below)
        {
            _overBand = true;
        }

        if (smoothed >= config.AboveKw - config.HysteresisKw)
        {
            return false;
        }

        _inEpisode = false;
        var length = timestampMs - _episodeStart;
        if (_overBand || length < _minMs || length > _maxMs)
        {
            Dropped++;
            return false;
        }

        return true;
    }
}
