using System.Numerics;
using Framework.Autograd;
using Framework.NN;

namespace Framework.Optim;

/// <summary>Stochastic gradient descent, optionally with momentum, dampening, Nesterov momentum and weight decay (torch.optim.SGD).</summary>
public sealed class SGD : Optimizer<SgdState>
{
    /// <summary>SGD over <paramref name="parameters"/> with learning rate γ = <paramref name="lr"/>, momentum μ, dampening τ, weight decay λ.</summary>
    public SGD(IEnumerable<Parameter> parameters, double lr, double momentum = 0, double dampening = 0,
               double weightDecay = 0, bool nesterov = false, bool maximize = false)
        : this(OneGroup(parameters), lr, momentum, dampening, weightDecay, nesterov, maximize) { }

    /// <summary>SGD over parameter groups; options a group leaves null take these values.</summary>
    public SGD(IEnumerable<ParamGroup> groups, double lr, double momentum = 0, double dampening = 0,
               double weightDecay = 0, bool nesterov = false, bool maximize = false)
        : base(groups, MakeDefaults(lr, momentum, dampening, weightDecay, nesterov, maximize)) { }

    private static ParamGroup MakeDefaults(double lr, double momentum, double dampening, double weightDecay, bool nesterov, bool maximize)
    {
        if (lr < 0) throw PyFormat.Invalid("Invalid learning rate", lr);
        if (momentum < 0) throw PyFormat.Invalid("Invalid momentum value", momentum);
        if (weightDecay < 0) throw PyFormat.Invalid("Invalid weight_decay value", weightDecay);
        if (nesterov && (momentum <= 0 || dampening != 0))
            throw new ArgumentException("Nesterov momentum requires a momentum and zero dampening");
        return new ParamGroup([], lr) { Momentum = momentum, Dampening = dampening, WeightDecay = weightDecay, Nesterov = nesterov, Maximize = maximize };
    }

    /// <inheritdoc/>
    protected override SgdState CreateState(Parameter p, ParamGroup group) => new();

    /// <inheritdoc/>
    protected override void Update(Parameter p, Tensor grad, SgdState s, ParamGroup g)
    {
        double momentum = g.Momentum!.Value;
        bool first = false;
        if (momentum != 0 && s.MomentumBuffer is null)
        {
            s.MomentumBuffer = Tensor.ZerosLike(p);
            first = true;
        }
        var step = new StepKernel(p, grad, s.MomentumBuffer, first, g.Lr, momentum, g.Dampening!.Value, g.WeightDecay!.Value, g.Nesterov!.Value);
        DTypeDispatch.Floating(p.DType, ref step);
    }

    /// <summary><see cref="Update{T}"/> on the parameter's, gradient's and momentum buffer's elements as T.</summary>
    private readonly struct StepKernel(Tensor p, Tensor grad, Tensor? buffer, bool first, double lr, double momentum, double dampening,
                                 double weightDecay, bool nesterov) : IFloatingKernel
    {
        public void Invoke<T>() where T : unmanaged, IFloatingPointIeee754<T>
            => Update(p.AsSpan<T>(), grad.AsReadOnlySpan<T>(), buffer is null ? default : buffer.AsSpan<T>(),
                      first, lr, momentum, dampening, weightDecay, nesterov);
    }

    /// <summary>
    /// One SGD step, element-wise and in place (PyTorch 1.13's single-tensor form):
    /// g ← ∇ + λθ (if λ ≠ 0);
    /// if μ ≠ 0: b ← g at the first step, else b ← μb + (1 − τ)g; then g ← g + μb (Nesterov) or g ← b;
    /// θ ← θ − γg.
    /// <paramref name="momentumBuffer"/> is b (empty when μ = 0); <paramref name="firstStep"/> says b has no value yet.
    /// </summary>
    public static void Update<T>(Span<T> param, ReadOnlySpan<T> grad, Span<T> momentumBuffer, bool firstStep,
                                 double lr, double momentum, double dampening, double weightDecay, bool nesterov)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (grad.Length != param.Length || (momentum != 0 && momentumBuffer.Length != param.Length))
            throw new ArgumentException("SGD.Update: the parameter, gradient and momentum buffer must have the same length");
        T lambda = T.CreateChecked(weightDecay), mu = T.CreateChecked(momentum);
        T oneMinusTau = T.CreateChecked(1 - dampening), negLr = T.CreateChecked(-lr);
        // One fused pass: b and θ are read and written once per element; Vector<T> lanes, then a scalar tail.
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var vLambda = new Vector<T>(lambda); var vMu = new Vector<T>(mu);
            var vOneMinusTau = new Vector<T>(oneMinusTau); var vNegLr = new Vector<T>(negLr);
            for (; i <= param.Length - Vector<T>.Count; i += Vector<T>.Count)
            {
                var p = new Vector<T>(param[i..]);
                var d = new Vector<T>(grad[i..]);
                if (weightDecay != 0) d += vLambda * p;
                if (momentum != 0)
                {
                    var b = firstStep ? d : new Vector<T>(momentumBuffer[i..]) * vMu + vOneMinusTau * d;
                    b.CopyTo(momentumBuffer[i..]);
                    d = nesterov ? d + vMu * b : b;
                }
                (p + vNegLr * d).CopyTo(param[i..]);
            }
        }
        for (; i < param.Length; i++)
        {
            T d = grad[i];
            if (weightDecay != 0) d += lambda * param[i];
            if (momentum != 0)
            {
                T b = firstStep ? d : momentumBuffer[i] * mu + oneMinusTau * d;
                momentumBuffer[i] = b;
                d = nesterov ? d + mu * b : b;
            }
            param[i] += negLr * d;
        }
    }
}
