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
