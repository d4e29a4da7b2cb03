// Benchmarks: dotnet run -c Release --project bench/Framework.Bench -- <workload>|all|chart [svg] [runs]
// Workloads: matmul, elementwise, scalar-chain, mlp, regression, memory. Each prints our figure beside
// PyTorch's from the same run (the faster of OMP_WAIT_POLICY=PASSIVE with and without OPENBLAS_NUM_THREADS=1)
// and its target (PASS/FAIL), and appends to bench/results.csv; "chart" draws each case's median time ratio over its latest runs (3 by default) as bars.
using Framework.Autograd;
using Framework.Bench;
using Framework.Data;
using Framework.NN;
using Framework.Optim;

var workloads = new Dictionary<string, Func<List<Row>>>
{
    ["matmul"] = MatMul,
    ["elementwise"] = Elementwise,
    ["scalar-chain"] = ScalarChain,
    ["mlp"] = Mlp,
    ["regression"] = Regression,
    ["memory"] = Memory,
};
string which = args.Length > 0 ? args[0] : "all";
if (which == "chart")
{
    Chart.Render(Path.Combine(Torch.BenchDir(), "results.csv"), args.Length > 1 ? args[1] : Path.Combine(Torch.BenchDir(), "ratios.svg"),
                 args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 3);
    return 0;
}
if (which != "all" && !workloads.ContainsKey(which))
{
    Console.Error.WriteLine($"unknown workload '{which}'; choose one of: {string.Join(", ", workloads.Keys)}, all, chart");
    return 2;
}
Console.WriteLine($"Framework.Bench {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}");
Console.WriteLine($"OpenBLAS: {(Backends.OpenBlasAvailable ? "loaded" : "absent (managed GEMM only)")}");
var rows = new List<Row>();
foreach (var (name, run) in workloads)
{
    if (which != "all" && which != name) continue;
    foreach (var row in run()) { Console.WriteLine(row); rows.Add(row); }
}
Results.Append(Path.Combine(Torch.BenchDir(), "results.csv"), rows);
int failed = rows.Count(r => r.Passed == false);
Console.WriteLine($"{rows.Count(r => r.Passed == true)} targets met, {failed} missed, {rows.Count(r => r.Passed is null)} without a target");
return 0;

static List<Row> MatMul()
{
    var torch = Torch.Run("matmul", higherIsBetter: true);
    var rows = new List<Row>();
    foreach (int n in new[] { 256, 512, 1024, 2048 })
    {
        var a = Tensor.Randn(n, n);
        var b = Tensor.Randn(n, n);
        double flops = 2.0 * n * n * n;
        foreach (var backend in new[] { GemmBackend.OpenBlas, GemmBackend.Managed })
        {
            if (backend == GemmBackend.OpenBlas && !Backends.OpenBlasAvailable) continue;
            Backends.Gemm = backend;
            int reps = n >= 2048 ? 9 : 15;
            double t = Measure.Median(() => a.MatMul(b), reps);
            // Target: the OpenBLAS path within 5% of PyTorch (which calls the same library) from n = 512.
            double? target = backend == GemmBackend.OpenBlas && n >= 512 ? 1.05 : null;
            rows.Add(new Row("matmul", $"n={n} {backend}", flops / t / 1e9, torch[$"n={n}"], "GFLOP/s", true, Target: target, TorchEnv: torch.VariantOf($"n={n}")));
        }
        Backends.Gemm = GemmBackend.Auto;
        // Target: the managed kernel at least half as fast as OpenBLAS at n = 1024 (time ratio managed/OpenBLAS at most 2).
        if (n == 1024 && rows.Count >= 2 && rows[^2].Case.EndsWith("OpenBlas"))
            rows.Add(new Row("matmul", "n=1024 time Managed/OpenBlas", rows[^2].Ours / rows[^1].Ours, null, "x", false, Target: 2, Absolute: true));
    }
    return rows;
}

static List<Row> Elementwise()
{
    var torch = Torch.Run("elementwise", higherIsBetter: true);
    const int n = 10_000_000;
    var a = Tensor.Randn(n);
    var b = Tensor.Randn(n);
    var rows = new List<Row>();
    void Add(string name, Action op, int arrays)
    {
        double t = Measure.Median(op, 9);
        double gbs = (double)arrays * n * sizeof(float) / t / 1e9;
        rows.Add(new Row("elementwise", name, gbs, torch[name], "GB/s", true, Target: name is "add" or "mul" ? 1.0 : null, TorchEnv: torch.VariantOf(name)));
    }
    Add("add", () => _ = a + b, 3);
    Add("mul", () => _ = a * b, 3);
    Add("exp", () => _ = a.Exp(), 2);
    Add("relu", () => _ = a.Relu(), 2);
    Add("sum", () => _ = a.Sum(), 1);
    return rows;
}

