using Framework.Autograd;
using Framework.NN;
using Framework.Optim;

namespace Tests.Optim;

/// <summary>Each scheduler's GetLastLr after construction and after every step, against PyTorch 1.13 (two groups: lr 0.1 and 0.05).</summary>
public class SchedulerReferenceTests
{
    public static TheoryData<string> Cases => new(OptimCases.Names("schedulers"));

    [Theory]
    [MemberData(nameof(Cases))]
    public void LrSequenceMatchesPyTorch(string name)
    {
        var c = OptimCases.Scheduler(name);
        var o = c.GetProperty("options");
        double D(string k, double def) => o.TryGetProperty(k, out var v) ? v.GetDouble() : def;
        int I(string k, int def) => o.TryGetProperty(k, out var v) ? v.GetInt32() : def;
        string S(string k, string def) => o.TryGetProperty(k, out var v) ? v.GetString()! : def;

        var w = new Parameter(Tensor.Zeros([3, 2], DType.Float64));
        var b = new Parameter(Tensor.Zeros([2], DType.Float64));
        var opt = new SGD([new ParamGroup([w]), new ParamGroup([b], lr: 0.05)], lr: 0.1);
        var expected = c.GetProperty("lrs").EnumerateArray().Select(OptimCases.Vector).ToList();
        var actual = new List<double[]>();

        if (c.GetProperty("scheduler").GetString() == "ReduceLROnPlateau")
        {
            var s = new ReduceLROnPlateau(opt, S("mode", "min"), D("factor", 0.1), I("patience", 10), D("threshold", 1e-4),
                                          S("threshold_mode", "rel"), I("cooldown", 0), D("min_lr", 0), D("eps", 1e-8));
            actual.Add([.. s.GetLastLr()]);
            foreach (var m in c.GetProperty("metrics").EnumerateArray())
            {
                opt.Step();
                s.Step(m.GetDouble());
                actual.Add([.. s.GetLastLr()]);
            }
        }
        else
        {
            LRScheduler s = c.GetProperty("scheduler").GetString() switch
            {
                "StepLR" => new StepLR(opt, I("step_size", 0), D("gamma", 0.1)),
                "ExponentialLR" => new ExponentialLR(opt, D("gamma", double.NaN)),
                "CosineAnnealingLR" => new CosineAnnealingLR(opt, I("T_max", 0), D("eta_min", 0)),
                "LinearLR" => new LinearLR(opt, D("start_factor", 1.0 / 3), D("end_factor", 1.0), I("total_iters", 5)),
                var other => throw new ArgumentException(other),
            };
            actual.Add([.. s.GetLastLr()]);
            for (int i = 1; i < expected.Count; i++)
            {
                opt.Step();
                s.Step();
                actual.Add([.. s.GetLastLr()]);
            }
        }

        Assert.Equal(expected.Count, actual.Count);
        for (int i = 0; i < expected.Count; i++)
            OptimizerReferenceTests.AssertClose(expected[i], actual[i], 1e-12, $"{name} lr at step {i}");
        Assert.Equal(actual[^1], opt.ParamGroups.Select(g => g.Lr).ToArray());   // the scheduler sets the groups' Lr
    }
}
