using Framework.Autograd;
using Framework.NN;

namespace Tests.NN;

/// <summary>The fused recurrent layer node against the composite cell it replaces: values, every gradient, double backward, graph shape.</summary>
public class RecurrentFusedTests
{
    public static TheoryData<string, bool, bool> Cases()
    {
        var data = new TheoryData<string, bool, bool>();
        foreach (var mode in new[] { "RNN_TANH", "RNN_RELU", "LSTM", "GRU" })
            foreach (var bias in new[] { true, false })
                foreach (var reverse in new[] { false, true })
                    data.Add(mode, bias, reverse);
        return data;
    }

    private static Tensor[] Inputs(string mode, bool bias, DType dtype, int steps = 5, int n = 3, int h = 4)
    {
        var gen = new Generator().ManualSeed(7);
        int gates = mode switch { "LSTM" => 4, "GRU" => 3, _ => 1 };
        Tensor R(params int[] shape) => Tensor.Randn(shape, generator: gen, dtype: dtype);
        return [R(steps, n, gates * h), R(n, h), mode == "LSTM" ? R(n, h) : null!, R(gates * h, h) * 0.5, bias ? R(gates * h) : null!];
    }

    private static Tensor Packed(Tensor[] t, string mode, bool reverse, bool fused)
    {
        if (!fused) return RecurrentFused.Composite(mode, t[0], t[1], t[2], t[3], t[4], reverse);
        var (o, h, c) = RecurrentFused.Direction(mode, t[0], t[1], t[2], t[3], t[4], reverse);
        // The same quantities as the composite's packing, through the views the layers hand out (so their gradients meet in the node).
        var last = o.Select(0, reverse ? 0 : o.Shape[0] - 1);
        Assert.Equal(last.ToArray<double>(), h.ToArray<double>());
        return c is null ? o : Tensor.Cat([o, c.Unsqueeze(0)]);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Fused_EqualsComposite_ValuesAndGradients(string mode, bool bias, bool reverse)
    {
        foreach (var (dtype, tol) in new[] { (DType.Float64, 1e-12), (DType.Float32, 2e-5) })
        {
            var a = Inputs(mode, bias, dtype); var b = Inputs(mode, bias, dtype);
            foreach (var t in a.Concat(b)) t?.RequiresGrad_();
            var ya = Packed(a, mode, reverse, fused: true);
            var yb = Packed(b, mode, reverse, fused: false);
            Assert.Equal(yb.Shape, ya.Shape);
            AssertClose(yb, ya, tol, "value");
            var g = Tensor.Randn(ya.Shape, generator: new Generator().ManualSeed(3), dtype: dtype);
            var live = Enumerable.Range(0, 5).Where(i => a[i] is not null).ToArray();
            var ga = Autograd.Grad([ya], [.. live.Select(i => a[i])], [g]);
            var gb = Autograd.Grad([yb], [.. live.Select(i => b[i])], [g]);
            for (int k = 0; k < live.Length; k++) AssertClose(gb[k]!, ga[k]!, tol, $"gradient of input {live[k]} ({dtype})");
        }
    }

    [Theory]
    [InlineData("LSTM", true, false)]
    [InlineData("GRU", false, true)]
    [InlineData("RNN_TANH", true, true)]
    public void Fused_DoubleBackward_MatchesFiniteDifferences(string mode, bool bias, bool reverse)
    {
        var inputs = Inputs(mode, bias, DType.Float64, steps: 3, n: 2, h: 2).Where(t => t is not null).ToArray();
        foreach (var t in inputs) t.RequiresGrad_();
        Tensor F(Tensor[] x)
        {
            int k = 0;
            var xp = x[k++]; var h0 = x[k++]; var c0 = mode == "LSTM" ? x[k++] : null; var w = x[k++]; var b = bias ? x[k] : null;
            var (o, h, c) = RecurrentFused.Direction(mode, xp, h0, c0, w, b, reverse);
            return c is null ? o.Sum(0) + h : o.Sum(0) + h * c;
        }
        Assert.True(Autograd.GradCheck(F, inputs));
        Tensor y;
        using (new NoGrad()) y = F(inputs);
        Assert.True(Autograd.GradGradCheck(F, inputs, Tensor.Randn(y.Shape, dtype: DType.Float64)));
    }

    [Fact]
    public void Lstm_RecordsOneNodePerLayerAndDirection()
    {
        var lstm = new LSTM(3, 4, numLayers: 2, bidirectional: true);
        var (o, (h, c)) = lstm.Forward(Tensor.Randn(6, 2, 3), null);
        var seen = new HashSet<Node>();
        var stack = new Stack<Node>([o.GradFn!, h.GradFn!, c.GradFn!]);
        while (stack.Count > 0)
        {
            var node = stack.Pop();
            if (!seen.Add(node)) continue;
            foreach (var next in node.NextFunctions) if (next is not null) stack.Push(next);
        }
        Assert.Equal(4, seen.Count(n => n.Name == "LSTMLayerBackward"));
        Assert.DoesNotContain(seen, n => n.Name is "SigmoidBackward0" or "TanhBackward0");
    }

    [Fact]
    public void OutputChangedInPlace_LeavesTheBackwardIntact()
    {
        // As with PyTorch's composite CPU layers, the result is not what the backward reads: an in-place change of it is allowed.
        Tensor.ManualSeed(1);
        var gru = new GRU(3, 4);
        var x = Tensor.Randn(5, 2, 3);
        gru.Forward(x).Sum().Backward();
        var want = gru.AllWeights[0][1].Grad!.ToArray<float>();
        gru.ZeroGrad();
        var o = gru.Forward(x);
        o.Select(0, 2).Add_(Tensor.Ones(2, 4));
        o.Sum().Backward();
        Assert.Equal(want, gru.AllWeights[0][1].Grad!.ToArray<float>());
    }

    private static void AssertClose(Tensor want, Tensor got, double tol, string what)
    {
        var w = want.To(DType.Float64).ToArray<double>(); var g = got.To(DType.Float64).ToArray<double>();
        Assert.Equal(w.Length, g.Length);
        for (int i = 0; i < w.Length; i++)
            Assert.True(Math.Abs(w[i] - g[i]) <= tol * (1 + Math.Abs(w[i])), $"{what}[{i}]: want {w[i]}, got {g[i]}");
    }
}
