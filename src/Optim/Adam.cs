using System.Numerics;
using Framework.Autograd;
using Framework.NN;

namespace Framework.Optim;

/// <summary>Adam, with weight decay added to the gradient (L2) and optional AMSGrad (torch.optim.Adam).</summary>
public sealed class Adam : Optimizer<AdamState>
{
    /// <summary>Adam over <paramref name="parameters"/>: learning rate γ, betas (β1, β2) = (0.9, 0.999) by default, ε, weight decay λ.</summary>
    public Adam(IEnumerable<Parameter> parameters, double lr = 1e-3, (double, double)? betas = null, double eps = 1e-8,
                double weightDecay = 0, bool amsgrad = false, bool maximize = false)
        : this(OneGroup(parameters), lr, betas, eps, weightDecay, amsgrad, maximize) { }

    /// <summary>Adam over parameter groups; options a group leaves null take these values.</summary>
    public Adam(IEnumerable<ParamGroup> groups, double lr = 1e-3, (double, double)? betas = null, double eps = 1e-8,
                double weightDecay = 0, bool amsgrad = false, bool maximize = false)
        : base(groups, MakeDefaults(lr, betas ?? (0.9, 0.999), eps, weightDecay, amsgrad, maximize)) { }

    /// <summary>Validates Adam's and AdamW's options with PyTorch's messages and returns them as a defaults group.</summary>
    internal static ParamGroup MakeDefaults(double lr, (double B1, double B2) betas, double eps, double weightDecay, bool amsgrad, bool maximize)
    {
        if (!(0 <= lr)) throw PyFormat.Invalid("Invalid learning rate", lr);
        if (!(0 <= eps)) throw PyFormat.Invalid("Invalid epsilon value", eps);
        if (!(0 <= betas.B1 && betas.B1 < 1)) throw PyFormat.Invalid("Invalid beta parameter at index 0", betas.B1);
        if (!(0 <= betas.B2 && betas.B2 < 1)) throw PyFormat.Invalid("Invalid beta parameter at index 1", betas.B2);
        if (!(0 <= weightDecay)) throw PyFormat.Invalid("Invalid weight_decay value", weightDecay);
        return new ParamGroup([], lr) { Betas = betas, Eps = eps, WeightDecay = weightDecay, Amsgrad = amsgrad, Maximize = maximize };
    }

    /// <summary>Zero moments (and zero max v with AMSGrad) at step 0.</summary>
    internal static AdamState NewState(Parameter p, ParamGroup group) => new()
    {
        ExpAvg = Tensor.ZerosLike(p),
        ExpAvgSq = Tensor.ZerosLike(p),
        MaxExpAvgSq = group.Amsgrad == true ? Tensor.ZerosLike(p) : null,
    };

    /// <inheritdoc/>
    protected override AdamState CreateState(Parameter p, ParamGroup group) => NewState(p, group);

    /// <inheritdoc/>
    protected override void Update(Parameter p, Tensor grad, AdamState s, ParamGroup g) => Step(p, grad, s, g, decoupledWeightDecay: false);

    /// <summary>One step of Adam (L2 weight decay) or AdamW (decoupled weight decay) on one parameter's storage.</summary>
    internal static void Step(Parameter p, Tensor grad, AdamState s, ParamGroup g, bool decoupledWeightDecay)
    {
        s.Step++;
        bool amsgrad = g.Amsgrad!.Value;
        if (amsgrad) s.MaxExpAvgSq ??= Tensor.ZerosLike(p);
        var (b1, b2) = g.Betas!.Value;
        var step = new StepKernel(p, grad, s, g.Lr, b1, b2, g.Eps!.Value, g.WeightDecay!.Value, amsgrad, decoupledWeightDecay);
        DTypeDispatch.Floating(p.DType, ref step);
    }

    /// <summary><see cref="Update{T}"/> (or <see cref="AdamW.Update{T}"/> when decoupled) on the parameter's, gradient's and state's elements as T.</summary>
    private readonly struct StepKernel(Tensor p, Tensor grad, AdamState s, double lr, double b1, double b2, double eps, double wd,
                                       bool amsgrad, bool decoupled) : IFloatingKernel
    {
        public void Invoke<T>() where T : unmanaged, IFloatingPointIeee754<T>
        {
            var v = amsgrad ? s.MaxExpAvgSq!.AsSpan<T>() : default;
            if (decoupled) AdamW.Update(p.AsSpan<T>(), grad.AsReadOnlySpan<T>(), s.ExpAvg.AsSpan<T>(), s.ExpAvgSq.AsSpan<T>(), v, s.Step, lr, b1, b2, eps, wd, amsgrad);
            else Update(p.AsSpan<T>(), grad.AsReadOnlySpan<T>(), s.ExpAvg.AsSpan<T>(), s.ExpAvgSq.AsSpan<T>(), v, s.Step, lr, b1, b2, eps, wd, amsgrad);
        }
    }

