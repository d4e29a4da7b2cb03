using System.Globalization;
using Framework.Plot;
using ScottPlot;

namespace Framework.Bench;

/// <summary>Renders results.csv as horizontal bars of time ratio ours/faster peer (ours/PyTorch in rows written before the TorchSharp column), the median over each case's latest runs (green: target met, red: missed).</summary>
internal static class Chart
{
    /// <summary>Draws, for every case of <paramref name="csvPath"/> (with or without the trailing torch_env and torchsharp columns), the median ratio of its latest <paramref name="runs"/> runs as a PNG at <paramref name="path"/> (a .svg path writes the SVG and a .png beside it).</summary>
    public static void Render(string csvPath, string path, int runs = 3)
    {
        var rows = File.ReadAllLines(csvPath).Skip(1).Select(Fields).Where(f => f.Length >= 9 && f[6] != "").ToList();
        if (rows.Count == 0) throw new InvalidOperationException($"{csvPath} holds no results; run the benchmarks first");
        string[] order = [.. Suite.Workloads.Keys];
        var cases = rows.GroupBy(r => (r[1], r[2]))
            .OrderBy(g => Array.IndexOf(order, g.Key.Item1) is var i && i < 0 ? order.Length : i)
            .Select(g =>
            {
                var latest = g.OrderByDescending(r => r[0]).Take(runs).ToList();
                var ratios = latest.Select(r => double.Parse(r[6], CultureInfo.InvariantCulture)).Order().ToArray();
                double median = ratios.Length % 2 == 1 ? ratios[ratios.Length / 2] : (ratios[ratios.Length / 2 - 1] + ratios[ratios.Length / 2]) / 2;
                string target = latest[0][7];
                string verdict = target == "" ? "" : median <= double.Parse(target, CultureInfo.InvariantCulture) ? "True" : "False";
                return (Name: $"{g.Key.Item1} {g.Key.Item2}", Median: median, Verdict: verdict, Count: latest.Count, First: latest[^1][0], Last: latest[0][0]);
            })
            .Reverse().ToList();   // first workload on top
        var plt = PlotFont.NewPlot();
        var colors = new Dictionary<string, (Color Color, string Label)>
        {
            ["True"] = (Color.FromHex("#2ca02c"), "target met"),
            ["False"] = (Color.FromHex("#d62728"), "target missed"),
            [""] = (Color.FromHex("#7f7f7f"), "no target"),
        };
        var bars = plt.Add.Bars(cases.Select((c, i) => new Bar
        {
            Position = i, Value = c.Median, FillColor = colors[c.Verdict].Color, LineWidth = 0, Orientation = Orientation.Horizontal,
        }).ToArray());
        bars.Horizontal = true;
        var one = plt.Add.VerticalLine(1, 1, Colors.Black);
        foreach (var verdict in colors.Keys.Where(v => cases.Any(c => c.Verdict == v)))
            plt.Legend.ManualItems.Add(new LegendItem { LabelText = colors[verdict].Label, FillColor = colors[verdict].Color });
        plt.Legend.ManualItems.Add(new LegendItem { LabelText = "peer = 1", LineColor = Colors.Black, LineWidth = 1 });
        plt.Axes.Left.SetTicks(Enumerable.Range(0, cases.Count).Select(i => (double)i).ToArray(), cases.Select(c => c.Name).ToArray());
        plt.Axes.Margins(left: 0, bottom: 0.02, top: 0.02);
        string from = cases.Min(c => c.First)!.Substring(0, 16).Replace('T', ' '), to = cases.Max(c => c.Last)!.Substring(0, 16).Replace('T', ' ');
        plt.Title($"Ours / faster peer (PyTorch 1.13 or TorchSharp 0.107), median of {cases.Max(c => c.Count)} runs ({from} to {to[11..]} UTC)");
        plt.XLabel("time ratio (lower is faster)");
        plt.ShowLegend(Edge.Right);                 // beside the bars, never over them
        int width = 1000, height = 120 + 28 * cases.Count;
        // The picture users open is the PNG: a .svg path also gets its .png beside it.
        var written = new List<string>();
        if (path.EndsWith(".svg", StringComparison.OrdinalIgnoreCase))
        {
            plt.SaveSvgAtomic(path, width, height);
            written.Add(path);
            path = Path.ChangeExtension(path, ".png");
        }
        plt.SavePngAtomic(path, width, height);
        written.Add(path);
        Console.WriteLine($"wrote {string.Join(" and ", written)} ({cases.Count} median ratios, up to {runs} runs each, {from} to {to} UTC)");
    }

    /// <summary>Splits one CSV line (fields may be double-quoted).</summary>
    private static string[] Fields(string line)
    {
        var fields = new List<string>();
        var cur = new System.Text.StringBuilder();
        bool quoted = false;
        foreach (var ch in line)
        {
            if (ch == '"') quoted = !quoted;
            else if (ch == ',' && !quoted) { fields.Add(cur.ToString()); cur.Clear(); }
            else cur.Append(ch);
        }
        fields.Add(cur.ToString());
        return [.. fields];
    }
}
