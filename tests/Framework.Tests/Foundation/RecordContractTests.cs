using System.Reflection;
using System.Runtime.CompilerServices;
using Framework.Autograd;
using Framework.NN;
using F = Framework.NN.Functional;

namespace Tests.Foundation;

/// <summary>
/// The contract of Graph.Record: saved tensors are declared, version-checked before the rule runs and freed after a
/// backward without retainGraph; NeedsInputGrad comes from the inputs; rules capture nothing; NN ops are single nodes
/// named and wired as in PyTorch 1.13.
/// </summary>
public class RecordContractTests
{
    private static Tensor D(params double[] v) => Tensor.From(v);
    private static readonly Generator Gen = new(7);
    private static Tensor R(params int[] shape) => Tensor.Randn(shape, dtype: DType.Float64, generator: Gen);

    /// <summary>The example of Graph's documentation: y = s·a·e^b; ∂y/∂a = s·e^b, ∂y/∂b = y.</summary>
    private static Tensor ScaledMulExp(Tensor a, Tensor b, double s)
    {
        Tensor y;
        using (new NoGrad()) y = a * b.Exp() * s;
        return Graph.Record("ScaledMulExpBackward0", y, [a, b], [b, y], s,
            static (ctx, g, s) => [ctx.NeedsInputGrad(0) ? g * s * ctx.Saved(0).Exp() : null,
                                   ctx.NeedsInputGrad(1) ? g * ctx.Saved(1) : null]);
    }

    [Fact]
    public void InPlaceChangeOfASavedTensor_RaisesTheVersionError()
    {
        var x = D(1, 2).RequiresGrad_();
        var h = x * 1;
        var y = h.Sin();               // saves h
        h.Add_(1.0);
        var ex = Assert.Throws<InvalidOperationException>(() => y.Sum().Backward());
        Assert.Equal("one of the variables needed for gradient computation by SinBackward0 has been modified by an inplace operation: " +
                     "[torch.float64 [2]], which is output 0 of AddBackward0, is at version 1; expected version 0 instead.", ex.Message);
    }

    [Fact]
    public void InPlaceChangeOfATensorSavedByAUserOp_RaisesTheVersionError()
    {
        var a = D(1, 2).RequiresGrad_();
        var b = D(0.5, 1) * 1;
        var y = ScaledMulExp(a, b, 2);
        using (new NoGrad()) b.Mul_(3.0);
        var ex = Assert.Throws<InvalidOperationException>(() => y.Sum().Backward());
        Assert.Equal("one of the variables needed for gradient computation by ScaledMulExpBackward0 has been modified by an inplace operation: " +
                     "[torch.float64 [2]] is at version 1; expected version 0 instead.", ex.Message);
    }

    [Fact]
    public void InPlaceChangeOfAConvolutionsInput_IsCaughtByItsNode()
    {
        var x = R(1, 1, 3, 3).RequiresGrad_();
        var h = x * 1;
        var y = F.Conv2d(h, R(1, 1, 2, 2).RequiresGrad_());
        h.Add_(1.0);
        var ex = Assert.Throws<InvalidOperationException>(() => y.Sum().Backward());
        Assert.StartsWith("one of the variables needed for gradient computation by ConvolutionBackward0 has been modified by an inplace operation: [torch.float64 [1, 1, 3, 3]]", ex.Message);
    }

    [Fact]
    public void SavedTensorsAreFreedAfterBackward_SoASecondBackwardThrows()
    {
        var a = D(1, 2).RequiresGrad_();
        var y = ScaledMulExp(a, D(0.5, 1), 2).Sum();
        y.Backward();
        var ex = Assert.Throws<InvalidOperationException>(() => y.Backward());
        Assert.Equal(Engine.SecondBackwardError().Message, ex.Message);
        Assert.StartsWith("Trying to backward through the graph a second time", ex.Message);
    }

    [Fact]
    public void AnIntermediateSavedOnlyByTheGraph_IsCollectedAfterBackward()
    {
        var x = D(1, 2).RequiresGrad_();
        var (loss, weak) = LossWithIntermediate(x);
        Collect();
        Assert.True(weak.IsAlive);          // held by SinBackward0 until backward
        loss.Backward();
        Collect();
        Assert.False(weak.IsAlive);
        Assert.Equal(2 * Math.Cos(2), x.Grad!.ToArray<double>()[0], 12);
        GC.KeepAlive(loss);
    }

