// The seeds' autograd walk-through (shared/seeds/000-004) as one program, printing what each prints.
using Framework.Autograd;
using static System.Console;

Tensor.ManualSeed(100);

Section("000: scalar backward of z = w*x + b");
{
    var x = Tensor.From(new float[] { 2 });
    var w = Tensor.Randn([1], requiresGrad: true);
    var b = Tensor.Randn([1], requiresGrad: true);
    var y = Tensor.Mul(w, x);
    var z = Tensor.Add(y, b);
    WriteLine(x.RequiresGrad);
    WriteLine(y.RequiresGrad);
    WriteLine(y.RequiresGrad);
    WriteLine(x.IsLeaf);
    WriteLine(y.IsLeaf);
    WriteLine($"x.GradFn: {Show(x.GradFn)}");
    WriteLine($"y.GradFn: {Show(y.GradFn)}");
    Picture("graph_wxb.png", z, new() { ["w"] = w, ["b"] = b, ["x"] = x });
    z.Backward();
    WriteLine($"x.Grad: {Show(x.Grad)}");
    WriteLine($"w.Grad: {Show(w.Grad)}");
}

Section("000: non-scalar backward, a Jacobian row by row");
{
    var x = Tensor.From(new float[,] { { 2, 3 } }, requiresGrad: true);
    WriteLine(x);
    var J = Tensor.Zeros(2, 2);
    WriteLine(J[0]);
    var y = Tensor.Zeros(1, 2);
    y[0, 0] = x[0, 0].Pow(2) + 3 * x[0, 1];
    y[0, 1] = x[0, 1].Pow(2) + 2 * x[0, 0];
    WriteLine(y);
    y.Backward(Tensor.From(new float[,] { { 1, 0 } }), retainGraph: true);
    J[0] = x.Grad!;
    x.Grad = Tensor.ZerosLike(x.Grad!);
    y.Backward(Tensor.From(new float[,] { { 0, 1 } }));
    J[1] = x.Grad!;
    WriteLine(J);
}

Section("001: basics, vector backward, the mean example");
{
    var a = Tensor.From(new float[] { 1, 2, 3 });
    WriteLine(a.RequiresGrad);
    var b = Tensor.From(new float[] { 4, 5, 6 }, requiresGrad: true);
    WriteLine(b.RequiresGrad);
    a.RequiresGrad_();
    WriteLine(a.RequiresGrad);
    try { Tensor.From(new long[] { 1, 2, 3 }, requiresGrad: true); }
    catch (InvalidOperationException e) { WriteLine($"InvalidOperationException: {e.Message}"); }

    a = Tensor.From(new float[] { 1, 2, 3 }, requiresGrad: true);
    var c = a.Pow(2).Sum();
    c.Backward();
    WriteLine(a.Grad);

    a = Tensor.From(new float[] { 1, 2, 3 }, requiresGrad: true);
    b = Tensor.Zeros(3);
    b[0] = a[0].Pow(2) + a[1];
    b[1] = a[1] + a[2];
    b[2] = a[2].Pow(3);
    b.Backward(Tensor.From(new long[] { 1, 0, 0 }), retainGraph: true);
    WriteLine(a.Grad);
    a.Grad!.Zero_();
    b.Backward(Tensor.From(new long[] { 0, 1, 0 }), retainGraph: true);
    WriteLine(a.Grad);
    a.Grad!.Zero_();
    b.Backward(Tensor.From(new long[] { 0, 0, 1 }), retainGraph: true);
    WriteLine(a.Grad);

    var x = Tensor.Ones([5], requiresGrad: true);
    var w1 = Tensor.From(2.0f).RequiresGrad_();
    var w2 = Tensor.From(3.0f).RequiresGrad_();
    var bias = Tensor.From(4.0f);
    var l1 = x * w1;
    var l2 = l1 + bias;
    var l3 = l2 * w2;
    var yMean = l3.Mean();
    Picture("graph_l1_l2_l3.png", yMean, new() { ["x"] = x, ["w1"] = w1, ["w2"] = w2 });
    yMean.Backward();
    WriteLine($"{l1.Data} {Show(l1.Grad)} {Show(l1.GradFn)}");
    WriteLine($"{l2.Data} {Show(l2.Grad)} {Show(l2.GradFn)}");
    WriteLine(yMean);
    WriteLine($"{w1.Grad} {w2.Grad}");
    WriteLine(x.Grad);
}

