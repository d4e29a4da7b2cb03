using System.Text.Json;
using Framework.Autograd;
using Framework.NN;
using Framework.Optim;

namespace Tests.Optim;

/// <summary>LambdaLR and SequentialLR (warm-up then cosine, longer chains) give PyTorch 1.13's learning rates step for step (Data/optim/make_schedules.py).</summary>
public class ScheduleCompositionTests
{
    /// <summary>Each case's schedule on an optimizer: how to step it and how to read its last learning rates.</summary>
    private static readonly Dictionary<string, Func<Optimizer, (Action Step, Func<IReadOnlyList<double>> LastLr)>> Schedules = new()
    {
        ["warmup_linear_then_cosine"] = o => Sequential(new SequentialLR(o, [new LinearLR(o, 0.1, 1.0, 3), new CosineAnnealingLR(o, 7, 1e-3)], [3])),
        ["lambda_warmup"] = o => Single(new LambdaLR(o, e => Math.Min(1.0, (e + 1) / 4.0))),
        ["lambda_per_group"] = o => Single(new LambdaLR(o, [e => Math.Pow(0.9, e), e => 1.0 / (1 + e)])),
        ["three_schedulers"] = o => Sequential(new SequentialLR(o, [new ExponentialLR(o, 0.5), new StepLR(o, 2, 0.3), new LinearLR(o, 0.5, 1.0, 2)], [2, 5])),
        ["lambda_warmup_then_cosine"] = o => Sequential(new SequentialLR(o, [new LambdaLR(o, e => (e + 1) / 3.0), new CosineAnnealingLR(o, 5)], [3])),
        ["cosine_warm_restart_by_milestone"] = o => Sequential(new SequentialLR(o, [new CosineAnnealingLR(o, 4), new CosineAnnealingLR(o, 4)], [5])),
    };

    private static (Action, Func<IReadOnlyList<double>>) Sequential(SequentialLR s) => (s.Step, s.GetLastLr);
    private static (Action, Func<IReadOnlyList<double>>) Single(LRScheduler s) => (s.Step, s.GetLastLr);

    public static TheoryData<string> Names => new(Schedules.Keys);

    [Theory]
    [MemberData(nameof(Names))]
    public void LrSequenceMatchesPyTorch(string name)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Data", "optim", "schedules_cases.json");
        var c = JsonDocument.Parse(File.ReadAllText(path)).RootElement.GetProperty("cases").EnumerateArray().Single(e => e.GetProperty("name").GetString() == name);
        var expected = c.GetProperty("lrs").EnumerateArray().Select(r => r.EnumerateArray().Select(v => v.GetDouble()).ToArray()).ToList();
        var w = new Parameter(Tensor.Zeros([3, 2], DType.Float64));
        var b = new Parameter(Tensor.Zeros([2], DType.Float64));
        var opt = new SGD([new ParamGroup([w]), new ParamGroup([b], lr: 0.05)], lr: 0.1);
        var (step, lr) = Schedules[name](opt);
        for (int i = 0; i < expected.Count; i++)
        {
            if (i > 0) { opt.Step(); step(); }
            OptimizerReferenceTests.AssertClose(expected[i], [.. lr()], 1e-12, $"{name} lr at step {i}");
            OptimizerReferenceTests.AssertClose(expected[i], [.. opt.ParamGroups.Select(g => g.Lr)], 1e-12, $"{name} group lr at step {i}");
        }
    }

    [Fact]
    public void SequentialLR_RefusesMismatchedMilestonesAndOptimizers()
    {
        var w = new Parameter(Tensor.Zeros([2]));
        var o1 = new SGD([w], lr: 0.1);
        var o2 = new SGD([w], lr: 0.1);
        var ex = Assert.Throws<ArgumentException>(() => new SequentialLR(o1, [new StepLR(o1, 2), new StepLR(o1, 3)], []));
        Assert.Equal("Sequential Schedulers expects number of schedulers provided to be one more than the number of milestone points, but got number of schedulers 2 and the number of milestones to be equal to 0", ex.Message);
        var other = Assert.Throws<ArgumentException>(() => new SequentialLR(o1, [new StepLR(o1, 2), new StepLR(o2, 3)], [2]));
        Assert.Equal("Sequential Schedulers expects all schedulers to belong to the same optimizer, but got schedulers at index 1 to be different than the optimizer passed in.", other.Message);
        var lambdas = Assert.Throws<ArgumentException>(() => new LambdaLR(o1, [e => 1.0, e => 2.0]));
        Assert.Equal("Expected 1 lr_lambdas, but got 2", lambdas.Message);
    }
}
