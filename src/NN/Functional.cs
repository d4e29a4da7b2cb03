using Framework.Autograd;

namespace Framework.NN;

/// <summary>How a loss combines per-element values.</summary>
public enum Reduction
{
    /// <summary>The mean (weighted where the loss has class weights).</summary>
    Mean,
    /// <summary>The sum.</summary>
    Sum,
    /// <summary>No reduction: one value per element or sample.</summary>
    None,
}

/// <summary>Stateless layers and losses (torch.nn.functional).</summary>
public static partial class Functional
{
    /// <summary>y = x·Wᵀ + b; a 2-d input with a bias is one GEMM onto the bias (AddmmBackward0).</summary>
    public static Tensor Linear(Tensor input, Tensor weight, Tensor? bias = null)
    {
        if (input.Dim == 0 || input.Shape[^1] != weight.Shape[^1])
            throw new ArgumentException($"linear: input of shape [{string.Join(", ", input.Shape)}] does not match weight of shape [{string.Join(", ", weight.Shape)}] (in_features = {weight.Shape[^1]})");
        if (input.Dim == 2 && bias is not null) return Tensor.Addmm(bias, input, weight.T());
        if (input.Dim > 2 && bias is not null)
            return Tensor.Addmm(bias, input.Reshape(-1, input.Shape[^1]), weight.T()).View([.. input.Shape[..^1], weight.Shape[0]]);
        var y = input.MatMul(weight.T());
        return bias is null ? y : y + bias;
    }

    /// <summary>max(x, 0).</summary>
    public static Tensor Relu(Tensor x) => x.Relu();
    /// <summary>1 / (1 + e^−x).</summary>
    public static Tensor Sigmoid(Tensor x) => x.Sigmoid();
    /// <summary>tanh x.</summary>
    public static Tensor Tanh(Tensor x) => x.Tanh();
    /// <summary>Softmax along dim.</summary>
    public static Tensor Softmax(Tensor x, int dim) => x.Softmax(dim);
    /// <summary>Log-softmax along dim.</summary>
    public static Tensor LogSoftmax(Tensor x, int dim) => x.LogSoftmax(dim);

    /// <summary>In training, zeroes each element with probability p and scales the rest by 1/(1−p); the identity otherwise.</summary>
    public static Tensor Dropout(Tensor x, double p = 0.5, bool training = true, Generator? generator = null)
    {
        if (p < 0 || p > 1) throw new ArgumentException($"dropout probability has to be between 0 and 1, but got {p}");
        if (!training || p == 0) return x;
        if (p == 1) return x * 0.0;
        Tensor mask;
        using (new NoGrad())
        {
            // PyTorch draws bernoulli(1 − p) from 53-bit uniform doubles, whatever the input's dtype.
            var u = Tensor.Rand(x.Shape, generator: generator, dtype: DType.Float64);
            mask = u.Lt(1 - p).To(x.DType.IsFloatingPoint() ? x.DType : DType.Float32) / (1 - p);
        }
        return x * mask;   // MulBackward0, as PyTorch 1.13 records dropout
    }

    /// <summary>Rows of <paramref name="weight"/> picked by Int64 indices: the result has shape indices.Shape ++ [dim]; the row at paddingIdx gets no gradient.</summary>
    public static Tensor Embedding(Tensor indices, Tensor weight, long? paddingIdx = null)
    {
        if (indices.DType != DType.Int64) throw new ArgumentException($"embedding: expected indices of dtype torch.int64, got {indices.DType.TorchName()}");
        int num = weight.Shape[0], dim = weight.Shape[1];
        var padding = CheckPaddingIdx(paddingIdx, num);
        var flat = indices.Reshape(-1);
        foreach (var i in flat.ToArray<long>())
            if (i < 0 || i >= num) throw new ArgumentOutOfRangeException("input", $"embedding: index {i} is out of range for an embedding of {num} rows");
        Tensor rows;
        var index = flat.Unsqueeze(1).Expand(-1, dim);
        using (new NoGrad()) rows = weight.Gather(0, index).Reshape([.. indices.Shape, dim]);
        return Graph.Record("EmbeddingBackward0", rows, [weight], [index], (dim, weight.Shape, padding), static (ctx, g, s) =>
        {
            var grad = g.Reshape(-1, s.dim).ScatterAddInto(0, ctx.Saved(0), s.Shape);
            return [s.padding is long p ? grad.IndexFill(0, p, 0.0) : grad];
        });
    }

    /// <summary>paddingIdx wrapped to [0, num) (negative counts from the end), or PyTorch's error when out of range.</summary>
    internal static long? CheckPaddingIdx(long? paddingIdx, int num)
    {
        if (paddingIdx is not long p) return null;
        if (p >= num) throw new ArgumentOutOfRangeException(nameof(paddingIdx), $"Padding_idx must be within num_embeddings (got padding_idx={p} for {num} embeddings)");
        if (p < -num) throw new ArgumentOutOfRangeException(nameof(paddingIdx), $"Padding_idx must be within num_embeddings (got padding_idx={p} for {num} embeddings)");
        return p < 0 ? p + num : p;
    }

