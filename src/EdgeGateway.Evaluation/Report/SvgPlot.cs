using System.Globalization;
using System.Net;
using System.Text;

namespace EdgeGateway.Evaluation.Report;

/// <summary>
/// One chart as inline SVG (no script, no fonts to fetch: the report opens offline): a data rectangle with axes, ticks
/// and labels, onto which bands, lines, rectangles, markers and reference lines are drawn in data coordinates. Shared by
/// the evaluation report and the dashboard.
/// </summary>
public sealed class SvgPlot
{
    private readonly double _left = 68, _right = 14, _top = 14, _bottom = 40;

    private readonly StringBuilder _body = new();
    private readonly double _width, _height, _xMin, _xMax, _yMin, _yMax;

    /// <summary>A chart of <paramref name="width"/> × <paramref name="height"/> over the given data ranges; <paramref name="axes"/> false leaves no room for axes (a strip).</summary>
    public SvgPlot(double width, double height, double xMin, double xMax, double yMin, double yMax, bool axes = true)
    {
        (_width, _height) = (width, height);
        if (!axes)
        {
            (_left, _right, _top, _bottom) = (0, 0, 0, 0);
        }

        (_xMin, _xMax) = xMax > xMin ? (xMin, xMax) : (xMin - 1, xMin + 1);
        (_yMin, _yMax) = yMax > yMin ? (yMin, yMax) : (yMin - 1, yMin + 1);
    }

    /// <summary>A y range that holds every value and zero (when asked), with a little room, on nice tick values.</summary>
    public static (double Min, double Max) Range(IEnumerable<double> values, bool withZero)
    {
        var finite = values.Where(double.IsFinite).ToList();
        if (withZero)
        {
            finite.Add(0);
        }

        if (finite.Count == 0)
        {
            return (0, 1);
        }

        double min = finite.Min(), max = finite.Max();
        var pad = max > min ? (max - min) * 0.08 : Math.Max(Math.Abs(max) * 0.1, 1);
        var step = NiceStep((max - min + (2 * pad)) / 5);
        return (Math.Floor((min - pad) / step) * step, Math.Ceiling((max + pad) / step) * step);
    }

    /// <summary>The horizontal position of data value <paramref name="x"/>.</summary>
    /// <summary>The horizontal position of data value <paramref name="x"/>.</summary>
    public double X(double x) => _left + ((x - _xMin) / (_xMax - _xMin) * (_width - _left - _right));

    /// <summary>The vertical position of data value <paramref name="y"/> (clamped to the range).</summary>
    /// <summary>The vertical position of data value <paramref name="y"/> (clamped to the range).</summary>
    public double Y(double y) => _height - _bottom - ((Math.Clamp(y, _yMin, _yMax) - _yMin) / (_yMax - _yMin) * (_height - _top - _bottom));

    /// <summary>Grid, ticks with labels on both axes (on the y axis only with <paramref name="yTicks"/>), and the axis titles.</summary>
    public SvgPlot Axes(string xTitle, string yTitle, double? xStep = null, bool yTicks = true)
    {
        var yStep = NiceStep((_yMax - _yMin) / 5);
        for (var y = FirstTick(_yMin, yStep); yTicks && y <= _yMax + (yStep * 1e-9); y += yStep)
        {
            Append($"<line class=\"grid\" x1=\"{F(_left)}\" x2=\"{F(_width - _right)}\" y1=\"{F(Y(y))}\" y2=\"{F(Y(y))}\"/>");
            Append($"<text class=\"tick\" x=\"{F(_left - 6)}\" y=\"{F(Y(y) + 4)}\" text-anchor=\"end\">{Escape(Tick(y, yStep))}</text>");
        }

        var step = xStep ?? NiceStep((_xMax - _xMin) / 6);
        for (var x = FirstTick(_xMin, step); x <= _xMax + (step * 1e-9); x += step)
        {
            Append($"<line class=\"tickmark\" x1=\"{F(X(x))}\" x2=\"{F(X(x))}\" y1=\"{F(_height - _bottom)}\" y2=\"{F(_height - _bottom + 4)}\"/>");
            Append($"<text class=\"tick\" x=\"{F(X(x))}\" y=\"{F(_height - _bottom + 16)}\" text-anchor=\"middle\">{Escape(Tick(x, step))}</text>");
        }

        Append($"<line class=\"axis\" x1=\"{F(_left)}\" x2=\"{F(_width - _right)}\" y1=\"{F(_height - _bottom)}\" y2=\"{F(_height - _bottom)}\"/>");
        Append($"<text class=\"title\" x=\"{F((_left + _width - _right) / 2)}\" y=\"{F(_height - 4)}\" text-anchor=\"middle\">{Escape(xTitle)}</text>");
        Append($"<text class=\"title\" transform=\"translate(13 {F((_top + _height - _bottom) / 2)}) rotate(-90)\" text-anchor=\"middle\">{Escape(yTitle)}</text>");
        return this;
    }

    /// <summary>A shaded vertical stretch (e.g. the ramp-up) from <paramref name="x0"/> to <paramref name="x1"/>.</summary>
    public SvgPlot Span(double x0, double x1, string cssClass)
    {
        double a = X(Math.Clamp(x0, _xMin, _xMax)), b = X(Math.Clamp(x1, _xMin, _xMax));
        if (b > a)
        {
            Append($"<rect class=\"{cssClass}\" x=\"{F(a)}\" y=\"{F(_top)}\" width=\"{F(b - a)}\" height=\"{F(_height - _top - _bottom)}\"/>");
        }

        return this;
    }

