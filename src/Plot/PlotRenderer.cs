namespace Framework.Plot;

/// <summary>Lays out one plot inside a rectangle (margins sized to its text) and draws it into an SvgBuilder.</summary>
internal static class PlotRenderer
{
    private const double TickFont = 12, LabelFont = 14, TitleFont = 16, LegendFont = 12;
    private const double TickLength = 5, Pad = 10;
    private static readonly Color Frame = new(68, 68, 68), Grid = new(225, 225, 225), MinorGrid = new(242, 242, 242);

    /// <summary>One axis after layout: limits, ticks and labels, and the map from data to pixels.</summary>
    private sealed record Scale(Axis Axis, double Min, double Max, double[] Ticks, string[] Labels, double[] Minor,
        double P0, double P1)
    {
        private readonly double _t0 = Axis.Forward(Min), _t1 = Axis.Forward(Max);

        /// <summary>Pixel coordinate of data value v: P0 at Min, P1 at Max, linear in Forward(v).</summary>
        public double Map(double v) => P0 + (Axis.Forward(v) - _t0) / (_t1 - _t0) * (P1 - P0);
    }

    public static void Render(Plot plot, SvgBuilder svg, double x, double y, double w, double h, string id)
    {
        var limits = plot.Axes.GetLimits();
        bool hasTitle = !string.IsNullOrEmpty(plot.TitleText);
        bool hasX = !string.IsNullOrEmpty(plot.XLabelText), hasY = !string.IsNullOrEmpty(plot.YLabelText);

        double top = Pad + (hasTitle ? TitleFont * 1.25 + 6 : 6);
        double bottom = TickLength + 4 + TickFont + (hasX ? 8 + LabelFont : 0) + Pad;
        double areaH = Math.Max(1, h - top - bottom);
        var (yTicks, yLabels, yMinor) = MakeTicks(plot.Axes.Y, limits.YMin, limits.YMax, areaH, 55, horizontal: false);
        double yLabelW = yLabels.Select(l => SvgBuilder.TextWidth(l, TickFont)).DefaultIfEmpty(0).Max();
        double left = Pad + (hasY ? LabelFont + 8 : 0) + yLabelW + 4 + TickLength;
        double right = Pad + 12;
        double areaW = Math.Max(1, w - left - right);
        var (xTicks, xLabels, xMinor) = MakeTicks(plot.Axes.X, limits.XMin, limits.XMax, areaW, 90, horizontal: true);

        double ax = x + left, ay = y + top;
        var sx = new Scale(plot.Axes.X, limits.XMin, limits.XMax, xTicks, xLabels, xMinor, ax, ax + areaW);
        var sy = new Scale(plot.Axes.Y, limits.YMin, limits.YMax, yTicks, yLabels, yMinor, ay + areaH, ay);

        svg.OpenGroup($"plot {id}");
        svg.Rect(ax, ay, areaW, areaH, fill: Color.White, stroke: null, cssClass: "data-area");
        DrawGrid(svg, sx, sy, ax, ay, areaW, areaH);

        string clip = $"{id}-clip";
        svg.ClipRect(clip, ax, ay, areaW, areaH);
        svg.OpenGroup("series-all", clip);
        foreach (var s in plot.SeriesList)
            SeriesRenderer.Draw(svg, s, sx.Map, sy.Map, plot.Axes.X, plot.Axes.Y, (ax, ay, areaW, areaH));
        svg.CloseGroup();

        svg.Rect(ax, ay, areaW, areaH, fill: null, stroke: Frame, strokeWidth: 1, cssClass: "frame");
        DrawTickLabels(svg, sx, sy, ax, ay, areaW, areaH);

        if (hasTitle)
            svg.Text(plot.TitleText!, ax + areaW / 2, y + Pad + TitleFont, TitleFont, "middle", bold: true, cssClass: "title");
        if (hasX)
            svg.Text(plot.XLabelText!, ax + areaW / 2, ay + areaH + TickLength + 4 + TickFont + 8 + LabelFont * 0.8,
                LabelFont, "middle", cssClass: "xlabel");
        if (hasY)
            svg.Text(plot.YLabelText!, x + Pad + LabelFont / 2, ay + areaH / 2, LabelFont, "middle", middle: true,
                rotate: -90, cssClass: "ylabel");
        if (plot.LegendVisible)
            DrawLegend(svg, plot, ax, ay, areaW, areaH);
        svg.CloseGroup();
    }