    [Fact]
    public void RetainGraph_KeepsTheSavedTensors()
    {
        var x = D(1, 2).RequiresGrad_();
        var (loss, weak) = LossWithIntermediate(x);
        loss.Backward(retainGraph: true);
        Collect();
        Assert.True(weak.IsAlive);
        loss.Backward();
        Assert.Equal([4 * Math.Cos(2), 4 * Math.Cos(4)], x.Grad!.ToArray<double>());
        Collect();
        Assert.False(weak.IsAlive);
        GC.KeepAlive(loss);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static (Tensor Loss, WeakReference Intermediate) LossWithIntermediate(Tensor x)
    {
        var h = x * 2;
        return (h.Sin().Sum(), new WeakReference(h));
    }

    private static void Collect()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
    }

    [Fact]
    public void ARuleThatSavedNothing_CanRunAgain()
    {
        var x = D(1, 2).RequiresGrad_();
        var y = x.Sum();
        y.Backward();
        y.Backward();
        Assert.Equal([2.0, 2.0], x.Grad!.ToArray<double>());
    }

    [Fact]
    public void NeedsInputGrad_ReflectsWhichInputsRequireGrad()
    {
        var a = D(1, 2).RequiresGrad_();
        var b = D(3, 4);
        var seen = new List<bool>();
        Tensor y;
        using (new NoGrad()) y = a * b;
        y = Graph.Record("ProbeBackward", y, [a, b], [b], seen, static (ctx, g, seen) =>
        {
            seen.Add(ctx.NeedsInputGrad(0));
            seen.Add(ctx.NeedsInputGrad(1));
            return [g * ctx.Saved(0), null];
        });
        Assert.Equal("ProbeBackward", y.GradFn!.Name);
        y.Sum().Backward();
        Assert.Equal([true, false], seen);
        Assert.Equal([3.0, 4.0], a.Grad!.ToArray<double>());
    }

    [Fact]
    public void Record_OutsideGradMode_OrWithoutInputsNeedingGrad_RecordsNothing()
    {
        Assert.Null(ScaledMulExp(D(1, 2), D(3, 4), 1).GradFn);
        var a = D(1, 2).RequiresGrad_();
        using (new NoGrad()) Assert.Null(ScaledMulExp(a, D(3, 4), 1).GradFn);
    }

    [Fact]
    public void Record_RejectsAResultThatIsInTheGraphAlready()
    {
        var x = D(1, 2).RequiresGrad_();
        var ex = Assert.Throws<InvalidOperationException>(() => Graph.Record("IdBackward", x, [x], static (ctx, g) => [g]));
        Assert.Contains("the result is one of the inputs", ex.Message);
        var y = x * 2;
        ex = Assert.Throws<InvalidOperationException>(() => Graph.Record("TwiceBackward", y, [x], static (ctx, g) => [g * 2]));
        Assert.Contains("already has a grad_fn (MulBackward0)", ex.Message);
    }

