using Framework.Autograd;

namespace Tests.Foundation;

/// <summary>A backward started inside a custom Function's backward (as checkpointing does) runs with state of its own.</summary>
public class ReentrantBackwardTests
{
    [Fact]
    public void AnInnerBackwardDoesNotDisturbTheOuterOne()
    {
        // y = a² + 3a with a = 2w, w = 1: dy/dw = (2a + 3)·2 = 14. The Mul branch runs first and leaves a gradient pending at
        // a's node; the custom node's inner backward then walks a's node too, which must not touch the outer run's state.
        var w = Tensor.From(1.0).RequiresGrad_();
        var a = w * 2;
        var f = new WithW(w);
        var y = f.Apply(a) + a * 3;
        y.Backward();
        Assert.Equal(14.0, w.Grad!.Item<double>(), 12);
        Assert.Equal(2.0, WithW.InnerGradOfW, 12);
    }

    /// <summary>y = a² with its gradient 2a computed by a backward inside the backward; it also differentiates a (its input) w.r.t. w.</summary>
    private sealed class WithW(Tensor w) : Function
    {
        public static double InnerGradOfW;

        protected override Tensor Forward(FunctionContext ctx, Tensor[] inputs)
        {
            ctx.SaveForBackward(inputs[0]);
            return inputs[0] * inputs[0];
        }

        protected override Tensor?[] Backward(FunctionContext ctx, Tensor gradOutput)
        {
            var a = ctx.SavedTensors[0];
            Tensor dz;
            using (new EnableGrad())                                                // recording on inside a backward (torch.enable_grad)
            {
                var z = a.Detach().RequiresGrad_();
                dz = Autograd.Grad([(z * z).Sum()], [z])[0]!;
            }
            InnerGradOfW = Autograd.Grad([a], [w], [Tensor.OnesLike(a)], retainGraph: true)[0]!.Item<double>();
            return [gradOutput * dz];
        }
    }

    [Fact]
    public void ABackwardInsideABackwardAccumulatesIntoItsOwnLeaves()
    {
        var w = Tensor.From(new double[] { 1, 2 }).RequiresGrad_();
        var inner = Tensor.From(new double[] { 3 }).RequiresGrad_();
        var y = new Hooked(inner).Apply(w * 1).Sum();
        y.Backward();
        Assert.Equal([1.0, 1.0], w.Grad!.ToArray<double>());
        Assert.Equal([5.0], inner.Grad!.ToArray<double>());   // d(5·inner)/d(inner), accumulated by the inner Backward()
    }

    /// <summary>Identity whose backward also runs a full Backward() into another leaf.</summary>
    private sealed class Hooked(Tensor inner) : Function
    {
        protected override Tensor Forward(FunctionContext ctx, Tensor[] inputs) => inputs[0].Clone();

        protected override Tensor?[] Backward(FunctionContext ctx, Tensor gradOutput)
        {
            using (new EnableGrad()) (inner * 5).Sum().Backward();
            return [gradOutput];
        }
    }
}
