using System.Diagnostics;

namespace Framework.Bench;

/// <summary>Timing helpers: warm-up, repetitions, medians.</summary>
internal static class Measure
{
    /// <summary>Median wall time in seconds of <paramref name="reps"/> runs after <paramref name="warmup"/> unmeasured runs.</summary>
    public static double Median(Action run, int reps = 7, int warmup = 2)
    {
        for (int i = 0; i < warmup; i++) run();
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

/// <summary>One measured figure, with PyTorch's figure from the same run when available.</summary>
internal sealed record Row(string Workload, string Case, double Ours, double? Torch, string Unit, bool HigherIsBetter)
{
    /// <summary>ours/PyTorch for times, PyTorch/ours... expressed so that below 1 means we are faster (time ratio).</summary>
    public double? TimeRatio => Torch is null ? null : HigherIsBetter ? Torch / Ours : Ours / Torch;

    public override string ToString()
    {
        string torch = Torch is null ? "torch n/a" : $"torch {Torch,10:F2} {Unit}";
        string ratio = TimeRatio is null ? "" : $"  time ratio ours/torch {TimeRatio:F2}x";
        return $"{Workload,-13} {Case,-28} ours {Ours,10:F2} {Unit,-8} {torch}{ratio}";
    }
}
