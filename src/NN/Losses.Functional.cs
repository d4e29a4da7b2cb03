using Framework.Autograd;

namespace Framework.NN;

// Loss functions. Those PyTorch implements as one op (mse, nll, bce) are one node with its name, computed without a graph
// and differentiated by a rule; the others are compositions. BCE with logits is fused by hand for numerical stability
// (its gradient σ(x) − y must not go through |x| at 0).
public static partial class Functional
{
    /// <summary>(x − y)², reduced.</summary>
    public static Tensor MseLoss(Tensor input, Tensor target, Reduction reduction = Reduction.Mean)
    {
        CheckSameShape(input, target, "mse_loss");
        Tensor y;
        using (new NoGrad())
        {
            var d = input - target;
            y = Reduce(d * d, reduction);
        }
        // PyTorch's mse_loss_backward: dx = 2(x − y)·g (/ n for the mean), dy = −dx.
        return Graph.Record("MseLossBackward0", y, [input, target], [input, target], reduction, static (ctx, g, reduction) =>
        {
            var x = ctx.Saved(0);
            var dx = Unreduce(g, x, reduction) * 2.0 * (x - ctx.Saved(1));
            return [dx, ctx.NeedsInputGrad(1) ? -dx : null];
        });
    }

    /// <summary>|x − y|, reduced.</summary>
    public static Tensor L1Loss(Tensor input, Tensor target, Reduction reduction = Reduction.Mean)
    {
        CheckSameShape(input, target, "l1_loss");
        return Reduce((input - target).Abs(), reduction);
    }

    /// <summary>−w[t]·x[i, t] for log-probabilities x of shape [N, C] (or [C], or [N, C, d...]) and Int64 class targets; the mean divides by Σ w[t] over non-ignored targets.</summary>
    public static Tensor NllLoss(Tensor input, Tensor target, Reduction reduction = Reduction.Mean, long ignoreIndex = -100, Tensor? weight = null)
    {
        CheckClassTarget(input, target, "nll_loss");
        if (input.Dim <= 2 || input.Dim == 4) return NllLossNode(input, target, reduction, ignoreIndex, weight);
        // As PyTorch's nll_loss_nd: other shapes are viewed as [N, C, 1, L] for nll_loss2d, and a per-element result viewed back.
        int n = input.Shape[0], c = input.Shape[1], l = (int)(input.Numel / Math.Max(1, (long)n * c));
        var loss = NllLossNode(input.Contiguous().View(n, c, 1, l), target.Reshape(n, 1, l), reduction, ignoreIndex, weight);
        return reduction == Reduction.None ? loss.View(target.Shape) : loss;
    }

    /// <summary>nll_loss of a [C], [N, C] or [N, C, H, W] input as one node, NllLossBackward0 or NllLoss2DBackward0: dx[i, t_i] = −w[t_i]·g_i (/ Σ w for the mean).</summary>
    private static Tensor NllLossNode(Tensor input, Tensor target, Reduction reduction, long ignoreIndex, Tensor? weight)
    {
        var (x, t) = ClassesLast(input, target);
        int n = x.Shape[0], c = x.Shape[1];
        if (weight is not null && (weight.Dim != 1 || weight.Shape[0] != c))
            throw new ArgumentException($"nll_loss: weight tensor should be defined either for all {c} classes or no classes but got weight tensor of shape: [{string.Join(", ", weight.Shape)}]");
        Tensor xc, tc, losses;
        Tensor? w;
        double total;
        using (new NoGrad())
        {
            xc = x.Contiguous();
            tc = t.Contiguous();
            w = weight?.Detach().Contiguous().To(x.DType);
            losses = Tensor.Empty([n], x.DType);
            var forward = new NllForward(xc, tc, w, weight is null ? null : weight.Detach().To(DType.Float64).Contiguous(), ignoreIndex, losses);
            DTypeDispatch.Floating(x.DType, ref forward);
            total = forward.Total;
        }
        Tensor result;
        using (new NoGrad())
            result = reduction switch
            {
                Reduction.None => losses.Reshape(target.Shape),
                Reduction.Sum => losses.Sum(),
                _ => losses.Sum() / total,
            };
        return Graph.Record(input.Dim == 4 ? "NllLoss2DBackward0" : "NllLossBackward0", result, [input], [tc, w], (reduction, total, ignoreIndex, input.Shape),
            static (ctx, g, s) =>
            {
                var t = ctx.Saved(0);
                var w = ctx.SavedOrNull(1);
                int n = t.Shape[0], c = s.Shape.Length == 1 ? s.Shape[0] : s.Shape[1];
                var gi = s.reduction == Reduction.None ? g.Reshape(n) : s.reduction == Reduction.Sum ? g.Expand(n) : g.Expand(n) / s.total;
                Tensor dx;
                if (GradMode.IsEnabled)
                {
                    // As tensor ops, so that the gradient is differentiable again.
                    var ignored = t.Eq((double)s.ignoreIndex);
                    var safe = t.MaskedFill(ignored, 0);
                    var wt = (w is null ? Tensor.OnesLike(gi) : w.IndexSelect(0, safe)).MaskedFill(ignored, 0.0);
                    dx = (-(gi * wt)).Unsqueeze(1).ScatterAddInto(1, safe.Unsqueeze(1), [n, c]);      // [N·H·W, C]
                }
                else
                {
                    dx = Tensor.Zeros([n, c], g.DType);
                    var backward = new NllBackward(gi.Contiguous(), t, w, s.ignoreIndex, dx);
                    DTypeDispatch.Floating(g.DType, ref backward);
                }
                return [s.Shape.Length == 4 ? dx.Reshape(s.Shape[0], s.Shape[2], s.Shape[3], c).Permute(0, 3, 1, 2) : dx.Reshape(s.Shape)];
            });
    }