    /// <summary>The area between the points' lower and upper values (a confidence band).</summary>
    public SvgPlot Band(IReadOnlyList<(double X, double Lower, double Upper)> points, string cssClass)
    {
        if (points.Count > 0)
        {
            var outline = points.Select(p => $"{F(X(p.X))},{F(Y(p.Upper))}").Concat(points.Reverse().Select(p => $"{F(X(p.X))},{F(Y(p.Lower))}"));
            Append($"<polygon class=\"{cssClass}\" points=\"{string.Join(' ', outline)}\"/>");
        }

        return this;
    }

    /// <summary>A line through the points; a missing value (null) breaks it.</summary>
    public SvgPlot Line(IEnumerable<(double X, double? Y)> points, string cssClass, bool markers = false)
    {
        var run = new List<string>();
        foreach (var (x, y) in points.Append((double.NaN, null)))
        {
            if (y is { } value && double.IsFinite(value))
            {
                run.Add($"{F(X(x))},{F(Y(value))}");
                if (markers)
                {
                    Append($"<circle class=\"{cssClass}\" cx=\"{F(X(x))}\" cy=\"{F(Y(value))}\" r=\"2.5\"/>");
                }

                continue;
            }

            if (run.Count > 0)
            {
                Append($"<polyline class=\"{cssClass}\" points=\"{string.Join(' ', run)}\"/>");
                run.Clear();
            }
        }

        return this;
    }

    /// <summary>
    /// Rectangles from (x0, y0) to (x1, y1) in data coordinates, each with its class and a tooltip (a heat map's cells, a
    /// state timeline's spans, bars).
    /// </summary>
    public SvgPlot Rects(IEnumerable<(double X0, double X1, double Y0, double Y1, string CssClass, string Title)> rects)
    {
        foreach (var (x0, x1, y0, y1, css, title) in rects)
        {
            double left = X(Math.Max(Math.Min(x0, x1), _xMin)), right = X(Math.Min(Math.Max(x0, x1), _xMax));
            double top = Y(Math.Max(y0, y1)), bottom = Y(Math.Min(y0, y1));
            if (right > left && bottom > top)
            {
                Append($"<rect class=\"{css}\" x=\"{F(left)}\" y=\"{F(top)}\" width=\"{F(right - left)}\" height=\"{F(bottom - top)}\"><title>{Escape(title)}</title></rect>");
            }
        }

        return this;
    }

    /// <summary>A horizontal line at <paramref name="y"/> from <paramref name="x0"/> to <paramref name="x1"/>.</summary>
    public SvgPlot Level(double y, double x0, double x1, string cssClass)
    {
        Append($"<line class=\"{cssClass}\" x1=\"{F(X(Math.Max(x0, _xMin)))}\" x2=\"{F(X(Math.Min(x1, _xMax)))}\" y1=\"{F(Y(y))}\" y2=\"{F(Y(y))}\"/>");
        return this;
    }

    /// <summary>A vertical line at <paramref name="x"/> with a label at its top.</summary>
    public SvgPlot Marker(double x, string label, string cssClass)
    {
        if (x >= _xMin && x <= _xMax)
        {
            Append($"<line class=\"{cssClass}\" x1=\"{F(X(x))}\" x2=\"{F(X(x))}\" y1=\"{F(_top)}\" y2=\"{F(_height - _bottom)}\"/>");
            Append($"<text class=\"marker-label\" x=\"{F(X(x) + 3)}\" y=\"{F(_top + 10)}\">{Escape(label)}</text>");
        }

        return this;
    }

    /// <summary>The SVG element; <paramref name="description"/> is its accessible name, <paramref name="cssClass"/> its class.</summary>
    public string Render(string description, string cssClass = "chart") =>
        $"<svg class=\"{cssClass}\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {F(_width)} {F(_height)}\" width=\"{F(_width)}\" height=\"{F(_height)}\" role=\"img\" aria-label=\"{Escape(description)}\">{_body}</svg>";

    /// <summary>A tick value with as many decimals as its step needs, and a typographic minus.</summary>
    private static string Tick(double value, double step)
    {
        var decimals = Math.Clamp((int)-Math.Floor(Math.Log10(step) + 1e-9), 0, 6);
        var text = Math.Round(value, decimals).ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        return text.Replace('-', '−');
    }

    /// <summary>The first multiple of <paramref name="step"/> at or above <paramref name="min"/>; never −0, which would print as "-0".</summary>
    private static double FirstTick(double min, double step) => (Math.Ceiling(min / step) * step) + 0.0;

    private static double NiceStep(double rough)
    {
        if (!(rough > 0) || !double.IsFinite(rough))
        {
            return 1;
        }

        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(rough)));
        var fraction = rough / magnitude;
        return magnitude * (fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10);
    }

    private void Append(string element) => _body.Append(element);

    private static string F(double value) => value.ToString("0.#", CultureInfo.InvariantCulture);

    private static string Escape(string text) => WebUtility.HtmlEncode(text);
}
