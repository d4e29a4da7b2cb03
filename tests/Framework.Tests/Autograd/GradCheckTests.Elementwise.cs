using Framework.Autograd;

namespace Tests.AutogradTests;

public partial class GradCheckTests
{
    /// <summary>Inputs in (lo, hi) away from the ends: for ops defined on an interval (asin, atanh, ...).</summary>
    private static Tensor In(double lo, double hi, params int[] shape) => R(shape).Sigmoid() * (0.9 * (hi - lo)) + (lo + 0.05 * (hi - lo));

    /// <summary>Inputs at least 0.1 away from any integer (and from .5 ties), where rounding is locally constant.</summary>
    private static Tensor OffGrid(params int[] shape) => (R(shape) * 2).Round() + In(0.1, 0.4, shape) * Tensor.Where(R(shape).Gt(0.0), Tensor.From(1.0).Double(), Tensor.From(-1.0).Double());

    /// <summary>The gradcheck cases of the elementwise families (rounding, trigonometric, Minimum/Maximum, ...).</summary>
    private static Dictionary<string, (Func<Tensor[], Tensor> F, Func<Tensor[]> Inputs)> ElementwiseCases() => new()
    {
        ["floor"] = (a => a[0].Floor() + a[0], () => [OffGrid(2, 3)]),
        ["ceil transposed"] = (a => a[0].T().Ceil() * 2 + a[0].T(), () => [OffGrid(3, 2)]),
        ["round"] = (a => a[0].Round() - a[0], () => [OffGrid(4)]),
        ["round decimals 1"] = (a => a[0].Round(1) + a[0] * a[0], () => [OffGrid(3)]),
        ["round decimals -1"] = (a => a[0].Round(-1) + a[0], () => [OffGrid(3) * 3]),
        ["trunc"] = (a => a[0].Trunc() + a[0], () => [OffGrid(2, 2)]),
        ["frac"] = (a => a[0].Frac(), () => [OffGrid(2, 3)]),
        ["frac transposed"] = (a => a[0].T().Frac() * a[0].T(), () => [OffGrid(3, 2)]),
        ["rsqrt"] = (a => a[0].Rsqrt(), () => [Pos(2, 3)]),
        ["rsqrt transposed"] = (a => a[0].T().Rsqrt(), () => [Pos(3, 2)]),
        ["log1p"] = (a => a[0].Log1p(), () => [In(-0.8, 3, 2, 3)]),
        ["log1p transposed"] = (a => a[0].Transpose(0, 1).Log1p(), () => [Pos(2, 4)]),
        ["expm1"] = (a => a[0].Expm1(), () => [R(2, 3)]),
        ["expm1 tiny"] = (a => a[0].Expm1(), () => [R(3) * 1e-3]),
        ["log2"] = (a => a[0].Log2(), () => [Pos(2, 3)]),
        ["log10 transposed"] = (a => a[0].T().Log10(), () => [Pos(3, 2)]),
        ["tan"] = (a => a[0].Tan(), () => [In(-1.2, 1.2, 2, 3)]),
        ["tan transposed"] = (a => a[0].T().Tan(), () => [In(-1.2, 1.2, 3, 2)]),
        ["sinh"] = (a => a[0].Sinh(), () => [R(2, 3)]),
        ["cosh"] = (a => a[0].Cosh(), () => [R(2, 3)]),
        ["cosh transposed"] = (a => a[0].T().Cosh(), () => [R(3, 2)]),
        ["asin"] = (a => a[0].Asin(), () => [In(-0.9, 0.9, 2, 3)]),
        ["acos"] = (a => a[0].Acos(), () => [In(-0.9, 0.9, 2, 3)]),
        ["acos transposed"] = (a => a[0].T().Acos(), () => [In(-0.9, 0.9, 3, 2)]),
        ["atan"] = (a => a[0].Atan(), () => [R(2, 3) * 2]),
        ["asinh"] = (a => a[0].Asinh(), () => [R(2, 3) * 2]),
        ["acosh"] = (a => a[0].Acosh(), () => [In(1.2, 5, 2, 3)]),
        ["atanh"] = (a => a[0].Atanh(), () => [In(-0.9, 0.9, 2, 3)]),
        ["atanh transposed"] = (a => a[0].T().Atanh(), () => [In(-0.9, 0.9, 3, 2)]),
        ["atan2"] = (a => a[0].Atan2(a[1]), () => [R(2, 3), R(2, 3)]),
        ["atan2 broadcast"] = (a => a[0].Atan2(a[1]), () => [R(3, 1), R(1, 4)]),
        ["atan2 broadcast row"] = (a => Tensor.Atan2(a[0], a[1]), () => [R(2, 3), R(3)]),
        ["atan2 transposed"] = (a => a[0].T().Atan2(a[1]), () => [R(3, 2), R(2, 3)]),
        ["atan2 scalar other"] = (a => a[0].Atan2(a[1]), () => [R(2, 2), Pos(1).Reshape()]),
        ["minimum"] = (a => a[0].Minimum(a[1]), () => [R(2, 3), R(2, 3)]),
        ["minimum broadcast"] = (a => a[0].Minimum(a[1]), () => [R(3, 1), R(1, 4)]),
        ["minimum transposed"] = (a => a[0].T().Minimum(a[1]), () => [R(3, 2), R(3)]),
        ["maximum"] = (a => Tensor.Maximum(a[0], a[1]), () => [R(2, 3), R(2, 3)]),
        ["maximum broadcast 3d"] = (a => a[0].Maximum(a[1]), () => [R(2, 1, 3), R(4, 1)]),
        ["maximum transposed"] = (a => a[0].T().Maximum(a[1].T()), () => [R(3, 2), R(3, 2)]),
        ["maximum composite"] = (a => a[0].Maximum(a[1]).Sinh() + a[0].Minimum(a[1]).Atan(), () => [R(2, 3), R(3)]),
    };
}
