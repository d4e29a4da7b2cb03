using System.Text;

namespace Framework.Plot;

/// <summary>Draws one series: a path through its drawable points (clipped to the data area), and circle markers.</summary>
internal static class SeriesRenderer
{
    public static void Draw(SvgBuilder svg, Series s, Func<double, double> mapX, Func<double, double> mapY,
        Axis xAxis, Axis yAxis, (double X, double Y, double W, double H) area)
    {
        // pixel positions; null where the point cannot be drawn (NaN, ∞, ≤ 0 on a log axis)
        var pts = new (double X, double Y)?[s.Count];
        for (int i = 0; i < s.Count; i++)
        {
            if (!xAxis.Accepts(s.Xs[i]) || !yAxis.Accepts(s.Ys[i]))
                continue;
            double px = mapX(s.Xs[i]), py = mapY(s.Ys[i]);
            if (double.IsFinite(px) && double.IsFinite(py))
                pts[i] = (px, py);
        }

        if (s.BarWidth > 0)
        {
            DrawBars(svg, s, mapX, mapY, xAxis, yAxis, area);
            return;
        }
        bool line = s.LineWidth > 0, markers = s.MarkerSize > 0;
        svg.OpenGroup(line ? (markers ? "series line scatter" : "series line") : "series scatter");
        if (line)
        {
            // clip to the area grown by the line width, so a far-away point cannot produce huge coordinates
            double m = s.LineWidth + 1;
            var d = PathData(pts, area.X - m, area.Y - m, area.X + area.W + m, area.Y + area.H + m);
            if (d.Length > 0)
                svg.Path(d, s.Color, s.LineWidth, "series-line");
            if (!markers)
            {
                // a point with no drawable neighbour would be invisible in the path: show it as a dot
                for (int i = 0; i < pts.Length; i++)
                    if (pts[i] is var (x, y) && (i == 0 || pts[i - 1] is null) && (i == pts.Length - 1 || pts[i + 1] is null)
                        && Inside(x, y, area, s.LineWidth))
                        svg.Circle(x, y, s.LineWidth * 1.5, s.Color);
            }
        }
        if (markers)
        {
            double r = s.MarkerSize / 2;
            foreach (var p in pts)
                if (p is var (x, y) && Inside(x, y, area, r))
                    svg.Circle(x, y, r, s.Color);
        }
        svg.CloseGroup();
    }

    /// <summary>One filled rectangle per drawable point, from the base (0, or the area's edge on a log axis) to the value, clipped to the area.</summary>
    private static void DrawBars(SvgBuilder svg, Series s, Func<double, double> mapX, Func<double, double> mapY,
        Axis xAxis, Axis yAxis, (double X, double Y, double W, double H) area)
    {
        svg.OpenGroup("series bars");
        double half = s.BarWidth / 2;
        for (int i = 0; i < s.Count; i++)
        {
            double x = s.Xs[i], y = s.Ys[i];
            if (!xAxis.Accepts(x) || !yAxis.Accepts(y)) continue;
            double x0, x1, y0, y1;
            if (s.Horizontal)
            {
                x0 = xAxis.Log ? area.X : mapX(0); x1 = mapX(x);
                y0 = mapY(y - half); y1 = mapY(y + half);
            }
            else
            {
                x0 = mapX(x - half); x1 = mapX(x + half);
                y0 = yAxis.Log ? area.Y + area.H : mapY(0); y1 = mapY(y);
            }
            double left = Math.Clamp(Math.Min(x0, x1), area.X, area.X + area.W), right = Math.Clamp(Math.Max(x0, x1), area.X, area.X + area.W);
            double top = Math.Clamp(Math.Min(y0, y1), area.Y, area.Y + area.H), bottom = Math.Clamp(Math.Max(y0, y1), area.Y, area.Y + area.H);
            if (right - left > 0 && bottom - top > 0)
                svg.Rect(left, top, right - left, bottom - top, s.Color, null);
        }
        svg.CloseGroup();
    }

    private static bool Inside(double x, double y, (double X, double Y, double W, double H) a, double margin) =>
        x >= a.X - margin && x <= a.X + a.W + margin && y >= a.Y - margin && y <= a.Y + a.H + margin;

    /// <summary>"M x y L x y ..." through consecutive drawable points, each segment clipped (Liang–Barsky) to the box.</summary>
    private static string PathData((double X, double Y)?[] pts, double x0, double y0, double x1, double y1)
    {
        var sb = new StringBuilder();
        (double X, double Y)? pen = null; // where the current subpath ends
        for (int i = 1; i < pts.Length; i++)
        {
            if (pts[i - 1] is not var (ax, ay) || pts[i] is not var (bx, by))
                continue;
            if (!Clip(ref ax, ref ay, ref bx, ref by, x0, y0, x1, y1))
                continue;
            if (pen is not var (penX, penY) || Math.Abs(penX - ax) > 1e-9 || Math.Abs(penY - ay) > 1e-9)
                sb.Append(sb.Length == 0 ? "" : " ").Append('M').Append(SvgBuilder.N(ax)).Append(' ').Append(SvgBuilder.N(ay));
            sb.Append(" L").Append(SvgBuilder.N(bx)).Append(' ').Append(SvgBuilder.N(by));
            pen = (bx, by);
        }
        return sb.ToString();
    }

    /// <summary>Cuts segment a-b to the box [x0, x1] × [y0, y1]; false if nothing of it is inside.</summary>
    private static bool Clip(ref double ax, ref double ay, ref double bx, ref double by,
        double x0, double y0, double x1, double y1)
    {
        double dx = bx - ax, dy = by - ay, t0 = 0, t1 = 1;
        ReadOnlySpan<(double P, double Q)> edges = [(-dx, ax - x0), (dx, x1 - ax), (-dy, ay - y0), (dy, y1 - ay)];
        foreach (var (p, q) in edges)
        {
            if (p == 0)
            {
                if (q < 0) return false; // parallel to this edge and outside it
                continue;
            }
            double t = q / p;
            if (p < 0) { if (t > t1) return false; if (t > t0) t0 = t; }
            else { if (t < t0) return false; if (t < t1) t1 = t; }
        }
        double sx = ax, sy = ay;
        (ax, ay) = (sx + t0 * dx, sy + t0 * dy);
        (bx, by) = (sx + t1 * dx, sy + t1 * dy);
        return true;
    }
}
