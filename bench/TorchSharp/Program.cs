// TorchSharp twin of every Framework.Bench workload, written as a TorchSharp user would (a NewDisposeScope per step,
// set_num_threads(2)); the same maths, sizes and "case value" output lines as bench/pytorch/<workload>.py.
// Usage: TorchSharp.Bench <workload> [arg] | probe   (Framework.Bench runs it; see bench/Framework.Bench/Program.cs;
// probe loads libtorch and prints its thread count)
using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using TorchSharp;
using static TorchSharp.torch;

CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
torch.set_num_threads(2);
string workload = args.Length > 0 ? args[0] : "";
switch (workload)
{
    case "regression": Regression(); break;
    case "scalar-chain": ScalarChain(); break;
    case "matmul": MatMul(); break;
    case "elementwise": Elementwise(); break;
    case "mlp": Mlp(int.Parse(args[1], CultureInfo.InvariantCulture)); break;
    case "cnn": Cnn(); break;
    case "lstm": Lstm(); break;
    case "transformer": Transformer(); break;
    case "probe": Console.WriteLine($"threads {torch.get_num_threads()}"); break;
    default: Console.Error.WriteLine($"unknown workload '{workload}'"); return 2;
}
return 0;

static double Median(List<double> t) { t.Sort(); return t[t.Count / 2]; }

static double Time(Action a) { var sw = Stopwatch.StartNew(); a(); return sw.Elapsed.TotalSeconds; }

static double SinceStart() => (DateTime.Now - Process.GetCurrentProcess().StartTime).TotalSeconds;

static void Regression()
{
    static void Run()
    {
        torch.manual_seed(100);
        var x = torch.unsqueeze(torch.linspace(-1, 1, 100), 1);
        var y = 3 * x.pow(2) + 2 + 0.2 * torch.rand(x.shape);
        var w = torch.randn(new long[] { 1, 1 }, requires_grad: true);
        var b = torch.zeros(new long[] { 1, 1 }, requires_grad: true);
        for (int i = 0; i < 800; i++)
        {
            using var scope = torch.NewDisposeScope();
            var loss = (y - (w * x.pow(2) + b)).pow(2).sum();
            loss.backward();
            using (torch.no_grad())
            {
                w.sub_(0.001 * w.grad!);
                b.sub_(0.001 * b.grad!);
                w.grad!.zero_();
                b.grad!.zero_();
            }
        }
    }
    Console.WriteLine($"first run {Time(Run)}");
    Run();
    var t = new List<double>();
    for (int i = 0; i < 21; i++) t.Add(Time(Run));
    Console.WriteLine($"800 steps {Median(t)}");
}

static void ScalarChain()
{
    const int ops = 100_000;
    static void Run()
    {
        using var scope = torch.NewDisposeScope();
        var x = torch.tensor(1.0f, requires_grad: true);
        var y = x;
        for (int i = 0; i < ops / 2; i++) y = y * 1.0001 + 0.5;
        y.backward();
    }
    Console.WriteLine($"first run ns/op {Time(Run) / ops * 1e9}");
    var t = new List<double>();
    for (int i = 0; i < 5; i++) t.Add(Time(Run));
    Console.WriteLine($"ns/op {Median(t) / ops * 1e9}");
}

static void MatMul()
{
    foreach (int n in new[] { 256, 512, 1024, 2048 })
    {
        var a = torch.randn(n, n); var b = torch.randn(n, n);
        for (int i = 0; i < 2; i++) a.matmul(b).Dispose();
        var t = new List<double>();
        for (int i = 0; i < (n >= 2048 ? 9 : 15); i++) t.Add(Time(() => a.matmul(b).Dispose()));
        Console.WriteLine($"n={n} {2.0 * n * n * n / Median(t) / 1e9}");
    }
}

static void Elementwise()
{
    const int n = 10_000_000;
    var a = torch.randn(n); var b = torch.randn(n);
    var cases = new (string, Func<Tensor>, int)[]
    {
        ("add", () => a + b, 3), ("mul", () => a * b, 3), ("exp", () => a.exp(), 2), ("relu", () => a.relu(), 2), ("sum", () => a.sum(), 1),
    };
    foreach (var (name, op, arrays) in cases)
    {
        for (int i = 0; i < 2; i++) op().Dispose();
        var t = new List<double>();
        for (int i = 0; i < 9; i++) t.Add(Time(() => op().Dispose()));
        Console.WriteLine($"{name} {(double)arrays * n * 4 / Median(t) / 1e9}");
    }
}

