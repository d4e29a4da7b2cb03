using System.Diagnostics;

namespace Framework.Bench;

/// <summary>Timing helpers: warm-up, repetitions, medians.</summary>
internal static class Measure
{
    /// <summary>
    /// Median wall time in seconds of <paramref name="reps"/> runs after at least <paramref name="warmup"/> unmeasured runs
    /// lasting at least <paramref name="warmupSeconds"/> together (the JIT moves hot methods to optimized code only after
    /// they have run for a while).
    /// </summary>
    public static double Median(Action run, int reps = 7, int warmup = 2, double warmupSeconds = 1.0)
    {
        var warm = Stopwatch.StartNew();
        for (int i = 0; i < warmup || warm.Elapsed.TotalSeconds < warmupSeconds; i++) run();
        var times = new double[reps];
        for (int i = 0; i < reps; i++)
        {
            var sw = Stopwatch.StartNew();
            run();
            times[i] = sw.Elapsed.TotalSeconds;
        }
        Array.Sort(times);
        return times[reps / 2];
    }
}

/// <summary>One measured figure, with PyTorch's from the same run when available, and the target it is held to.</summary>
/// <param name="TorchEnv">The environment (<see cref="Torch.Variants"/> label) PyTorch's kept figure came from.</param>
/// <param name="Target">For a ratio target: the largest acceptable time ratio ours/PyTorch; with <paramref name="Absolute"/>: the largest acceptable value of Ours.</param>
internal sealed record Row(string Workload, string Case, double Ours, double? Torch, string Unit, bool HigherIsBetter,
                           double? Target = null, bool Absolute = false, string? Note = null, string? TorchEnv = null)
{
    /// <summary>Time ratio ours/PyTorch (throughputs inverted), so below 1 means we are faster.</summary>
    public double? TimeRatio => Torch is null ? null : HigherIsBetter ? Torch / Ours : Ours / Torch;

    /// <summary>Whether the target is met; null without a target or without the reference it needs.</summary>
    public bool? Passed => Target is null ? null : Absolute ? Ours <= Target : TimeRatio is { } r ? r <= Target : null;

    public override string ToString()
    {
        string torch = Torch is null ? "torch n/a" : $"torch {Torch,10:F2} {Unit}";
        string ratio = TimeRatio is null ? "" : $"  time ratio {TimeRatio:F2}x";
        string verdict = Passed is null ? "" : $"  target {(Absolute ? "≤ " + Target : "≤ " + Target + "x")} {(Passed.Value ? "PASS" : "FAIL")}";
        return $"{Workload,-13} {Case,-32} ours {Ours,10:F2} {Unit,-8} {torch}{ratio}{verdict}{(Note is null ? "" : "  " + Note)}{(TorchEnv is null ? "" : "  torch: " + TorchEnv)}";
    }
}

/// <summary>Appends rows to the results CSV (date, workload, case, ours, torch, unit, time ratio, target, passed, torch env).</summary>
internal static class Results
{
    private const string OldHeader = "date,workload,case,ours,torch,unit,time_ratio,target,passed";
    private const string Header = OldHeader + ",torch_env";

    public static void Append(string path, IEnumerable<Row> rows)
    {
        if (File.Exists(path) && File.ReadLines(path).FirstOrDefault() == OldHeader)
            File.WriteAllLines(path, File.ReadAllLines(path).Select((l, i) => i == 0 ? Header : l + ","));   // older file: add the column, empty
        bool header = !File.Exists(path);
        using var w = new StreamWriter(path, append: true);
        if (header) w.WriteLine(Header);
        string date = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture);
        foreach (var r in rows)
            w.WriteLine(string.Join(",", date, r.Workload, $"\"{r.Case}\"", F(r.Ours), F(r.Torch), r.Unit, F(r.TimeRatio), F(r.Target), r.Passed?.ToString() ?? "", r.TorchEnv ?? ""));
    }

    private static string F(double? v) => v?.ToString("R", System.Globalization.CultureInfo.InvariantCulture) ?? "";
}
