using System.Globalization;
using Framework.Plot;

namespace Framework.Bench;

/// <summary>Renders results.csv as horizontal bars of time ratio ours/PyTorch, the median over each case's latest runs (green: target met, red: missed).</summary>
internal static class Chart
{
    /// <summary>Draws, for every case of <paramref name="csvPath"/> (with or without the trailing torch_env column), the median ratio of its latest <paramref name="runs"/> runs to <paramref name="svgPath"/>.</summary>
    public static void Render(string csvPath, string svgPath, int runs = 3)
    {
        var rows = File.ReadAllLines(csvPath).Skip(1).Select(Fields).Where(f => f.Length >= 9 && f[6] != "").ToList();
        if (rows.Count == 0) throw new InvalidOperationException($"{csvPath} holds no results; run the benchmarks first");
        string[] order = ["matmul", "elementwise", "scalar-chain", "mlp", "regression"];
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
        var plt = new Framework.Plot.Plot();
        foreach (var (verdict, color) in new[] { ("True", Color.FromHex("#2ca02c")), ("False", Color.FromHex("#d62728")), ("", Color.FromHex("#7f7f7f")) })
        {
            var idx = Enumerable.Range(0, cases.Count).Where(i => cases[i].Verdict == verdict).ToArray();
            if (idx.Length == 0) continue;
            plt.Add.Bars(idx.Select(i => (double)i).ToArray(), idx.Select(i => cases[i].Median).ToArray(),
                label: verdict switch { "True" => "target met", "False" => "target missed", _ => "no target" }, color: color, horizontal: true);
        }
        plt.Add.Line([1, 1], [-0.6, cases.Count - 0.4], label: "PyTorch = 1", color: Color.FromHex("#000000"), lineWidth: 1);
        plt.Axes.SetTicksY(Enumerable.Range(0, cases.Count).Select(i => (double)i).ToArray(), cases.Select(c => c.Name).ToArray());
        string from = cases.Min(c => c.First)!.Substring(0, 16).Replace('T', ' '), to = cases.Max(c => c.Last)!.Substring(0, 16).Replace('T', ' ');
        plt.Title($"Ours / PyTorch 1.13, median of {cases.Max(c => c.Count)} runs ({from} to {to[11..]} UTC)");
        plt.XLabel("time ratio (lower is faster)");
        plt.Legend(LegendLocation.LowerRight);
        plt.SaveSvg(svgPath, width: 1000, height: 120 + 28 * cases.Count);
        Console.WriteLine($"wrote {svgPath} ({cases.Count} median ratios, up to {runs} runs each, {from} to {to} UTC)");
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