// Fashion-MNIST's training split (byte / 255, flattened) and labels, or random data of the same shapes.
static (Tensor X, Tensor Y) Data()
{
    const string dir = "/usr/share/datasets/fashion-mnist";
    string img = Path.Combine(dir, "train-images-idx3-ubyte.gz"), lab = Path.Combine(dir, "train-labels-idx1-ubyte.gz");
    if (!File.Exists(img) || !File.Exists(lab))
    {
        Console.WriteLine("data random");
        return (torch.rand(60_000, 784), torch.randint(0, 10, new long[] { 60_000 }));
    }
    static byte[] Read(string path, int skip)
    {
        using var gz = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
        using var ms = new MemoryStream();
        gz.CopyTo(ms);
        return ms.ToArray()[skip..];
    }
    var pixels = Read(img, 16); var labels = Read(lab, 8);
    var xf = new float[pixels.Length];
    for (int i = 0; i < xf.Length; i++) xf[i] = pixels[i] / 255f;
    Console.WriteLine("data fashion-mnist");
    return (torch.tensor(xf, new long[] { labels.Length, 784 }), torch.tensor(labels.Select(l => (long)l).ToArray()));
}

// Untimed epochs between the first and the steady ones, as in the other twins (Workloads.WarmEpochs in ours).
const int WarmEpochs = 2;

// Epochs over x with batches gathered as x[idx] from a seeded permutation; prints first epoch, first step done, steady epoch.
static void Train(nn.Module<Tensor, Tensor> model, Tensor x, Tensor y, int batch, int steadyEpochs, bool printStep)
{
    var opt = torch.optim.SGD(model.parameters(), 0.01, momentum: 0.9);
    var lossFn = nn.CrossEntropyLoss();
    long n = x.shape[0];
    double? firstStep = null;
    void Epoch()
    {
        using var perm = torch.randperm(n);
        for (long s = 0; s < n; s += batch)
        {
            using var scope = torch.NewDisposeScope();
            var idx = perm[TensorIndex.Slice(s, Math.Min(n, s + batch))];
            opt.zero_grad();
            lossFn.forward(model.forward(x[idx]), y[idx]).backward();
            opt.step();
            firstStep ??= SinceStart();
        }
    }
    Console.WriteLine($"first epoch {Time(Epoch)}");
    Console.WriteLine($"first step done {firstStep}");
    for (int i = 0; i < WarmEpochs; i++) Epoch();
    var t = new List<double>();
    for (int i = 0; i < steadyEpochs; i++) t.Add(Time(Epoch));
    double steady = t.Count == 2 ? t.Average() : Median(t);
    Console.WriteLine($"steady epoch {steady}");
    if (printStep) Console.WriteLine($"step {steady / ((n + batch - 1) / batch)}");
}

static void Mlp(int batch)
{
    var (x, y) = Data();
    torch.manual_seed(0);
    var model = nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 10));
    Train(model, x, y, batch, 3, false);
}

static void Cnn()
{
    var (x, y) = Data();
    x = x[TensorIndex.Slice(0, 10_000)].reshape(-1, 1, 28, 28).contiguous();
    y = y[TensorIndex.Slice(0, 10_000)].contiguous();
    torch.manual_seed(0);
    var model = nn.Sequential(nn.Conv2d(1, 16, 3, padding: 1), nn.ReLU(), nn.MaxPool2d(2),
                              nn.Conv2d(16, 32, 3, padding: 1), nn.ReLU(), nn.MaxPool2d(2),
                              nn.Flatten(), nn.Linear(32 * 7 * 7, 10));
    Train(model, x, y, 64, 2, true);
}

// Steps run before the steady-state steps are timed (the first, the 10 cold-ish ones, then plain warm-up).
const int SteadyAfter = 40;

