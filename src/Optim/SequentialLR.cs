namespace Framework.Optim;

/// <summary>Runs schedulers one after another, switching at the milestone epochs (torch.optim.lr_scheduler.SequentialLR): e.g. a linear warm-up, then cosine annealing.</summary>
public sealed class SequentialLR
{
    private readonly LRScheduler[] schedulers;
    private readonly int[] milestones;
    private IReadOnlyList<double> lastLr;

    /// <summary>schedulers[i] runs from milestones[i − 1] until milestones[i]; all must drive <paramref name="optimizer"/>.</summary>
    public SequentialLR(Optimizer optimizer, IReadOnlyList<LRScheduler> schedulers, IReadOnlyList<int> milestones)
    {
        ArgumentNullException.ThrowIfNull(optimizer); ArgumentNullException.ThrowIfNull(schedulers); ArgumentNullException.ThrowIfNull(milestones);
        if (schedulers.Count == 0) throw new ArgumentException("SequentialLR expects at least one scheduler");
        for (int i = 0; i < schedulers.Count; i++)
            if (!ReferenceEquals(schedulers[i].Optimizer, optimizer))
                throw new ArgumentException($"Sequential Schedulers expects all schedulers to belong to the same optimizer, but got schedulers at index {i} to be different than the optimizer passed in.");
        if (milestones.Count != schedulers.Count - 1)
            throw new ArgumentException($"Sequential Schedulers expects number of schedulers provided to be one more than the number of milestone points, but got number of schedulers {schedulers.Count} and the number of milestones to be equal to {milestones.Count}");
        Optimizer = optimizer;
        this.schedulers = [.. schedulers];
        this.milestones = [.. milestones];
        LastEpoch = 0;
        // As PyTorch: the learning rates go back to their initial values, the schedulers' own initial steps are taken back,
        // and only the first scheduler takes its initial step.
        foreach (var g in optimizer.ParamGroups) g.Lr = g.InitialLr ?? g.Lr;
        foreach (var s in this.schedulers) s.UndoEpoch();
        this.schedulers[0].RestartWithInitialStep();
        lastLr = this.schedulers[0].GetLastLr();
    }

    /// <summary>The optimizer whose learning rates the schedulers set.</summary>
    public Optimizer Optimizer { get; }

    /// <summary>Index of the last epoch stepped; 0 after construction.</summary>
    public int LastEpoch { get; private set; }

    /// <summary>Advances one epoch with the scheduler whose interval holds it (a scheduler starts from its epoch 0 at its milestone).</summary>
    public void Step()
    {
        LastEpoch++;
        int idx = 0;
        while (idx < milestones.Length && milestones[idx] <= LastEpoch) idx++;
        var s = schedulers[idx];
        if (idx > 0 && milestones[idx - 1] == LastEpoch) s.StepTo(0);
        else s.Step();
        lastLr = s.GetLastLr();
    }

    /// <summary>The learning rate of each group as set by the last Step.</summary>
    public IReadOnlyList<double> GetLastLr() => lastLr;
}
