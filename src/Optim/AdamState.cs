using Framework.Autograd;

namespace Framework.Optim;

/// <summary>Adam's and AdamW's state for one parameter: step count t, first moment m, second moment v and, with AMSGrad, max v.</summary>
public sealed class AdamState : IParamState<AdamState>
{
    /// <summary>Number of steps taken, t.</summary>
    public long Step { get; set; }

    /// <summary>Running average of the gradient, m.</summary>
    public required Tensor ExpAvg { get; set; }

    /// <summary>Running average of the squared gradient, v.</summary>
    public required Tensor ExpAvgSq { get; set; }

    /// <summary>Element-wise maximum of all v so far (AMSGrad only; null otherwise).</summary>
    public Tensor? MaxExpAvgSq { get; set; }

    /// <summary>{"step", "exp_avg", "exp_avg_sq"} and, with AMSGrad, "max_exp_avg_sq"; tensors deep-copied.</summary>
    public Dictionary<string, object?> ToDict()
    {
        var d = new Dictionary<string, object?>
        {
            ["step"] = Step,
            ["exp_avg"] = StateTensors.CopyOrNull(ExpAvg),
            ["exp_avg_sq"] = StateTensors.CopyOrNull(ExpAvgSq),
        };
        if (MaxExpAvgSq is not null) d["max_exp_avg_sq"] = StateTensors.CopyOrNull(MaxExpAvgSq);
        return d;
    }

    /// <summary>Reads PyTorch's keys, tensors copied to the parameter's dtype.</summary>
    public static AdamState FromDict(IReadOnlyDictionary<string, object?> dict, Tensor param) => new()
    {
        Step = StateTensors.ReadStep(dict),
        ExpAvg = StateTensors.ReadRequired(dict, "exp_avg", param),
        ExpAvgSq = StateTensors.ReadRequired(dict, "exp_avg_sq", param),
        MaxExpAvgSq = StateTensors.Read(dict, "max_exp_avg_sq", param),
    };
}
