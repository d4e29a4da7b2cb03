using Framework.Autograd;

namespace Framework.Optim;

/// <summary>SGD's state for one parameter: the momentum buffer b (null until the first step with momentum).</summary>
public sealed class SgdState : IParamState<SgdState>
{
    /// <summary>Momentum buffer b; null without momentum.</summary>
    public Tensor? MomentumBuffer { get; set; }

    /// <summary>{"momentum_buffer": b or null}, b deep-copied.</summary>
    public Dictionary<string, object?> ToDict() => new() { ["momentum_buffer"] = StateTensors.CopyOrNull(MomentumBuffer) };

    /// <summary>Reads "momentum_buffer" (may be null), copied to the parameter's dtype.</summary>
    public static SgdState FromDict(IReadOnlyDictionary<string, object?> dict, Tensor param)
        => new() { MomentumBuffer = StateTensors.Read(dict, "momentum_buffer", param) };
}