Section("002: leaves, grad_fn, and the regression with a manual update under NoGrad");
{
    var x = Tensor.From(new float[] { 2.0f }, requiresGrad: true);
    var y = Tensor.From(new float[] { 3.0f }, requiresGrad: true);
    var z = x * y;
    var w = z + Tensor.From(new float[] { 1.0f });
    WriteLine($"x requires_grad: {x.RequiresGrad}");
    WriteLine($"y requires_grad: {y.RequiresGrad}");
    WriteLine($"z requires_grad: {z.RequiresGrad}");
    WriteLine($"w requires_grad: {w.RequiresGrad}");
    w.Backward();
    WriteLine($"x grad: {Show(x.Grad)}");
    WriteLine($"y grad: {Show(y.Grad)}");
    WriteLine($"z grad: {Show(z.Grad)}");
    WriteLine($"w grad: {Show(w.Grad)}");
    WriteLine($"z grad_fn: {Show(z.GradFn)}");

    Tensor.ManualSeed(100);
    var xs = Tensor.Linspace(-1, 1, 100).Unsqueeze(1);
    var ys = 3 * xs.Pow(2) + 2 + 0.2 * Tensor.Rand(xs.Shape);
    var wt = Tensor.Randn([1, 1], requiresGrad: true);
    var bt = Tensor.Zeros([1, 1], requiresGrad: true);
    WriteLine(wt);
    WriteLine(bt);
    const double lr = 0.001;
    for (int i = 0; i < 800; i++)
    {
        var yPred = wt * xs.Pow(2) + bt;
        var loss = (ys - yPred).Pow(2).Sum();
        loss.Backward();
        using (new NoGrad())
        {
            wt -= lr * wt.Grad!;
            bt -= lr * bt.Grad!;
            wt.Grad!.Zero_();
            bt.Grad!.Zero_();
        }
    }
    WriteLine(wt);
    WriteLine(bt);
}

Section("003: the 60-minute blitz");
{
    var x = Tensor.Ones([2, 2], requiresGrad: true);
    WriteLine(x);
    var y = x + 2;
    WriteLine(y);
    WriteLine($"y.GradFn: {Show(y.GradFn)}");
    var z = y * y * 3;
    var @out = z.Mean();
    WriteLine(z);
    WriteLine(@out);

    var a = Tensor.Ones(2, 2);
    a = a * 3 / (a - 1);
    WriteLine(a.RequiresGrad);
    a.RequiresGrad_(true);
    WriteLine(a.RequiresGrad);
    var b = (a * a).Sum();
    WriteLine(Show(b.GradFn));

    @out.Backward();
    WriteLine(x.Grad);

    x = Tensor.Randn([3], requiresGrad: true);
    y = x * 2;
    while (y.Data.Norm().Item() < 1000) y = y * 2;
    WriteLine(y);
    var gradients = Tensor.From(new float[] { 0.1f, 1.0f, 0.0001f });
    y.Backward(gradients);
    WriteLine(x.Grad);

    WriteLine(x.RequiresGrad);
    WriteLine(x.Pow(2).RequiresGrad);
    using (new NoGrad())
    {
        WriteLine(x.RequiresGrad);
        WriteLine(x.Pow(2).RequiresGrad);
    }

    var m = Tensor.Rand([3, 3], requiresGrad: true);
    var mb = new MulConstant(5).Apply(m);
    WriteLine("a:" + m);
    WriteLine("b:" + mb);
    mb.Backward(Tensor.OnesLike(m));
    WriteLine(m.Grad);
}

Section("004: d(2 xᵀx)/dx = 4x, zero_, sums over axes");
{
    var x = Tensor.Arange(4.0);
    WriteLine(x);
    x.RequiresGrad_(true);
    WriteLine(Show(x.Grad));
    var y = 2 * Tensor.Dot(x, x);
    WriteLine(y);
    y.Backward();
    WriteLine(x.Grad);
    WriteLine(x.Grad!.Eq(4 * x));
    x.Grad!.Zero_();
    y = x.Sum();
    y.Backward();
    WriteLine(x.Grad);
    var A = Tensor.Arange(24).Reshape(2, 3, 4);
    WriteLine(A);
    WriteLine(A.Sum(0, keepDim: true));
    A = Tensor.Arange(24).Reshape(3, 8);
    var B = Tensor.Ones(3, 8);
    WriteLine($"({A},\n {B})");
    WriteLine(A * B);
    WriteLine(Tensor.Sum(A * B));
    x.Grad!.Zero_();
    y = x * x;
    WriteLine(y);
}

static void Section(string title) => WriteLine($"\n== {title}");

// The graph as torchviz draws it (leaves in blue, the output in green, the engine's edges), written as PNG through Graphviz.
static void Picture(string path, Tensor t, Dictionary<string, Tensor> names)
{
    try
    {
        Graph.SavePng(t, path, names);
        WriteLine($"(the graph: {path})");
    }
    catch (InvalidOperationException e) { WriteLine($"(no picture: {e.Message})"); }
}
static string Show(object? o) => o?.ToString() ?? "None";

/// <summary>The seed's custom Function: multiplies by a constant; the gradient passes through unchanged as in the seed.</summary>
sealed class MulConstant(double constant) : Function
{
    protected override Tensor Forward(FunctionContext ctx, Tensor[] inputs)
    {
        ctx.Set("constant", constant);
        return inputs[0] * constant;
    }

    protected override Tensor?[] Backward(FunctionContext ctx, Tensor gradOutput) => [gradOutput];
}
