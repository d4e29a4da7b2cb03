namespace Framework.Optim;

/// <summary>Multiplies each group's lr by γ every epoch: lr = base·γ^epoch (torch.optim.lr_scheduler.ExponentialLR).</summary>
public sealed class ExponentialLR : LRScheduler
{
    private double gamma;

    /// <summary>Decays by <paramref name="gamma"/> each epoch; takes the initial step.</summary>
    public ExponentialLR(Optimizer optimizer, double gamma) : base(optimizer)
    {
        this.gamma = gamma;
        InitialStep();
    }

    /// <inheritdoc/>
    protected override void SaveOptions(Dictionary<string, object> state) => state["gamma"] = gamma;

    /// <inheritdoc/>
    protected override void LoadOptions(IReadOnlyDictionary<string, object> state) => gamma = StateValues.Double(state, "gamma");

    /// <summary>lr·γ, except at epoch 0 where lr is unchanged.</summary>
    protected override IReadOnlyList<double> GetLr() => LastEpoch == 0 ? [.. GroupLrs] : [.. GroupLrs.Select(lr => lr * gamma)];

    /// <summary>base·γ^epoch.</summary>
    protected override IReadOnlyList<double>? ClosedFormLr() => [.. BaseLrs.Select(b => b * Math.Pow(gamma, LastEpoch))];
}
