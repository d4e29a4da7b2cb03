namespace Framework.Optim;

/// <summary>Cosine annealing from base lr to ηmin over Tmax epochs, in PyTorch's recursive form (torch.optim.lr_scheduler.CosineAnnealingLR).</summary>
public sealed class CosineAnnealingLR : LRScheduler
{
    private int tMax;
    private double etaMin;

    /// <summary>Anneals over <paramref name="tMax"/> epochs down to <paramref name="etaMin"/>; takes the initial step.</summary>
    public CosineAnnealingLR(Optimizer optimizer, int tMax, double etaMin = 0) : base(optimizer)
    {
        if (tMax <= 0) throw new ArgumentException($"T_max must be positive, got {tMax}");
        this.tMax = tMax;
        this.etaMin = etaMin;
        InitialStep();
    }

    /// <inheritdoc/>
    protected override void SaveOptions(Dictionary<string, object> state) { state["T_max"] = tMax; state["eta_min"] = etaMin; }

    /// <inheritdoc/>
    protected override void LoadOptions(IReadOnlyDictionary<string, object> state)
        => (tMax, etaMin) = (StateValues.Int(state, "T_max"), StateValues.Double(state, "eta_min"));

    /// <summary>
    /// Epoch 0: lr unchanged. When (epoch − 1 − Tmax) mod 2Tmax = 0: lr + (base − ηmin)(1 − cos(π/Tmax))/2.
    /// Otherwise lr ← ηmin + (lr − ηmin)·(1 + cos(π·epoch/Tmax)) / (1 + cos(π·(epoch − 1)/Tmax)).
    /// </summary>
    protected override IReadOnlyList<double> GetLr()
    {
        int e = LastEpoch;
        var groups = Optimizer.ParamGroups;
        if (e == 0) return [.. GroupLrs];
        if ((e - 1 - tMax) % (2 * tMax) == 0)
            return [.. groups.Select((g, i) => g.Lr + (BaseLrs[i] - etaMin) * (1 - Math.Cos(Math.PI / tMax)) / 2)];
        return [.. GroupLrs.Select(lr => (1 + Math.Cos(Math.PI * e / tMax)) / (1 + Math.Cos(Math.PI * (e - 1) / tMax)) * (lr - etaMin) + etaMin)];
    }

    /// <summary>ηmin + (base − ηmin)(1 + cos(π·epoch/Tmax))/2.</summary>
    protected override IReadOnlyList<double>? ClosedFormLr() => [.. BaseLrs.Select(b => etaMin + (b - etaMin) * (1 + Math.Cos(Math.PI * LastEpoch / tMax)) / 2)];
}
