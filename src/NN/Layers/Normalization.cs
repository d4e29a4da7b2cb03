using Framework.Autograd;

namespace Framework.NN;

/// <summary>Layer normalisation over the last dims (nn.LayerNorm): weight ones and bias zeros of normalizedShape when elementwiseAffine.</summary>
public class LayerNorm : Module
{
    private Parameter? _weight;
    private Parameter? _bias;

    /// <summary>Scale γ (key "weight"), null without elementwise affine.</summary>
    public Parameter? Weight { get => _weight; set => _weight = value; }
    /// <summary>Shift β (key "bias"), null without elementwise affine.</summary>
    public Parameter? Bias { get => _bias; set => _bias = value; }

    /// <summary>Normalises over the trailing dims <paramref name="normalizedShape"/>.</summary>
    public LayerNorm(int[] normalizedShape, double eps = 1e-5, bool elementwiseAffine = true, DType dtype = DType.Float32)
    {
        ArgumentNullException.ThrowIfNull(normalizedShape);
        if (normalizedShape.Length == 0 || Array.Exists(normalizedShape, s => s < 0))
            throw new ArgumentException($"LayerNorm: normalizedShape must hold one or more non-negative sizes, got [{string.Join(", ", normalizedShape)}]");
        NormalizedShape = (int[])normalizedShape.Clone();
        Eps = eps;
        if (elementwiseAffine)
        {
            _weight = new Parameter(Tensor.Ones(NormalizedShape, dtype));
            _bias = new Parameter(Tensor.Zeros(NormalizedShape, dtype));
        }
    }

    /// <summary>Normalises over the last dim of size <paramref name="normalizedShape"/>.</summary>
    public LayerNorm(int normalizedShape, double eps = 1e-5, bool elementwiseAffine = true, DType dtype = DType.Float32)
        : this([normalizedShape], eps, elementwiseAffine, dtype) { }

    /// <summary>The trailing dims normalised over.</summary>
    public int[] NormalizedShape { get; }
    /// <summary>Added to the variance for stability.</summary>
    public double Eps { get; }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => Functional.LayerNorm(input, NormalizedShape, Weight, Bias, Eps);
    /// <inheritdoc/>
    protected override string ExtraRepr() => $"({string.Join(", ", NormalizedShape)}{(NormalizedShape.Length == 1 ? "," : "")}), eps={Eps}, elementwise_affine={(Weight is null ? "False" : "True")}";
}

/// <summary>Group normalisation of [N, C, *] inputs (nn.GroupNorm): per-channel weight ones and bias zeros when affine.</summary>
public class GroupNorm : Module
{
    private Parameter? _weight;
    private Parameter? _bias;

    /// <summary>Scale γ per channel (key "weight"), null without affine.</summary>
    public Parameter? Weight { get => _weight; set => _weight = value; }
    /// <summary>Shift β per channel (key "bias"), null without affine.</summary>
    public Parameter? Bias { get => _bias; set => _bias = value; }

    /// <summary>Splits <paramref name="numChannels"/> channels into <paramref name="numGroups"/> groups normalised separately.</summary>
    public GroupNorm(int numGroups, int numChannels, double eps = 1e-5, bool affine = true, DType dtype = DType.Float32)
    {
        if (numGroups <= 0 || numChannels % numGroups != 0)
            throw new ArgumentException($"num_channels must be divisible by num_groups (got num_channels={numChannels}, num_groups={numGroups})");
        NumGroups = numGroups;
        NumChannels = numChannels;
        Eps = eps;
        if (affine)
        {
            _weight = new Parameter(Tensor.Ones([numChannels], dtype));
            _bias = new Parameter(Tensor.Zeros([numChannels], dtype));
        }
    }

    /// <summary>Number of groups.</summary>
    public int NumGroups { get; }
    /// <summary>Number of channels.</summary>
    public int NumChannels { get; }
    /// <summary>Added to the variance for stability.</summary>
    public double Eps { get; }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => Functional.GroupNorm(input, NumGroups, Weight, Bias, Eps);
    /// <inheritdoc/>
    protected override string ExtraRepr() => $"{NumGroups}, {NumChannels}, eps={Eps}, affine={(Weight is null ? "False" : "True")}";
}
