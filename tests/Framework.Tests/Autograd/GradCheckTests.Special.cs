using Framework.Autograd;
using Framework.NN;

namespace Tests.AutogradTests;

public partial class GradCheckTests
{
    /// <summary>Values in (−0.8, 0.8), inside erfinv's domain.</summary>
    private static Tensor Unit(params int[] shape) => R(shape).Tanh() * 0.8;

    /// <summary>Negative non-integers, away from the poles of lgamma, digamma and polygamma.</summary>
    private static Tensor NegativeNonIntegers() => Tensor.From(new double[] { -0.5, -1.3, -2.7, -3.45 });

    /// <summary>The gradcheck cases of the special ops.</summary>
    private static Dictionary<string, (Func<Tensor[], Tensor> F, Func<Tensor[]> Inputs)> SpecialCases() => new()
    {
        ["erf"] = (a => a[0].Erf(), () => [R(2, 3)]),
        ["erf transposed"] = (a => a[0].T().Erf(), () => [R(3, 4)]),
        ["erf of broadcast sum"] = (a => (a[0] + a[1]).Erf(), () => [R(2, 3), R(3)]),
        ["erfc"] = (a => a[0].Erfc(), () => [R(2, 3)]),
        ["erfc transposed"] = (a => Tensor.Erfc(a[0].Transpose(0, 1)), () => [R(3, 2)]),
        ["erfinv"] = (a => a[0].Erfinv(), () => [Unit(2, 3)]),
        ["erfinv transposed"] = (a => a[0].T().Erfinv(), () => [Unit(3, 4)]),
        ["lgamma"] = (a => a[0].Lgamma(), () => [Pos(2, 3)]),
        ["lgamma transposed"] = (a => a[0].T().Lgamma(), () => [Pos(3, 2)]),
        ["lgamma negative"] = (a => a[0].Lgamma(), () => [NegativeNonIntegers()]),
        ["digamma"] = (a => a[0].Digamma(), () => [Pos(2, 3)]),
        ["digamma transposed"] = (a => Tensor.Digamma(a[0].T()), () => [Pos(3, 2)]),
        ["digamma negative"] = (a => a[0].Digamma(), () => [NegativeNonIntegers()]),
        ["polygamma 1"] = (a => a[0].Polygamma(1), () => [Pos(2, 3)]),
        ["polygamma 2 transposed"] = (a => Tensor.Polygamma(2, a[0].T()), () => [Pos(3, 2)]),
        ["polygamma 3 negative"] = (a => a[0].Polygamma(3), () => [NegativeNonIntegers()]),
        ["gelu"] = (a => Functional.Gelu(a[0]), () => [R(2, 3) * 2]),
        ["gelu tanh"] = (a => Functional.Gelu(a[0], "tanh"), () => [R(2, 3) * 2]),
        ["gelu transposed"] = (a => Functional.Gelu(a[0].T()), () => [R(3, 4)]),
        ["gelu tanh of broadcast product"] = (a => Functional.Gelu(a[0] * a[1], "tanh"), () => [R(2, 3), R(2, 1)]),
        ["gelu module"] = (a => new GELU().Call(a[0]), () => [R(4)]),
    };
}