    /// <summary>Major ticks, their labels and minor ticks for one axis; fewer ticks if the labels would collide.</summary>
    private static (double[] Ticks, string[] Labels, double[] Minor) MakeTicks(Axis axis, double min, double max,
        double pixels, double pixelsPerTick, bool horizontal)
    {
        double lo = Math.Min(min, max), hi = Math.Max(min, max);
        if (!double.IsFinite(hi - lo) || !(hi > lo))
            return ([], [], []);
        if (axis.ManualTicks is var (positions, names))
        {
            var keep = Enumerable.Range(0, positions.Length).Where(i => positions[i] >= lo && positions[i] <= hi).ToArray();
            return (keep.Select(i => positions[i]).ToArray(), keep.Select(i => names[i]).ToArray(), []);
        }
        for (int target = Math.Clamp((int)Math.Round(pixels / pixelsPerTick), 2, 10); ; target--)
        {
            double[] ticks;
            string[] labels;
            if (axis.Log)
            {
                ticks = Ticks.Log10(lo, hi, target);
                labels = Ticks.LogLabels(ticks);
            }
            else
            {
                ticks = Ticks.Linear(lo, hi, target);
                labels = Ticks.Labels(ticks, Ticks.NiceStep(lo, hi, target));
            }
            double need = horizontal
                ? labels.Select(l => SvgBuilder.TextWidth(l, TickFont) + 10).DefaultIfEmpty(0).Sum()
                : labels.Length * TickFont * 1.3;
            if (need <= pixels || target <= 2)
                return (ticks, labels, axis.Log ? Ticks.Log10Minor(lo, hi) : []);
        }
    }

    private static void DrawGrid(SvgBuilder svg, Scale sx, Scale sy, double ax, double ay, double w, double h)
    {
        svg.OpenGroup("grid");
        foreach (var v in sx.Minor) { double p = sx.Map(v); svg.Line(p, ay, p, ay + h, MinorGrid); }
        foreach (var v in sy.Minor) { double p = sy.Map(v); svg.Line(ax, p, ax + w, p, MinorGrid); }
        foreach (var v in sx.Ticks) { double p = sx.Map(v); svg.Line(p, ay, p, ay + h, Grid); }
        foreach (var v in sy.Ticks) { double p = sy.Map(v); svg.Line(ax, p, ax + w, p, Grid); }
        svg.CloseGroup();
    }

    private static void DrawTickLabels(SvgBuilder svg, Scale sx, Scale sy, double ax, double ay, double w, double h)
    {
        svg.OpenGroup("ticks");
        double yb = ay + h;
        foreach (var v in sx.Minor) { double p = sx.Map(v); svg.Line(p, yb, p, yb + TickLength / 2, Frame); }
        foreach (var v in sy.Minor) { double p = sy.Map(v); svg.Line(ax - TickLength / 2, p, ax, p, Frame); }
        for (int i = 0; i < sx.Ticks.Length; i++)
        {
            double p = sx.Map(sx.Ticks[i]);
            svg.Line(p, yb, p, yb + TickLength, Frame);
            svg.Text(sx.Labels[i], p, yb + TickLength + 3 + TickFont * 0.85, TickFont, "middle", cssClass: "tick-label");
        }
        for (int i = 0; i < sy.Ticks.Length; i++)
        {
            double p = sy.Map(sy.Ticks[i]);
            svg.Line(ax - TickLength, p, ax, p, Frame);
            svg.Text(sy.Labels[i], ax - TickLength - 3, p, TickFont, "end", middle: true, cssClass: "tick-label");
        }
        svg.CloseGroup();
    }

    private static void DrawLegend(SvgBuilder svg, Plot plot, double ax, double ay, double w, double h)
    {
        var items = plot.SeriesList.Where(s => !string.IsNullOrEmpty(s.Label)).ToList();
        if (items.Count == 0)
            return;
        const double row = LegendFont * 1.5, sample = 24, inset = 8, padding = 6;
        double textW = items.Max(s => SvgBuilder.TextWidth(s.Label!, LegendFont));
        double boxW = padding + sample + 6 + textW + padding, boxH = 2 * padding + items.Count * row;
        double bx = plot.LegendCorner is LegendLocation.UpperLeft or LegendLocation.LowerLeft ? ax + inset : ax + w - inset - boxW;
        double by = plot.LegendCorner is LegendLocation.UpperLeft or LegendLocation.UpperRight ? ay + inset : ay + h - inset - boxH;

        svg.OpenGroup("legend");
        svg.Rect(bx, by, boxW, boxH, fill: Color.White.WithOpacity(0.9), stroke: new Color(180, 180, 180), cssClass: "legend-box");
        for (int i = 0; i < items.Count; i++)
        {
            var s = items[i];
            double cy = by + padding + (i + 0.5) * row, sx0 = bx + padding;
            if (s.LineWidth > 0)
                svg.Line(sx0, cy, sx0 + sample, cy, s.Color, Math.Min(s.LineWidth, row / 2));
            if (s.MarkerSize > 0)
                svg.Circle(sx0 + sample / 2, cy, Math.Min(s.MarkerSize, row - 4) / 2, s.Color);
            if (s.BarWidth > 0)
                svg.Rect(sx0 + sample / 4, cy - row / 4, sample / 2, row / 2, s.Color, null);
            svg.Text(s.Label!, sx0 + sample + 6, cy, LegendFont, middle: true, cssClass: "legend-text");
        }
        svg.CloseGroup();
    }
}
