namespace Framework.Optim;

/// <summary>Scales each group's lr by a factor going linearly from startFactor to endFactor over totalIters epochs (torch.optim.lr_scheduler.LinearLR).</summary>
public sealed class LinearLR : LRScheduler
{
    private double startFactor, endFactor;
    private int totalIters;

    /// <summary>Factor <paramref name="startFactor"/> at epoch 0, <paramref name="endFactor"/> from epoch <paramref name="totalIters"/> on; takes the initial step.</summary>
    public LinearLR(Optimizer optimizer, double startFactor = 1.0 / 3, double endFactor = 1.0, int totalIters = 5) : base(optimizer)
    {
        if (startFactor > 1.0 || startFactor < 0) throw new ArgumentException("Starting multiplicative factor expected to be between 0 and 1.");
        if (endFactor > 1.0 || endFactor < 0) throw new ArgumentException("Ending multiplicative factor expected to be between 0 and 1.");
        this.startFactor = startFactor;
        this.endFactor = endFactor;
        this.totalIters = totalIters;
        InitialStep();
    }

    /// <inheritdoc/>
    protected override void SaveOptions(Dictionary<string, object> state)
    {
        state["start_factor"] = startFactor;
        state["end_factor"] = endFactor;
        state["total_iters"] = totalIters;
    }

    /// <inheritdoc/>
    protected override void LoadOptions(IReadOnlyDictionary<string, object> state)
        => (startFactor, endFactor, totalIters) = (StateValues.Double(state, "start_factor"), StateValues.Double(state, "end_factor"), StateValues.Int(state, "total_iters"));

    /// <summary>
    /// Epoch 0: lr·startFactor. Past totalIters: lr unchanged. Otherwise
    /// lr·(1 + (end − start) / (totalIters·start + (epoch − 1)(end − start))).
    /// </summary>
    protected override IReadOnlyList<double> GetLr()
    {
        int e = LastEpoch;
        if (e == 0) return [.. GroupLrs.Select(lr => lr * startFactor)];
        if (e > totalIters) return [.. GroupLrs];
        double d = endFactor - startFactor;
        return [.. GroupLrs.Select(lr => lr * (1.0 + d / (totalIters * startFactor + (e - 1) * d)))];
    }

    /// <summary>base·(start + (end − start)·min(totalIters, epoch)/totalIters).</summary>
    protected override IReadOnlyList<double>? ClosedFormLr()
        => [.. BaseLrs.Select(b => b * (startFactor + (endFactor - startFactor) * Math.Min(totalIters, LastEpoch) / totalIters))];
}
