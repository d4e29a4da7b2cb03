using Framework.Autograd;

namespace Tests.AutogradTests;

/// <summary>The backward graph: order, freeing, errors, hooks, retain_grad, higher-order gradients, deep chains.</summary>
public class GraphTests
{
    [Fact]
    public void ReluBackwardZeroesWhereTheOutputIsNotPositiveEvenForNanAndInfiniteGradients()
    {
        // PyTorch 1.13: relu([-1, 0, 2]).backward([nan, inf, 3]) gives x.grad = [0, 0, 3].
        var x = Tensor.From(new float[] { -1, 0, 2 }).RequiresGrad_();
        x.Relu().Backward(Tensor.From(new float[] { float.NaN, float.PositiveInfinity, 3 }));
        Assert.Equal([0f, 0f, 3f], x.Grad!.ToArray());
        var big = Tensor.Randn(1000).RequiresGrad_();   // the vectorised path
        big.Relu().Sum().Backward();
        Assert.Equal(big.Detach().ToArray().Select(v => v > 0 ? 1f : 0f), big.Grad!.ToArray());
    }

    private static Tensor D(params double[] v) => Tensor.From(v);

    [Fact]
    public void SecondBackward_ThroughFreedBuffers_Throws()
    {
        var x = D(1, 2).RequiresGrad_();
        var y = (x * x).Sum();
        y.Backward();
        var ex = Assert.Throws<InvalidOperationException>(() => y.Backward());
        Assert.Contains("Trying to backward through the graph a second time", ex.Message);
        Assert.Contains("retainGraph: true", ex.Message);
    }

    [Fact]
    public void RetainGraph_AllowsASecondBackward_AndGradientsAccumulate()
    {
        var x = D(1, 2).RequiresGrad_();
        var y = (x * x).Sum();
        y.Backward(retainGraph: true);
        y.Backward();
        Assert.Equal([4.0, 8.0], x.Grad!.ToArray<double>());
    }

    [Fact]
    public void NodesWithoutSavedTensors_CanRunTwice_AsInPyTorch()
    {
        var x = D(1, 2).RequiresGrad_();
        var y = x + 1;
        y.Sum().Backward();
        y.Sum().Backward();
        Assert.Equal([2.0, 2.0], x.Grad!.ToArray<double>());
    }

    [Fact]
    public void NonScalarBackward_WithoutGradient_Throws()
    {
        var x = D(1, 2).RequiresGrad_();
        var ex = Assert.Throws<InvalidOperationException>(() => (x * 2).Backward());
        Assert.Equal("grad can be implicitly created only for scalar outputs", ex.Message);
    }

    [Fact]
    public void BackwardGradient_OfWrongShape_NamesBothShapes()
    {
        var x = D(1, 2, 3).RequiresGrad_();
        var ex = Assert.Throws<ArgumentException>(() => (x * 2).Backward(D(1, 2)));
        Assert.Contains("[2]", ex.Message);
        Assert.Contains("[3]", ex.Message);
    }

    [Fact]
    public void Backward_OnTensorWithoutGraph_Throws()
    {
        var ex = Assert.Throws<InvalidOperationException>(() => D(1).Backward());
        Assert.Equal("element 0 of tensors does not require grad and does not have a grad_fn", ex.Message);
    }

    [Fact]
    public void InPlaceOnLeafRequiringGrad_Throws_ButNotUnderNoGrad()
    {
        var w = D(1, 2).RequiresGrad_();
        var ex = Assert.Throws<InvalidOperationException>(() => w += 1.0);
        Assert.Equal("a leaf Variable that requires grad is being used in an in-place operation.", ex.Message);
        using (new NoGrad()) w -= 0.5;
        Assert.Equal([0.5, 1.5], w.ToArray<double>());
        Assert.True(w.IsLeaf);
        Assert.Equal(1, w.Version);
    }

    [Fact]
    public void ModifyingASavedTensor_ThrowsAtBackward_NamingTheOp()
    {
        var x = D(1, 2).RequiresGrad_();
        var y = x.Sigmoid();
        var z = y.Sum();
        using (new NoGrad()) y.Data.Zero_();   // .Data has its own version counter: not detected, as in PyTorch
        var w = x.Exp();
        var loss = w.Sum();
        w.Mul_(2.0);
        var ex = Assert.Throws<InvalidOperationException>(() => loss.Backward());
        Assert.Contains("ExpBackward0", ex.Message);
        Assert.Contains("modified by an inplace operation", ex.Message);
        Assert.Contains("is at version 1; expected version 0", ex.Message);
        z.Backward();   // still fine
    }

