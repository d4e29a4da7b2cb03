using Framework.Autograd;

namespace Framework.NN;

// Activations recorded as one node each, with PyTorch's names and derivatives.yaml's rules (written with tensor ops, so
// they differentiate again); and channel-wise dropout.
public static partial class Functional
{
    /// <summary>x·σ(x) (SiLU, swish); backward σ(x)·(1 + x·(1 − σ(x))).</summary>
    public static Tensor Silu(Tensor x)
    {
        Tensor y;
        using (new NoGrad()) y = x * x.Sigmoid();
        return Graph.Record("SiluBackward0", y, [x], [x], static (ctx, g) =>
        {
            var x = ctx.Saved(0);
            var s = x.Sigmoid();
            return [g * s * (1.0 + x * (1.0 - s))];
        });
    }

    /// <summary>x for x &gt; 0, negativeSlope·x otherwise.</summary>
    public static Tensor LeakyRelu(Tensor x, double negativeSlope = 0.01)
    {
        Tensor y;
        using (new NoGrad()) y = Tensor.Where(x > 0.0, x, x * negativeSlope);
        return Graph.Record("LeakyReluBackward0", y, [x], [x], negativeSlope,
            static (ctx, g, slope) => [Tensor.Where(ctx.Saved(0) > 0.0, g, g * slope)]);
    }

    /// <summary>x for x &gt; 0, alpha·(eˣ − 1) otherwise.</summary>
    public static Tensor Elu(Tensor x, double alpha = 1.0)
    {
        Tensor y;
        using (new NoGrad()) y = Tensor.Where(x > 0.0, x, x.Expm1() * alpha);
        return Graph.Record("EluBackward0", y, [x], [x], alpha,
            static (ctx, g, alpha) => [Tensor.Where(ctx.Saved(0) > 0.0, g, g * ctx.Saved(0).Exp() * alpha)]);
    }

    /// <summary>log(1 + e^(βx))/β, and x itself where βx &gt; threshold (torch.nn.functional.softplus).</summary>
    public static Tensor Softplus(Tensor x, double beta = 1.0, double threshold = 20.0)
    {
        Tensor y;
        using (new NoGrad())
        {
            var bx = x * beta;
            y = Tensor.Where(bx > threshold, x, bx.Exp().Log1p() / beta);
        }
        return Graph.Record("SoftplusBackward0", y, [x], [x], (beta, threshold), static (ctx, g, s) =>
        {
            var bx = ctx.Saved(0) * s.beta;
            return [Tensor.Where(bx > s.threshold, g, g * bx.Sigmoid())];
        });
    }

    /// <summary>x clamped to [minVal, maxVal]; the gradient passes strictly inside the interval.</summary>
    public static Tensor Hardtanh(Tensor x, double minVal = -1.0, double maxVal = 1.0)
    {
        if (minVal > maxVal) throw new ArgumentException($"hardtanh: min_val ({minVal}) cannot be greater than max_val ({maxVal})");
        Tensor y;
        using (new NoGrad()) y = x.Clamp(minVal, maxVal);
        return Graph.Record("HardtanhBackward0", y, [x], [x], (minVal, maxVal), static (ctx, g, s) =>
        {
            var x = ctx.Saved(0);
            return [Tensor.Where((x > s.minVal).LogicalAnd(x < s.maxVal), g, Tensor.ZerosLike(g))];
        });
    }

    /// <summary>min(max(x, 0), 6): Hardtanh(x, 0, 6), as PyTorch records it.</summary>
    public static Tensor Relu6(Tensor x) => Hardtanh(x, 0, 6);

    /// <summary>x·tanh(softplus(x)); backward tanh(sp) + x·σ(x)·(1 − tanh²(sp)).</summary>
    public static Tensor Mish(Tensor x)
    {
        Tensor y;
        using (new NoGrad()) y = x * Softplus(x).Tanh();
        return Graph.Record("MishBackward0", y, [x], [x], static (ctx, g) =>
        {
            var x = ctx.Saved(0);
            var t = Softplus(x).Tanh();
            return [g * (t + x * x.Sigmoid() * (1.0 - t * t))];
        });
    }

    /// <summary>Zeroes whole channels of an [N, C, L] (or unbatched [C, L]) input with probability p, scaling the rest by 1/(1−p).</summary>
    public static Tensor Dropout1d(Tensor x, double p = 0.5, bool training = true, Generator? generator = null)
    {
        if (x.Dim is not (2 or 3))
            throw new ArgumentException($"dropout1d: Expected 2D or 3D input, but received a {x.Dim}D input. Note that dropout1d exists to provide channel-wise dropout on inputs with 1 spatial dimension, a channel dimension, and an optional batch dimension (i.e. 2D or 3D inputs).");
        return x.Dim == 2 ? FeatureDropout(x.Unsqueeze(0), p, training, generator).Squeeze(0) : FeatureDropout(x, p, training, generator);
    }

    /// <summary>Zeroes whole channels of an [N, C, H, W] input with probability p, scaling the rest by 1/(1−p) (a 3-d input is read as [N, C, L], as PyTorch 1.13 does).</summary>
    public static Tensor Dropout2d(Tensor x, double p = 0.5, bool training = true, Generator? generator = null)
    {
        if (x.Dim < 2) throw new ArgumentException($"dropout2d: expected an input with a batch and a channel dim, got shape [{string.Join(", ", x.Shape)}]");
        return FeatureDropout(x, p, training, generator);
    }

    /// <summary>PyTorch's feature_dropout: one Bernoulli(1 − p) draw per (sample, channel), broadcast over the other dims.</summary>
    private static Tensor FeatureDropout(Tensor x, double p, bool training, Generator? generator)
    {
        if (p < 0 || p > 1) throw new ArgumentException($"dropout probability has to be between 0 and 1, but got {p}");
        if (!training || p == 0) return x;
        if (p == 1) return x * 0.0;
        var maskShape = new int[x.Dim];
        Array.Fill(maskShape, 1);
        maskShape[0] = x.Shape[0]; maskShape[1] = x.Shape[1];
        Tensor mask;
        using (new NoGrad())
        {
            var u = Tensor.Rand(maskShape, generator: generator, dtype: DType.Float64);
            mask = u.Lt(1 - p).To(x.DType.IsFloatingPoint() ? x.DType : DType.Float32) / (1 - p);
        }
        return x * mask;   // MulBackward0, as PyTorch 1.13 records it
    }
}
