using System.Diagnostics;
using Framework.Autograd;
using Framework.NN;
using Framework.Optim;

// One training step of a 2-layer recurrent network (input 256, hidden 256, batch 32, sequence 64): forward, MSE loss
// against a fixed target, backward, SGD step. Prints the first step and the median of the timed steps, in ms.
string[] kinds = args.Length > 0 ? [args[0]] : ["lstm", "gru"];
if (kinds[0] == "gemm") { GemmOnly(args.Length > 1 ? int.Parse(args[1]) : 10); return; }
int steps = args.Length > 1 ? int.Parse(args[1]) : 10;
const int input = 256, hidden = 256, layers = 2, batch = 32, seq = 64;
foreach (var kind in kinds)
{
    Tensor.ManualSeed(0);
    Module net = kind == "lstm" ? new LSTM(input, hidden, layers) : new GRU(input, hidden, layers);
    var opt = new SGD(net.Parameters(), lr: 0.01);
    var x = Tensor.Randn([seq, batch, input]);
    var target = Tensor.Randn([seq, batch, hidden]);
    var parts = new List<(double Forward, double Backward)>();
    double Step()
    {
        var sw = Stopwatch.StartNew();
        opt.ZeroGrad();
        var y = net.Forward(x);
        var loss = Functional.MseLoss(y, target);
        double forward = sw.Elapsed.TotalMilliseconds;
        loss.Backward();
        double backward = sw.Elapsed.TotalMilliseconds - forward;
        opt.Step();
        parts.Add((forward, backward));
        return sw.Elapsed.TotalMilliseconds;
    }
    double first = Step();
    for (int i = 0; i < 2; i++) Step();
    var times = Enumerable.Range(0, steps).Select(_ => Step()).OrderBy(t => t).ToArray();
    double median = times.Length % 2 == 1 ? times[times.Length / 2] : (times[times.Length / 2 - 1] + times[times.Length / 2]) / 2;
    var fw = parts.Skip(3).Select(p => p.Forward).OrderBy(t => t).ToArray();
    var bw = parts.Skip(3).Select(p => p.Backward).OrderBy(t => t).ToArray();
    Console.WriteLine($"{kind} first {first:F1} median {median:F1} min {times[0]:F1} (forward median {fw[fw.Length / 2]:F1}, backward median {bw[bw.Length / 2]:F1})");
}

// The matrix products of one LSTM training step alone (same shapes, same GEMM entry point), to split the step's time into
// GEMM and the rest (gate kernels, graph, copies).
static void GemmOnly(int steps)
{
    const int input = 256, hidden = 256, batch = 32, seq = 64, g = 4 * hidden, rows = seq * batch;
    var x = Tensor.Randn(rows, input); var wIh = Tensor.Randn(g, input); var wHh = Tensor.Randn(g, hidden);
    var h = Tensor.Randn(batch, hidden); var dA = Tensor.Randn(rows, g); var dStep = Tensor.Randn(batch, g);
    double Once()
    {
        var sw = Stopwatch.StartNew();
        using var _ = new NoGrad();
        for (int layer = 0; layer < 2; layer++)
        {
            x.Mm(wIh.T());                                          // input projection
            for (int t = 0; t < seq; t++) h.Mm(wHh.T());            // hidden products
            for (int t = 0; t < seq; t++) dStep.Mm(wHh);            // dL/dh per step
            dA.T().Mm(x);                                            // dW_hh (same shape as dW_ih)
            dA.T().Mm(x);                                            // dW_ih
            if (layer == 1) dA.Mm(wIh);                              // dL/dx of the second layer
        }
        return sw.Elapsed.TotalMilliseconds;
    }
    for (int i = 0; i < 3; i++) Once();
    var times = Enumerable.Range(0, steps).Select(_ => Once()).OrderBy(t => t).ToArray();
    Console.WriteLine($"gemm-only lstm step median {times[times.Length / 2]:F1} min {times[0]:F1}");
}
