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
        return Median(times);
    }

    /// <summary>Wall time in seconds of one run of <paramref name="run"/>.</summary>
    public static double Time(Action run)
    {
        var sw = Stopwatch.StartNew();
        run();
        return sw.Elapsed.TotalSeconds;
    }

    /// <summary>The median of <paramref name="values"/> (the upper middle one for an even count, as the twins' sorted[n // 2]).</summary>
    public static double Median(IEnumerable<double> values)
    {
        var v = values.Order().ToArray();
        return v[v.Length / 2];
    }

    /// <summary>Seconds since this process started (the runtime's start included), as bench/pytorch/since_start.py measures it.</summary>
    public static double SinceStart() => (DateTime.Now - Process.GetCurrentProcess().StartTime).TotalSeconds;
}

/// <summary>One measured figure, with PyTorch's and TorchSharp's from the same run when available, and the target it is held to.</summary>
/// <param name="TorchEnv">The environment (<see cref="Torch.Variants"/> label) PyTorch's kept figure came from.</param>
/// <param name="Target">For a ratio target: the largest acceptable time ratio ours/faster peer; with <paramref name="Absolute"/>: the largest acceptable value of Ours.</param>
/// <param name="TorchSharp">TorchSharp 0.107 (libtorch 2.10)'s figure, or null.</param>
/// <param name="TorchSharpEnv">The OpenMP setting ("default" or "PASSIVE") TorchSharp's kept figure came from.</param>
internal sealed record Row(string Workload, string Case, double Ours, double? Torch, string Unit, bool HigherIsBetter,
                           double? Target = null, bool Absolute = false, string? Note = null, string? TorchEnv = null,
                           double? TorchSharp = null, string? TorchSharpEnv = null)
{
    /// <summary>The faster peer's figure (PyTorch's or TorchSharp's), or null when neither ran.</summary>
    public double? Peer => (Torch, TorchSharp) switch
    {
        (null, null) => null,
        ({ } t, null) => t,
        (null, { } s) => s,
        ({ } t, { } s) => HigherIsBetter ? Math.Max(t, s) : Math.Min(t, s),
    };

    /// <summary>Which peer <see cref="Peer"/> is: "PyTorch", "TorchSharp", or null.</summary>
    public string? PeerName => Peer is null ? null : Peer == Torch ? "PyTorch" : "TorchSharp";

    /// <summary>Time ratio ours/faster peer (throughputs inverted), so below 1 means we are faster.</summary>
    public double? TimeRatio => Peer is not { } p ? null : HigherIsBetter ? p / Ours : Ours / p;

    /// <summary>Whether the target is met; null without a target or without the reference it needs.</summary>
    public bool? Passed => Target is null ? null : Absolute ? Ours <= Target : TimeRatio is { } r ? r <= Target : null;

    public override string ToString()
    {
        static string V(double? v) => v is null ? "n/a" : v.Value.ToString(Math.Abs(v.Value) >= 1000 ? "F0" : "G4", System.Globalization.CultureInfo.InvariantCulture);
        string ratio = TimeRatio is null ? "" : $"{TimeRatio:F2}x vs {PeerName}";
        string verdict = Passed is null ? "" : $"target {(Absolute ? "≤ " + Target : "≤ " + Target + "x")} {(Passed.Value ? "PASS" : "FAIL")}";
        string envs = (TorchEnv is null ? "" : "  torch: " + TorchEnv) + (TorchSharpEnv is null ? "" : "  torchsharp: " + TorchSharpEnv);
        return $"{Workload,-12} {Case,-26} {Unit,-8} ours {V(Ours),9}  torch {V(Torch),9}  torchsharp {V(TorchSharp),9}  {ratio,-20} {verdict}{(Note is null ? "" : "  " + Note)}{envs}";
    }
}

/// <summary>Appends rows to the results CSV (date, workload, case, ours, torch, unit, time ratio vs the faster peer, target, passed, torch env, torchsharp, torchsharp env).</summary>
internal static class Results
{
    private const string OldHeader = "date,workload,case,ours,torch,unit,time_ratio,target,passed";
    private const string EnvHeader = OldHeader + ",torch_env";
    private const string Header = EnvHeader + ",torchsharp,torchsharp_env";

    public static void Append(string path, IEnumerable<Row> rows)
    {
        // Older files: add the missing columns, empty (time_ratio there is ours/PyTorch).
        string? first = File.Exists(path) ? File.ReadLines(path).FirstOrDefault() : null;
        string? pad = first == OldHeader ? ",,," : first == EnvHeader ? ",," : null;
        if (pad is not null)
            File.WriteAllLines(path, File.ReadAllLines(path).Select((l, i) => i == 0 ? Header : l + pad));
        bool header = !File.Exists(path);
        using var w = new StreamWriter(path, append: true);
        if (header) w.WriteLine(Header);
        string date = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture);
        foreach (var r in rows)
            w.WriteLine(string.Join(",", date, r.Workload, $"\"{r.Case}\"", F(r.Ours), F(r.Torch), r.Unit, F(r.TimeRatio), F(r.Target), r.Passed?.ToString() ?? "",
                                    r.TorchEnv ?? "", F(r.TorchSharp), r.TorchSharpEnv ?? ""));
    }

    private static string F(double? v) => v?.ToString("R", System.Globalization.CultureInfo.InvariantCulture) ?? "";
}
