using Framework.Autograd;
using Framework.NN;
using Framework.Optim;

namespace Tests.Optim;

/// <summary>Scheduler state dicts: PyTorch 1.13's keys and values, and a schedule resumed from one continues exactly.</summary>
public class SchedulerStateTests
{
    private static SGD Sgd() => new([new Parameter(Tensor.Zeros(2))], lr: 0.1);

    private static readonly Dictionary<string, Func<Optimizer, LRScheduler>> Makers = new()
    {
        ["StepLR"] = o => new StepLR(o, 3, 0.5),
        ["ExponentialLR"] = o => new ExponentialLR(o, 0.9),
        ["CosineAnnealingLR"] = o => new CosineAnnealingLR(o, 10, 0.001),
        ["LinearLR"] = o => new LinearLR(o, 0.25, 1.0, 4),
    };

    public static TheoryData<string> Kinds => new(Makers.Keys);

    [Theory]
    // Printed by PyTorch 1.13 for the same schedulers over SGD(lr=0.1) after one step.
    [InlineData("StepLR", "step_size gamma", 0.1)]
    [InlineData("ExponentialLR", "gamma", 0.09000000000000001)]
    [InlineData("CosineAnnealingLR", "T_max eta_min", 0.09757729755661011)]
    [InlineData("LinearLR", "start_factor end_factor total_iters", 0.043750000000000004)]
    public void StateDictHasPyTorchsKeysAndValues(string kind, string options, double lastLr)
    {
        var s = Makers[kind](Sgd());
        s.Step();
        var d = s.StateDict();
        Assert.Equal([.. options.Split(' '), "base_lrs", "last_epoch", "verbose", "_step_count", "_get_lr_called_within_step", "_last_lr"], d.Keys);
        Assert.Equal([0.1], (List<double>)d["base_lrs"]);
        Assert.Equal(1, d["last_epoch"]);
        Assert.Equal(2, d["_step_count"]);
        Assert.Equal([lastLr], (List<double>)d["_last_lr"]);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void AScheduleResumedFromItsStateDictContinuesExactly(string kind)
    {
        var optA = Sgd();
        var a = Makers[kind](optA);
        for (int i = 0; i < 3; i++) a.Step();
        var optB = Sgd();
        var b = Makers[kind](optB);
        optB.LoadStateDict(optA.StateDict());
        b.LoadStateDict(a.StateDict());
        Assert.Equal(a.LastEpoch, b.LastEpoch);
        for (int i = 0; i < 8; i++)
        {
            a.Step();
            b.Step();
            Assert.Equal(a.GetLastLr(), b.GetLastLr());
        }
    }

    [Fact]
    public void ReduceLROnPlateauStateDictHasPyTorchsKeysAndResumes()
    {
        var optA = Sgd();
        var a = new ReduceLROnPlateau(optA, patience: 1, cooldown: 1);
        a.Step(1.0);
        Assert.Equal(["factor", "min_lrs", "patience", "verbose", "cooldown", "cooldown_counter", "mode", "threshold", "threshold_mode",
                      "best", "num_bad_epochs", "mode_worse", "eps", "last_epoch", "_last_lr"], a.StateDict().Keys);
        Assert.Equal(1.0, a.StateDict()["best"]);
        foreach (var m in new[] { 1.0, 1.0, 1.0 }) a.Step(m);   // a reduction, then cooldown
        var optB = Sgd();
        var b = new ReduceLROnPlateau(optB);
        optB.LoadStateDict(optA.StateDict());
        b.LoadStateDict(a.StateDict());
        foreach (var m in new[] { 2.0, 2.0, 0.5, 0.7, 0.7, 0.7 })
        {
            a.Step(m);
            b.Step(m);
            Assert.Equal(a.GetLastLr(), b.GetLastLr());
            Assert.Equal(a.NumBadEpochs, b.NumBadEpochs);
        }
        Assert.NotEqual(0.1, a.GetLastLr()[0]);
    }

    [Fact]
    public void AMissingEntryIsNamed() =>
        Assert.Equal("the state dict has no \"gamma\"", Assert.Throws<KeyNotFoundException>(
            () => new ExponentialLR(Sgd(), 0.9).LoadStateDict(new Dictionary<string, object> { ["base_lrs"] = new List<double> { 0.1 } })).Message);
}
