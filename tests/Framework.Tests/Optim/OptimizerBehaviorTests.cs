using Framework.Autograd;
using Framework.NN;
using Framework.Optim;

namespace Tests.Optim;

/// <summary>Null gradients, ZeroGrad, in-place updates, parameter groups and the state dict.</summary>
public class OptimizerBehaviorTests
{
    public static TheoryData<string> Kinds => new("sgd", "adam", "adamw", "rmsprop");

    private static Optimizer Make(string kind, IEnumerable<Parameter> ps, double lr = 0.05) => kind switch
    {
        "sgd" => new SGD(ps, lr, momentum: 0.9, dampening: 0.1, weightDecay: 0.01),
        "adam" => new Adam(ps, lr, amsgrad: true, weightDecay: 0.01),
        "adamw" => new AdamW(ps, lr, betas: (0.8, 0.99)),
        "rmsprop" => new RMSprop(ps, lr, momentum: 0.5, centered: true, weightDecay: 0.01),
        _ => throw new ArgumentException(kind),
    };

    [Theory]
    [MemberData(nameof(Kinds))]
    public void ParametersWithoutGrad_AreSkipped(string kind)
    {
        var (x, y, w, b) = OptimCases.Fresh();
        var unused = new Parameter(Tensor.From([1.0, 2.0]));
        var opt = Make(kind, [w, b, unused]);
        for (int i = 0; i < 3; i++)
        {
            opt.ZeroGrad();
            (x.MatMul(w) - y).Pow(2).Mean().Backward();   // b and unused get no gradient
            opt.Step();
        }
        Assert.Null(b.Grad);
        Assert.Equal(OptimCases.Vector(OptimCases.Problem.GetProperty("b0")), b.ToArray<double>());
        Assert.Equal([1.0, 2.0], unused.ToArray<double>());
        Assert.Equal(0, unused.Version);
        Assert.NotEqual(OptimCases.Matrix(OptimCases.Problem.GetProperty("W0"))[0, 0], w.ToArray<double>()[0]);
        var state = (Dictionary<int, Dictionary<string, object?>>)opt.StateDict()["state"];
        Assert.Equal([0], state.Keys);   // only W has state, as in PyTorch
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Step_UpdatesInPlace_WithoutAGraph_AndBumpsTheVersion(string kind)
    {
        var (x, y, w, b) = OptimCases.Fresh();
        var storageView = w.Detach();   // shares storage and version counter
        var opt = Make(kind, [w, b]);
        OptimCases.Loss(x, y, w, b).Backward();
        int before = w.Version;
        var old = w.ToArray<double>();
        opt.Step();
        Assert.Equal(before + 1, w.Version);
        Assert.True(w.IsLeaf);
        Assert.Null(w.GradFn);
        Assert.True(w.RequiresGrad);
        Assert.NotEqual(old, w.ToArray<double>());
        Assert.Equal(w.ToArray<double>(), storageView.ToArray<double>());
    }

    [Fact]
    public void ZeroGrad_SetsToNone_OrZeroesInPlace()
    {
        var (x, y, w, b) = OptimCases.Fresh();
        var opt = new SGD([w, b], lr: 0.1);
        OptimCases.Loss(x, y, w, b).Backward();
        var g = w.Grad!;
        opt.ZeroGrad(setToNone: false);
        Assert.Same(g, w.Grad);
        Assert.All(w.Grad!.ToArray<double>(), v => Assert.Equal(0.0, v));
        opt.ZeroGrad();
        Assert.Null(w.Grad);
        Assert.Null(b.Grad);
    }

    [Fact]
    public void Groups_TakeTheDefaults_TheyLeaveUnset()
    {
        var (_, _, w, b) = OptimCases.Fresh();
        var g1 = new ParamGroup([w]);
        var g2 = new ParamGroup([b], lr: 0.01) { Momentum = 0.5 };
        Assert.False(g1.HasLr);
        Assert.Throws<InvalidOperationException>(() => g1.Lr);
        var opt = new SGD([g1, g2], lr: 0.1, momentum: 0.9, weightDecay: 0.2);
        Assert.Equal(0.1, g1.Lr);
        Assert.Equal(0.9, g1.Momentum);
        Assert.Equal(0.01, g2.Lr);
        Assert.Equal(0.5, g2.Momentum);
        Assert.Equal(0.2, g2.WeightDecay);
        Assert.Equal(false, g2.Nesterov);
        Assert.Equal([g1, g2], opt.ParamGroups);
    }

    [Fact]
    public void AddParamGroup_AddsAGroupThatSteps_AndRejectsDuplicates()
    {
        var (x, y, w, b) = OptimCases.Fresh();
        var opt = new Adam([w], lr: 0.1);
        opt.AddParamGroup(new ParamGroup([b], lr: 0.2));
        Assert.Equal((0.9, 0.999), opt.ParamGroups[1].Betas);
        OptimCases.TrainStep(opt, x, y, w, b);
        // Adam's first step moves every coordinate by lr (up to ε): m/√v = sign(g).
        var b0 = OptimCases.Vector(OptimCases.Problem.GetProperty("b0"));
        var moved = b.ToArray<double>().Zip(b0, (p, q) => Math.Abs(p - q));
        Assert.All(moved, d => Assert.Equal(0.2, d, 1e-6));
        var ex = Assert.Throws<ArgumentException>(() => opt.AddParamGroup(new ParamGroup([b])));
        Assert.Equal("some parameters appear in more than one parameter group", ex.Message);
    }

    [Fact]
    public void SchedulerLr_IsUsedByTheNextStep()
    {
        var (x, y, w, b) = OptimCases.Fresh();
        var opt = new SGD([w, b], lr: 0.1);
        var sched = new ExponentialLR(opt, gamma: 0.5);
        sched.Step();
        Assert.Equal([0.05], sched.GetLastLr());
        OptimCases.Loss(x, y, w, b).Backward();
        var before = w.ToArray<double>();
        var grad = w.Grad!.ToArray<double>();
        opt.Step();
        var after = w.ToArray<double>();
        for (int i = 0; i < before.Length; i++) Assert.Equal(before[i] - 0.05 * grad[i], after[i], 1e-15);
    }

    [Fact]
    public void UpdateFunctions_WorkOnSpans()
    {
        float[] p = [1f, -2f], g = [0.5f, 0.25f], buf = new float[2];
        SGD.Update<float>(p, g, buf, firstStep: true, lr: 0.1, momentum: 0.9, dampening: 0, weightDecay: 0, nesterov: false);
        Assert.Equal([0.95f, -2.025f], p);
        Assert.Equal([0.5f, 0.25f], buf);
        SGD.Update<float>(p, g, buf, firstStep: false, lr: 0.1, momentum: 0.9, dampening: 0, weightDecay: 0, nesterov: false);
        Assert.Equal(0.95f - 0.1f * 0.95f, p[0], 1e-6f);

        double[] q = [1.0], gq = [-3.0], m = new double[1], v = new double[1];
        Adam.Update<double>(q, gq, m, v, default, step: 1, lr: 0.01, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0, amsgrad: false);
        Assert.Equal(1.01, q[0], 1e-8);   // the first Adam step is lr·sign(g) away
    }
}
