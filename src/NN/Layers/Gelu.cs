using Framework.Autograd;

namespace Framework.NN;

/// <summary>x·Φ(x), the Gaussian error linear unit; "tanh" selects its tanh approximation (nn.GELU).</summary>
public class GELU : Module
{
    /// <summary>GELU with <paramref name="approximate"/> "none" (exact, through erf) or "tanh".</summary>
    public GELU(string approximate = "none")
    {
        ArgumentNullException.ThrowIfNull(approximate);
        Approximate = approximate;
    }

    /// <summary>"none" or "tanh" (another value fails in Forward, as PyTorch's module does).</summary>
    public string Approximate { get; }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => Functional.Gelu(input, Approximate);
    /// <inheritdoc/>
    protected override string ExtraRepr() => $"approximate='{Approximate}'";
}
