namespace Framework.Optim;

/// <summary>Multiplies each group's lr by factor when a metric has stopped improving for more than patience epochs (torch.optim.lr_scheduler.ReduceLROnPlateau).</summary>
public sealed class ReduceLROnPlateau
{
    private string mode, thresholdMode;
    private double factor, threshold, eps;
    private int patience, cooldown;
    private double[] minLrs;
    private int cooldownCounter;
    private double[]? lastLr;

    /// <summary>
    /// Watches a metric to minimize (<paramref name="mode"/> "min") or maximize ("max"); improvement means beating the best by
    /// <paramref name="threshold"/>, relative ("rel") or absolute ("abs"); after more than <paramref name="patience"/> bad epochs,
    /// lr ← max(lr·factor, minLr) (skipped if the change is at most <paramref name="eps"/>), then <paramref name="cooldown"/> epochs ignore bad epochs.
    /// </summary>
    public ReduceLROnPlateau(Optimizer optimizer, string mode = "min", double factor = 0.1, int patience = 10,
                             double threshold = 1e-4, string thresholdMode = "rel", int cooldown = 0,
                             double minLr = 0, double eps = 1e-8)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        if (factor >= 1.0) throw new ArgumentException("Factor should be < 1.0.");
        if (mode is not ("min" or "max")) throw new ArgumentException("mode " + mode + " is unknown!");
        if (thresholdMode is not ("rel" or "abs")) throw new ArgumentException("threshold mode " + thresholdMode + " is unknown!");
        Optimizer = optimizer;
        this.mode = mode;
        this.factor = factor;
        this.patience = patience;
        this.threshold = threshold;
        this.thresholdMode = thresholdMode;
        this.cooldown = cooldown;
        this.eps = eps;
        minLrs = [.. optimizer.ParamGroups.Select(_ => minLr)];
        Best = mode == "min" ? double.PositiveInfinity : double.NegativeInfinity;
    }

    /// <summary>The optimizer whose groups' learning rates this scheduler sets.</summary>
    public Optimizer Optimizer { get; }

    /// <summary>The best metric seen so far (±∞ before the first step).</summary>
    public double Best { get; private set; }

    /// <summary>Consecutive epochs without improvement (reset by a reduction and during cooldown).</summary>
    public int NumBadEpochs { get; private set; }

    /// <summary>Number of Step calls so far.</summary>
    public int LastEpoch { get; private set; }

    /// <summary>Records this epoch's <paramref name="metric"/> and reduces the learning rates if it has plateaued.</summary>
    public void Step(double metric)
    {
        LastEpoch++;
        if (IsBetter(metric, Best))
        {
            Best = metric;
            NumBadEpochs = 0;
        }
        else NumBadEpochs++;

        if (cooldownCounter > 0)
        {
            cooldownCounter--;
            NumBadEpochs = 0;
        }
        if (NumBadEpochs > patience)
        {
            ReduceLr();
            cooldownCounter = cooldown;
            NumBadEpochs = 0;
        }
        lastLr = [.. Optimizer.ParamGroups.Select(g => g.Lr)];
    }

    /// <summary>PyTorch's state_dict: options and progress under its keys, in its order (everything but the optimizer).</summary>
    public Dictionary<string, object> StateDict() => new()
    {
        ["factor"] = factor, ["min_lrs"] = minLrs.ToList(), ["patience"] = patience, ["verbose"] = false,
        ["cooldown"] = cooldown, ["cooldown_counter"] = cooldownCounter, ["mode"] = mode, ["threshold"] = threshold,
        ["threshold_mode"] = thresholdMode, ["best"] = Best, ["num_bad_epochs"] = NumBadEpochs,
        ["mode_worse"] = mode == "min" ? double.PositiveInfinity : double.NegativeInfinity, ["eps"] = eps,
        ["last_epoch"] = LastEpoch, ["_last_lr"] = GetLastLr().ToList(),
    };

    /// <summary>Restores what <see cref="StateDict"/> saved (like load_state_dict), so stepping continues where it left off.</summary>
    public void LoadStateDict(IReadOnlyDictionary<string, object> state)
    {
        ArgumentNullException.ThrowIfNull(state);
        (factor, minLrs, patience, cooldown) = (StateValues.Double(state, "factor"), StateValues.Doubles(state, "min_lrs"), StateValues.Int(state, "patience"), StateValues.Int(state, "cooldown"));
        (cooldownCounter, mode, threshold, thresholdMode) = (StateValues.Int(state, "cooldown_counter"), StateValues.String(state, "mode"), StateValues.Double(state, "threshold"), StateValues.String(state, "threshold_mode"));
        (Best, NumBadEpochs, eps, LastEpoch) = (StateValues.Double(state, "best"), StateValues.Int(state, "num_bad_epochs"), StateValues.Double(state, "eps"), StateValues.Int(state, "last_epoch"));
        lastLr = state.ContainsKey("_last_lr") ? StateValues.Doubles(state, "_last_lr") : null;
    }

    /// <summary>The learning rate of each group after the last Step (the current ones before any Step).</summary>
    public IReadOnlyList<double> GetLastLr() => lastLr ?? [.. Optimizer.ParamGroups.Select(g => g.Lr)];

    private void ReduceLr()
    {
        var groups = Optimizer.ParamGroups;
        for (int i = 0; i < groups.Count; i++)
        {
            double oldLr = groups[i].Lr;
            double newLr = Math.Max(oldLr * factor, i < minLrs.Length ? minLrs[i] : 0);
            if (oldLr - newLr > eps) groups[i].Lr = newLr;
        }
    }

    /// <summary>min/rel: a &lt; best·(1 − threshold); min/abs: a &lt; best − threshold; max/rel: a &gt; best·(1 + threshold); max/abs: a &gt; best + threshold.</summary>
    private bool IsBetter(double a, double best) => (mode, thresholdMode) switch
    {
        ("min", "rel") => a < best * (1.0 - threshold),
        ("min", _) => a < best - threshold,
        (_, "rel") => a > best * (threshold + 1.0),
        _ => a > best + threshold,
    };
}
