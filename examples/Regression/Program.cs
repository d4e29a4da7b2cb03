// The seed regression (shared/seeds/002): y = 3x² + 2 + 0.2·rand, fitted with w·x² + b by 800 steps of
// gradient descent with a manual update under NoGrad. After torch.manual_seed(100) PyTorch prints
// w = 2.9668, b = 2.1138; so does this program.
using Framework.Autograd;
using Framework.Plot;
using ScottPlot;

Tensor.ManualSeed(100);
var x = Tensor.Linspace(-1, 1, 100).Unsqueeze(1);             // 100 x 1
var y = 3 * x.Pow(2) + 2 + 0.2 * Tensor.Rand(x.Shape);

var w = Tensor.Randn([1, 1], requiresGrad: true);
var b = Tensor.Zeros([1, 1], requiresGrad: true);
Console.WriteLine(w);
Console.WriteLine(b);

const double lr = 0.001;
var losses = new double[800];
Tensor yPred = null!, loss = null!;
for (int i = 0; i < 800; i++)
{
    yPred = w * x.Pow(2) + b;                                   // forward
    loss = (y - yPred).Pow(2).Sum();                            // loss
    loss.Backward();                                            // gradients into w.Grad, b.Grad
    using (new NoGrad())                                        // update without recording
    {
        w -= lr * w.Grad!;
        b -= lr * b.Grad!;
        w.Grad!.Zero_();
        b.Grad!.Zero_();
    }
    losses[i] = loss.Item();
}
Console.WriteLine(w);                                           // tensor([[2.9668]], requires_grad=True)
Console.WriteLine(b);                                           // tensor([[2.1138]], requires_grad=True)
Console.WriteLine(loss);                                        // tensor(0.3335, grad_fn=<SumBackward0>)

// The same fit in closed form: least squares on the columns [x², 1] (torch.linalg.lstsq).
var design = Tensor.Cat([x.Pow(2), Tensor.OnesLike(x)], 1);     // 100 x 2
var exact = Linalg.Lstsq(design, y).Solution;                   // [[w], [b]]
Console.WriteLine($"least squares: w = {exact[0, 0].Item():F4}, b = {exact[1, 0].Item():F4} (gradient descent: w = {w.Item():F4}, b = {b.Item():F4})");

var fit = PlotFont.NewPlot();                                   // ScottPlot, text in DejaVu Sans
fit.Add.ScatterPoints(x, y).LegendText = "true";               // [100, 1] tensors straight in
var line = fit.Add.Line(x, yPred);
line.LegendText = "predict";
line.LineWidth = 2;
fit.Title("y = 3x² + 2 + noise, fitted with w·x² + b");
fit.XLabel("x");
fit.YLabel("y");
fit.ShowLegend(Alignment.LowerRight);
fit.SavePngAtomic("regression.png", 800, 500);

var curve = PlotFont.NewPlot();                                 // log scale: plot log10(loss), label the ticks 10^k
var steps = Enumerable.Range(1, losses.Length).Select(i => (double)i).ToArray();
var lossLine = curve.Add.ScatterLine(steps, losses.Select(Math.Log10).ToArray());
lossLine.LineWidth = 2;
curve.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic
{
    MinorTickGenerator = new ScottPlot.TickGenerators.LogMinorTickGenerator(),
    IntegerTicksOnly = true,
    LabelFormatter = v => Math.Pow(10, v).ToString("0.####", System.Globalization.CultureInfo.InvariantCulture),
};
curve.Title("Training loss");
curve.XLabel("step");
curve.YLabel("sum of squared errors (log scale)");
curve.SavePngAtomic("regression-loss.png", 800, 500);
Console.WriteLine("wrote regression.png and regression-loss.png");
