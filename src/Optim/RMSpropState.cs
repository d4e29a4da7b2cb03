using Framework.Autograd;

namespace Framework.Optim;

/// <summary>RMSprop's state for one parameter: step count, square average v, and the momentum buffer and gradient average when used.</summary>
public sealed class RMSpropState : IParamState<RMSpropState>
{
    /// <summary>Number of steps taken.</summary>
    public long Step { get; set; }

    /// <summary>Running average of the squared gradient, v.</summary>
    public required Tensor SquareAvg { get; set; }

    /// <summary>Momentum buffer b (momentum &gt; 0 only; null otherwise).</summary>
    public Tensor? MomentumBuffer { get; set; }

    /// <summary>Running average of the gradient, ḡ (centered only; null otherwise).</summary>
    public Tensor? GradAvg { get; set; }

    /// <summary>{"step", "square_avg"} plus "momentum_buffer" and "grad_avg" when used; tensors deep-copied.</summary>
    public Dictionary<string, object?> ToDict()
    {
        var d = new Dictionary<string, object?> { ["step"] = Step, ["square_avg"] = StateTensors.CopyOrNull(SquareAvg) };
        if (MomentumBuffer is not null) d["momentum_buffer"] = StateTensors.CopyOrNull(MomentumBuffer);
        if (GradAvg is not null) d["grad_avg"] = StateTensors.CopyOrNull(GradAvg);
        return d;
    }

    /// <summary>Reads PyTorch's keys, tensors copied to the parameter's dtype.</summary>
    public static RMSpropState FromDict(IReadOnlyDictionary<string, object?> dict, Tensor param) => new()
    {
        Step = StateTensors.ReadStep(dict),
        SquareAvg = StateTensors.ReadRequired(dict, "square_avg", param),
        MomentumBuffer = StateTensors.Read(dict, "momentum_buffer", param),
        GradAvg = StateTensors.Read(dict, "grad_avg", param),
    };
}
