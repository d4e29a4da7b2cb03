using Framework.NN;

namespace Framework.Optim;

/// <summary>A set of parameters optimized with the same options; an option left null takes the optimizer's default when the group is added.</summary>
public sealed class ParamGroup
{
    private double? lr;

    /// <summary>A group of <paramref name="parameters"/>; options not given here (null) are filled from the optimizer's defaults.</summary>
    public ParamGroup(IEnumerable<Parameter> parameters, double? lr = null)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        Parameters = [.. parameters];
        this.lr = lr;
    }

    /// <summary>The parameters of this group, in the order given.</summary>
    public IReadOnlyList<Parameter> Parameters { get; }

    /// <summary>Learning rate of this group; read before the group was added to an optimizer without an lr, it throws.</summary>
    public double Lr
    {
        get => lr ?? throw new InvalidOperationException("this parameter group has no lr yet: add it to an optimizer to take the optimizer's default");
        set => lr = value;
    }

    /// <summary>True once Lr has a value (given here, or the optimizer's default).</summary>
    public bool HasLr => lr.HasValue;

    /// <summary>The learning rate a scheduler started from (PyTorch's "initial_lr"); set by the first scheduler attached.</summary>
    public double? InitialLr { get; set; }

    /// <summary>Momentum factor μ (SGD, RMSprop).</summary>
    public double? Momentum { get; set; }

    /// <summary>Dampening τ for SGD momentum.</summary>
    public double? Dampening { get; set; }

    /// <summary>Weight decay λ (an L2 term added to the gradient; decoupled in AdamW).</summary>
    public double? WeightDecay { get; set; }

    /// <summary>Nesterov momentum (SGD).</summary>
    public bool? Nesterov { get; set; }

    /// <summary>Coefficients (β1, β2) of the running averages of the gradient and its square (Adam, AdamW).</summary>
    public (double Beta1, double Beta2)? Betas { get; set; }

    /// <summary>Term ε added to the denominator for numerical stability (Adam, AdamW, RMSprop).</summary>
    public double? Eps { get; set; }

    /// <summary>AMSGrad: normalize by the maximum of all second-moment averages so far (Adam, AdamW).</summary>
    public bool? Amsgrad { get; set; }

    /// <summary>Smoothing constant α of RMSprop's square average.</summary>
    public double? Alpha { get; set; }

    /// <summary>Centered RMSprop: normalize by an estimate of the gradient's variance.</summary>
    public bool? Centered { get; set; }

    /// <summary>Maximize the objective: step along the gradient instead of against it (every optimizer).</summary>
    public bool? Maximize { get; set; }

    /// <summary>Sets every option still null to the value in <paramref name="defaults"/>.</summary>
    internal void FillFrom(ParamGroup defaults)
    {
        lr ??= defaults.lr;
        InitialLr ??= defaults.InitialLr;
        Momentum ??= defaults.Momentum;
        Dampening ??= defaults.Dampening;
        WeightDecay ??= defaults.WeightDecay;
        Nesterov ??= defaults.Nesterov;
        Betas ??= defaults.Betas;
        Eps ??= defaults.Eps;
        Amsgrad ??= defaults.Amsgrad;
        Alpha ??= defaults.Alpha;
        Centered ??= defaults.Centered;
        Maximize ??= defaults.Maximize;
    }

    /// <summary>The options that are set, under PyTorch's keys (lr, momentum, betas, ...); betas as a (double, double) tuple.</summary>
    internal Dictionary<string, object> OptionsToDict()
    {
        var d = new Dictionary<string, object>();
        if (lr is { } l) d["lr"] = l;
        if (InitialLr is { } il) d["initial_lr"] = il;
        if (Momentum is { } m) d["momentum"] = m;
        if (Dampening is { } da) d["dampening"] = da;
        if (WeightDecay is { } wd) d["weight_decay"] = wd;
        if (Nesterov is { } n) d["nesterov"] = n;
        if (Betas is { } b) d["betas"] = b;
        if (Eps is { } e) d["eps"] = e;
        if (Amsgrad is { } am) d["amsgrad"] = am;
        if (Alpha is { } al) d["alpha"] = al;
        if (Centered is { } c) d["centered"] = c;
        if (Maximize is { } mx) d["maximize"] = mx;
        return d;
    }

    /// <summary>Replaces every option with the one under its PyTorch key in <paramref name="d"/> (null when absent).</summary>
    internal void OptionsFromDict(IReadOnlyDictionary<string, object> d)
    {
        double? D(string k) => d.TryGetValue(k, out var v) ? Convert.ToDouble(v, System.Globalization.CultureInfo.InvariantCulture) : null;
        bool? B(string k) => d.TryGetValue(k, out var v) ? (bool)v : null;
        lr = D("lr");
        InitialLr = D("initial_lr");
        Momentum = D("momentum");
        Dampening = D("dampening");
        WeightDecay = D("weight_decay");
        Nesterov = B("nesterov");
        Betas = d.TryGetValue("betas", out var betas) ? ((double, double))betas : null;
        Eps = D("eps");
        Amsgrad = B("amsgrad");
        Alpha = D("alpha");
        Centered = B("centered");
        Maximize = B("maximize");
    }
}
