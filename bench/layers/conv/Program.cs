// Times the CNN layers and a CNN train step; prints one "name median_ms" line per workload.
// Usage: ConvBench [seconds per workload] [rounds]. The python twin (bench.py) times the same workloads in PyTorch.
using System.Diagnostics;
using Framework.Autograd;
using Framework.NN;
using Framework.Optim;
using F = Framework.NN.Functional;

double budget = args.Length > 0 ? double.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 1.0;
int rounds = args.Length > 1 ? int.Parse(args[1]) : 3;
var gen = new Generator(0);
Tensor Rn(params int[] s) => Tensor.Randn(s, generator: gen);

var x1 = Rn(64, 1, 28, 28);
var x2 = Rn(64, 16, 14, 14).RequiresGrad_();
var xp = Rn(64, 16, 28, 28).RequiresGrad_();
var conv1 = new Conv2d(1, 16, 3, padding: 1);
var conv2 = new Conv2d(16, 32, 3, padding: 1);
var bn = new BatchNorm2d(16);
var g1 = Rn(64, 16, 28, 28); var g2 = Rn(64, 32, 14, 14); var gp = Rn(64, 16, 14, 14);

var model = new Sequential(
    new Conv2d(1, 16, 3, padding: 1), new ReLU(), new MaxPool2d(2),
    new Conv2d(16, 32, 3, padding: 1), new ReLU(), new MaxPool2d(2),
    new Flatten(), new Linear(32 * 7 * 7, 10));
var opt = new SGD(model.Parameters(), 0.01, momentum: 0.9);
var xs = Rn(64, 1, 28, 28);
var ys = Tensor.RandInt(0, 10, [64], generator: gen);

// The GEMMs of the batched convolution alone (weights · patches, and the two gradient products of conv2).
var (wa1, ca1, wa2, ca2, ga2) = (Rn(16, 9), Rn(9, 64 * 784), Rn(32, 144), Rn(144, 64 * 196), Rn(32, 64 * 196));

var work = new (string Name, Action Run)[]
{
    ("conv1 fwd", () => { using (new NoGrad()) conv1.Forward(x1); }),
    ("conv1 fwd+bwd", () => { conv1.ZeroGrad(); conv1.Forward(x1).Backward(g1); }),
    ("conv2 fwd", () => { using (new NoGrad()) conv2.Forward(x2); }),
    ("conv2 fwd+bwd", () => { conv2.ZeroGrad(); x2.Grad = null; conv2.Forward(x2).Backward(g2); }),
    ("maxpool fwd", () => { using (new NoGrad()) F.MaxPool2d(xp, 2); }),
    ("maxpool fwd+bwd", () => { xp.Grad = null; F.MaxPool2d(xp, 2).Backward(gp); }),
    ("bn2d fwd", () => { using (new NoGrad()) bn.Forward(xp); }),
    ("bn2d fwd+bwd", () => { bn.ZeroGrad(); xp.Grad = null; bn.Forward(xp).Backward(g1); }),
    ("gemm conv1 fwd", () => wa1.Mm(ca1)),
    ("gemm conv2 fwd", () => wa2.Mm(ca2)),
    ("gemm conv2 dW", () => ga2.Mm(ca2.T())),
    ("gemm conv2 dcols", () => wa2.T().Mm(ga2)),
    ("cnn step", () => { opt.ZeroGrad(); F.CrossEntropy(model.Forward(xs), ys).Backward(); opt.Step(); }),
};

var results = work.Select(_ => new List<double>()).ToArray();
for (int r = 0; r < rounds; r++)
    for (int i = 0; i < work.Length; i++)
    {
        var (_, step) = work[i];
        // Each call starts at the safe point a DataLoader's next batch gives, so the StoragePool reuses arrays as in a real loop.
        void run() { StoragePool.Reclaim(); step(); }
        for (int w = 0; w < 3; w++) run();
        var sw = Stopwatch.StartNew();
        var times = new List<double>();
        while (sw.Elapsed.TotalSeconds < budget || times.Count < 5)
        {
            long t0 = Stopwatch.GetTimestamp();
            run();
            times.Add(Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
        }
        times.Sort();
        results[i].Add(times[times.Count / 2]);
    }
for (int i = 0; i < work.Length; i++)
{
    var m = results[i].OrderBy(v => v).ToList();
    Console.WriteLine($"{work[i].Name,-18} {m[m.Count / 2]:F3}");
}
