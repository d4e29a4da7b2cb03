using Framework.Autograd;

namespace Framework.NN;

/// <summary>Gradient utilities (torch.nn.utils): clipping by total norm or by value, in place.</summary>
public static class Utils
{
    /// <summary>
    /// Scales every gradient by min(1, maxNorm / (total + 1e-6)), where total is the normType-norm of all gradients taken
    /// together (∞: the largest |g|); returns total as a 0-d tensor (torch.nn.utils.clip_grad_norm_). Parameters without a gradient are skipped.
    /// </summary>
    public static Tensor ClipGradNorm_(IEnumerable<Tensor> parameters, double maxNorm, double normType = 2)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (double.IsNaN(normType) || normType <= 0) throw new ArgumentException($"clip_grad_norm_: normType must be positive or infinity, got {normType}", nameof(normType));
        if (double.IsNaN(maxNorm)) throw new ArgumentException("clip_grad_norm_: maxNorm is NaN", nameof(maxNorm));
        var grads = parameters.Select(p => p.Grad).OfType<Tensor>().ToArray();
        using var _ = new NoGrad();
        if (grads.Length == 0) return Tensor.From(0f);
        var total = Norm(Tensor.Stack([.. grads.Select(g => Norm(g, normType))]), normType);
        var coef = (maxNorm / (total + 1e-6)).Clamp(double.NegativeInfinity, 1.0);
        foreach (var g in grads) g.Mul_(coef.To(g.DType));
        return total;
    }

    /// <summary>Clamps every gradient into [−clipValue, clipValue] in place (torch.nn.utils.clip_grad_value_).</summary>
    public static void ClipGradValue_(IEnumerable<Tensor> parameters, double clipValue)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (double.IsNaN(clipValue)) throw new ArgumentException("clip_grad_value_: clipValue is NaN", nameof(clipValue));
        using var _ = new NoGrad();
        foreach (var g in parameters.Select(p => p.Grad).OfType<Tensor>()) g.CopyFrom(g.Clamp(-clipValue, clipValue));
    }

    /// <summary>The p-norm of all elements: (Σ|x|^p)^(1/p); ∞: max |x|.</summary>
    private static Tensor Norm(Tensor x, double p) =>
        double.IsPositiveInfinity(p) ? (x.Numel == 0 ? Tensor.Zeros([], x.DType) : x.Abs().Max())
        : p == 2 ? x.Norm()
        : x.Abs().Pow(p).Sum().Pow(1 / p);
}
