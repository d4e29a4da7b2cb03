using Framework.Autograd;

namespace Framework.NN;

/// <summary>max(x, 0).</summary>
public class ReLU : Module
{
    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => input.Relu();
}

/// <summary>Returns its input unchanged (a placeholder layer, nn.Identity).</summary>
public class Identity : Module
{
    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => input;
}

/// <summary>1 / (1 + e^−x).</summary>
public class Sigmoid : Module
{
    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => input.Sigmoid();
}

/// <summary>tanh x.</summary>
public class Tanh : Module
{
    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => input.Tanh();
}

/// <summary>Softmax along a dimension.</summary>
public class Softmax(int dim) : Module
{
    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => input.Softmax(dim);
    /// <inheritdoc/>
    protected override string ExtraRepr() => $"dim={dim}";
}

/// <summary>Log-softmax along a dimension.</summary>
public class LogSoftmax(int dim) : Module
{
    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => input.LogSoftmax(dim);
    /// <inheritdoc/>
    protected override string ExtraRepr() => $"dim={dim}";
}

/// <summary>Flattens dims startDim..endDim (by default all but the batch dim).</summary>
public class Flatten(int startDim = 1, int endDim = -1) : Module
{
    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => input.Flatten(startDim, endDim);
    /// <inheritdoc/>
    protected override string ExtraRepr() => $"start_dim={startDim}, end_dim={endDim}";
}

/// <summary>Splits dim dim into unflattenedSize (torch.nn.Unflatten), the inverse of Flatten.</summary>
public class Unflatten(int dim, params int[] unflattenedSize) : Module
{
    private readonly int[] sizes = (int[])(unflattenedSize ?? throw new ArgumentNullException(nameof(unflattenedSize))).Clone();

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => input.Unflatten(dim, sizes);
    /// <inheritdoc/>
    protected override string ExtraRepr() => $"dim={dim}, unflattened_size=({string.Join(", ", sizes)}{(sizes.Length == 1 ? "," : "")})";
}

/// <summary>Zeroes elements with probability p in training (scaling the rest by 1/(1−p)); the identity in evaluation mode.</summary>
public class Dropout : Module
{
    private readonly Generator? generator;

    /// <summary>Dropout with probability p, drawing from <paramref name="generator"/> (the global one when null).</summary>
    public Dropout(double p = 0.5, Generator? generator = null)
    {
        if (p < 0 || p > 1) throw new ArgumentException($"dropout probability has to be between 0 and 1, but got {p}");
        P = p;
        this.generator = generator;
    }

    /// <summary>Probability of zeroing an element.</summary>
    public double P { get; }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => Functional.Dropout(input, P, Training, generator);
    /// <inheritdoc/>
    protected override string ExtraRepr() => $"p={P}, inplace=False";
}

/// <summary>x·σ(x) (nn.SiLU).</summary>
public class SiLU : Module
{
    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => Functional.Silu(input);
}

/// <summary>x for x &gt; 0, negativeSlope·x otherwise (nn.LeakyReLU).</summary>
public class LeakyReLU(double negativeSlope = 0.01) : Module
{
    /// <summary>The slope for negative inputs.</summary>
    public double NegativeSlope => negativeSlope;
    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => Functional.LeakyRelu(input, negativeSlope);
    /// <inheritdoc/>
    protected override string ExtraRepr() => $"negative_slope={negativeSlope}";
}

/// <summary>x for x &gt; 0, alpha·(eˣ − 1) otherwise (nn.ELU).</summary>
public class ELU(double alpha = 1.0) : Module
{
    /// <summary>The scale of the negative part.</summary>
    public double Alpha => alpha;
    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => Functional.Elu(input, alpha);
    /// <inheritdoc/>
    protected override string ExtraRepr() => $"alpha={alpha}";
}

/// <summary>log(1 + e^(βx))/β, linear above the threshold (nn.Softplus).</summary>
public class Softplus(double beta = 1.0, double threshold = 20.0) : Module
{
    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => Functional.Softplus(input, beta, threshold);
    /// <inheritdoc/>
    protected override string ExtraRepr() => $"beta={beta}, threshold={threshold}";
}

/// <summary>x clamped to [minVal, maxVal] (nn.Hardtanh).</summary>
public class Hardtanh : Module
{
    /// <summary>Clamps to [minVal, maxVal]; minVal must not exceed maxVal.</summary>
    public Hardtanh(double minVal = -1.0, double maxVal = 1.0)
    {
        if (minVal > maxVal) throw new ArgumentException($"hardtanh: min_val ({minVal}) cannot be greater than max_val ({maxVal})");
        MinVal = minVal;
        MaxVal = maxVal;
    }

    /// <summary>The lower bound.</summary>
    public double MinVal { get; }
    /// <summary>The upper bound.</summary>
    public double MaxVal { get; }
    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => Functional.Hardtanh(input, MinVal, MaxVal);
    /// <inheritdoc/>
    protected override string ExtraRepr() => $"min_val={MinVal}, max_val={MaxVal}";
}

/// <summary>x·tanh(softplus(x)) (nn.Mish).</summary>
public class Mish : Module
{
    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => Functional.Mish(input);
}

/// <summary>Zeroes whole channels of [N, C, L] inputs with probability p in training (nn.Dropout1d); the identity in evaluation mode.</summary>
public class Dropout1d(double p = 0.5, Generator? generator = null) : Module
{
    /// <summary>Probability of zeroing a channel.</summary>
    public double P { get; } = p is >= 0 and <= 1 ? p : throw new ArgumentException($"dropout probability has to be between 0 and 1, but got {p}");
    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => Functional.Dropout1d(input, P, Training, generator);
    /// <inheritdoc/>
    protected override string ExtraRepr() => $"p={P}, inplace=False";
}

/// <summary>Zeroes whole channels of [N, C, H, W] inputs with probability p in training (nn.Dropout2d); the identity in evaluation mode.</summary>
public class Dropout2d(double p = 0.5, Generator? generator = null) : Module
{
    /// <summary>Probability of zeroing a channel.</summary>
    public double P { get; } = p is >= 0 and <= 1 ? p : throw new ArgumentException($"dropout probability has to be between 0 and 1, but got {p}");
    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => Functional.Dropout2d(input, P, Training, generator);
    /// <inheritdoc/>
    protected override string ExtraRepr() => $"p={P}, inplace=False";
}

/// <summary>min(max(x, 0), 6) (nn.ReLU6, a Hardtanh from 0 to 6).</summary>
public class ReLU6 : Hardtanh
{
    /// <summary>Clamps to [0, 6].</summary>
    public ReLU6() : base(0, 6) { }
}