    /// <summary>losses[i] = −(x[i, t_i]·w[t_i]) (0 for an ignored target) and Total = Σ w[t_i] in Float64; a target outside [0, C) throws.</summary>
    private struct NllForward(Tensor x, Tensor t, Tensor? w, Tensor? w64, long ignoreIndex, Tensor losses) : IFloatingKernel
    {
        /// <summary>Σ w[t_i] over the targets not ignored, set by Invoke.</summary>
        public double Total;

        public void Invoke<T>() where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
        {
            var xs = x.AsReadOnlySpan<T>();
            var ts = t.AsReadOnlySpan<long>();
            var ws = w is null ? default : w.AsReadOnlySpan<T>();
            var wd = w64 is null ? default : w64.AsReadOnlySpan<double>();
            var ls = losses.AsSpan<T>();
            int c = xs.Length / Math.Max(1, ts.Length);
            double total = 0;
            for (int i = 0; i < ts.Length; i++)
            {
                long ti = ts[i];
                if (ti == ignoreIndex) { ls[i] = T.Zero; continue; }
                if (ti < 0 || ti >= c) throw new ArgumentOutOfRangeException("target", $"Target {ti} is out of bounds.");
                T wi = w is null ? T.One : ws[(int)ti];
                ls[i] = -(xs[i * c + (int)ti] * wi);
                total += w64 is null ? 1.0 : wd[(int)ti];
            }
            Total = total;
        }
    }

    /// <summary>dx[i, t_i] = −(g_i·w[t_i]) for every target not ignored, into a zeroed [N, C] dx.</summary>
    private readonly struct NllBackward(Tensor g, Tensor t, Tensor? w, long ignoreIndex, Tensor dx) : IFloatingKernel
    {
        public void Invoke<T>() where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
        {
            var gs = g.AsReadOnlySpan<T>();
            var ts = t.AsReadOnlySpan<long>();
            var ws = w is null ? default : w.AsReadOnlySpan<T>();
            var d = dx.AsSpan<T>();
            int c = d.Length / Math.Max(1, ts.Length);
            for (int i = 0; i < ts.Length; i++)
            {
                long ti = ts[i];
                if (ti == ignoreIndex) continue;
                d[i * c + (int)ti] = -(gs[i] * (w is null ? T.One : ws[(int)ti]));
            }
        }
    }

