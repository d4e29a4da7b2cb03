using Framework.Autograd;
using Tests.Reference;

namespace Tests.Special;

/// <summary>MathNet.Numerics (and our repairs of it) against PyTorch 1.13 in Float64 over wide ranges and at the edges (Data/special/special_accuracy.json).</summary>
public class SpecialAccuracyTests
{
    /// <summary>Each case's op and its relative tolerance (no absolute slack: tiny values must be right too).</summary>
    private static readonly Dictionary<string, (Func<Tensor, Tensor> Op, double Rtol, double Atol)> Ops = new()
    {
        ["acc_erf"] = (x => x.Erf(), 1e-12, 0),
        ["acc_erfc"] = (x => x.Erfc(), 1e-12, 0),
        ["acc_erfinv"] = (x => x.Erfinv(), 1e-12, 0),
        ["acc_erfinv_near_one_mpmath"] = (x => x.Erfinv(), 1e-12, 0),
        ["acc_lgamma"] = (x => x.Lgamma(), 1e-12, 0),
        ["acc_lgamma_near_zeros"] = (x => x.Lgamma(), 1e-12, 0),
        ["acc_digamma"] = (x => x.Digamma(), 1e-12, 0),
        ["acc_digamma_near_root_mpmath"] = (x => x.Digamma(), 1e-12, 0),
        ["acc_polygamma1_mpmath"] = (x => x.Polygamma(1), 1e-12, 0),
        ["acc_polygamma1_edges"] = (x => x.Polygamma(1), 1e-12, 0),
        ["acc_polygamma2"] = (x => x.Polygamma(2), 1e-12, 0),
        ["acc_polygamma5"] = (x => x.Polygamma(5), 1e-12, 0),
    };

    private static readonly Lazy<Dictionary<string, ReferenceCases.RefCase>> Cases = new(() => ReferenceCases.Load("special", "special_accuracy.json"));

    public static TheoryData<string> CaseNames => new(Cases.Value.Keys);

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void AgreesWithPyTorchInFloat64(string name)
    {
        var (op, rtol, atol) = Ops[name];
        var tolerance = new ReferenceCases.Tolerance(Float64: rtol, Float32: 1e-5, Absolute: atol);
        ReferenceCases.AssertMatches(name, Cases.Value[name], a => op(a[0]), tolerance);
    }

    [Fact]
    public void EveryCaseIsMapped() => Assert.Empty(Cases.Value.Keys.Except(Ops.Keys));
}