    [Fact]
    public void VersionCounter_SharedByViewsAndDetach_NotByData()
    {
        var x = Tensor.Zeros(2, 3);
        var v = x.Select(0, 1);
        var d = x.Detach();
        v.Fill_(1);
        Assert.Equal(1, x.Version);
        Assert.Equal(1, d.Version);
        var data = x.Data;
        data.Fill_(2);
        Assert.Equal(1, x.Version);
        Assert.Equal(2f, x[0, 0].Item());
    }

    [Fact]
    public void RequiresGrad_OnNonLeaf_CannotBeTurnedOff()
    {
        var x = D(1).RequiresGrad_();
        var y = x * 2;
        var ex = Assert.Throws<InvalidOperationException>(() => y.RequiresGrad = false);
        Assert.StartsWith("you can only change requires_grad flags of leaf variables.", ex.Message);
    }

    [Fact]
    public void RetainGrad_KeepsNonLeafGradient()
    {
        var x = D(1, 2).RequiresGrad_();
        var y = x * 3;
        y.RetainGrad();
        (y * y).Sum().Backward();
        Assert.Equal([6.0, 12.0], y.Grad!.ToArray<double>());
        Assert.Equal([18.0, 36.0], x.Grad!.ToArray<double>());
    }

    [Fact]
    public void Hooks_SeeAndReplaceGradients()
    {
        var x = D(1, 2).RequiresGrad_();
        Tensor? seen = null;
        x.RegisterHook(g => { seen = g; return g * 10; });
        var y = x * 2;
        y.RegisterHook(g => g + 1);
        y.Sum().Backward();
        Assert.Equal([4.0, 4.0], seen!.ToArray<double>());     // (1 + 1) * 2
        Assert.Equal([40.0, 40.0], x.Grad!.ToArray<double>());
    }

    [Fact]
    public void MatMul_RecordsPyTorchsDecomposition()
    {
        // PyTorch 1.13's grad_fn for each case of torch.matmul (and F.linear without bias), every operand requiring grad.
        Tensor R(params int[] shape) => Tensor.Randn(shape, requiresGrad: true);
        Tensor x = R(2, 3, 4), w = R(4, 5), v = R(4), m = R(3, 4);
        Assert.Equal("UnsafeViewBackward0", x.MatMul(w).GradFn!.Name);
        Assert.Equal("SqueezeBackward3", v.MatMul(w).GradFn!.Name);
        Assert.Equal("MvBackward0", m.MatMul(v).GradFn!.Name);
        Assert.Equal("DotBackward0", v.MatMul(v).GradFn!.Name);
        Assert.Equal("CloneBackward0", m.T().MatMul(x).GradFn!.Name);
        Assert.Equal("UnsafeViewBackward0", x.MatMul(v).GradFn!.Name);
        Assert.Equal("UnsafeViewBackward0", R(3).MatMul(x).GradFn!.Name);
        Assert.Equal("UnsafeViewBackward0", x.MatMul(x.Transpose(1, 2)).GradFn!.Name);
        Assert.Equal("UnsafeViewBackward0", Framework.NN.Functional.Linear(x, R(5, 4)).GradFn!.Name);
        Assert.Equal("SqueezeBackward3", Framework.NN.Functional.Linear(v, R(5, 4)).GradFn!.Name);
        // The folded product is the batched one: [2, 3, 4]·[4, 5] row by row, and 2-d·3-d is each batch's product.
        using var _ = new NoGrad();
        var folded = x.MatMul(w);
        Assert.Equal([2, 3, 5], folded.Shape);
        for (int i = 0; i < 2; i++) Assert.True(folded.Select(0, i).AllClose(x.Select(0, i).Mm(w), 1e-6, 1e-6));
        var left = m.T().MatMul(x);
        Assert.Equal([2, 4, 4], left.Shape);
        for (int i = 0; i < 2; i++) Assert.True(left.Select(0, i).AllClose(m.T().Mm(x.Select(0, i)), 1e-6, 1e-6));
    }

    [Fact]
    public void PostAccumulateGradHook_SeesTheAccumulatedGradOnceAfterPreHooks()
    {
        // PyTorch's example: an SGD step inside the hook, with lr 0.01.
        var v = D(0, 0, 0).RequiresGrad_();
        v.RegisterPostAccumulateGradHook(p => { using (new NoGrad()) p.Add_(p.Grad!, alpha: -0.01); });
        v.Backward(D(1, 2, 3));
        Assert.Equal([1.0, 2.0, 3.0], v.Grad!.ToArray<double>());
        Assert.Equal([-0.01, -0.02, -0.03], v.ToArray<double>());
        // Reached twice in one graph, after a pre-hook that doubles: one call, which sees the doubled sum added to .Grad.
        var x = D(1, 2).RequiresGrad_();
        var seen = new List<double[]>();
        x.RegisterHook(g => g * 2);
        x.RegisterPostAccumulateGradHook(p => seen.Add(p.Grad!.ToArray<double>()));
        (x * 3 + x * 4).Sum().Backward();
        (x * 1).Sum().Backward();
        Assert.Equal([[14.0, 14.0], [16.0, 16.0]], seen);
        // Autograd.Grad accumulates nothing, so the hook does not run.
        Autograd.Grad([(x * 5).Sum()], [x]);
        Assert.Equal(2, seen.Count);
    }

