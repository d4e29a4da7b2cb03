using System.Diagnostics;
using Framework.Autograd;
using Framework.NN;
using Framework.Optim;

// One training step of a 2-layer recurrent network (input 256, hidden 256, batch 32, sequence 64): forward, MSE loss
// against a fixed target, backward, SGD step. Prints the first step and the median of the timed steps, in ms.
string[] kinds = args.Length > 0 ? [args[0]] : ["lstm", "gru"];
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
