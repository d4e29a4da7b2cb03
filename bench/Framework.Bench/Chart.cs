using System.Globalization;
using Framework.Plot;

namespace Framework.Bench;

/// <summary>Renders the latest run in results.csv as horizontal bars of time ratio ours/PyTorch (green: target met, red: missed).</summary>
internal static class Chart
{
    /// <summary>Draws the latest run of <paramref name="csvPath"/> (with or without the trailing torch_env column) to <paramref name="svgPath"/>.</summary>
    public static void Render(string csvPath, string svgPath)
    {
        var rows = File.ReadAllLines(csvPath).Skip(1).Select(Fields).Where(f => f.Length >= 9).ToList();
        if (rows.Count == 0) throw new InvalidOperationException($"{csvPath} holds no results; run the benchmarks first");
        string latest = rows.Max(r => r[0])!;
        var run = rows.Where(r => r[0] == latest && r[6] != "").Reverse().ToList();   // first workload on top
        var ratios = run.Select(r => double.Parse(r[6], CultureInfo.InvariantCulture)).ToArray();
        var names = run.Select(r => $"{r[1]} {r[2]}").ToArray();
        var plt = new Framework.Plot.Plot();
        foreach (var (verdict, color) in new[] { ("True", Color.FromHex("#2ca02c")), ("False", Color.FromHex("#d62728")), ("", Color.FromHex("#7f7f7f")) })
        {
            var idx = Enumerable.Range(0, run.Count).Where(i => run[i][8] == verdict).ToArray();
            if (idx.Length == 0) continue;
            plt.Add.Bars(idx.Select(i => (double)i).ToArray(), idx.Select(i => ratios[i]).ToArray(),
                label: verdict switch { "True" => "target met", "False" => "target missed", _ => "no target" }, color: color, horizontal: true);
        }
        plt.Add.Line([1, 1], [-0.6, run.Count - 0.4], label: "PyTorch = 1", color: Color.FromHex("#000000"), lineWidth: 1);
        plt.Axes.SetTicksY(Enumerable.Range(0, run.Count).Select(i => (double)i).ToArray(), names);
        plt.Title($"Time ratio ours / PyTorch 1.13 (lower is faster), {latest}");
        plt.XLabel("time ratio");
        plt.Legend(LegendLocation.LowerRight);
        plt.SaveSvg(svgPath, width: 1000, height: 120 + 28 * run.Count);
        Console.WriteLine($"wrote {svgPath} ({run.Count} ratios from the run of {latest})");
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