    /// <summary>
    /// Adam's step t (counted from 1), element-wise and in place (PyTorch 1.13's single-tensor form):
    /// g ← ∇ + λθ (if λ ≠ 0); m ← β1·m + (1 − β1)·g; v ← β2·v + (1 − β2)·g²;
    /// with AMSGrad v̂ ← max(v̂, v) and v̂ replaces v below;
    /// θ ← θ − (γ / (1 − β1ᵗ)) · m / (√v / √(1 − β2ᵗ) + ε).
    /// <paramref name="maxExpAvgSq"/> is v̂ (empty without AMSGrad).
    /// </summary>
    public static void Update<T>(Span<T> param, ReadOnlySpan<T> grad, Span<T> expAvg, Span<T> expAvgSq, Span<T> maxExpAvgSq,
                                 long step, double lr, double beta1, double beta2, double eps, double weightDecay, bool amsgrad)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = param.Length;
        if (grad.Length != n || expAvg.Length != n || expAvgSq.Length != n || (amsgrad && maxExpAvgSq.Length != n))
            throw new ArgumentException("Adam.Update: the parameter, gradient and state buffers must have the same length");
        double biasCorrection1 = 1 - Math.Pow(beta1, step);
        double biasCorrection2 = 1 - Math.Pow(beta2, step);
        T negStepSize = T.CreateChecked(-(lr / biasCorrection1));
        T bc2Sqrt = T.CreateChecked(Math.Sqrt(biasCorrection2));
        T b1 = T.CreateChecked(beta1), b2 = T.CreateChecked(beta2), e = T.CreateChecked(eps), lambda = T.CreateChecked(weightDecay);
        T oneMinusB1 = T.CreateChecked(1 - beta1), oneMinusB2 = T.CreateChecked(1 - beta2);
        // One fused pass: each state element is read and written once, in the formula's order; Vector<T> lanes, then a scalar tail.
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var vB1 = new Vector<T>(b1); var vB2 = new Vector<T>(b2); var vE = new Vector<T>(e); var vLambda = new Vector<T>(lambda);
            var vOneMinusB1 = new Vector<T>(oneMinusB1); var vOneMinusB2 = new Vector<T>(oneMinusB2);
            var vStep = new Vector<T>(negStepSize); var vBc2 = new Vector<T>(bc2Sqrt);
            for (; i <= n - Vector<T>.Count; i += Vector<T>.Count)
            {
                var p = new Vector<T>(param[i..]);
                var g = new Vector<T>(grad[i..]);
                if (weightDecay != 0) g += vLambda * p;
                var m = new Vector<T>(expAvg[i..]) * vB1 + vOneMinusB1 * g;
                var v = new Vector<T>(expAvgSq[i..]) * vB2 + vOneMinusB2 * g * g;
                m.CopyTo(expAvg[i..]);
                v.CopyTo(expAvgSq[i..]);
                if (amsgrad)
                {
                    v = Vector.Max(new Vector<T>(maxExpAvgSq[i..]), v);
                    v.CopyTo(maxExpAvgSq[i..]);
                }
                var denom = Vector.SquareRoot(v) / vBc2 + vE;
                (p + vStep * m / denom).CopyTo(param[i..]);
            }
        }
        for (; i < n; i++)
        {
            T g = grad[i];
            if (weightDecay != 0) g += lambda * param[i];
            T m = expAvg[i] * b1 + oneMinusB1 * g;
            T v = expAvgSq[i] * b2 + oneMinusB2 * g * g;
            expAvg[i] = m;
            expAvgSq[i] = v;
            if (amsgrad)
            {
                v = T.Max(maxExpAvgSq[i], v);
                maxExpAvgSq[i] = v;
            }
            T denom = T.Sqrt(v) / bc2Sqrt + e;
            param[i] += negStepSize * m / denom;
        }
    }
}