    /// <summary>Normalises over the batch (and length) dims with batch statistics in training, running statistics otherwise; updates the running statistics in training.</summary>
    public static Tensor BatchNorm(Tensor x, Tensor? runningMean, Tensor? runningVar, Tensor? weight = null, Tensor? bias = null,
                                   bool training = false, double momentum = 0.1, double eps = 1e-5)
        => FusedBatchNorm(x, runningMean, runningVar, weight, bias, training, momentum, eps);

    /// <summary>BatchNorm composed of tensor ops: the path for inputs the fused kernels do not cover, and the reference they are tested against.</summary>
    internal static Tensor CompositeBatchNorm(Tensor x, Tensor? runningMean, Tensor? runningVar, Tensor? weight, Tensor? bias,
                                              bool training, double momentum, double eps)
    {
        if (x.Dim < 2) throw new ArgumentException($"batch_norm: expected an input with at least 2 dims (N, C, ...), got shape [{string.Join(", ", x.Shape)}]");
        int c = x.Shape[1];
        var (dims, statShape) = ChannelDims(x);
        Tensor mean, var, y;
        using (new NoGrad())
        {
            if (training)
            {
                long n = x.Numel / c;
                if (n <= 1) throw new ArgumentException($"Expected more than 1 value per channel when training, got input size [{string.Join(", ", x.Shape)}]");
                mean = x.Mean(dims, keepDim: true);
                var = x.Var(dims, unbiased: false, keepDim: true);
                if (runningMean is not null && runningVar is not null)
                {
                    runningMean.Mul_(1 - momentum).Add_(mean.Reshape(c) * momentum);
                    runningVar.Mul_(1 - momentum).Add_(var.Reshape(c) * (momentum * n / (n - 1)));
                }
            }
            else
            {
                mean = (runningMean ?? throw new ArgumentException("batch_norm in evaluation mode needs running statistics")).Reshape(statShape);
                var = runningVar!.Reshape(statShape);
            }
            y = (x - mean) / (var + eps).Sqrt();
            if (weight is not null) y = y * weight.Reshape(statShape);
            if (bias is not null) y = y + bias.Reshape(statShape);
        }
        // In evaluation the statistics are constants (kept as views of the running ones); in training the rule recomputes them from x.
        return Graph.Record("NativeBatchNormBackward0", y, [x, weight, bias], [x, weight, training ? null : mean, training ? null : var],
            (eps, training), static (ctx, g, s) => BatchNormBackward(ctx, g, s.eps, s.training));
    }

    /// <summary>
    /// PyTorch's native_batch_norm_backward with x̂ = (x − μ)·σ̂, σ̂ = 1/√(var + eps), gx̂ = γ·g and means over the batch dims:
    /// training dx = σ̂·(gx̂ − mean(gx̂) − x̂·mean(gx̂·x̂)), evaluation dx = σ̂·gx̂; dγ = Σ g·x̂; dβ = Σ g.
    /// </summary>
    private static Tensor?[] BatchNormBackward(BackwardContext ctx, Tensor g, double eps, bool training)
    {
        var x = ctx.Saved(0);
        var weight = ctx.SavedOrNull(1);
        var (dims, statShape) = ChannelDims(x);
        var mean = training ? x.Mean(dims, keepDim: true) : ctx.Saved(2);
        var invStd = ((training ? x.Var(dims, unbiased: false, keepDim: true) : ctx.Saved(3)) + eps).Sqrt().Reciprocal();
        var xHat = (x - mean) * invStd;
        Tensor? dx = null;
        if (ctx.NeedsInputGrad(0))
        {
            var gx = weight is null ? g : g * weight.Reshape(statShape);
            dx = training ? invStd * (gx - gx.Mean(dims, keepDim: true) - xHat * (gx * xHat).Mean(dims, keepDim: true)) : gx * invStd;
        }
        return [dx, ctx.NeedsInputGrad(1) ? (g * xHat).Sum(dims) : null, ctx.NeedsInputGrad(2) ? g.Sum(dims) : null];
    }

    /// <summary>The dims batch norm reduces over (all but dim 1) and the shape [1, C, 1, ...] of per-channel statistics.</summary>
    private static (int[] Dims, int[] StatShape) ChannelDims(Tensor x)
    {
        int rank = x.Dim;
        var dims = new int[rank - 1];
        var stat = new int[rank];
        for (int d = 0, j = 0; d < rank; d++)
        {
            stat[d] = d == 1 ? x.Size(1) : 1;
            if (d != 1) dims[j++] = d;
        }
        return (dims, stat);
    }
}
