using Framework.Autograd;

namespace Tests.AutogradTests;

/// <summary>OpInfo-style table: every differentiable op passes a Float64 finite-difference check on broadcast, non-contiguous and reduced shapes.</summary>
public partial class GradCheckTests
{
    private static Tensor R(params int[] shape) => Tensor.Randn(shape, dtype: DType.Float64, generator: Gen);
    private static Tensor Pos(params int[] shape) => R(shape).Abs() + 0.5;
    private static readonly Generator Gen = new(1234);

    /// <summary>name, function, inputs (all requiring grad).</summary>
    public static TheoryData<string> Cases => new(Table.Keys);

    /// <summary>The core table and each op group's own part (GradCheckTests.*.cs); a name used twice fails at start-up.</summary>
    private static readonly Dictionary<string, (Func<Tensor[], Tensor> F, Func<Tensor[]> Inputs)> Table = Merge(
        Core(), SortingCases(), ShapeOpCases(), ElementwiseCases(), IndexingCases(), LinalgCases(), SpecialCases());

    private static Dictionary<string, (Func<Tensor[], Tensor> F, Func<Tensor[]> Inputs)> Merge(
        params Dictionary<string, (Func<Tensor[], Tensor> F, Func<Tensor[]> Inputs)>[] parts)
    {
        var all = new Dictionary<string, (Func<Tensor[], Tensor> F, Func<Tensor[]> Inputs)>();
        foreach (var part in parts)
            foreach (var (name, entry) in part) all.Add(name, entry);
        return all;
    }

