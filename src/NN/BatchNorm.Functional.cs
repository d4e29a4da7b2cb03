using Framework.Autograd;

namespace Framework.NN;

// Batch norm as one fused pass for the statistics and one for the output, and a fused backward (the BatchNorm layers' path).
// Under createGraph the rule is the tensor-op BatchNormBackward of CompositeBatchNorm, so that it can be differentiated again.
public static partial class Functional
{
    /// <summary>
    /// Batch norm computed by fused per-channel kernels: y = x·scale + shift with scale = γ/√(var + eps) and
    /// shift = β − mean·scale; in training the batch statistics (biased variance) normalise and the running ones are updated
    /// with the unbiased variance, as PyTorch does. Inputs the kernels do not cover (integer dtypes, mismatched parameters)
    /// go to CompositeBatchNorm, which reports them.
    /// </summary>
    internal static Tensor FusedBatchNorm(Tensor x, Tensor? runningMean, Tensor? runningVar, Tensor? weight, Tensor? bias,
                                          bool training, double momentum, double eps)
    {
        bool fits = x.Dim >= 2 && x.Numel > 0 && x.DType.IsFloatingPoint() && Fits(weight, x) && Fits(bias, x)
                    && (training ? x.Numel / x.Shape[1] > 1 : runningMean is not null && runningVar is not null);
        if (!fits) return CompositeBatchNorm(x, runningMean, runningVar, weight, bias, training, momentum, eps);
        int c = x.Shape[1];
        long count = x.Numel / c;
        var xc = x.Contiguous();
        double[] mean, var;
        if (training)
        {
            (mean, var) = (new double[c], new double[c]);
            var stats = new BatchStatsKernel(xc, mean, var);
            DTypeDispatch.Floating(x.DType, ref stats);
            if (runningMean is not null && runningVar is not null)
                using (new NoGrad())
                {
                    runningMean.Mul_(1 - momentum).Add_(Tensor.FromArray(mean, [c]).To(runningMean.DType) * momentum);
                    runningVar.Mul_(1 - momentum).Add_(Tensor.FromArray(var, [c]).To(runningVar.DType) * (momentum * count / (count - 1)));
                }
        }
        else (mean, var) = (Doubles(runningMean!, c), Doubles(runningVar!, c));
        var invStd = new double[c];
        var gamma = weight is null ? null : Doubles(weight, c);
        var beta = bias is null ? null : Doubles(bias, c);
        double[] scale = new double[c], shift = new double[c];
        for (int ch = 0; ch < c; ch++)
        {
            invStd[ch] = 1 / Math.Sqrt(var[ch] + eps);
            scale[ch] = (gamma?[ch] ?? 1) * invStd[ch];
            shift[ch] = (beta?[ch] ?? 0) - mean[ch] * scale[ch];
        }
        var y = Tensor.Empty(x.Shape, x.DType);
        var affine = new ChannelAffineKernel(xc, null, scale, null, shift, y);
        DTypeDispatch.Floating(x.DType, ref affine);
        var statShape = ChannelDims(x).StatShape;
        // The saved slots are CompositeBatchNorm's (its rule runs under createGraph); the fused rule takes the statistics from the state.
        return Graph.Record("NativeBatchNormBackward0", y, [x, weight, bias],
            [x, weight, training ? null : runningMean!.Reshape(statShape), training ? null : runningVar!.Reshape(statShape)],
            (eps, training, mean, invStd, gamma),
            static (ctx, g, s) => GradMode.IsEnabled ? BatchNormBackward(ctx, g, s.eps, s.training) : FusedBatchNormBackward(ctx, g, s.training, s.mean, s.invStd, s.gamma));
    }

    /// <summary>
    /// PyTorch's native_batch_norm_backward per channel, with M values per channel, σ̂ = invStd, Σg and Σg·(x − μ):
    /// dβ = Σg, dγ = σ̂·Σg·(x − μ); in training dx = γσ̂·g − (γσ̂³·Σg(x − μ)/M)·(x − μ) − γσ̂·Σg/M, in evaluation dx = γσ̂·g.
    /// </summary>
    private static Tensor?[] FusedBatchNormBackward(BackwardContext ctx, Tensor g, bool training, double[] mean, double[] invStd, double[]? gamma)
    {
        var x = ctx.Saved(0);
        int c = x.Shape[1];
        double m = x.Numel / c;
        var gc = g.Contiguous();
        var xc = x.Contiguous();
        double[] sumG = new double[c], sumGx = new double[c];
        var sums = new GradSumsKernel(gc, xc, mean, sumG, sumGx);
        DTypeDispatch.Floating(x.DType, ref sums);
        Tensor? dx = null, dw = null, db = null;
        if (ctx.NeedsInputGrad(0))
        {
            double[] a = new double[c], bx = new double[c], k = new double[c];
            for (int ch = 0; ch < c; ch++)
            {
                double gs = (gamma?[ch] ?? 1) * invStd[ch];
                a[ch] = gs;
                if (!training) continue;
                bx[ch] = -gs * invStd[ch] * invStd[ch] * sumGx[ch] / m;
                k[ch] = -gs * sumG[ch] / m - bx[ch] * mean[ch];
            }
            dx = Tensor.Empty(x.Shape, x.DType);
            var affine = new ChannelAffineKernel(xc, gc, bx, a, k, dx);
            DTypeDispatch.Floating(x.DType, ref affine);
        }
        if (ctx.NeedsInputGrad(1))
        {
            var dgamma = new double[c];
            for (int ch = 0; ch < c; ch++) dgamma[ch] = sumGx[ch] * invStd[ch];
            dw = Tensor.FromArray(dgamma, [c]).To(ctx.Saved(1).DType);
        }
        if (ctx.NeedsInputGrad(2)) db = Tensor.FromArray(sumG, [c]).To(g.DType);
        return [dx, dw, db];
    }

    /// <summary>Whether an affine parameter is absent or a [C] vector of x's dtype.</summary>
    private static bool Fits(Tensor? p, Tensor x) => p is null || (p.DType == x.DType && p.Dim == 1 && p.Shape[0] == x.Shape[1]);

    /// <summary>The c values of a [C] tensor as doubles.</summary>
    private static double[] Doubles(Tensor t, int c)
    {
        if (t.Numel != c) throw new ArgumentException($"batch_norm: expected a statistic or parameter of {c} values, got shape [{string.Join(", ", t.Shape)}]");
        return t.Detach().To(DType.Float64).Contiguous().AsReadOnlySpan<double>().ToArray();
    }
}
