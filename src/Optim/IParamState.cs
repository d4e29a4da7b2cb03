using Framework.Autograd;

namespace Framework.Optim;

/// <summary>An optimizer's typed state for one parameter, convertible to and from PyTorch's per-parameter state dict.</summary>
public interface IParamState<TSelf> where TSelf : IParamState<TSelf>
{
    /// <summary>The state under PyTorch's keys (e.g. "exp_avg"), tensors deep-copied.</summary>
    Dictionary<string, object?> ToDict();

    /// <summary>State read from PyTorch's keys, tensors deep-copied and cast to <paramref name="param"/>'s dtype.</summary>
    static abstract TSelf FromDict(IReadOnlyDictionary<string, object?> dict, Tensor param);
}
