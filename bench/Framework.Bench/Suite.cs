using System.Globalization;

namespace Framework.Bench;

/// <summary>One row of a part: our case name (as our side prints it), its unit, the twins' case it compares with (times <see cref="Scale"/>) and its target.</summary>
/// <param name="Target">The largest acceptable time ratio ours/faster peer, or with <paramref name="Absolute"/> the largest acceptable value of ours.</param>
/// <param name="HigherIsBetter">Overrides the part's direction (a ratio row inside a throughput part).</param>
internal sealed record Case(string Name, string Unit, string? Peer = null, double Scale = 1, double? Target = null, bool Absolute = false, bool? HigherIsBetter = null);

/// <summary>One set of fresh processes: our arguments after <c>--one</c>, the PyTorch script and its arguments, TorchSharp's arguments (null: no twin), and the rows.</summary>
internal sealed record Part(string Workload, string[] Ours, string? Script, string[] ScriptArgs, string[]? TorchSharp, bool HigherIsBetter, Case[] Cases);

/// <summary>The workloads, their twins and targets (issue 15's, and issue 14's ≤ 1.0× for lstm and transformer), and how a part is measured.</summary>
internal static class Suite
{
    /// <summary>Workload name → its parts, in the order "all" runs them.</summary>
    public static readonly Dictionary<string, Part[]> Workloads = new()
    {
        ["matmul"] = [MatMul()],
        ["elementwise"] = [new Part("elementwise", ["elementwise"], "elementwise", [], ["elementwise"], true,
            [.. new[] { "add", "mul", "exp", "relu", "sum" }.Select(op => new Case(op, "GB/s", op, Target: 1.0))])],
        ["scalar-chain"] = [new Part("scalar-chain", ["scalar-chain"], "scalar-chain", [], ["scalar-chain"], false,
            [new Case("100k ops first run (cold)", "ns/op", "first run ns/op", Target: 0.1),
             new Case("100k ops forward+backward", "ns/op", "ns/op", Target: 0.2)])],
        ["regression"] = [new Part("regression", ["regression"], "regression", [], ["regression"], false,
            [new Case("800 steps first run (cold)", "ms", "first run", 1e3, Target: 0.1),
             new Case("800 steps", "ms", "800 steps", 1e3, Target: 0.2)])],
        ["mlp"] = [Mlp(64, 0.7, 0.5), Mlp(512, 0.8, 0.7)],
        ["lstm"] = [Steps("lstm")],
        ["transformer"] = [Steps("transformer")],
        ["cnn"] = [new Part("cnn", ["cnn"], "cnn", [], ["cnn"], false,
            [new Case("train step", "ms", "step", 1e3, Target: 1.0),
             new Case("first epoch", "s", "first epoch", Target: 1.0),
             new Case("steady epoch", "s", "steady epoch"),
             new Case("first step done", "s", "first step done")])],
        ["memory"] = [new Part("memory", ["memory"], null, [], null, false,
            [new Case("new pooled arrays per step", "count"),
             new Case("pooled arrays reused per step", "count"),
             new Case("LOH bytes allocated per step", "B", Target: 0, Absolute: true),
             new Case("gen0 collections per epoch", "count"),
             new Case("gen1 collections per epoch", "count"),
             new Case("gen2 collections per epoch", "count", Target: 2, Absolute: true),
             new Case("time in GC", "%", Target: 5, Absolute: true),
             new Case("bytes allocated per step", "B"),
             new Case("peak working set (whole run)", "MiB")])],
        // Open MPI, 2 ranks against 1 process (DistributedBench.cs runs its own processes); not part of "all".
        ["distributed"] = [],
    };

    private static Part MatMul()
    {
        var cases = new List<Case>();
        foreach (int n in new[] { 256, 512, 1024, 2048 })
        {
            // Auto is what users get: n = 256 within 10% of the faster peer (issue 15); the OpenBLAS path within 5% of it from n = 512.
            cases.Add(new Case($"n={n} Auto", "GFLOP/s", $"n={n}", Target: n == 256 ? 1.1 : null));
            cases.Add(new Case($"n={n} OpenBlas", "GFLOP/s", $"n={n}", Target: n >= 512 ? 1.05 : null));
            cases.Add(new Case($"n={n} Managed", "GFLOP/s", $"n={n}"));
        }
        return new Part("matmul", ["matmul"], "matmul", [], ["matmul"], true, [.. cases]);
    }