    private static Dictionary<string, (Func<Tensor[], Tensor> F, Func<Tensor[]> Inputs)> Core() => new()
    {
        ["add"] = (a => a[0] + a[1], () => [R(2, 3), R(2, 3)]),
        ["add broadcast row"] = (a => a[0] + a[1], () => [R(2, 3), R(3)]),
        ["add broadcast both"] = (a => a[0] + a[1], () => [R(2, 1, 3), R(4, 1)]),
        ["add scalar"] = (a => a[0] + 2.5, () => [R(3)]),
        ["sub broadcast"] = (a => a[0] - a[1], () => [R(3, 1), R(1, 4)]),
        ["rsub scalar"] = (a => 2.0 - a[0], () => [R(3)]),
        ["mul broadcast"] = (a => a[0] * a[1], () => [R(2, 3), R(2, 1)]),
        ["mul transposed view"] = (a => a[0].T() * a[1], () => [R(3, 2), R(2, 3)]),
        ["div"] = (a => a[0] / a[1], () => [R(2, 3), Pos(3)]),
        ["scalar div"] = (a => 3.0 / a[0], () => [Pos(4)]),
        ["neg"] = (a => -a[0], () => [R(3)]),
        ["pow scalar"] = (a => a[0].Pow(3), () => [R(2, 2)]),
        ["pow fractional"] = (a => a[0].Pow(1.5), () => [Pos(3)]),
        ["pow tensor"] = (a => a[0].Pow(a[1]), () => [Pos(2, 3), R(3)]),
        ["exp"] = (a => a[0].Exp(), () => [R(2, 3)]),
        ["log"] = (a => a[0].Log(), () => [Pos(2, 3)]),
        ["sqrt"] = (a => a[0].Sqrt(), () => [Pos(4)]),
        ["abs"] = (a => a[0].Abs(), () => [Pos(4) * Tensor.From(new double[] { 1, -1, 1, -1 })]),
        ["sin"] = (a => a[0].Sin(), () => [R(3)]),
        ["cos"] = (a => a[0].Cos(), () => [R(3)]),
        ["tanh"] = (a => a[0].Tanh(), () => [R(2, 3)]),
        ["sigmoid"] = (a => a[0].Sigmoid(), () => [R(2, 3)]),
        ["relu"] = (a => a[0].Relu(), () => [Pos(6) * Tensor.From(new double[] { 1, -1, 1, -1, 1, -1 })]),
        ["clamp"] = (a => a[0].Clamp(-0.5, 0.5), () => [Tensor.From(new double[] { -2, -0.3, 0.1, 0.4, 3 })]),
        ["sum all"] = (a => a[0].Sum(), () => [R(2, 3)]),
        ["sum dim0"] = (a => a[0].Sum(0), () => [R(2, 3, 4)]),
        ["sum dim1 keep"] = (a => a[0].Sum(1, keepDim: true), () => [R(2, 3, 4)]),
        ["sum dim2"] = (a => a[0].Sum(2), () => [R(2, 3, 4)]),
        ["sum dims 0,2"] = (a => a[0].Sum([0, 2]), () => [R(2, 3, 4)]),
        ["sum of transposed"] = (a => a[0].Transpose(0, 2).Sum(1), () => [R(2, 3, 4)]),
        ["mean all"] = (a => a[0].Mean(), () => [R(2, 3)]),
        ["mean dim -1"] = (a => a[0].Mean(-1), () => [R(2, 3)]),
        ["mean dims keep"] = (a => a[0].Mean([0, 1], keepDim: true), () => [R(2, 3, 2)]),
        ["max all"] = (a => a[0].Max(), () => [R(2, 3)]),
        ["min all"] = (a => a[0].Min(), () => [R(2, 3)]),
        ["max dim"] = (a => a[0].Max(1).Values, () => [R(3, 4)]),
        ["min dim keep"] = (a => a[0].Min(0, keepDim: true).Values, () => [R(3, 4)]),
        ["norm"] = (a => a[0].Norm(), () => [R(2, 3)]),
        ["softmax dim1"] = (a => a[0].Softmax(1), () => [R(2, 4)]),
        ["softmax dim0"] = (a => a[0].Softmax(0), () => [R(3, 2)]),
        ["log_softmax"] = (a => a[0].LogSoftmax(-1), () => [R(2, 5)]),
        ["matmul mm"] = (a => a[0].MatMul(a[1]), () => [R(2, 3), R(3, 4)]),
        ["matmul transposed views"] = (a => a[0].T().MatMul(a[1].T()), () => [R(3, 2), R(4, 3)]),
        ["matmul mv"] = (a => a[0].MatMul(a[1]), () => [R(2, 3), R(3)]),
        ["matmul vm"] = (a => a[0].MatMul(a[1]), () => [R(3), R(3, 2)]),
        ["matmul dot"] = (a => a[0].MatMul(a[1]), () => [R(3), R(3)]),
        ["matmul batched broadcast"] = (a => a[0].MatMul(a[1]), () => [R(2, 1, 2, 3), R(3, 3, 2)]),
        ["matmul batched vector"] = (a => a[0].MatMul(a[1]), () => [R(2, 2, 3), R(3)]),
        ["matmul folded 3d·2d"] = (a => a[0].MatMul(a[1]), () => [R(2, 3, 4), R(4, 2)]),
        ["matmul folded 2d·3d"] = (a => a[0].MatMul(a[1]), () => [R(3, 4), R(2, 4, 2)]),
        ["matmul folded 1d·3d"] = (a => a[0].MatMul(a[1]), () => [R(3), R(2, 3, 2)]),
        ["matmul permuted 3d·2d"] = (a => a[0].Permute(0, 2, 1).MatMul(a[1]), () => [R(2, 4, 3), R(4, 2)]),
        ["dot"] = (a => a[0].Dot(a[1]), () => [R(4), R(4)]),
        ["transpose"] = (a => a[0].Transpose(0, 1) * Tensor.Arange(6.0).Double().Reshape(3, 2), () => [R(2, 3)]),
        ["reshape of non-contiguous"] = (a => a[0].T().Reshape(6) * Tensor.Arange(6.0).Double(), () => [R(2, 3)]),
        ["view"] = (a => a[0].View(3, 2) * Tensor.Arange(6.0).Double().Reshape(3, 2), () => [R(2, 3)]),
        ["unsqueeze/squeeze"] = (a => a[0].Unsqueeze(1).Squeeze(1) * 2, () => [R(3)]),
        ["flatten"] = (a => a[0].Flatten(1) * Tensor.Arange(12.0).Double().Reshape(2, 6), () => [R(2, 3, 2)]),
        ["expand"] = (a => a[0].Expand(3, 2, 4) * Tensor.Arange(24.0).Double().Reshape(3, 2, 4), () => [R(2, 1)]),
        ["select"] = (a => a[0].Select(1, 2) * 3, () => [R(2, 4)]),
        ["slice step"] = (a => a[0].Slice(1, 1, 6, 2).Pow(2), () => [R(2, 7)]),
        ["indexer"] = (a => a[0][1, 2].Pow(2), () => [R(3, 4)]),
        ["cat"] = (a => Tensor.Cat([a[0], a[1]], 1).Pow(2), () => [R(2, 2), R(2, 3)]),
        ["stack"] = (a => Tensor.Stack([a[0], a[1]], 1).Pow(2), () => [R(2, 3), R(2, 3)]),
        ["where"] = (a => Tensor.Where(a[0].Gt(0.0), a[0], a[1]), () => [R(2, 3), R(3)]),
        ["gather"] = (a => a[0].Gather(1, Tensor.FromArray(new long[] { 2, 0, 1, 1 }, [2, 2])), () => [R(2, 3)]),
        ["clone/contiguous"] = (a => a[0].T().Contiguous() * Tensor.Arange(6.0).Double().Reshape(3, 2), () => [R(2, 3)]),
        ["composite mlp"] = (a => (a[0].MatMul(a[1]) + a[2]).Relu().Sum(1).Mean(), () => [R(4, 3), R(3, 5), R(5)]),
        ["in-place add on non-leaf"] = (a => { var t = a[0] * 2; t += a[1]; return t; }, () => [R(3), R(3)]),
        ["in-place mul on non-leaf"] = (a => { var t = a[0] * 1; t *= a[1]; return t; }, () => [R(3), R(3)]),
        ["setitem copy slices"] = (a => { var t = Tensor.Zeros([2, 2], DType.Float64); t[0, 1] = a[0].Sum(); t[1] = a[1] * 2; return t; }, () => [R(3), R(2)]),
        ["in-place on view of non-leaf"] = (a => { var t = a[0] * 1; var v = t.Select(0, 1); v += a[1]; return t; }, () => [R(3, 2), R(2)]),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void MatchesFiniteDifferences(string name)
    {
        var (f, make) = Table[name];
        var inputs = make();
        foreach (var t in inputs) t.RequiresGrad_();
        Assert.True(Autograd.GradCheck(f, inputs), name);
    }

    /// <summary>Backward rules are written with tensor ops, so their own gradients (createGraph) pass a finite-difference check too (gradgradcheck).</summary>
    [SkippableTheory]
    [MemberData(nameof(Cases))]
    public void SecondOrderMatchesFiniteDifferences(string name)
    {
        // Already a gradient: this would be prod's third derivative, where PyTorch's formula treats the zero's mask as constant.
        Skip.If(name == "prod double backward one zero", "prod's third derivative at a zero is not PyTorch's concern either");
        var (f, make) = Table[name];
        var inputs = make();
        foreach (var t in inputs) t.RequiresGrad_();
        Tensor y;
        using (new NoGrad()) y = f(inputs);
        Assert.True(Autograd.GradGradCheck(f, inputs, R(y.Shape)), name);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Float32AgreesWithFloat64(string name)
    {
        var (f, make) = Table[name];
        if (name.StartsWith("setitem")) return;   // builds a Float64 buffer by construction
        var inputs64 = make();
        foreach (var t in inputs64) t.RequiresGrad_();
        var inputs32 = Array.ConvertAll(inputs64, t => t.Detach().Float().RequiresGrad_());
        var y64 = f(inputs64);
        var y32 = f(inputs32);
        Assert.True(y32.Double().AllClose(y64.Detach(), rtol: 1e-4, atol: 1e-5), name);
        y64.Sum().Backward();
        y32.Sum().Backward();
        for (int i = 0; i < inputs64.Length; i++)
            Assert.True(inputs32[i].Grad!.Double().AllClose(inputs64[i].Grad!, rtol: 1e-4, atol: 1e-4), $"{name}: input {i}");
    }

    [Fact]
    public void DTypeConversion_PassesGradientBackInTheInputsDType()
    {
        var x = R(3).RequiresGrad_();
        var y = x.Float();
        Assert.Equal("ToCopyBackward0", y.GradFn!.Name);
        (y * 2).Sum().Backward();
        Assert.Equal(DType.Float64, x.Grad!.DType);
        Assert.Equal([2.0, 2.0, 2.0], x.Grad.ToArray<double>());
    }

    [Fact]
    public void GradCheck_ReportsAWrongBackward()
    {
        var x = R(3).RequiresGrad_();
        var ex = Assert.Throws<InvalidOperationException>(() => Autograd.GradCheck(a => new WrongSquare().Apply(a[0]), [x]));
        Assert.Contains("Jacobian mismatch", ex.Message);
        Assert.False(Autograd.GradCheck(a => new WrongSquare().Apply(a[0]), [x], raiseException: false));
    }

    private sealed class WrongSquare : Function
    {
        protected override Tensor Forward(FunctionContext ctx, Tensor[] inputs)
        {
            ctx.SaveForBackward(inputs[0]);
            return inputs[0] * inputs[0];
        }

        protected override Tensor?[] Backward(FunctionContext ctx, Tensor g) => [g * ctx.SavedTensors[0]];   // missing factor 2
    }
}