    [Fact]
    public void PostAccumulateGradHook_OnlyOnLeavesThatRequireGrad()
    {
        var e = Assert.Throws<InvalidOperationException>(() => D(1).RegisterPostAccumulateGradHook(_ => { }));
        Assert.Equal("cannot register a hook on a tensor that doesn't require gradient", e.Message);
        var y = D(1).RequiresGrad_() * 2;
        e = Assert.Throws<InvalidOperationException>(() => y.RegisterPostAccumulateGradHook(_ => { }));
        Assert.Equal("post accumulate grad hooks cannot be registered on non-leaf tensors", e.Message);
    }

    [Fact]
    public void NextFunctions_NameAccumulateGradAndConstants()
    {
        var x = D(1).RequiresGrad_();
        var y = x * D(2);
        var fns = y.GradFn!.NextFunctions;
        Assert.Equal("AccumulateGrad", fns[0]!.Name);
        Assert.Null(fns[1]);
        var z = y + x;
        Assert.Equal("MulBackward0", z.GradFn!.NextFunctions[0]!.Name);
        Assert.Same(fns[0], z.GradFn.NextFunctions[1]);
    }

    [Fact]
    public void SharedSubexpressions_EachNodeRunsOnce()
    {
        var x = D(3).RequiresGrad_();
        var a = x * x;          // used three times
        var y = a * a + a;      // y = x^4 + x^2
        y.Sum().Backward();
        Assert.Equal([4 * 27 + 2 * 3.0], x.Grad!.ToArray<double>());
    }

    [Fact]
    public void LeafGradients_NeverAliasEachOtherOrTheCallersTensors()
    {
        // AddBackward hands the same tensor to both inputs; the user's gradient passes straight through.
        var a = D(1, 2).RequiresGrad_();
        var b = D(3, 4).RequiresGrad_();
        var upstream = D(10, 20);
        (a + b).Backward(upstream);
        a.Grad!.Add_(1.0);
        Assert.Equal([10.0, 20.0], b.Grad!.ToArray<double>());
        Assert.Equal([10.0, 20.0], upstream.ToArray<double>());
        // A hook that keeps the gradient it sees must not see it change afterwards.
        var c = D(1, 2).RequiresGrad_();
        Tensor? kept = null;
        c.RegisterHook(g => { kept = g; return null; });
        (c * 3).Sum().Backward();
        c.Grad!.Add_(100.0);
        Assert.Equal([3.0, 3.0], kept!.ToArray<double>());
        // The same leaf reached twice: the sum is the gradient.
        var d = D(1, 2).RequiresGrad_();
        (d * 2 + d * 5).Sum().Backward();
        Assert.Equal([7.0, 7.0], d.Grad!.ToArray<double>());
    }

    [Fact]
    public void SecondDerivative_OfCube_IsSixX()
    {
        var x = D(1, 2, 3).RequiresGrad_();
        var y = x.Pow(3).Sum();
        var g = Autograd.Grad([y], [x], createGraph: true)[0]!;
        Assert.Equal([3.0, 12.0, 27.0], g.ToArray<double>());
        var g2 = Autograd.Grad([g.Sum()], [x])[0]!;
        Assert.Equal([6.0, 12.0, 18.0], g2.ToArray<double>());
        Assert.Null(x.Grad);
    }

    [Fact]
    public void Hessian_OfQuadraticForm_IsAPlusATransposed()
    {
        var A = Tensor.FromArray(new double[] { 1, 2, 0, 3, 4, 5, -1, 0, 2 }, [3, 3]);
        var h = Autograd.Hessian(x => x.Dot(A.MatMul(x)), D(0.5, -1, 2));
        Assert.True(h.AllClose(A + A.T()));
        Assert.Equal([3, 3], h.Shape);
    }

    [Fact]
    public void Jacobian_HasOutputThenInputShape()
    {
        var j = Autograd.Jacobian(x => x.Pow(2) * 3, Tensor.FromArray(new double[] { 1, 2, 3, 4 }, [2, 2]));
        Assert.Equal([2, 2, 2, 2], j.Shape);
        Assert.Equal(6.0 * 4, j[1, 1, 1, 1].Item<double>());
        Assert.Equal(0.0, j[1, 1, 0, 1].Item<double>());
    }