    private static Part Mlp(int batch, double firstEpoch, double steady)
    {
        string b = $"batch {batch}";
        return new Part("mlp", ["mlp", $"{batch}"], "mlp", [$"{batch}"], ["mlp", $"{batch}"], false,
        [
            new Case($"{b} first epoch", "s", "first epoch", Target: firstEpoch),
            new Case($"{b} steady epoch", "s", "steady epoch", Target: steady),
            new Case($"{b} first step done", "s", "first step done"),
            // Issue 15 item 5: no per-step garbage in the script's scenario.
            new Case($"{b} bytes allocated/step", "B", Target: 64 * 1024, Absolute: true),
            new Case($"{b} gen2 per steady epoch", "count", Target: 0, Absolute: true),
            new Case($"{b} gen2 first epoch", "count"),
        ]);
    }

    private static Part Steps(string workload) => new(workload, [workload], workload, [], [workload], false,
        [new Case("train step", "ms", "step", 1e3, Target: 1.0), new Case("steady step", "ms", "steady step", 1e3, Target: 1.0),
         new Case("first step", "ms", "first step", 1e3)]);

    /// <summary>Runs a part <paramref name="reps"/> times on every side, alternating, and makes its rows (none, with a message, when our side failed).</summary>
    public static List<Row> Measure(Part part, int reps)
    {
        var ours = Ours.Runs(part.Ours);
        string? torchMissing = null;
        var torch = part.Script is null ? null : Torch.Runs(part.Script, part.ScriptArgs, out torchMissing);
        var sharp = part.TorchSharp is null ? null : TorchSharpTwin.Runs(part.TorchSharp);
        var sides = new[] { ours, torch, sharp }.OfType<FreshRuns>().ToList();
        for (int r = 0; r < reps; r++)
            foreach (var side in sides) side.RunAll();
        var o = ours.Figures(part.HigherIsBetter);
        if (o.Error is not null)
        {
            Console.WriteLine($"  {part.Workload} {string.Join(" ", part.Ours)}: our side failed: {o.Error}");
            return [];
        }
        var t = torch?.Figures(part.HigherIsBetter);
        var s = sharp?.Figures(part.HigherIsBetter);
        string? sharpWhy = part.TorchSharp is null ? null : sharp is null ? TorchSharpTwin.Error : s!.Error;
        string? torchWhy = part.Script is null ? null : torch is null ? torchMissing : t!.Error;
        if (torchWhy is not null) Console.WriteLine($"  PyTorch n/a: {torchWhy}");
        if (sharpWhy is not null) Console.WriteLine($"  TorchSharp n/a: {sharpWhy}");
        var data = new[] { ("ours", o.Info), ("torch", t?.Info), ("torchsharp", s?.Info) }
            .Where(d => d.Item2 is not null && d.Item2.ContainsKey("data")).Select(d => $"{d.Item1} {d.Item2!["data"]}").ToList();
        if (data.Count > 0) Console.WriteLine($"  data: {string.Join(", ", data)}");
        var rows = new List<Row>();
        foreach (var c in part.Cases)
        {
            if (o[c.Name] is not { } value) continue;   // e.g. no OpenBLAS row without OpenBLAS
            double? Peer(TorchFigures? f) => c.Peer is null || f?[c.Peer] is not { } v ? null : v * c.Scale;
            var runs = o.Runs[c.Name];
            static string G(double v) => v.ToString(Math.Abs(v) >= 1000 ? "F0" : "G3", CultureInfo.InvariantCulture);
            string spread = runs.Count > 1 ? $"ours {G(runs.Min())}–{G(runs.Max())} over {runs.Count} runs" : "";
            var notes = new[] { spread, c.Peer is not null && torchWhy is not null ? $"torch n/a: {torchWhy}" : "",
                                c.Peer is not null && sharpWhy is not null ? $"torchsharp n/a: {sharpWhy}" : "" }.Where(n => n != "").ToList();
            rows.Add(new Row(part.Workload, c.Name, value, Peer(t), c.Unit, c.HigherIsBetter ?? part.HigherIsBetter, c.Target, c.Absolute,
                             Note: notes.Count == 0 ? null : string.Join("; ", notes), TorchEnv: c.Peer is null ? null : t?.VariantOf(c.Peer),
                             TorchSharp: Peer(s), TorchSharpEnv: c.Peer is null ? null : s?.VariantOf(c.Peer)));
        }
        // The managed kernel at least half as fast as OpenBLAS at n = 1024 (time ratio managed/OpenBLAS at most 2).
        if (part.Workload == "matmul" && o["n=1024 OpenBlas"] is { } blas && o["n=1024 Managed"] is { } managed)
            rows.Add(new Row("matmul", "n=1024 time Managed/OpenBlas", blas / managed, null, "x", false, Target: 2, Absolute: true));
        return rows;
    }

    /// <summary>The CPU's model name from /proc/cpuinfo, or "unknown CPU".</summary>
    public static string CpuModel()
    {
        try
        {
            return File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown CPU";
        }
        catch (IOException) { return "unknown CPU"; }
    }
}
