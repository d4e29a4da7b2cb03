using Framework.Autograd;
using Framework.NN;
using Tests.Reference;

namespace Tests.Special;

/// <summary>Special functions and GELU against PyTorch 1.13 (Data/special/make_special.py): values, gradients, grad_fn names, second derivatives.</summary>
public class SpecialReferenceTests
{
    /// <summary>The computation of each case in make_special.py.</summary>
    private static readonly Dictionary<string, Func<Tensor[], Tensor>> Ops = new()
    {
        ["erf"] = a => a[0].Erf(),
        ["erf_float32"] = a => a[0].Erf(),
        ["erf_transposed"] = a => a[0].T().Erf(),
        ["erfc"] = a => a[0].Erfc(),
        ["erfc_float32"] = a => Tensor.Erfc(a[0]),
        ["erfc_large"] = a => a[0].Erfc(),
        ["erfinv"] = a => a[0].Erfinv(),
        ["erfinv_float32"] = a => Tensor.Erfinv(a[0]),
        ["erfinv_near_one"] = a => a[0].Erfinv(),
        ["lgamma"] = a => a[0].Lgamma(),
        ["lgamma_negative"] = a => a[0].Lgamma(),
        ["lgamma_float32"] = a => Tensor.Lgamma(a[0]),
        ["lgamma_near_one_two"] = a => a[0].Lgamma(),
        ["digamma"] = a => a[0].Digamma(),
        ["digamma_negative"] = a => a[0].Digamma(),
        ["digamma_float32"] = a => Tensor.Digamma(a[0]),
        ["digamma_large"] = a => a[0].Digamma(),
        ["polygamma1"] = a => Tensor.Polygamma(1, a[0]),
        ["polygamma2"] = a => a[0].Polygamma(2),
        ["polygamma3_negative"] = a => a[0].Polygamma(3),
        ["polygamma0"] = a => a[0].Polygamma(0),
        ["polygamma1_negative"] = a => a[0].Polygamma(1),
        ["erf_int64"] = a => a[0].Erf(),
        ["lgamma_int64"] = a => a[0].Lgamma(),
        ["digamma_int64"] = a => a[0].Digamma(),
        ["erfinv_int64"] = a => a[0].Erfinv(),
        ["erfc_bool"] = a => a[0].Erfc(),
        ["erf_second"] = a => GradOf(a[0], x => x.Erf()),
        ["erfc_second"] = a => GradOf(a[0], x => x.Erfc()),
        ["erfinv_second"] = a => GradOf(a[0], x => x.Erfinv()),
        ["lgamma_second"] = a => GradOf(a[0], x => x.Lgamma()),
        ["digamma_second"] = a => GradOf(a[0], x => x.Digamma()),
        ["polygamma2_second"] = a => GradOf(a[0], x => x.Polygamma(2)),
        ["gelu"] = a => Functional.Gelu(a[0]),
        ["gelu_tanh"] = a => Functional.Gelu(a[0], approximate: "tanh"),
        ["gelu_float32"] = a => Functional.Gelu(a[0]),
        ["gelu_tanh_float32"] = a => Functional.Gelu(a[0], "tanh"),
        ["gelu_transposed"] = a => Functional.Gelu(a[0].T()),
        ["gelu_large"] = a => Functional.Gelu(a[0]),
        ["gelu_tanh_large"] = a => Functional.Gelu(a[0], "tanh"),
        ["gelu_module"] = a => new GELU().Call(a[0]),
        ["gelu_module_tanh"] = a => new GELU("tanh").Call(a[0]),
        ["gelu_second"] = a => GradOf(a[0], x => Functional.Gelu(x)),
        ["gelu_tanh_second"] = a => GradOf(a[0], x => Functional.Gelu(x, "tanh")),
    };

    /// <summary>d(Σ f(x))/dx with createGraph, so that its own backward is f's second derivative.</summary>
    private static Tensor GradOf(Tensor x, Func<Tensor, Tensor> f) => Autograd.Grad([f(x).Sum()], [x], createGraph: true)[0]!;

    private static readonly Lazy<Dictionary<string, ReferenceCases.RefCase>> Cases = new(() => ReferenceCases.Load("special", "special_cases.json"));

    public static TheoryData<string> CaseNames => new(Cases.Value.Keys);

    /// <summary>The bar: Float64 within 1e-8 (PyTorch's own trigamma, the gradient of ψ, is only that accurate), Float32 within 1e-5.</summary>
    private static readonly ReferenceCases.Tolerance Tolerance = new(Float64: 1e-8, Float32: 1e-5);

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void MatchesPyTorch(string name)
    {
        ReferenceCases.AssertMatches(name, Cases.Value[name], Ops[name], Tolerance);
    }

    [Fact]
    public void EveryCaseIsMapped()
    {
        ReferenceCases.AssertEveryCaseMapped(Cases.Value.Keys, Ops.Keys);
    }
}