    /// <summary>Cross-entropy of logits [N, C] against Int64 class targets [N] or class probabilities [N, C], through a stable log-softmax; ignoreIndex, label smoothing and class weights as in PyTorch.</summary>
    public static Tensor CrossEntropy(Tensor input, Tensor target, Reduction reduction = Reduction.Mean, long ignoreIndex = -100,
                                      double labelSmoothing = 0, Tensor? weight = null)
    {
        if (labelSmoothing < 0 || labelSmoothing > 1) throw new ArgumentException($"label_smoothing must be between 0.0 and 1.0. Got: {labelSmoothing}");
        int classDim = input.Dim == 1 ? 0 : 1;
        int c = input.Shape[classDim];
        var logp = input.LogSoftmax(classDim);
        var wShape = Enumerable.Range(0, input.Dim).Select(d => d == classDim ? c : 1).ToArray();
        if (target.DType.IsFloatingPoint())
        {
            CheckSameShape(input, target, "cross_entropy");
            var p = labelSmoothing > 0 ? target * (1 - labelSmoothing) + labelSmoothing / c : target;
            var terms = logp * p;
            if (weight is not null) terms = terms * weight.Reshape(wShape);
            return reduction switch
            {
                Reduction.None => -terms.Sum(classDim),
                Reduction.Sum => -terms.Sum(),
                _ => DivByScalar(-terms.Sum(), input.Dim == 1 ? 1 : input.Numel / c),
            };
        }
        var nll = NllLoss(logp, target, reduction, ignoreIndex, weight);
        if (labelSmoothing == 0) return nll;
        var ignore = target.Eq((double)ignoreIndex);
        var smooth = weight is null ? -logp.Sum(classDim) : -(logp * weight.Reshape(wShape)).Sum(classDim);
        smooth = Tensor.Where(ignore, Tensor.ZerosLike(smooth), smooth);
        Tensor smoothReduced = reduction switch
        {
            Reduction.None => smooth,
            Reduction.Sum => smooth.Sum(),
            _ when weight is not null => smooth.Sum() / WeightOfTargets(target, weight, ignoreIndex),
            _ => smooth.Sum() / Math.Max(1, ignore.Numel - ignore.Sum().Item<long>()),
        };
        return nll * (1 - labelSmoothing) + smoothReduced * (labelSmoothing / c);
    }

    /// <summary>−w·(y·log x + (1 − y)·log(1 − x)) for probabilities x, with each log clamped at −100 as PyTorch does.</summary>
    public static Tensor BinaryCrossEntropy(Tensor input, Tensor target, Reduction reduction = Reduction.Mean, Tensor? weight = null)
    {
        CheckSameShape(input, target, "binary_cross_entropy");
        using (new NoGrad())
            if (input.Lt(0.0).Sum().Item<long>() > 0 || input.Gt(1.0).Sum().Item<long>() > 0)
                throw new ArgumentException("all elements of input should be between 0 and 1");
        var x = input;
        Tensor losses, logX, log1mX;
        using (new NoGrad())
        {
            logX = x.Log().Clamp(-100, double.MaxValue);
            log1mX = (1.0 - x).Log().Clamp(-100, double.MaxValue);
            losses = -(target * logX + (1.0 - target) * log1mX);
            if (weight is not null) losses = losses * weight;
            losses = Reduce(losses, reduction);
        }
        // d/dx = w·(x − y) / max((1 − x)·x, 1e-12), as PyTorch's binary_cross_entropy_backward; d/dy = w·(log(1 − x) − log x).
        return Graph.Record("BinaryCrossEntropyBackward0", losses, [x, target], [x, target, weight], reduction, static (ctx, g, reduction) =>
        {
            Tensor x = ctx.Saved(0), target = ctx.Saved(1);
            var ge = Unreduce(g, x, reduction);
            if (ctx.SavedOrNull(2) is { } weight) ge = ge * weight;
            return [ctx.NeedsInputGrad(0) ? ge * (x - target) / ((1.0 - x) * x).Clamp(1e-12, double.MaxValue) : null,
                    ctx.NeedsInputGrad(1) ? ge * ((1.0 - x).Log().Clamp(-100, double.MaxValue) - x.Log().Clamp(-100, double.MaxValue)) : null];
        });
    }

