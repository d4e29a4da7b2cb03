using Framework.Autograd;

namespace Framework.NN;

/// <summary>Batch normalisation over [N, C] or [N, C, L] (BatchNorm1d) with learnable scale and shift and running statistics (momentum 0.1).</summary>
public class BatchNorm1d : Module
{
    private Parameter _weight;
    private Parameter _bias;

    /// <summary>Scale γ, initialised to ones (key "weight").</summary>
    public Parameter Weight { get => _weight; set => _weight = value; }
    /// <summary>Shift β, initialised to zeros (key "bias").</summary>
    public Parameter Bias { get => _bias; set => _bias = value; }

    /// <summary>Running mean and variance of the batches seen in training, and their count.</summary>
    public Tensor RunningMean => NamedBuffers().First(b => b.Name == "running_mean").Buffer;
    /// <summary>Running (unbiased) variance.</summary>
    public Tensor RunningVar => NamedBuffers().First(b => b.Name == "running_var").Buffer;
    /// <summary>Number of training batches seen.</summary>
    public Tensor NumBatchesTracked => NamedBuffers().First(b => b.Name == "num_batches_tracked").Buffer;

    /// <summary>Normalises <paramref name="numFeatures"/> channels.</summary>
    public BatchNorm1d(int numFeatures, double eps = 1e-5, double momentum = 0.1)
    {
        NumFeatures = numFeatures;
        Eps = eps;
        Momentum = momentum;
        _weight = new Parameter(Tensor.Ones(numFeatures));
        _bias = new Parameter(Tensor.Zeros(numFeatures));
        RegisterBuffer("running_mean", Tensor.Zeros(numFeatures));
        RegisterBuffer("running_var", Tensor.Ones(numFeatures));
        RegisterBuffer("num_batches_tracked", Tensor.Zeros([], DType.Int64));
    }

    /// <summary>Number of channels.</summary>
    public int NumFeatures { get; }
    /// <summary>Added to the variance for stability.</summary>
    public double Eps { get; }
    /// <summary>Weight of the new batch in the running statistics.</summary>
    public double Momentum { get; }

    /// <summary>Checks the input's rank.</summary>
    protected virtual void CheckInput(Tensor input)
    {
        if (input.Dim is not (2 or 3)) throw new ArgumentException($"expected 2D or 3D input (got {input.Dim}D input of shape [{string.Join(", ", input.Shape)}])");
    }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input)
    {
        CheckInput(input);
        if (input.Shape[1] != NumFeatures)
            throw new ArgumentException($"BatchNorm expected {NumFeatures} channels in dim 1, got input of shape [{string.Join(", ", input.Shape)}]");
        if (Training) using (new NoGrad()) NumBatchesTracked.Add_(1L);
        return Functional.BatchNorm(input, RunningMean, RunningVar, Weight, Bias, Training, Momentum, Eps);
    }

    /// <inheritdoc/>
    protected override string ExtraRepr() => $"{NumFeatures}, eps={Eps}, momentum={Momentum}, affine=True, track_running_stats=True";
}

/// <summary>Batch normalisation over the channels of [N, C, H, W] inputs.</summary>
public class BatchNorm2d(int numFeatures, double eps = 1e-5, double momentum = 0.1) : BatchNorm1d(numFeatures, eps, momentum)
{
    /// <inheritdoc/>
    protected override void CheckInput(Tensor input)
    {
        if (input.Dim != 4) throw new ArgumentException($"expected 4D input (got {input.Dim}D input of shape [{string.Join(", ", input.Shape)}])");
    }
}
