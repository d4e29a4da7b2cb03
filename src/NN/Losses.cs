using Framework.Autograd;

namespace Framework.NN;

/// <summary>Base of the loss modules: Forward(input, target) → a loss, reduced as configured.</summary>
public abstract class Loss(Reduction reduction = Reduction.Mean)
{
    /// <summary>How per-element losses are combined.</summary>
    public Reduction Reduction { get; } = reduction;

    /// <summary>The loss of <paramref name="input"/> against <paramref name="target"/>.</summary>
    public abstract Tensor Forward(Tensor input, Tensor target);
}

/// <summary>Mean squared error.</summary>
public class MSELoss(Reduction reduction = Reduction.Mean) : Loss(reduction)
{
    /// <inheritdoc/>
    public override Tensor Forward(Tensor input, Tensor target) => Functional.MseLoss(input, target, Reduction);
}

/// <summary>Mean absolute error.</summary>
public class L1Loss(Reduction reduction = Reduction.Mean) : Loss(reduction)
{
    /// <inheritdoc/>
    public override Tensor Forward(Tensor input, Tensor target) => Functional.L1Loss(input, target, Reduction);
}

/// <summary>Negative log-likelihood of log-probabilities at Int64 class targets.</summary>
public class NLLLoss(Reduction reduction = Reduction.Mean, long ignoreIndex = -100, Tensor? weight = null) : Loss(reduction)
{
    /// <inheritdoc/>
    public override Tensor Forward(Tensor input, Tensor target) => Functional.NllLoss(input, target, Reduction, ignoreIndex, weight);
}

/// <summary>Binary cross-entropy of probabilities.</summary>
public class BCELoss(Reduction reduction = Reduction.Mean, Tensor? weight = null) : Loss(reduction)
{
    /// <inheritdoc/>
    public override Tensor Forward(Tensor input, Tensor target) => Functional.BinaryCrossEntropy(input, target, Reduction, weight);
}

/// <summary>Cross-entropy of logits against class indices or class probabilities.</summary>
public class CrossEntropyLoss(Reduction reduction = Reduction.Mean, long ignoreIndex = -100, double labelSmoothing = 0, Tensor? weight = null) : Loss(reduction)
{
    /// <inheritdoc/>
    public override Tensor Forward(Tensor input, Tensor target)
        => Functional.CrossEntropy(input, target, Reduction, ignoreIndex, labelSmoothing, weight);
}

/// <summary>Binary cross-entropy of logits, numerically stable, with an optional positive-class weight.</summary>
public class BCEWithLogitsLoss(Reduction reduction = Reduction.Mean, Tensor? posWeight = null) : Loss(reduction)
{
    /// <inheritdoc/>
    public override Tensor Forward(Tensor input, Tensor target) => Functional.BinaryCrossEntropyWithLogits(input, target, Reduction, posWeight);
}
