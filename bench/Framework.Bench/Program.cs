// Benchmarks of the core: dotnet run -c Release --project bench/Framework.Bench -- <workload>|all
// Workloads: matmul, elementwise, scalar-chain. Each prints our figure beside PyTorch's from the same run.
using Framework.Autograd;
using Framework.Autograd.Kernels;
using Framework.Bench;
using Framework.NN;
using Framework.Optim;

var workloads = new Dictionary<string, Func<List<Row>>>
{
    ["matmul"] = MatMul,
    ["elementwise"] = Elementwise,
    ["scalar-chain"] = ScalarChain,
    ["mlp"] = Mlp,
};
string which = args.Length > 0 ? args[0] : "all";
if (which != "all" && !workloads.ContainsKey(which))
{
    Console.Error.WriteLine($"unknown workload '{which}'; choose one of: {string.Join(", ", workloads.Keys)}, all");
    return 2;
}
Console.WriteLine($"Framework.Bench {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}");
Console.WriteLine($"OpenBLAS: {(Gemm.OpenBlasAvailable ? "loaded" : "absent (managed GEMM only)")}");
foreach (var (name, run) in workloads)
{
    if (which != "all" && which != name) continue;
    foreach (var row in run()) Console.WriteLine(row);
}
return 0;

static List<Row> MatMul()
{
    var torch = Torch.Run("matmul");
    var rows = new List<Row>();
    foreach (int n in new[] { 256, 512, 1024, 2048 })
    {
        var a = Tensor.Randn(n, n);
        var b = Tensor.Randn(n, n);
        double flops = 2.0 * n * n * n;
        foreach (var backend in new[] { GemmBackend.OpenBlas, GemmBackend.Managed })
        {
            if (backend == GemmBackend.OpenBlas && !Gemm.OpenBlasAvailable) continue;
            Gemm.Backend = backend;
            int reps = n >= 2048 ? 3 : 7;
            double t = Measure.Median(() => a.MatMul(b), reps);
            torch.TryGetValue($"n={n}", out var tv);
            rows.Add(new Row("matmul", $"n={n} {backend}", flops / t / 1e9, tv == 0 ? null : tv, "GFLOP/s", true));
        }
        Gemm.Backend = GemmBackend.Auto;
    }
    return rows;
}

static List<Row> Elementwise()
{
    var torch = Torch.Run("elementwise");
    const int n = 10_000_000;
    var a = Tensor.Randn(n);
    var b = Tensor.Randn(n);
    var rows = new List<Row>();
    void Add(string name, Action op, int arrays)
    {
        double t = Measure.Median(op, 9);
        double gbs = (double)arrays * n * sizeof(float) / t / 1e9;
        rows.Add(new Row("elementwise", name, gbs, torch.TryGetValue(name, out var tv) ? tv : null, "GB/s", true));
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
    // One epoch of Linear(784, 256)-ReLU-Linear(256, 10), cross-entropy, SGD momentum 0.9 on 60,000 random samples.
    var torch = Torch.Run("mlp");
    var rows = new List<Row>();
    const int n = 60_000;
    var x = Tensor.Rand(n, 784);
    var y = Tensor.RandInt(0, 10, [n]);
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
        rows.Add(new Row("mlp", $"epoch batch {batch}", t, torch.TryGetValue($"batch={batch}", out var tv) ? tv : null, "s", false));
    }
    return rows;
}

static List<Row> ScalarChain()
{
    var torch = Torch.Run("scalar-chain");
    const int ops = 100_000;
    double t = Measure.Median(() =>
    {
        var x = Tensor.From(1.0f).RequiresGrad_();
        var y = x;
        for (int i = 0; i < ops / 2; i++) y = y * 1.0001 + 0.5;
        y.Backward();
    }, 5);
    return [new Row("scalar-chain", "100k ops forward+backward", t / ops * 1e9, torch.TryGetValue("ns/op", out var tv) ? tv : null, "ns/op", false)];
}
