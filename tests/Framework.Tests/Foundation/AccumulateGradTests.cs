using Framework.Autograd;

namespace Tests.Foundation;

/// <summary>Gradients accumulate as PyTorch's AccumulateGrad does: never aliasing user tensors, out of place under createGraph, atomically across threads.</summary>
public class AccumulateGradTests
{
    [Fact]
    public void AfterACreateGraphBackwardTheGradIsACopyNotTheUsersGradient()
    {
        var x = Tensor.Ones([3]).RequiresGrad_();
        var g = Tensor.From(new float[] { 1, 1, 1 });
        (x * 1).Backward(g, createGraph: true);
        Assert.NotSame(g, x.Grad);
        Assert.Equal([1f, 1f, 1f], x.Grad!.ToArray());
        (x * 2).Backward(Tensor.Ones([3]));                  // in place into x.Grad, as PyTorch: [3, 3, 3]
        Assert.Equal([3f, 3f, 3f], x.Grad.ToArray());
        Assert.Equal([1f, 1f, 1f], g.ToArray());             // the user's tensor is untouched
    }

    [Fact]
    public void ZeroGradInPlaceAfterACreateGraphBackwardLeavesTheUsersGradientAlone()
    {
        var x = Tensor.Ones([3]).RequiresGrad_();
        var g = Tensor.From(new float[] { 5, 6, 7 });
        x.Backward(g, createGraph: true);
        using (new NoGrad()) x.Grad!.Zero_();
        Assert.Equal([5f, 6f, 7f], g.ToArray());
        Assert.Equal([0f, 0f, 0f], x.Grad!.ToArray());
    }

    [Fact]
    public void AnExpandedGradientIsNotKeptAsGrad()
    {
        // PyTorch 1.13: x.sum().backward(create_graph=True); (x * [1, 2, 3]).sum().backward() gives x.grad = [2, 3, 4].
        var x = Tensor.Ones([3]).RequiresGrad_();
        x.Sum().Backward(createGraph: true);
        Assert.Equal([1], x.Grad!.Strides);
        (x * Tensor.From(new float[] { 1, 2, 3 })).Sum().Backward();
        Assert.Equal([2f, 3f, 4f], x.Grad!.ToArray());
    }

    [Fact]
    public void UnderCreateGraphTheGradIsDifferentiableAndAccumulatesOutOfPlace()
    {
        // PyTorch 1.13: (x**2).sum().backward(create_graph=True) → x.grad = 2x with a grad_fn; x.grad.sum().backward() → [4, 4, 4].
        var x = Tensor.Ones([3]).RequiresGrad_();
        x.Pow(2).Sum().Backward(createGraph: true);
        var first = x.Grad!;
        Assert.Equal("CopyBackwards", first.GradFn?.Name);
        Assert.Equal([2f, 2f, 2f], first.ToArray());
        x.Pow(2).Sum().Backward(createGraph: true);          // out of place: a new tensor, the first one unchanged
        Assert.NotSame(first, x.Grad);
        Assert.Equal([2f, 2f, 2f], first.ToArray());
        Assert.Equal([4f, 4f, 4f], x.Grad!.ToArray());
        var g2 = Autograd.Grad([x.Grad.Sum()], [x])[0]!;      // d/dx Σ(2x + 2x) = 4
        Assert.Equal([4f, 4f, 4f], g2.ToArray());
    }

    [Fact]
    public void AnUnsharedFreshGradientIsStolenWithoutACopy()
    {
        var x = Tensor.Ones([2, 3]).RequiresGrad_();
        var y = (x * 3).Sum(1);
        y.Backward(Tensor.Ones([2]));
        Assert.True(x.Grad!.IsContiguous);
        Assert.Equal(Enumerable.Repeat(3f, 6), x.Grad.ToArray());
    }

    [Fact]
    public void TwoThreadsBackpropagatingIntoOneLeafLoseNothing()
    {
        var w = Tensor.Zeros([1]).RequiresGrad_();
        RunOnTwoThreads(() =>
        {
            for (int i = 0; i < 500; i++)
            {
                var e = w.Expand(256);
                var y = e * 1;
                for (int k = 1; k < 8; k++) y = y + e;           // eight edges into w's AccumulateGrad
                (y.Sum() / 256).Backward();
            }
        });
        Assert.Equal(8000f, w.Grad!.Item());
    }

    [Fact]
    public void TwoThreadsBackpropagatingThroughASharedSubgraphLoseNothing()
    {
        var w = Tensor.Ones([4]).RequiresGrad_();
        var shared = w.Expand(64, 4) * 3;                     // one subgraph, retained, walked by both threads
        for (int k = 0; k < 6; k++) shared = shared.Relu() * 1;
        RunOnTwoThreads(() => { for (int i = 0; i < 100; i++) (shared.Sum() / 64).Backward(retainGraph: true); });
        Assert.Equal([600f, 600f, 600f, 600f], w.Grad!.ToArray());
        Assert.Equal(2400f, w.Grad.Sum().Item());
    }

    [Fact]
    public void TwoThreadsWithGraphsOfTheirOwnOverOneLeafGetExactSums()
    {
        var w = Tensor.From(new double[] { 0.5, -1.5 }).RequiresGrad_();
        RunOnTwoThreads(() =>
        {
            for (int i = 0; i < 300; i++) (w.Exp() * 2 + w.Sin()).Sum().Backward();
        });
        double[] expected = [600 * (2 * Math.Exp(0.5) + Math.Cos(0.5)), 600 * (2 * Math.Exp(-1.5) + Math.Cos(-1.5))];
        var got = w.Grad!.ToArray<double>();
        for (int i = 0; i < 2; i++) Assert.Equal(expected[i], got[i], 1e-9);
    }

    [Fact]
    public void ARetainedGradientSumsEveryThreadsContribution()
    {
        var w = Tensor.Ones([3]).RequiresGrad_();
        var h = w * 2;
        h.RetainGrad();
        RunOnTwoThreads(() => { for (int i = 0; i < 200; i++) (h * 1).Sum().Backward(retainGraph: true); });
        Assert.Equal([400f, 400f, 400f], h.Grad!.ToArray());
        Assert.Equal([800f, 800f, 800f], w.Grad!.ToArray());
    }

    private static void RunOnTwoThreads(Action body)
    {
        Exception? error = null;
        using var start = new Barrier(2);
        var threads = Enumerable.Range(0, 2).Select(_ => new Thread(() =>
        {
            try { start.SignalAndWait(); body(); }
            catch (Exception e) { error = e; }
        })).ToArray();
        foreach (var t in threads) t.Start();
        foreach (var t in threads) t.Join();
        if (error is not null) throw new Xunit.Sdk.XunitException("a thread failed: " + error);
    }
}
