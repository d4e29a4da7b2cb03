using System.Numerics;
using Framework.Autograd;
using Framework.NN;

namespace Framework.Optim;

/// <summary>RMSprop: divides the gradient by a running root-mean-square, optionally centered and with momentum (torch.optim.RMSprop).</summary>
public sealed class RMSprop : Optimizer<RMSpropState>
{
    /// <summary>RMSprop over <paramref name="parameters"/>: learning rate γ, smoothing α, ε, weight decay λ, momentum μ, centered.</summary>
    public RMSprop(IEnumerable<Parameter> parameters, double lr = 1e-2, double alpha = 0.99, double eps = 1e-8,
                   double weightDecay = 0, double momentum = 0, bool centered = false, bool maximize = false)
        : this(OneGroup(parameters), lr, alpha, eps, weightDecay, momentum, centered, maximize) { }

    /// <summary>RMSprop over parameter groups; options a group leaves null take these values.</summary>
    public RMSprop(IEnumerable<ParamGroup> groups, double lr = 1e-2, double alpha = 0.99, double eps = 1e-8,
                   double weightDecay = 0, double momentum = 0, bool centered = false, bool maximize = false)
        : base(groups, MakeDefaults(lr, alpha, eps, weightDecay, momentum, centered, maximize)) { }

    private static ParamGroup MakeDefaults(double lr, double alpha, double eps, double weightDecay, double momentum, bool centered, bool maximize)
    {
        if (!(0 <= lr)) throw PyFormat.Invalid("Invalid learning rate", lr);
        if (!(0 <= eps)) throw PyFormat.Invalid("Invalid epsilon value", eps);
        if (!(0 <= momentum)) throw PyFormat.Invalid("Invalid momentum value", momentum);
        if (!(0 <= weightDecay)) throw PyFormat.Invalid("Invalid weight_decay value", weightDecay);
        if (!(0 <= alpha)) throw PyFormat.Invalid("Invalid alpha value", alpha);
        return new ParamGroup([], lr) { Alpha = alpha, Eps = eps, WeightDecay = weightDecay, Momentum = momentum, Centered = centered, Maximize = maximize };
    }

    /// <inheritdoc/>
    protected override RMSpropState CreateState(Parameter p, ParamGroup group) => new()
    {
        SquareAvg = Tensor.ZerosLike(p),
        MomentumBuffer = group.Momentum > 0 ? Tensor.ZerosLike(p) : null,
        GradAvg = group.Centered == true ? Tensor.ZerosLike(p) : null,
    };

    /// <inheritdoc/>
    protected override void Update(Parameter p, Tensor grad, RMSpropState s, ParamGroup g)
    {
        s.Step++;
        double momentum = g.Momentum!.Value;
        bool centered = g.Centered!.Value;
        if (momentum > 0) s.MomentumBuffer ??= Tensor.ZerosLike(p);
        if (centered) s.GradAvg ??= Tensor.ZerosLike(p);
        var step = new StepKernel(p, grad, s, g.Lr, g.Alpha!.Value, g.Eps!.Value, g.WeightDecay!.Value, momentum, centered);
        DTypeDispatch.Floating(p.DType, ref step);
    }

    /// <summary><see cref="Update{T}"/> on the parameter's, gradient's and state's elements as T.</summary>
    private readonly struct StepKernel(Tensor p, Tensor grad, RMSpropState s, double lr, double alpha, double eps, double weightDecay,
                                 double momentum, bool centered) : IFloatingKernel
    {
        public void Invoke<T>() where T : unmanaged, IFloatingPointIeee754<T>
            => Update(p.AsSpan<T>(), grad.AsReadOnlySpan<T>(), s.SquareAvg.AsSpan<T>(),
                      momentum > 0 ? s.MomentumBuffer!.AsSpan<T>() : default, centered ? s.GradAvg!.AsSpan<T>() : default,
                      lr, alpha, eps, weightDecay, momentum, centered);
    }

    /// <summary>
    /// One RMSprop step, element-wise and in place (PyTorch 1.13's single-tensor form):
    /// g ← ∇ + λθ (if λ ≠ 0); v ← α·v + (1 − α)·g²;
    /// centered: ḡ ← α·ḡ + (1 − α)·g and a ← √(v − ḡ²) + ε, else a ← √v + ε;
    /// μ &gt; 0: b ← μ·b + g / a and θ ← θ − γ·b, else θ ← θ − γ·g / a.
    /// <paramref name="momentumBuffer"/> is b (empty when μ = 0); <paramref name="gradAvg"/> is ḡ (empty unless centered).
    /// </summary>
    public static void Update<T>(Span<T> param, ReadOnlySpan<T> grad, Span<T> squareAvg, Span<T> momentumBuffer, Span<T> gradAvg,
                                 double lr, double alpha, double eps, double weightDecay, double momentum, bool centered)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = param.Length;
        if (grad.Length != n || squareAvg.Length != n || (momentum > 0 && momentumBuffer.Length != n) || (centered && gradAvg.Length != n))
            throw new ArgumentException("RMSprop.Update: the parameter, gradient and state buffers must have the same length");
        T a = T.CreateChecked(alpha), oneMinusA = T.CreateChecked(1 - alpha), e = T.CreateChecked(eps);
        T lambda = T.CreateChecked(weightDecay), mu = T.CreateChecked(momentum), negLr = T.CreateChecked(-lr);
        // One fused loop, in the formula's order.
        for (int i = 0; i < n; i++)
        {
            T g = grad[i];
            if (weightDecay != 0) g += lambda * param[i];
            T v = squareAvg[i] * a + oneMinusA * g * g;
            squareAvg[i] = v;
            T avg;
            if (centered)
            {
                T gBar = gradAvg[i] * a + oneMinusA * g;
                gradAvg[i] = gBar;
                avg = T.Sqrt(v + T.NegativeOne * gBar * gBar) + e;
            }
            else avg = T.Sqrt(v) + e;
            if (momentum > 0)
            {
                T b = momentumBuffer[i] * mu + g / avg;
                momentumBuffer[i] = b;
                param[i] += negLr * b;
            }
            else param[i] += negLr * g / avg;
        }
    }
}