    [Fact]
    public void AUserOp_GradChecks_ToSecondOrder()
    {
        var a = Tensor.FromArray(new[] { -0.7, 0.2, 1.3 }, [3]).RequiresGrad_();
        var b = Tensor.FromArray(new[] { 0.4, -1.1, 0.9 }, [3]).RequiresGrad_();
        Assert.True(Autograd.GradCheck(t => ScaledMulExp(t[0], t[1], 1.5), [a, b]));
        // ∂y/∂b = y, so ∂²y/∂b² = y = 1.5·a·e^b and ∂²y/∂a∂b = 1.5·e^b.
        var gb = Autograd.Grad([ScaledMulExp(a, b, 1.5).Sum()], [b], createGraph: true)[0]!;
        var second = Autograd.Grad([gb.Sum()], [a, b]);
        Tensor gba = second[0]!, gbb = second[1]!;
        var av = a.ToArray<double>();
        var bv = b.ToArray<double>();
        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(1.5 * av[i] * Math.Exp(bv[i]), gbb.ToArray<double>()[i], 12);
            Assert.Equal(1.5 * Math.Exp(bv[i]), gba.ToArray<double>()[i], 12);
        }
        var v = Tensor.FromArray(new[] { 0.3, -0.8, 1.7 }, [3]).RequiresGrad_();
        Assert.True(Autograd.GradCheck(t => GradMode.With(true, () =>
        {
            var g = Autograd.Grad([ScaledMulExp(t[0], t[1], 1.5)], [t[0], t[1]], [t[2]], createGraph: true);
            return Tensor.Cat([g[0]!, g[1]!]);
        }), [a, b, v]));
    }

    [Fact]
    public void AUserOp_SkipsTheGradientsNoInputNeeds()
    {
        var a = D(1, 2).RequiresGrad_();
        var b = D(0.5, 1);
        ScaledMulExp(a, b, 2).Sum().Backward();
        Assert.Equal([2 * Math.Exp(0.5), 2 * Math.Exp(1)], a.Grad!.ToArray<double>());
        Assert.Null(b.Grad);
    }

    /// <summary>No backward rule in the library is a capturing lambda: every lambda with a rule's signature lives in one of the
    /// compiler's caches of non-capturing lambdas (&lt;&gt;c), never in a closure class (&lt;&gt;c__DisplayClass) or on an instance.</summary>
    [Fact]
    public void NoBackwardRuleCapturesAnything()
    {
        var types = typeof(Tensor).Assembly.GetTypes().Concat(typeof(F).Assembly.GetTypes());
        var (rules, capturing) = Rules(types);
        Assert.True(rules > 50, $"found only {rules} rules");
        Assert.Empty(capturing);
    }

    [Fact]
    public void TheCaptureDetector_FindsACapturingRule()
    {
        var (rules, capturing) = Rules(typeof(CapturingOp).GetNestedTypes(BindingFlags.NonPublic).Append(typeof(CapturingOp)));
        Assert.Equal(2, rules);
        Assert.Single(capturing);
        Assert.Equal(5.0, CapturingOp.Apply(D(1).RequiresGrad_(), 5.0).Item<double>());
    }

    private static (int Rules, List<string> Capturing) Rules(IEnumerable<Type> types)
    {
        var capturing = new List<string>();
        int rules = 0;
        foreach (var type in types)
            foreach (var m in type.GetMethods(BindingFlags.Instance | BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            {
                var p = m.GetParameters();
                if (m.ReturnType != typeof(Tensor[]) || p.Length is < 2 or > 3 || p[0].ParameterType != typeof(BackwardContext) || p[1].ParameterType != typeof(Tensor)) continue;
                if (!m.Name.Contains(">b__")) continue;   // lambdas only; the static helpers they call are fine
                rules++;
                if (!type.Name.StartsWith("<>c") || type.Name.StartsWith("<>c__DisplayClass")) capturing.Add($"{type.FullName}.{m.Name}");
            }
        return (rules, capturing);
    }

    /// <summary>One rule capturing a local (what the library must not do) and one static rule, for the detector's own test.</summary>
    private static class CapturingOp
    {
        public static Tensor Apply(Tensor x, double s)
        {
            Tensor y, z;
            using (new NoGrad()) y = x * 1;
            y = Graph.Record("StaticBackward", y, [x], static (ctx, g) => [g]);
            using (new NoGrad()) z = y * s;
            return Graph.Record("CapturingBackward", z, [y], (ctx, g) => [g * s]);
        }
    }

    // ---- NN ops PyTorch runs as one op are one node here too, with its name and next functions (as printed by PyTorch 1.13) ----

    private static Tensor P(params int[] shape) => R(shape).RequiresGrad_();

    /// <summary>grad_fn's name, then each next function's name ("None" for an input that needs no gradient).</summary>
    private static string[] Wiring(Tensor y) => [y.GradFn!.Name, .. y.GradFn.NextFunctions.Select(n => n?.Name ?? "None")];

    [Fact]
    public void Convolution_ListsInputWeightAndBias()
    {
        var x = P(1, 2, 4, 4);
        var w = P(3, 2, 3, 3);
        Assert.Equal(["ConvolutionBackward0", "AccumulateGrad", "AccumulateGrad", "AccumulateGrad"], Wiring(F.Conv2d(x, w, P(3))));
        Assert.Equal(["ConvolutionBackward0", "AccumulateGrad", "AccumulateGrad", "None"], Wiring(F.Conv2d(x, w)));
        Assert.Equal(["ConvolutionBackward0", "None", "AccumulateGrad", "None"], Wiring(F.Conv2d(x.Detach(), w)));
        var y = F.Conv2d(x * 2, w);
        Assert.Equal("MulBackward0", y.GradFn!.NextFunctions[0]!.Name);
        Assert.Same(F.Conv2d(x, w).GradFn!.NextFunctions[1], y.GradFn.NextFunctions[1]);   // the weight's one AccumulateGrad
    }

    [Fact]
    public void Pools_AreOneNodeOnTheirInput()
    {
        var x = P(1, 2, 4, 4);
        Assert.Equal(["MaxPool2DWithIndicesBackward0", "AccumulateGrad"], Wiring(F.MaxPool2d(x, 2)));
        Assert.Equal(["AvgPool2DBackward0", "AccumulateGrad"], Wiring(F.AvgPool2d(x, 2)));
        Assert.Equal(["AdaptiveAvgPool2DBackward0", "AccumulateGrad"], Wiring(F.AdaptiveAvgPool2d(x, (3, 3))));
        Assert.Equal(["AdaptiveAvgPool2DBackward0", "AccumulateGrad"], Wiring(F.AdaptiveAvgPool2d(x, (2, 2))));
        Assert.Equal(["MeanBackward1", "AccumulateGrad"], Wiring(F.AdaptiveAvgPool2d(x, (1, 1))));
    }

    [Fact]
    public void BatchNorm_ListsInputWeightAndBias()
    {
        var x = P(2, 2, 3, 3);
        var g = P(2);
        Assert.Equal(["NativeBatchNormBackward0", "AccumulateGrad", "None", "None"], Wiring(F.BatchNorm(x, null, null, training: true)));
        Assert.Equal(["NativeBatchNormBackward0", "AccumulateGrad", "AccumulateGrad", "AccumulateGrad"], Wiring(F.BatchNorm(x, null, null, g, g, training: true)));
        var rm = Tensor.Zeros([2], DType.Float64);
        var rv = Tensor.Ones([2], DType.Float64);
        Assert.Equal(["NativeBatchNormBackward0", "AccumulateGrad", "AccumulateGrad", "None"], Wiring(F.BatchNorm(x, rm, rv, g)));
    }

    [Fact]
    public void Losses_AreOneNodeWithPyTorchsEdges()
    {
        var x = P(2, 3);
        var t = P(2, 3);
        Assert.Equal(["MseLossBackward0", "AccumulateGrad", "AccumulateGrad"], Wiring(F.MseLoss(x, t)));
        Assert.Equal(["MseLossBackward0", "AccumulateGrad", "None"], Wiring(F.MseLoss(x, t.Detach())));
        var classes = Tensor.From(new long[] { 0, 2 });
        Assert.Equal(["NllLossBackward0", "AccumulateGrad"], Wiring(F.NllLoss(x, classes)));
        Assert.Equal(["NllLossBackward0", "AccumulateGrad"], Wiring(F.NllLoss(x, classes, weight: Tensor.From(new[] { 1.0, 2.0, 3.0 }))));
        Assert.Equal(["EmbeddingBackward0", "AccumulateGrad"], Wiring(F.Embedding(Tensor.From(new long[] { 1, 0 }), x)));
    }

    [Fact]
    public void NllLoss_OfOtherShapes_GoesThroughAViewAsInPyTorch()
    {
        var x4 = P(2, 3, 2, 2);
        Assert.Equal(["NllLoss2DBackward0", "AccumulateGrad"], Wiring(F.NllLoss(x4, Tensor.Zeros([2, 2, 2], DType.Int64))));
        Assert.Equal(["NllLoss2DBackward0", "AccumulateGrad"], Wiring(F.NllLoss(x4, Tensor.Zeros([2, 2, 2], DType.Int64), Reduction.None)));
        var x3 = P(2, 3, 4);
        var t3 = Tensor.Zeros([2, 4], DType.Int64);
        var mean = F.NllLoss(x3, t3);
        Assert.Equal(["NllLoss2DBackward0", "ViewBackward0"], Wiring(mean));
        Assert.Equal("AccumulateGrad", mean.GradFn!.NextFunctions[0]!.NextFunctions[0]!.Name);
        var none = F.NllLoss(x3, t3, Reduction.None);
        Assert.Equal(["ViewBackward0", "NllLoss2DBackward0"], Wiring(none));
        Assert.Equal([2, 4], none.Shape);
        var strided = F.NllLoss(P(2, 4, 3).Transpose(1, 2), t3);
        Assert.Equal("CloneBackward0", strided.GradFn!.NextFunctions[0]!.NextFunctions[0]!.Name);
    }

    [Fact]
    public void CrossEntropyWithProbabilities_EndsInDivBackward1OverTheComposite()
    {
        var logits = P(4, 3);
        var probs = Tensor.FromArray(new[] { 0.2, 0.3, 0.5, 0.1, 0.1, 0.8, 0.6, 0.2, 0.2, 0.3, 0.3, 0.4 }, [4, 3]);
        var loss = F.CrossEntropy(logits, probs);
        Assert.Equal(["DivBackward1", "NegBackward0"], Wiring(loss));
        Assert.Equal("SumBackward0", loss.GradFn!.NextFunctions[0]!.NextFunctions[0]!.Name);
    }
}