    /// <summary>BCE of logits, stable for large |x|: (1 − y)·x + (1 + (pw − 1)·y)·(log(1 + e^−|x|) + max(−x, 0)); gradient (1 + (pw − 1)y)σ(x) − pw·y.</summary>
    public static Tensor BinaryCrossEntropyWithLogits(Tensor input, Tensor target, Reduction reduction = Reduction.Mean, Tensor? posWeight = null, Tensor? weight = null)
    {
        CheckSameShape(input, target, "binary_cross_entropy_with_logits");
        var x = input;
        var y = target;
        Tensor losses;
        using (new NoGrad())
        {
            var softplusNeg = (1.0 + (-x.Abs()).Exp()).Log() + (-x).Relu();   // log(1 + e^−x), stably
            var logWeight = posWeight is null ? null : (posWeight - 1.0) * y + 1.0;
            losses = (1.0 - y) * x + (logWeight is null ? softplusNeg : logWeight * softplusNeg);
            if (weight is not null) losses = losses * weight;
            losses = Reduce(losses, reduction);
        }
        return Graph.Record("BinaryCrossEntropyWithLogitsBackward0", losses, [x, y], [x, y, posWeight, weight], reduction, static (ctx, g, reduction) =>
        {
            Tensor x = ctx.Saved(0), y = ctx.Saved(1);
            Tensor? posWeight = ctx.SavedOrNull(2), weight = ctx.SavedOrNull(3);
            var ge = Unreduce(g, x, reduction);
            if (weight is not null) ge = ge * weight;
            Tensor? dx = null, dy = null;
            if (ctx.NeedsInputGrad(0))
            {
                var s = x.Sigmoid();
                dx = ge * (posWeight is null ? s - y : ((posWeight - 1.0) * y + 1.0) * s - posWeight * y);
            }
            if (ctx.NeedsInputGrad(1))
                dy = ge * (posWeight is null ? -x : (posWeight - 1.0) * ((1.0 + (-x.Abs()).Exp()).Log() + (-x).Relu()) - x);
            return [dx, dy];
        });
    }

    /// <summary>s / k recorded as PyTorch's div(Tensor, Scalar), DivBackward1, the name it has inside PyTorch's composite losses.</summary>
    private static Tensor DivByScalar(Tensor s, double k)
    {
        Tensor y;
        using (new NoGrad()) y = s / k;
        return Graph.Record("DivBackward1", y, [s], [], k, static (ctx, g, k) => [g / k]);
    }

    /// <summary>The gradient of a reduced loss spread back over the elements of <paramref name="x"/>.</summary>
    private static Tensor Unreduce(Tensor g, Tensor x, Reduction reduction) => reduction switch
    {
        Reduction.None => g,
        Reduction.Sum => g.Expand(x.Shape),
        _ => g.Expand(x.Shape) / x.Numel,
    };

    private static double WeightOfTargets(Tensor target, Tensor weight, long ignoreIndex)
    {
        var w = weight.ToArray<double>();
        double s = 0;
        foreach (var t in target.ToArray<long>()) if (t != ignoreIndex) s += w[t];
        return s;
    }

    private static Tensor Reduce(Tensor losses, Reduction reduction) => reduction switch
    {
        Reduction.None => losses,
        Reduction.Sum => losses.Sum(),
        _ => losses.Mean(),
    };

    private static void CheckSameShape(Tensor input, Tensor target, string op)
    {
        if (!input.Shape.SequenceEqual(target.Shape))
            throw new ArgumentException($"{op}: target size [{string.Join(", ", target.Shape)}] must be the same as input size [{string.Join(", ", input.Shape)}]");
    }

    /// <summary>Checks Int64 class targets of the input's shape without the class dim (0-d for an unbatched [C] input).</summary>
    private static void CheckClassTarget(Tensor input, Tensor target, string op)
    {
        if (target.DType != DType.Int64) throw new ArgumentException($"{op}: expected target of dtype torch.int64 (class indices), got {target.DType.TorchName()}");
        if (input.Dim == 1)
        {
            if (target.Dim != 0) throw new ArgumentException($"{op}: for an unbatched input of shape [{input.Shape[0]}] the target must be 0-d, got shape [{string.Join(", ", target.Shape)}]");
            return;
        }
        int[] shape = input.Shape, expected = new int[shape.Length - 1];
        for (int i = 0, j = 0; i < shape.Length; i++) if (i != 1) expected[j++] = shape[i];
        if (!target.Shape.AsSpan().SequenceEqual(expected))
            throw new ArgumentException($"{op}: expected target of shape [{string.Join(", ", expected)}] for input of shape [{string.Join(", ", input.Shape)}], got [{string.Join(", ", target.Shape)}]");
    }

    /// <summary>A [C], [N, C] or [N, C, H, W] class-scores tensor as [M, C] (no graph), with its targets as [M].</summary>
    private static (Tensor X, Tensor T) ClassesLast(Tensor input, Tensor target)
    {
        using var _ = new NoGrad();
        if (input.Dim == 1) return (input.Unsqueeze(0), target.Reshape(1));
        if (input.Dim == 2) return (input, target);
        return (input.Permute(0, 2, 3, 1).Reshape(-1, input.Shape[1]), target.Reshape(-1));   // [N, C, H, W] → [N·H·W, C]
    }
}
