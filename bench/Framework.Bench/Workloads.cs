using System.Globalization;
using CharLM;
using Framework.Autograd;
using Framework.Data;
using Framework.NN;
using Framework.Optim;

namespace Framework.Bench;

/// <summary>
/// Our side of every workload, run once per fresh process (<c>Framework.Bench --one &lt;workload&gt; [arg]</c>) with the same maths,
/// sizes, seeds and timed spans as its twins bench/pytorch/&lt;workload&gt;.py and bench/TorchSharp. Prints one
/// <c>RESULT &lt;case&gt;\t&lt;value&gt;\t&lt;unit&gt;</c> line per figure (and <c>INFO &lt;key&gt;\t&lt;text&gt;</c> lines), which the driver reads.
/// </summary>
internal static class Workloads
{
    /// <summary>Runs the workload named by <paramref name="args"/>[0] once; 0 on success, 2 for an unknown name.</summary>
    public static int RunOne(string[] args)
    {
        string name = args.Length > 0 ? args[0] : "";
        switch (name)
        {
            case "matmul": MatMul(); break;
            case "elementwise": Elementwise(); break;
            case "scalar-chain": ScalarChain(); break;
            case "regression": Regression(); break;
            case "mlp": Mlp(int.Parse(args[1], CultureInfo.InvariantCulture)); break;
            case "cnn": Cnn(); break;
            case "lstm": Lstm(); break;
            case "transformer": Transformer(); break;
            case "memory": Memory(); break;
            default: Console.Error.WriteLine($"--one: unknown workload '{name}'"); return 2;
        }
        return 0;
    }

    private static void Result(string @case, double value, string unit) =>
        Console.WriteLine($"RESULT {@case}\t{value.ToString("R", CultureInfo.InvariantCulture)}\t{unit}");

    private static void Info(string key, string text) => Console.WriteLine($"INFO {key}\t{text}");

    private static void MatMul()
    {
        foreach (int n in new[] { 256, 512, 1024, 2048 })
        {
            var a = Tensor.Randn(n, n);
            var b = Tensor.Randn(n, n);
            double flops = 2.0 * n * n * n;
            int reps = n >= 2048 ? 9 : 15;
            foreach (var backend in new[] { GemmBackend.Auto, GemmBackend.OpenBlas, GemmBackend.Managed })
            {
                if (backend == GemmBackend.OpenBlas && !Backends.OpenBlasAvailable) continue;
                Backends.Gemm = backend;
                Result($"n={n} {backend}", flops / Measure.Median(() => a.MatMul(b), reps) / 1e9, "GFLOP/s");
            }
            Backends.Gemm = GemmBackend.Auto;
        }
        Info("openblas", Backends.OpenBlasAvailable ? "loaded" : "absent (managed GEMM only)");
    }

    private static void Elementwise()
    {
        const int n = 10_000_000;
        var a = Tensor.Randn(n);
        var b = Tensor.Randn(n);
        void Add(string name, Action op, int arrays) => Result(name, (double)arrays * n * sizeof(float) / Measure.Median(op, 9) / 1e9, "GB/s");
        Add("add", () => _ = a + b, 3);
        Add("mul", () => _ = a * b, 3);
        Add("exp", () => _ = a.Exp(), 2);
        Add("relu", () => _ = a.Relu(), 2);
        Add("sum", () => _ = a.Sum(), 1);
    }

    // As bench/pytorch/scalar-chain.py: the first run (cold), then the median of 5.
    private static void ScalarChain()
    {
        const int ops = 100_000;
        static void Run()
        {
            var x = Tensor.From(1.0f).RequiresGrad_();
            var y = x;
            for (int i = 0; i < ops / 2; i++) y = y * 1.0001 + 0.5;
            y.Backward();
        }
        Result("100k ops first run (cold)", Measure.Time(Run) / ops * 1e9, "ns/op");
        Result("100k ops forward+backward", Measure.Median(Enumerable.Range(0, 5).Select(_ => Measure.Time(Run)).ToList()) / ops * 1e9, "ns/op");
    }

