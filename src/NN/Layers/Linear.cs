using Framework.Autograd;

namespace Framework.NN;

/// <summary>y = x·Wᵀ + b, with PyTorch's default initialisation (Kaiming-uniform a = √5 weights, U(±1/√fan_in) bias).</summary>
public class Linear : Module
{
    // Registered as "weight" and "bias" (PyTorch's keys): the leading '_' is dropped.
    private Parameter _weight;
    private Parameter? _bias;

    /// <summary>Weight of shape [outFeatures, inFeatures].</summary>
    public Parameter Weight { get => _weight; set => _weight = value; }
    /// <summary>Bias of shape [outFeatures], or null.</summary>
    public Parameter? Bias { get => _bias; set => _bias = value; }

    /// <summary>A layer mapping inFeatures to outFeatures.</summary>
    public Linear(int inFeatures, int outFeatures, bool bias = true, DType dtype = DType.Float32)
    {
        InFeatures = inFeatures;
        OutFeatures = outFeatures;
        _weight = new Parameter(Tensor.Zeros([outFeatures, inFeatures], dtype));
        _bias = bias ? new Parameter(Tensor.Zeros([outFeatures], dtype)) : null;
        ResetParameters();
    }

    /// <summary>Input size.</summary>
    public int InFeatures { get; }
    /// <summary>Output size.</summary>
    public int OutFeatures { get; }

    /// <summary>Re-draws the weights as PyTorch does (weight first, then bias).</summary>
    public void ResetParameters()
    {
        Init.KaimingUniform_(Weight, a: Math.Sqrt(5));
        if (Bias is not null)
        {
            var (fanIn, _) = Init.CalculateFanInAndFanOut(Weight);
            double bound = fanIn > 0 ? 1 / Math.Sqrt(fanIn) : 0;
            Init.Uniform_(Bias, -bound, bound);
        }
    }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => Functional.Linear(input, Weight, Bias);

    /// <inheritdoc/>
    protected override string ExtraRepr() => $"in_features={InFeatures}, out_features={OutFeatures}, bias={(Bias is null ? "False" : "True")}";
}
