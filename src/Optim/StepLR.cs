namespace Framework.Optim;

/// <summary>Multiplies each group's lr by γ every <c>stepSize</c> epochs: lr = base·γ^⌊epoch / stepSize⌋ (torch.optim.lr_scheduler.StepLR).</summary>
public sealed class StepLR : LRScheduler
{
    private int stepSize;
    private double gamma;

    /// <summary>Decays by <paramref name="gamma"/> every <paramref name="stepSize"/> epochs; takes the initial step.</summary>
    public StepLR(Optimizer optimizer, int stepSize, double gamma = 0.1) : base(optimizer)
    {
        if (stepSize <= 0) throw new ArgumentException($"step_size must be positive, got {stepSize}");
        this.stepSize = stepSize;
        this.gamma = gamma;
        InitialStep();
    }

    /// <inheritdoc/>
    protected override void SaveOptions(Dictionary<string, object> state) { state["step_size"] = stepSize; state["gamma"] = gamma; }

    /// <inheritdoc/>
    protected override void LoadOptions(IReadOnlyDictionary<string, object> state)
        => (stepSize, gamma) = (StateValues.Int(state, "step_size"), StateValues.Double(state, "gamma"));

    /// <summary>lr·γ when epoch is a positive multiple of stepSize, else lr unchanged.</summary>
    protected override IReadOnlyList<double> GetLr()
        => LastEpoch == 0 || LastEpoch % stepSize != 0 ? [.. GroupLrs] : [.. GroupLrs.Select(lr => lr * gamma)];

    /// <summary>base·γ^⌊epoch/stepSize⌋.</summary>
    protected override IReadOnlyList<double>? ClosedFormLr() => [.. BaseLrs.Select(b => b * Math.Pow(gamma, LastEpoch / stepSize))];
}