    [Fact]
    public void AutogradGrad_UnusedInput_ThrowsUnlessAllowed()
    {
        var x = D(1).RequiresGrad_();
        var z = D(2).RequiresGrad_();
        var y = x * 2;
        var ex = Assert.Throws<InvalidOperationException>(() => Autograd.Grad([y], [x, z], retainGraph: true));
        Assert.Contains("appears to not have been used in the graph", ex.Message);
        var r = Autograd.Grad([y], [x, z], allowUnused: true);
        Assert.Equal([2.0], r[0]!.ToArray<double>());
        Assert.Null(r[1]);
    }

    [Fact]
    public void AutogradGrad_WithRespectToANonLeaf()
    {
        var x = D(1, 2).RequiresGrad_();
        var h = x * 3;
        var y = (h * h).Sum();
        var g = Autograd.Grad([y], [h])[0]!;
        Assert.Equal([6.0, 12.0], g.ToArray<double>());
        Assert.Null(x.Grad);
    }

    [Fact]
    public void LongChain_OfOneHundredThousandOps_NoStackOverflow()
    {
        var x = Tensor.From(1.0).RequiresGrad_();
        var y = x;
        for (int i = 0; i < 50_000; i++) y = y * 1.0000001 + 0.0;
        y.Backward();
        Assert.Equal(Math.Pow(1.0000001, 50_000), x.Grad!.Item<double>(), 6);   // 100k ops = 50k mul + 50k add
    }

    [Fact]
    public void NoGrad_Nests_AndIsPerFlow()
    {
        Assert.True(GradMode.IsEnabled);
        using (new NoGrad())
        {
            using (new NoGrad()) Assert.False(GradMode.IsEnabled);
            Assert.False(GradMode.IsEnabled);
            bool other = true;
            var t = new Thread(() => other = GradMode.IsEnabled);
            t.UnsafeStart(); t.Join();   // a thread outside this flow (Start would flow the scope to it, as any AsyncLocal)
            Assert.True(other);
        }
        Assert.True(GradMode.IsEnabled);
    }

    [Fact]
    public void Detach_CutsTheGraph_SharesStorage()
    {
        var x = D(1, 2).RequiresGrad_();
        var y = x * 2;
        var d = y.Detach();
        Assert.False(d.RequiresGrad);
        Assert.True(d.IsLeaf);
        d.Fill_(7);
        Assert.Equal([7.0, 7.0], y.ToArray<double>());
    }

    [Fact]
    public void DetectAnomaly_NamesTheOpThatProducedNaN()
    {
        var x = D(0, 1).RequiresGrad_();
        using (Autograd.DetectAnomaly())
        {
            var y = x.Sqrt().Sum();
            var ex = Assert.Throws<InvalidOperationException>(() => y.Backward());
            Assert.Contains("SqrtBackward0", ex.Message);
            Assert.Contains("inf", ex.Message);
        }
        var y2 = x.Sqrt().Sum();
        y2.Backward();   // outside the scope: no check
        Assert.True(double.IsPositiveInfinity(x.Grad!.ToArray<double>()[0]));
    }

    [Fact]
    public void CustomFunction_SavedTensorsFreedAfterBackward()
    {
        var x = D(1, 2).RequiresGrad_();
        var y = new Square().Apply(x);
        Assert.Equal("SquareBackward", y.GradFn!.Name);
        y.Sum().Backward(retainGraph: false);
        Assert.Equal([2.0, 4.0], x.Grad!.ToArray<double>());
        var ex = Assert.Throws<InvalidOperationException>(() => y.Backward(Tensor.OnesLike(y)));
        Assert.Contains("second time", ex.Message);
    }

    [Fact]
    public void CustomFunction_NeedsInputGrad()
    {
        var a = D(1).RequiresGrad_();
        var b = D(2);
        var f = new Probe();
        f.Apply(a, b);
        Assert.Equal([true, false], f.Needs);
    }

    private sealed class Square : Function
    {
        protected override Tensor Forward(FunctionContext ctx, Tensor[] inputs)
        {
            ctx.SaveForBackward(inputs[0]);
            return inputs[0] * inputs[0];
        }

        protected override Tensor?[] Backward(FunctionContext ctx, Tensor g) => [g * 2 * ctx.SavedTensors[0]];
    }

    private sealed class Probe : Function
    {
        public bool[] Needs = [];

        protected override Tensor Forward(FunctionContext ctx, Tensor[] inputs)
        {
            Needs = [.. ctx.NeedsInputGrad];
            Assert.False(GradMode.IsEnabled);
            return inputs[0] + inputs[1];
        }

        protected override Tensor?[] Backward(FunctionContext ctx, Tensor g) => [g, null];
    }
}