    // As bench/pytorch/regression.py: the first run (cold), one more, then the median of 21.
    private static void Regression()
    {
        static void Run()
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
        }
        Result("800 steps first run (cold)", Measure.Time(Run) * 1e3, "ms");
        Run();
        Result("800 steps", Measure.Median(Enumerable.Range(0, 21).Select(_ => Measure.Time(Run)).ToList()) * 1e3, "ms");
    }

    /// <summary>Epochs of SGD (lr 0.01, momentum 0.9) with cross-entropy over (x, y), batches gathered as x[idx] from a fresh Randperm each epoch, as the twins' epoch().</summary>
    private sealed class Trainer(Module model, Tensor x, Tensor y, int batch)
    {
        private readonly SGD opt = new(model.Parameters(), lr: 0.01, momentum: 0.9);
        private readonly CrossEntropyLoss lossFn = new();

        /// <summary>Seconds from process start to the end of the first optimizer step, once it has run.</summary>
        public double? FirstStepDone { get; private set; }

        /// <summary>Steps per epoch.</summary>
        public int Steps => (x.Size(0) + batch - 1) / batch;

        /// <summary>
        /// The untimed epochs between the first and the steady ones: at batch 512 the JIT's background tier-1 compiles still take
        /// 0.4 s of the third epoch (JitInfo), so without them "steady" would time the tier-up, not the steady state. The twins run them too.
        /// </summary>
        public void Warm()
        {
            for (int i = 0; i < WarmEpochs; i++) Epoch();
        }

        /// <summary>One epoch: (seconds, bytes allocated per step, gen2 collections).</summary>
        public (double Seconds, double BytesPerStep, int Gen2) Epoch()
        {
            int n = x.Size(0), gen2 = GC.CollectionCount(2);
            long allocated = GC.GetTotalAllocatedBytes(precise: true);
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var perm = Tensor.Randperm(n);
            for (int s = 0; s < n; s += batch)
            {
                var idx = perm[TensorIndex.Slice(s, Math.Min(n, s + batch))];
                opt.ZeroGrad();
                lossFn.Forward(model.Forward(x[idx]), y[idx]).Backward();
                opt.Step();
                FirstStepDone ??= Measure.SinceStart();
            }
            double seconds = clock.Elapsed.TotalSeconds;
            return (seconds, (double)(GC.GetTotalAllocatedBytes(precise: true) - allocated) / Steps, GC.CollectionCount(2) - gen2);
        }
    }

    // As bench/pytorch/mlp.py: Linear(784,256)-ReLU-Linear(256,10) on the 60,000 training images; the first epoch (cold),
    // then two untimed, the median of the next 3, the first step's end since process start; our allocation and gen2 figures besides.
    private static void Mlp(int batch)
    {
        var (x, y, data) = TrainingData();
        Info("data", data);
        Tensor.ManualSeed(0);
        var model = new Sequential(new Linear(784, 256), new ReLU(), new Linear(256, 10));
        var trainer = new Trainer(model, x, y, batch);
        var first = trainer.Epoch();
        trainer.Warm();
        var steady = Enumerable.Range(0, 3).Select(_ => trainer.Epoch()).ToList();
        string b = $"batch {batch}";
        Result($"{b} first epoch", first.Seconds, "s");
        Result($"{b} steady epoch", Measure.Median(steady.Select(e => e.Seconds)), "s");
        Result($"{b} first step done", trainer.FirstStepDone!.Value, "s");
        Result($"{b} bytes allocated/step", Measure.Median(steady.Select(e => e.BytesPerStep)), "B");
        Result($"{b} gen2 per steady epoch", steady.Max(e => e.Gen2), "count");
        Result($"{b} gen2 first epoch", first.Gen2, "count");
    }

    // As bench/pytorch/cnn.py: 2 conv + ReLU + MaxPool2d + linear on the first 10,000 training images, batch 64; the first
    // epoch (cold), two untimed, the mean of the next 2, and a step as that mean over the steps.
    private static void Cnn()
    {
        var (x, y, data) = TrainingData();
        Info("data", data);
        x = x.Slice(0, 0, 10_000).Reshape(-1, 1, 28, 28).Contiguous();
        y = y.Slice(0, 0, 10_000).Contiguous();
        Tensor.ManualSeed(0);
        var model = new Sequential(new Conv2d(1, 16, 3, padding: 1), new ReLU(), new MaxPool2d(2),
                                   new Conv2d(16, 32, 3, padding: 1), new ReLU(), new MaxPool2d(2),
                                   new Flatten(), new Linear(32 * 7 * 7, 10));
        var trainer = new Trainer(model, x, y, 64);
        var first = trainer.Epoch();
        trainer.Warm();
        double steady = Enumerable.Range(0, 2).Select(_ => trainer.Epoch().Seconds).Average();
        Result("train step", steady / trainer.Steps * 1e3, "ms");
        Result("first epoch", first.Seconds, "s");
        Result("steady epoch", steady, "s");
        Result("first step done", trainer.FirstStepDone!.Value, "s");
    }

    // As since_start.py's report_steps: the first step (cold), then the median of 10.
    private static void Steps(Action step)
    {
        Result("first step", Measure.Time(step) * 1e3, "ms");
        Result("train step", Measure.Median(Enumerable.Range(0, 10).Select(_ => Measure.Time(step)).ToList()) * 1e3, "ms");
        for (int i = 11; i < SteadyAfter; i++) step();
        Result("steady step", Measure.Median(Enumerable.Range(0, 10).Select(_ => Measure.Time(step)).ToList()) * 1e3, "ms");
    }

    /// <summary>Steps run before "steady step" times ten more (the JIT has tiered the hot path up by then), as in the twins.</summary>
    private const int SteadyAfter = 40;

    /// <summary>Untimed epochs between the first epoch and the steady ones (see Trainer.Warm), as in the twins.</summary>
    private const int WarmEpochs = 2;

    // As bench/pytorch/lstm.py: LSTM(256, 256, 2 layers), sequence 64 × batch 32 (sequence first), mean of squares, SGD lr 0.01.
    private static void Lstm()
    {
        Tensor.ManualSeed(0);
        var lstm = new LSTM(256, 256, numLayers: 2);
        var opt = new SGD(lstm.Parameters(), lr: 0.01);
        var x = Tensor.Randn(64, 32, 256);
        Steps(() =>
        {
            opt.ZeroGrad();
            lstm.Forward(x).Pow(2).Mean().Backward();
            opt.Step();
        });
    }

    // As bench/pytorch/transformer.py: one training step of examples/CharLM's CharGpt at its default configuration, batch 32
    // random windows, AdamW (lr 1e-3) and gradient clipping at norm 1.
    private static void Transformer()
    {
        Tensor.ManualSeed(0);
        var config = new CharGptConfig();
        var model = new CharGpt(config);
        var opt = new AdamW(model.Parameters(), lr: 1e-3);
        const int batch = 32;
        int t = config.BlockSize;
        Steps(() =>
        {
            var idx = Tensor.RandInt(0, config.VocabSize, [batch, t + 1]);
            var x = idx[.., ..t];
            var y = idx[.., 1..];
            opt.ZeroGrad();
            model.Loss(x, y).Backward();
            Utils.ClipGradNorm_(model.Parameters(), 1.0);
            opt.Step();
        });
    }

    // GC figures over one MLP epoch at batch 64 (batches sliced once), after a warm-up epoch.
    private static void Memory()
    {
        const int batch = 64;
        var (x, y, data) = TrainingData();
        Info("data", data);
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
        long warmupBytes = loh.Bytes;
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
        int gen0 = GC.CollectionCount(0) - g0, gen1 = GC.CollectionCount(1) - g1, gen2 = GC.CollectionCount(2) - g2;
        Thread.Sleep(2000);   // runtime events reach the listener asynchronously
        Result("new pooled arrays per step", (double)(poolAfter.Fresh - pool.Fresh) / xb.Count, "count");
        Result("pooled arrays reused per step", (double)(poolAfter.Reused - pool.Reused) / xb.Count, "count");
        Result("LOH bytes allocated per step", (double)(loh.Bytes - warmupBytes) / xb.Count, "B");
        Result("gen0 collections per epoch", gen0, "count");
        Result("gen1 collections per epoch", gen1, "count");
        Result("gen2 collections per epoch", gen2, "count");
        Result("time in GC", gcShare, "%");
        Result("bytes allocated per step", perStep, "B");
        Result("peak working set (whole run)", peak / 1048576.0, "MiB");
    }

    // Fashion-MNIST's training split as images Float32 [60000, 784] (byte / 255) and labels Int64, when the IDX files are
    // installed; otherwise random data of the same shapes. bench/pytorch/fmnist.py makes the same choice with the same preprocessing.
    private static (Tensor X, Tensor Y, string Source) TrainingData()
    {
        string dir = FashionMnist.DefaultDirectory;
        if (File.Exists(Path.Combine(dir, "train-images-idx3-ubyte.gz")) && File.Exists(Path.Combine(dir, "train-labels-idx1-ubyte.gz")))
        {
            var ds = FashionMnist.Load(dir);
            return (ds.Tensors[0].Reshape(ds.Count, 784), ds.Tensors[1], "fashion-mnist");
        }
        return (Tensor.Rand(60_000, 784), Tensor.RandInt(0, 10, [60_000]), "random");
    }
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