static void Steps(Action step)
{
    Console.WriteLine($"first step {Time(step)}");
    var t = new List<double>();
    for (int i = 0; i < 10; i++) t.Add(Time(step));
    Console.WriteLine($"step {Median(t)}");
    for (int i = 11; i < SteadyAfter; i++) step();
    t.Clear();
    for (int i = 0; i < 10; i++) t.Add(Time(step));
    Console.WriteLine($"steady step {Median(t)}");
}

static void Lstm()
{
    torch.manual_seed(0);
    var lstm = nn.LSTM(256, 256, numLayers: 2);
    var opt = torch.optim.SGD(lstm.parameters(), 0.01);
    var x = torch.randn(64, 32, 256);
    Steps(() =>
    {
        using var scope = torch.NewDisposeScope();
        opt.zero_grad();
        var (out_, _, _) = lstm.forward(x);
        out_.pow(2).mean().backward();
        opt.step();
    });
}

static void Transformer()
{
    torch.manual_seed(0);
    var model = new CharGpt();
    var opt = torch.optim.AdamW(model.parameters(), 1e-3);
    const int B = 32, T = CharGpt.T, V = CharGpt.V;
    Steps(() =>
    {
        using var scope = torch.NewDisposeScope();
        var idx = torch.randint(0, V, new long[] { B, T + 1 });
        var x = idx[.., ..T]; var y = idx[.., 1..];
        opt.zero_grad();
        var loss = nn.functional.cross_entropy(model.forward(x).reshape(B * T, V), y.reshape(B * T));
        loss.backward();
        nn.utils.clip_grad_norm_(model.parameters(), 1.0);
        opt.step();
    });
}

/// <summary>CharGpt (examples/CharLM/Model.cs) in TorchSharp: embeddings, 4 pre-norm GELU causal self-attention blocks, LayerNorm, head.</summary>
internal sealed class CharGpt : nn.Module<Tensor, Tensor>
{
    public const int V = 27, T = 32, C = 64, H = 4, L = 4;
    private readonly nn.Module<Tensor, Tensor> tok_emb = nn.Embedding(V, C), pos_emb = nn.Embedding(T, C), ln_f = nn.LayerNorm(C), head = nn.Linear(C, V);
    private readonly nn.Module<Tensor, Tensor>[] blocks = Enumerable.Range(0, L).Select(_ => (nn.Module<Tensor, Tensor>)new Block()).ToArray();
    private readonly TorchSharp.Modules.ModuleList<nn.Module<Tensor, Tensor>> list;

    public CharGpt() : base("CharGpt")
    {
        list = nn.ModuleList(blocks);
        RegisterComponents();
    }

    public override Tensor forward(Tensor idx)
    {
        long t = idx.shape[1];
        var x = tok_emb.forward(idx) + pos_emb.forward(torch.arange(t));
        foreach (var b in blocks) x = b.forward(x);
        return head.forward(ln_f.forward(x));
    }

    /// <summary>nn.TransformerEncoderLayer(64, 4, 256, 0.0, gelu, batch_first, norm_first) with a causal mask, written out.</summary>
    private sealed class Block : nn.Module<Tensor, Tensor>
    {
        private readonly nn.Module<Tensor, Tensor> ln1 = nn.LayerNorm(C), ln2 = nn.LayerNorm(C), in_proj = nn.Linear(C, 3 * C),
            out_proj = nn.Linear(C, C), lin1 = nn.Linear(C, 4 * C), lin2 = nn.Linear(4 * C, C);

        public Block() : base("Block") => RegisterComponents();

        public override Tensor forward(Tensor x)
        {
            long b = x.shape[0], t = x.shape[1];
            var qkv = in_proj.forward(ln1.forward(x)).reshape(b, t, 3, H, C / H).permute(2, 0, 3, 1, 4);
            var mask = torch.triu(torch.full(t, t, float.NegativeInfinity), 1);
            var a = nn.functional.scaled_dot_product_attention(qkv[0], qkv[1], qkv[2], mask);
            x = x + out_proj.forward(a.transpose(1, 2).reshape(b, t, C));
            return x + lin2.forward(nn.functional.gelu(lin1.forward(ln2.forward(x))));
        }
    }
}