static List<Row> Mlp()
{
    // One epoch of Linear(784, 256)-ReLU-Linear(256, 10), cross-entropy, SGD momentum 0.9 on the 60,000 Fashion-MNIST training images (random ones when not installed).
    var (x, y, data) = TrainingData();
    var torch = Torch.Run("mlp", higherIsBetter: false);
    Console.WriteLine($"  data: ours {data}, torch {torch.Info.GetValueOrDefault("data", "n/a")}");
    var rows = new List<Row>();
    int n = x.Size(0);
    foreach (int batch in new[] { 64, 512 })
    {
        var model = new Sequential(new Linear(784, 256), new ReLU(), new Linear(256, 10));
        var opt = new SGD(model.Parameters(), lr: 0.01, momentum: 0.9);
        var lossFn = new CrossEntropyLoss();
        var xb = new List<Tensor>(); var yb = new List<Tensor>();
        for (int s = 0; s < n; s += batch) { xb.Add(x.Slice(0, s, Math.Min(n, s + batch)).Contiguous()); yb.Add(y.Slice(0, s, Math.Min(n, s + batch)).Contiguous()); }
        double t = Measure.Median(() =>
        {
            for (int i = 0; i < xb.Count; i++)
            {
                opt.ZeroGrad();
                var loss = lossFn.Forward(model.Forward(xb[i]), yb[i]);
                loss.Backward();
                opt.Step();
            }
        }, reps: 3, warmup: 1);
        rows.Add(new Row("mlp", $"epoch batch {batch}", t, torch[$"batch={batch}"], "s", false, Target: 1.0, TorchEnv: torch.VariantOf($"batch={batch}")));
    }
    return rows;
}

static List<Row> Regression()
{
    var torch = Torch.Run("regression", higherIsBetter: false);
    double t = Measure.Median(() =>
    {
        Tensor.ManualSeed(100);
        var x = Tensor.Linspace(-1, 1, 100).Unsqueeze(1);
        var y = 3 * x.Pow(2) + 2 + 0.2 * Tensor.Rand(x.Shape);
        var w = Tensor.Randn([1, 1], requiresGrad: true);
        var b = Tensor.Zeros([1, 1], requiresGrad: true);
        for (int i = 0; i < 800; i++)
        {
            var loss = (y - (w * x.Pow(2) + b)).Pow(2).Sum();
            loss.Backward();
            using (new NoGrad())
            {
                w -= 0.001 * w.Grad!;
                b -= 0.001 * b.Grad!;
                w.Grad!.Zero_();
                b.Grad!.Zero_();
            }
        }
    }, reps: 21);
    return [new Row("regression", "800 steps", t * 1e3, torch["800 steps"] * 1e3, "ms", false, Target: 0.2, TorchEnv: torch.VariantOf("800 steps"))];
}

static List<Row> Memory()
{
    // GC figures over one MLP epoch at batch 64 on the Fashion-MNIST training images (random ones when not installed).
    const int batch = 64;
    var (x, y, data) = TrainingData();
    Console.WriteLine($"  data: {data}");
    int n = x.Size(0);
    var model = new Sequential(new Linear(784, 256), new ReLU(), new Linear(256, 10));
    var opt = new SGD(model.Parameters(), lr: 0.01, momentum: 0.9);
    var lossFn = new CrossEntropyLoss();
    var xb = new List<Tensor>(); var yb = new List<Tensor>();
    for (int s = 0; s < n; s += batch) { xb.Add(x.Slice(0, s, Math.Min(n, s + batch)).Contiguous()); yb.Add(y.Slice(0, s, Math.Min(n, s + batch)).Contiguous()); }
    void Epoch()
    {
        for (int i = 0; i < xb.Count; i++)
        {
            opt.ZeroGrad();
            lossFn.Forward(model.Forward(xb[i]), yb[i]).Backward();
            opt.Step();
        }
    }
    using var loh = new LargeObjectHeapListener();
    Epoch();   // warm-up
    GC.Collect();
    Thread.Sleep(2000);   // runtime events reach the listener asynchronously
    long warmupTicks = loh.Ticks, warmupBytes = loh.Bytes;
    var pool = StoragePool.Stats;
    int g0 = GC.CollectionCount(0), g1 = GC.CollectionCount(1), g2 = GC.CollectionCount(2);
    long allocated = GC.GetTotalAllocatedBytes(precise: true);
    var pause = GC.GetTotalPauseDuration();
    var clock = System.Diagnostics.Stopwatch.StartNew();
    Epoch();
    double seconds = clock.Elapsed.TotalSeconds;
    double gcShare = (GC.GetTotalPauseDuration() - pause).TotalSeconds / seconds * 100;
    long perStep = (GC.GetTotalAllocatedBytes(precise: true) - allocated) / xb.Count;
    long peak = System.Diagnostics.Process.GetCurrentProcess().PeakWorkingSet64;
    var poolAfter = StoragePool.Stats;
    Thread.Sleep(2000);   // runtime events reach the listener asynchronously
    return
    [
        new Row("memory", "new pooled arrays per step", (double)(poolAfter.Fresh - pool.Fresh) / xb.Count, null, "count", false,
            Note: $"{poolAfter.Reused - pool.Reused} arrays reused, {poolAfter.Reclaims - pool.Reclaims} reclaims (the short last batch's shapes are new each epoch)"),
        new Row("memory", "LOH bytes allocated per step", (double)(loh.Bytes - warmupBytes) / xb.Count, null, "B", false, Target: 0, Absolute: true,
            Note: $"{loh.Ticks - warmupTicks} LOH allocation ticks (one per ~100 KB) in the epoch, {warmupTicks} in the warm-up epoch"),
        new Row("memory", "gen0/gen1 collections per epoch", GC.CollectionCount(0) - g0, null, "count", false, Note: $"gen1 {GC.CollectionCount(1) - g1}"),
        new Row("memory", "gen2 collections per epoch", GC.CollectionCount(2) - g2, null, "count", false, Target: 2, Absolute: true),
        new Row("memory", "time in GC", gcShare, null, "%", false, Target: 5, Absolute: true),
        new Row("memory", "bytes allocated per step", perStep, null, "B", false),
        new Row("memory", "peak working set (whole run)", peak / 1048576.0, null, "MiB", false),
    ];
}

