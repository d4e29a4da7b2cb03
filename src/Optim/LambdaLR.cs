namespace Framework.Optim;

/// <summary>Each group's lr is its base lr times lrLambda(epoch) (torch.optim.lr_scheduler.LambdaLR), e.g. a warm-up.</summary>
public sealed class LambdaLR : LRScheduler
{
    private readonly Func<int, double>[] lambdas;

    /// <summary>One factor function for every group; takes the initial step.</summary>
    public LambdaLR(Optimizer optimizer, Func<int, double> lrLambda) : base(optimizer)
    {
        ArgumentNullException.ThrowIfNull(lrLambda);
        lambdas = [.. optimizer.ParamGroups.Select(_ => lrLambda)];
        InitialStep();
    }

    /// <summary>A factor function per group, in the groups' order; takes the initial step.</summary>
    public LambdaLR(Optimizer optimizer, IReadOnlyList<Func<int, double>> lrLambdas) : base(optimizer)
    {
        ArgumentNullException.ThrowIfNull(lrLambdas);
        if (lrLambdas.Count != optimizer.ParamGroups.Count)
            throw new ArgumentException($"Expected {optimizer.ParamGroups.Count} lr_lambdas, but got {lrLambdas.Count}");
        lambdas = [.. lrLambdas];
        InitialStep();
    }

    /// <inheritdoc/>
    protected override void SaveOptions(Dictionary<string, object> state) => state["lr_lambdas"] = lambdas.Select(_ => (object?)null).ToList();

    /// <summary>base·λ(epoch).</summary>
    protected override IReadOnlyList<double> GetLr() => [.. BaseLrs.Select((b, i) => b * lambdas[i](LastEpoch))];
}
