// TorchSharp (libtorch 2.10, MKL) twin of GemmBench: the same shapes, medians of float32 products, set_num_threads(2),
// a NewDisposeScope per call. Prints "torchsharp<TAB>shape<TAB>GFLOP/s<TAB>median µs<TAB>best GFLOP/s". Usage: [seconds] [filter]
using System.Diagnostics;
using GemmBench;
using TorchSharp;
using static TorchSharp.torch;

double budget = args.Length > 0 ? double.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 0.3;
string filter = args.Length > 1 ? args[1] : "";
torch.set_num_threads(2);
torch.manual_seed(0);
string label = Environment.GetEnvironmentVariable("OMP_WAIT_POLICY") is { } p ? $"torchsharp-{p.ToLowerInvariant()}" : "torchsharp";

foreach (var (name, m, n, k, ta, tb, batch) in Shapes.All)
{
    if (!name.Contains(filter)) continue;
    using var a = batch == 1 ? (ta ? randn(k, m).t() : randn(m, k)) : (ta ? randn(batch, k, m).transpose(1, 2) : randn(batch, m, k));
    using var b = batch == 1 ? (tb ? randn(n, k).t() : randn(k, n)) : (tb ? randn(batch, n, k).transpose(1, 2) : randn(batch, k, n));
    double flop = 2.0 * m * n * k * batch;
    using var _ng = torch.no_grad();
    void run() { using var scope = torch.NewDisposeScope(); _ = batch == 1 ? a.mm(b) : a.bmm(b); }
    var warm = Stopwatch.StartNew();
    while (warm.Elapsed.TotalSeconds < budget / 3) run();
    var times = new List<double>();
    var sw = Stopwatch.StartNew();
    while (sw.Elapsed.TotalSeconds < budget || times.Count < 7)
    {
        int reps = Math.Max(1, (int)(50e-6 / Math.Max(1e-9, flop / 50e9)));
        long t0 = Stopwatch.GetTimestamp();
        for (int r = 0; r < reps; r++) run();
        times.Add(Stopwatch.GetElapsedTime(t0).TotalSeconds / reps);
    }
    times.Sort();
    double med = times[times.Count / 2];
    Console.WriteLine($"{label}\t{name}\t{flop / med / 1e9:F1}\t{med * 1e6:F1}\t{flop / times[0] / 1e9:F1}");
}