static List<Row> ScalarChain()
{
    var torch = Torch.Run("scalar-chain", higherIsBetter: false);
    const int ops = 100_000;
    double t = Measure.Median(() =>
    {
        var x = Tensor.From(1.0f).RequiresGrad_();
        var y = x;
        for (int i = 0; i < ops / 2; i++) y = y * 1.0001 + 0.5;
        y.Backward();
    }, 5);
    return [new Row("scalar-chain", "100k ops forward+backward", t / ops * 1e9, torch["ns/op"], "ns/op", false, Target: 0.2, TorchEnv: torch.VariantOf("ns/op"))];
}

// Fashion-MNIST's training split as images Float32 [60000, 784] (byte / 255) and labels Int64, when the IDX files are
// installed; otherwise random data of the same shapes. bench/pytorch/mlp.py makes the same choice with the same preprocessing.
static (Tensor X, Tensor Y, string Source) TrainingData()
{
    string dir = FashionMnist.DefaultDirectory;
    if (File.Exists(Path.Combine(dir, "train-images-idx3-ubyte.gz")) && File.Exists(Path.Combine(dir, "train-labels-idx1-ubyte.gz")))
    {
        var ds = FashionMnist.Load(dir);
        return (ds.Tensors[0].Reshape(ds.Count, 784), ds.Tensors[1], $"fashion-mnist ({dir}, {ds.Count} training images)");
    }
    return (Tensor.Rand(60_000, 784), Tensor.RandInt(0, 10, [60_000]), "random (Fashion-MNIST not installed)");
}

/// <summary>Counts the runtime's allocation-tick events for the Large Object Heap (each stands for about 100 KB allocated there).</summary>
internal sealed class LargeObjectHeapListener : System.Diagnostics.Tracing.EventListener
{
    private long ticks, bytes;

    /// <summary>Ticks seen so far.</summary>
    public long Ticks => Interlocked.Read(ref ticks);

    /// <summary>Bytes the ticks stand for.</summary>
    public long Bytes => Interlocked.Read(ref bytes);

    protected override void OnEventSourceCreated(System.Diagnostics.Tracing.EventSource source)
    {
        if (source.Name == "Microsoft-Windows-DotNETRuntime")
            EnableEvents(source, System.Diagnostics.Tracing.EventLevel.Verbose, (System.Diagnostics.Tracing.EventKeywords)0x1);   // GC keyword
    }

    protected override void OnEventWritten(System.Diagnostics.Tracing.EventWrittenEventArgs e)
    {
        if (e.EventName is null || !e.EventName.StartsWith("GCAllocationTick") || e.Payload is null) return;
        int kind = e.PayloadNames!.IndexOf("AllocationKind"), amount = e.PayloadNames.IndexOf("AllocationAmount64");
        if (kind < 0 || Convert.ToInt32(e.Payload[kind]) != 1) return;
        Interlocked.Increment(ref ticks);
        Interlocked.Add(ref bytes, amount < 0 ? 100_000 : Convert.ToInt64(e.Payload[amount]));
    }
}
