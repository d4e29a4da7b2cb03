// Times every GEMM shape of Shapes.All for each backend; prints "backend<TAB>shape<TAB>GFLOP/s<TAB>median µs<TAB>best GFLOP/s" lines.
// Usage: GemmBench [seconds per shape and backend] [filter]. The twins (gemm.py, ts/) time the same shapes in PyTorch.
using System.Diagnostics;
using System.Runtime.InteropServices;
using Framework.Autograd;
using GemmBench;

double budget = args.Length > 0 ? double.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 0.3;
string filter = args.Length > 1 ? args[1] : "";
var gen = new Generator(0);

nint blas = 0;
NativeLibrary.TryLoad("libopenblas.so.0", out blas);
unsafe void BlasThreads(int t)
{
    if (blas != 0 && NativeLibrary.TryGetExport(blas, "openblas_set_num_threads", out nint f)) ((delegate* unmanaged<int, void>)f)(t);
}

var variants = new List<(string Name, GemmBackend Backend, int BlasThreads)> { ("auto", GemmBackend.Auto, 2), ("managed", GemmBackend.Managed, 2) };
if (Backends.OpenBlasAvailable) { variants.Add(("openblas2", GemmBackend.OpenBlas, 2)); variants.Add(("openblas1", GemmBackend.OpenBlas, 1)); }

foreach (var (name, m, n, k, ta, tb, batch) in Shapes.All)
{
    if (!name.Contains(filter)) continue;
    Tensor a = batch == 1 ? (ta ? Tensor.Randn([k, m], generator: gen).T() : Tensor.Randn([m, k], generator: gen))
                          : (ta ? Tensor.Randn([batch, k, m], generator: gen).Transpose(1, 2) : Tensor.Randn([batch, m, k], generator: gen));
    Tensor b = batch == 1 ? (tb ? Tensor.Randn([n, k], generator: gen).T() : Tensor.Randn([k, n], generator: gen))
                          : (tb ? Tensor.Randn([batch, n, k], generator: gen).Transpose(1, 2) : Tensor.Randn([batch, k, n], generator: gen));
    double flop = 2.0 * m * n * k * batch;
    foreach (var (vname, backend, threads) in variants)
    {
        Backends.Gemm = backend;
        BlasThreads(threads);
        void run() { StoragePool.Reclaim(); using (new NoGrad()) _ = batch == 1 ? a.Mm(b) : a.Bmm(b); }
        var warm = Stopwatch.StartNew();
        while (warm.Elapsed.TotalSeconds < Math.Max(0.25, budget / 3)) run();   // past the runtime's tier-up delay
        var times = new List<double>();
        var sw = Stopwatch.StartNew();
        while (sw.Elapsed.TotalSeconds < budget || times.Count < 7)
        {
            // Time enough calls per sample that a sample lasts ≥ 50 µs.
            int reps = Math.Max(1, (int)(50e-6 / Math.Max(1e-9, flop / 50e9)));
            long t0 = Stopwatch.GetTimestamp();
            for (int r = 0; r < reps; r++) run();
            times.Add(Stopwatch.GetElapsedTime(t0).TotalSeconds / reps);
        }
        times.Sort();
        double med = times[times.Count / 2];
        Console.WriteLine($"{vname}\t{name}\t{flop / med / 1e9:F1}\t{med * 1e6:F1}\t{flop / times[0] / 1e9:F1}");
    }
    Backends.Gemm = GemmBackend.Auto;
    BlasThreads(2);
}
