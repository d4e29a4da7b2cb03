using System.Numerics;
using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;
using Framework.Autograd;
using Framework.NN;

namespace Framework.Optim;

/// <summary>Adam with decoupled weight decay: θ shrinks by γλ before the Adam step (torch.optim.AdamW).</summary>
public sealed class AdamW : Optimizer<AdamState>
{
    /// <summary>AdamW over <paramref name="parameters"/>: learning rate γ, betas (β1, β2) = (0.9, 0.999) by default, ε, decoupled weight decay λ.</summary>
    public AdamW(IEnumerable<Parameter> parameters, double lr = 1e-3, (double, double)? betas = null, double eps = 1e-8,
                 double weightDecay = 1e-2, bool amsgrad = false, bool maximize = false)
        : this(OneGroup(parameters), lr, betas, eps, weightDecay, amsgrad, maximize) { }

    /// <summary>AdamW over parameter groups; options a group leaves null take these values.</summary>
    public AdamW(IEnumerable<ParamGroup> groups, double lr = 1e-3, (double, double)? betas = null, double eps = 1e-8,
                 double weightDecay = 1e-2, bool amsgrad = false, bool maximize = false)
        : base(groups, Adam.MakeDefaults(lr, betas ?? (0.9, 0.999), eps, weightDecay, amsgrad, maximize)) { }

    /// <inheritdoc/>
    protected override AdamState CreateState(Parameter p, ParamGroup group) => Adam.NewState(p, group);

    /// <inheritdoc/>
    protected override void Update(Parameter p, Tensor grad, AdamState s, ParamGroup g) => Adam.Step(p, grad, s, g, decoupledWeightDecay: true);

    /// <summary>
    /// AdamW's step t (counted from 1), element-wise and in place (PyTorch 1.13's single-tensor form):
    /// θ ← θ·(1 − γλ); then Adam's step without weight decay:
    /// m ← β1·m + (1 − β1)·∇; v ← β2·v + (1 − β2)·∇²; with AMSGrad v̂ ← max(v̂, v) replaces v;
    /// θ ← θ − (γ / (1 − β1ᵗ)) · m / (√v / √(1 − β2ᵗ) + ε).
    /// </summary>
    public static void Update<T>(Span<T> param, ReadOnlySpan<T> grad, Span<T> expAvg, Span<T> expAvgSq, Span<T> maxExpAvgSq,
                                 long step, double lr, double beta1, double beta2, double eps, double weightDecay, bool amsgrad)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        TensorPrimitives.Multiply(param, T.CreateChecked(1 - lr * weightDecay), param);
        Adam.Update(param, grad, expAvg, expAvgSq, maxExpAvgSq, step, lr, beta1, beta2, eps, weightDecay: 0, amsgrad);
    }
}
