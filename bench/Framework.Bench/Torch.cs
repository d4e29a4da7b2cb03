using System.Diagnostics;
using System.Globalization;

namespace Framework.Bench;

/// <summary>PyTorch's figures for one workload: per case the better of the two thread environments, and which one that was.</summary>
internal sealed class TorchFigures
{
    /// <summary>The kept figure per case.</summary>
    public Dictionary<string, double> Values { get; } = [];

    /// <summary>The environment (<see cref="Torch.Variants"/> label) that gave the kept figure, per case.</summary>
    public Dictionary<string, string> Variant { get; } = [];

    /// <summary>Non-numeric "key text" lines the script printed (e.g. "data fashion-mnist").</summary>
    public Dictionary<string, string> Info { get; } = [];

    /// <summary>The kept figure for <paramref name="case"/>, or null when the script gave none.</summary>
    public double? this[string @case] => Values.TryGetValue(@case, out var v) ? v : null;

    /// <summary>The winning environment for <paramref name="case"/>, or null.</summary>
    public string? VariantOf(string @case) => Variant.GetValueOrDefault(@case);
}

/// <summary>Runs the PyTorch twin of a workload (bench/pytorch/&lt;name&gt;.py with Debian's python3-torch) and reads its "case value" lines.</summary>
internal static class Torch
{
    private const string Python = "/usr/bin/python3";

    /// <summary>The environments each script runs under (label, variables); on 2 cores torch's OpenMP threads and OpenBLAS's own oversubscribe by default (issue 5).</summary>
    public static readonly (string Label, (string Name, string Value)[] Env)[] Variants =
    [
        ("PASSIVE", [("OMP_WAIT_POLICY", "PASSIVE")]),
        ("PASSIVE+OPENBLAS_NUM_THREADS=1", [("OMP_WAIT_POLICY", "PASSIVE"), ("OPENBLAS_NUM_THREADS", "1")]),
    ];

    /// <summary>Runs the script under every <see cref="Variants"/> entry and keeps, per case, the faster figure (the higher one when <paramref name="higherIsBetter"/>); empty (with a message) when torch is unavailable.</summary>
    public static TorchFigures Run(string workload, bool higherIsBetter)
    {
        var result = new TorchFigures();
        var script = Path.Combine(BenchDir(), "pytorch", workload + ".py");
        if (!File.Exists(Python) || !File.Exists(script)) { Console.WriteLine($"  (PyTorch comparison skipped: {Python} or {script} missing)"); return result; }
        var all = new Dictionary<string, double>[Variants.Length];
        for (int k = 0; k < Variants.Length; k++)
        {
            all[k] = RunOnce(script, Variants[k].Env, result.Info, out var error);
            if (error is not null) Console.WriteLine($"  (PyTorch under {Variants[k].Label} failed: {error})");
            foreach (var (c, v) in all[k])
                if (!result.Values.TryGetValue(c, out var best) || (higherIsBetter ? v > best : v < best))
                {
                    result.Values[c] = v;
                    result.Variant[c] = Variants[k].Label;
                }
        }
        if (result.Values.Count > 0)
            Console.WriteLine($"  torch variant per case ({string.Join(" vs ", Variants.Select(v => v.Label))}, {(higherIsBetter ? "higher" : "lower")} kept): " +
                string.Join("; ", result.Values.Keys.Select(c =>
                    $"{c} -> {result.Variant[c]} ({string.Join(" vs ", all.Select(d => d.TryGetValue(c, out var v) ? v.ToString("G4", CultureInfo.InvariantCulture) : "n/a"))})")));
        return result;
    }

    /// <summary>One run of <paramref name="script"/> with <paramref name="env"/> set: its "case value" figures; text lines go to <paramref name="info"/>; <paramref name="error"/> is set when it failed.</summary>
    private static Dictionary<string, double> RunOnce(string script, (string Name, string Value)[] env, Dictionary<string, string> info, out string? error)
    {
        var result = new Dictionary<string, double>();
        var psi = new ProcessStartInfo(Python, script) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var (name, value) in env) psi.Environment[name] = value;
        using var p = Process.Start(psi)!;
        var stderrTask = p.StandardError.ReadToEndAsync();
        string stdout = p.StandardOutput.ReadToEnd();
        string stderr = stderrTask.Result;
        p.WaitForExit();
        error = p.ExitCode != 0 ? stderr.Trim().Split('\n').LastOrDefault() ?? $"exit code {p.ExitCode}" : null;
        if (error is not null) return result;
        foreach (var line in stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            int sp = line.LastIndexOf(' ');
            if (sp <= 0) continue;
            if (double.TryParse(line[(sp + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture, out var v)) result[line[..sp].Trim()] = v;
            else info[line[..sp].Trim()] = line[(sp + 1)..].Trim();
        }
        return result;
    }

    /// <summary>The bench/ folder, found upwards from the executable or the working directory.</summary>
    public static string BenchDir()
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
        {
            var d = new DirectoryInfo(start);
            while (d is not null)
            {
                if (Directory.Exists(Path.Combine(d.FullName, "bench", "pytorch"))) return Path.Combine(d.FullName, "bench");
                if (d.Name == "bench" && Directory.Exists(Path.Combine(d.FullName, "pytorch"))) return d.FullName;
                d = d.Parent;
            }
        }
        return "bench";
    }
}
