using Framework.Autograd;

namespace Tests.AutogradTests;

public partial class GradCheckTests
{
    private static Tensor V(params double[] values) => Tensor.From(values);

    /// <summary>∂/∂x of Σ w·f(x), recorded (createGraph), so that checking it checks f's double backward.</summary>
    private static Tensor GradOf(Func<Tensor, Tensor> f, Tensor x)
    {
        bool record = GradMode.IsEnabled;
        using var _ = new EnableGrad();                 // the finite differences run under NoGrad, yet need this gradient too
        var y = f(x);
        var w = Tensor.Arange(1.0, y.Numel + 1).Double().Reshape(y.Shape) * 0.25;
        return Autograd.Grad([(y * w).Sum()], [x], createGraph: record)[0]!;
    }

    /// <summary>The gradcheck cases of the cumulative, sorting and reduction ops (Cumsum, Sort, Topk, Prod, LogSumExp, Std, ...).</summary>
    private static Dictionary<string, (Func<Tensor[], Tensor> F, Func<Tensor[]> Inputs)> SortingCases() => new()
    {
        ["cumsum dim0"] = (a => a[0].Cumsum(0), () => [R(3, 4)]),
        ["cumsum dim1"] = (a => a[0].Cumsum(1), () => [R(3, 4)]),
        ["cumsum dim -1 3d"] = (a => a[0].Cumsum(-1), () => [R(2, 3, 4)]),
        ["cumsum dim -2 of transposed"] = (a => a[0].T().Cumsum(-2), () => [R(3, 4)]),
        ["cumsum 0-d"] = (a => a[0].Cumsum(0), () => [R()]),
        ["cumsum double backward"] = (a => GradOf(x => x.Cumsum(1).Pow(2), a[0]), () => [R(2, 4)]),
        ["cumprod dim1"] = (a => a[0].Cumprod(1), () => [R(3, 4)]),
        ["cumprod dim0 of transposed"] = (a => a[0].T().Cumprod(0), () => [R(3, 4)]),
        ["cumprod dim -1 3d"] = (a => a[0].Cumprod(-1), () => [R(2, 2, 3)]),
        ["cumprod one zero"] = (a => a[0].Cumprod(0), () => [V(1.5, -2, 0, 3, 0.5)]),
        ["cumprod several zeros"] = (a => a[0].Cumprod(0), () => [V(2, 0, 3, 0, 0, 1.5)]),
        ["cumprod zeros rows"] = (a => a[0].Cumprod(-1), () => [Tensor.From(new double[,] { { 2, 0, 3, 0 }, { 1.5, -1, 2, 0.5 }, { 0, 0, 0.5, 2 } })]),
        ["cumprod 0-d"] = (a => a[0].Cumprod(0), () => [R()]),
        ["cumprod double backward"] = (a => GradOf(x => x.Cumprod(1), a[0]), () => [R(2, 4)]),
        ["cumprod double backward zeros"] = (a => GradOf(x => x.Cumprod(0), a[0]), () => [V(2, 0, 3, 0, 1.5)]),
        ["sort dim -1"] = (a => a[0].Sort().Values, () => [R(3, 5)]),
        ["sort dim0 descending"] = (a => a[0].Sort(0, descending: true).Values, () => [R(4, 3)]),
        ["sort dim1 3d"] = (a => a[0].Sort(1).Values, () => [R(2, 4, 3)]),
        ["sort of transposed"] = (a => a[0].T().Sort(-1).Values, () => [R(3, 4)]),
        ["sort 0-d"] = (a => a[0].Sort(0).Values, () => [R()]),
        ["sort double backward"] = (a => GradOf(x => x.Sort(0).Values.Pow(2), a[0]), () => [R(4, 2)]),
        ["topk largest"] = (a => a[0].Topk(2).Values, () => [R(3, 5)]),
        ["topk smallest dim0"] = (a => a[0].Topk(3, dim: 0, largest: false).Values, () => [R(4, 3)]),
        ["topk dim -2 of transposed"] = (a => a[0].T().Topk(2, dim: -2).Values, () => [R(3, 4)]),
        ["topk double backward"] = (a => GradOf(x => x.Topk(2, largest: false).Values.Pow(2), a[0]), () => [R(2, 5)]),
        ["var all"] = (a => a[0].Var(), () => [R(3, 4)]),
        ["var dim0"] = (a => a[0].Var(0), () => [R(3, 4)]),
        ["var dim -1 keepDim correction 0"] = (a => a[0].Var(-1, correction: 0, keepDim: true), () => [R(3, 4)]),
        ["var dim1 correction 2 of transposed"] = (a => a[0].T().Var(1, correction: 2), () => [R(4, 3)]),
        ["var dims unbiased false"] = (a => a[0].Var([0, 2], unbiased: false), () => [R(2, 3, 2)]),
        ["var double backward"] = (a => GradOf(x => x.Var(0, correction: 0), a[0]), () => [R(3, 2)]),
        ["std all"] = (a => a[0].Std(), () => [R(3, 4)]),
        ["std dim1"] = (a => a[0].Std(1), () => [R(3, 4)]),
        ["std dim -2 keepDim correction 0"] = (a => a[0].Std(-2, correction: 0, keepDim: true), () => [R(3, 4)]),
        ["std dims"] = (a => a[0].Std([0, 2]), () => [R(2, 3, 2)]),
        ["std of transposed"] = (a => a[0].T().Std(0), () => [R(3, 4)]),
        ["std double backward"] = (a => GradOf(x => x.Std(1), a[0]), () => [R(2, 4)]),
        ["prod all"] = (a => a[0].Prod(), () => [R(2, 3)]),
        ["prod all one zero"] = (a => a[0].Prod(), () => [V(1.5, -2, 0, 3, 0.5)]),
        ["prod all two zeros"] = (a => a[0].Prod(), () => [V(1.5, 0, 0, 3, 0.5)]),
        ["prod dim1"] = (a => a[0].Prod(1), () => [R(3, 4)]),
        ["prod dim0 keepDim"] = (a => a[0].Prod(0, keepDim: true), () => [R(3, 4)]),
        ["prod dim -1 zeros"] = (a => a[0].Prod(-1), () => [Tensor.From(new double[,] { { 2, 0, 3, -1.5 }, { 1.5, -1, 2, 0.5 }, { 0, 0, 4, 2 } })]),
        ["prod of transposed"] = (a => a[0].T().Prod(1), () => [R(3, 4)]),
        ["prod 0-d"] = (a => a[0].Prod(0), () => [R()]),
        ["prod double backward"] = (a => GradOf(x => x.Prod(1), a[0]), () => [R(2, 3)]),
        ["prod double backward one zero"] = (a => GradOf(x => x.Prod(), a[0]), () => [V(1.5, 0, -2, 3)]),
        ["prod double backward two zeros"] = (a => GradOf(x => x.Prod(), a[0]), () => [V(1.5, 0, -2, 0)]),
        ["logsumexp dim1"] = (a => a[0].LogSumExp(1), () => [R(3, 4)]),
        ["logsumexp dim0 keepDim"] = (a => a[0].LogSumExp(0, keepDim: true), () => [R(3, 4)]),
        ["logsumexp dims"] = (a => a[0].LogSumExp([0, 2]), () => [R(2, 3, 2)]),
        ["logsumexp dim -1 of transposed"] = (a => a[0].T().LogSumExp(-1), () => [R(3, 4)]),
        ["logsumexp large"] = (a => a[0].LogSumExp(-1), () => [V(1000, 999, 998.5)]),
        ["logsumexp double backward"] = (a => GradOf(x => x.LogSumExp(1), a[0]), () => [R(2, 4)]),
    };
}
