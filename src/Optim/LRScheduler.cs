namespace Framework.Optim;

/// <summary>Base of epoch-based learning-rate schedulers (torch.optim.lr_scheduler._LRScheduler): Step() sets each group's Lr from the schedule.</summary>
/// <remarks>A derived constructor stores its options and then calls <see cref="InitialStep"/>, which takes PyTorch's initial step (epoch 0).</remarks>
public abstract class LRScheduler
{
    private double[]? lastLr;

    /// <summary>Attaches to <paramref name="optimizer"/>; each group's InitialLr is set to its Lr unless already set, and becomes its base lr.</summary>
    protected LRScheduler(Optimizer optimizer)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        Optimizer = optimizer;
        foreach (var g in optimizer.ParamGroups) g.InitialLr ??= g.Lr;
        BaseLrs = [.. optimizer.ParamGroups.Select(g => g.InitialLr!.Value)];
    }

    /// <summary>The optimizer whose groups' learning rates this scheduler sets.</summary>
    public Optimizer Optimizer { get; }

    /// <summary>Each group's learning rate when the first scheduler was attached (its InitialLr).</summary>
    public IReadOnlyList<double> BaseLrs { get; private set; }

    /// <summary>Index of the last epoch stepped; 0 after construction.</summary>
    public int LastEpoch { get; private set; } = -1;

    /// <summary>Number of Step calls, including the initial one.</summary>
    protected int StepCount { get; private set; }

    /// <summary>PyTorch's state_dict: the schedule's options, then its progress (base_lrs, last_epoch, _step_count, _last_lr, ...), everything but the optimizer.</summary>
    public Dictionary<string, object> StateDict()
    {
        var d = new Dictionary<string, object>();
        SaveOptions(d);
        d["base_lrs"] = BaseLrs.ToList();
        d["last_epoch"] = LastEpoch;
        d["verbose"] = false;
        d["_step_count"] = StepCount;
        d["_get_lr_called_within_step"] = false;
        d["_last_lr"] = GetLastLr().ToList();
        return d;
    }

    /// <summary>Restores options and progress saved by <see cref="StateDict"/> (like load_state_dict), so stepping continues the schedule.</summary>
    public void LoadStateDict(IReadOnlyDictionary<string, object> state)
    {
        ArgumentNullException.ThrowIfNull(state);
        LoadOptions(state);
        BaseLrs = StateValues.Doubles(state, "base_lrs");
        LastEpoch = StateValues.Int(state, "last_epoch");
        StepCount = StateValues.Int(state, "_step_count");
        lastLr = [.. StateValues.Doubles(state, "_last_lr")];
    }

    /// <summary>Adds the schedule's options under PyTorch's keys, in PyTorch's order.</summary>
    protected virtual void SaveOptions(Dictionary<string, object> state) { }

    /// <summary>Reads back what <see cref="SaveOptions"/> wrote.</summary>
    protected virtual void LoadOptions(IReadOnlyDictionary<string, object> state) { }

    /// <summary>Takes the initial step (epoch 0); derived constructors call it last.</summary>
    protected void InitialStep() => Step();

    /// <summary>Advances one epoch and sets every group's Lr to the schedule's value.</summary>
    public void Step()
    {
        StepCount++;
        LastEpoch++;
        var values = GetLr();
        var groups = Optimizer.ParamGroups;
        for (int i = 0; i < groups.Count && i < values.Count; i++) groups[i].Lr = values[i];
        lastLr = [.. groups.Select(g => g.Lr)];
    }

    /// <summary>Sets the epoch and every group's Lr from the closed form when the schedule has one (PyTorch's step(epoch)); used by SequentialLR.</summary>
    internal void StepTo(int epoch)
    {
        StepCount++;
        LastEpoch = epoch;
        var values = ClosedFormLr() ?? GetLr();
        var groups = Optimizer.ParamGroups;
        for (int i = 0; i < groups.Count && i < values.Count; i++) groups[i].Lr = values[i];
        lastLr = [.. groups.Select(g => g.Lr)];
    }

    /// <summary>Takes back the epoch count of the last step without touching the learning rates (SequentialLR's "undo").</summary>
    internal void UndoEpoch() => LastEpoch--;

    /// <summary>PyTorch's _initial_step: the step count starts again, then one Step.</summary>
    internal void RestartWithInitialStep()
    {
        StepCount = 0;
        Step();
    }

    /// <summary>The learning rates at <see cref="LastEpoch"/> computed directly from the base lrs (PyTorch's _get_closed_form_lr), or null when the schedule has none.</summary>
    protected virtual IReadOnlyList<double>? ClosedFormLr() => null;

    /// <summary>The learning rate of each group as set by the last Step.</summary>
    public IReadOnlyList<double> GetLastLr() => lastLr ?? [.. Optimizer.ParamGroups.Select(g => g.Lr)];

    /// <summary>The new learning rate of each group at epoch <see cref="LastEpoch"/>, in PyTorch's chainable (recursive) form.</summary>
    protected abstract IReadOnlyList<double> GetLr();

    /// <summary>Each group's current Lr.</summary>
    protected IEnumerable<double> GroupLrs => Optimizer.ParamGroups.Select(g => g.Lr);
}
