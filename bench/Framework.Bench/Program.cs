// Benchmarks, run the way a user's script runs: dotnet run -c Release --project bench/Framework.Bench -- <workload>|all [--reps N]
//   Workloads: matmul, elementwise, scalar-chain, regression, mlp (batch 64 and 512), cnn, lstm, transformer, memory;
//   distributed (mpirun, 2 ranks; not part of "all").
//   Per workload and repetition (N ≥ 3, default 3) it starts fresh processes, in turn: ours (dotnet Framework.Bench.dll
//   --one <workload>, with every DOTNET_*/COMPlus_* variable removed: the runtime's defaults), the PyTorch 1.13 twin
//   bench/pytorch/<workload>.py (OMP_WAIT_POLICY=PASSIVE with and without OPENBLAS_NUM_THREADS=1) and the TorchSharp
//   0.107 / libtorch 2.10 twin bench/TorchSharp (built once at the start; default OpenMP settings and OMP_WAIT_POLICY=PASSIVE).
//   Each side's figure is the median of its runs, a twin's under its faster environment (labelled). A row shows ours,
//   PyTorch's, TorchSharp's, the time ratio against the faster peer and the target (PASS/FAIL); rows are appended to
//   bench/results.csv and a summary line ends the run.
// dotnet run -c Release --project bench/Framework.Bench -- chart [svg] [runs]: each case's median time ratio over its latest runs (3 by default) as bars.
// dotnet run -c Release --project bench/Framework.Bench -- --one <workload> [arg]: one run of our side, RESULT lines only (what the driver starts).
using System.Diagnostics;
using System.Globalization;
using Framework.Autograd;
using Framework.Bench;

if (args.Length > 0 && args[0] == "--one") return Workloads.RunOne(args[1..]);
string which = args.Length > 0 && !args[0].StartsWith("--", StringComparison.Ordinal) ? args[0] : "all";
if (which == "chart")
{
    Chart.Render(Path.Combine(Torch.BenchDir(), "results.csv"), args.Length > 1 ? args[1] : Path.Combine(Torch.BenchDir(), "ratios.svg"),
                 args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 3);
    return 0;
}
int reps = 3;
int repsAt = Array.IndexOf(args, "--reps");
if (repsAt >= 0 && (repsAt + 1 >= args.Length || !int.TryParse(args[repsAt + 1], CultureInfo.InvariantCulture, out reps) || reps < 1))
{
    Console.Error.WriteLine("--reps needs a positive count");
    return 2;
}
var workloads = Suite.Workloads;
string[] notInAll = ["distributed"];
if (which != "all" && !workloads.ContainsKey(which))
{
    Console.Error.WriteLine($"unknown workload '{which}'; choose one of: {string.Join(", ", workloads.Keys)}, all, chart");
    return 2;
}
var clock = Stopwatch.StartNew();
Console.WriteLine($"Framework.Bench {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, {Suite.CpuModel()}, " +
                  $"{System.Numerics.Vector<float>.Count * 32}-bit vectors, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, .NET {Environment.Version}");
Console.WriteLine($"OpenBLAS: {(Backends.OpenBlasAvailable ? "loaded" : "absent (managed GEMM only)")}; {reps} fresh runs per side and environment");
var removed = Runner.DefaultRuntimeEnv();
Console.WriteLine($"ours: dotnet {Ours.Dll} --one <workload>" + (removed.Length == 0 ? "" : $", without {string.Join(", ", removed.Select(e => e.Name))}"));
var settings = Ours.RuntimeConfigSettings();
if (settings.Count > 0) Console.WriteLine($"WARNING: Framework.Bench.runtimeconfig.json sets {string.Join(", ", settings)}: not the runtime's defaults");
TorchSharpTwin.Build();
if (TorchSharpTwin.Error is not null) Console.WriteLine($"TorchSharp twin n/a: {TorchSharpTwin.Error}");
var rows = new List<Row>();
foreach (var (name, parts) in workloads)
{
    if (which == "all" ? notInAll.Contains(name) : which != name) continue;
    var started = Stopwatch.StartNew();
    Console.WriteLine($"{name}:");
    if (name == "distributed")
        foreach (var row in DistributedBench.Run()) { Console.WriteLine(row); rows.Add(row); }
    foreach (var part in parts)
        foreach (var row in Suite.Measure(part, reps)) { Console.WriteLine(row); rows.Add(row); }
    Console.WriteLine($"  ({name}: {started.Elapsed.TotalSeconds:F0} s)");
}
Results.Append(Path.Combine(Torch.BenchDir(), "results.csv"), rows);
Console.WriteLine($"{rows.Count(r => r.Passed == true)} targets met, {rows.Count(r => r.Passed == false)} missed, {rows.Count(r => r.Passed is null)} without a target " +
                  $"({clock.Elapsed.TotalMinutes:F1} min)");
return 0;
