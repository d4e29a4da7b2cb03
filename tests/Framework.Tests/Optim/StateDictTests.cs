using Framework.Autograd;
using Framework.NN;
using Framework.Optim;

namespace Tests.Optim;

/// <summary>StateDict has PyTorch's layout and deep copies; LoadStateDict into a fresh optimizer continues identically.</summary>
public class StateDictTests
{
    public static TheoryData<string> Kinds => new("sgd", "sgd_plain", "adam", "adamw", "rmsprop", "rmsprop_plain");

    private static Optimizer Make(string kind, IEnumerable<ParamGroup> gs, double lr) => kind switch
    {
        "sgd" => new SGD(gs, lr, momentum: 0.9, nesterov: true),
        "sgd_plain" => new SGD(gs, lr),
        "adam" => new Adam(gs, lr, amsgrad: true),
        "adamw" => new AdamW(gs, lr, weightDecay: 0.1),
        "rmsprop" => new RMSprop(gs, lr, momentum: 0.9, centered: true),
        "rmsprop_plain" => new RMSprop(gs, lr),
        _ => throw new ArgumentException(kind),
    };

    [Theory]
    [MemberData(nameof(Kinds))]
    public void RoundTrip_GivesIdenticalNextSteps(string kind)
    {
        var (x, y, w, b) = OptimCases.Fresh();
        var a = Make(kind, [new ParamGroup([w]), new ParamGroup([b], lr: 0.02)], 0.05);
        for (int i = 0; i < 3; i++) OptimCases.TrainStep(a, x, y, w, b);

        var sd = a.StateDict();
        var w2 = new Parameter(Tensor.From(w.ToArray<double>()).Reshape(3, 2));
        var b2 = new Parameter(Tensor.From(b.ToArray<double>()));
        var c = Make(kind, [new ParamGroup([w2]), new ParamGroup([b2])], 0.9);   // other lrs: loaded from the dict
        c.LoadStateDict(sd);
        Assert.Equal(0.05, c.ParamGroups[0].Lr);
        Assert.Equal(0.02, c.ParamGroups[1].Lr);

        for (int i = 0; i < 4; i++)
        {
            OptimCases.TrainStep(a, x, y, w, b);
            OptimCases.TrainStep(c, x, y, w2, b2);
            Assert.Equal(w.ToArray<double>(), w2.ToArray<double>());
            Assert.Equal(b.ToArray<double>(), b2.ToArray<double>());
        }
    }

    [Fact]
    public void Layout_IsPyTorchs_AndHoldsDeepCopies()
    {
        var (x, y, w, b) = OptimCases.Fresh();
        var opt = new Adam([new ParamGroup([w]), new ParamGroup([b], lr: 0.01)], lr: 0.1);
        OptimCases.TrainStep(opt, x, y, w, b);
        var sd = opt.StateDict();

        var groups = (List<Dictionary<string, object>>)sd["param_groups"];
        Assert.Equal(2, groups.Count);
        Assert.Equal([0], (List<int>)groups[0]["params"]);
        Assert.Equal([1], (List<int>)groups[1]["params"]);
        Assert.Equal(0.01, groups[1]["lr"]);
        Assert.Equal((0.9, 0.999), groups[0]["betas"]);
        Assert.Equal(1e-8, groups[0]["eps"]);
        Assert.Equal(0.0, groups[0]["weight_decay"]);
        Assert.Equal(false, groups[0]["amsgrad"]);

        var state = (Dictionary<int, Dictionary<string, object?>>)sd["state"];
        Assert.Equal([0, 1], state.Keys.Order());
        Assert.Equal(1L, state[0]["step"]);
        var expAvg = (Tensor)state[0]["exp_avg"]!;
        Assert.Equal([3, 2], expAvg.Shape);
        Assert.Equal(DType.Float64, expAvg.DType);
        Assert.False(state[0].ContainsKey("max_exp_avg_sq"));

        // A deep copy: later steps do not change the saved state, and the live state is a different tensor.
        var saved = expAvg.ToArray<double>();
        OptimCases.TrainStep(opt, x, y, w, b);
        Assert.Equal(saved, expAvg.ToArray<double>());
        Assert.NotSame(((Adam)opt).State[w].ExpAvg, expAvg);
        Assert.Equal(2L, ((Optimizer<AdamState>)opt).State[w].Step);

        // Loading copies too: changing the dict afterwards leaves the optimizer alone.
        var fresh = new Adam([new ParamGroup([w]), new ParamGroup([b])], lr: 0.1);
        fresh.LoadStateDict(sd);
        using (new NoGrad()) expAvg.Fill_(123);
        Assert.NotEqual(123.0, fresh.State[w].ExpAvg.ToArray<double>()[0]);
        Assert.Equal(saved, fresh.State[w].ExpAvg.ToArray<double>());
    }

    [Fact]
    public void Load_CastsStateToTheParametersDType()
    {
        var (x, y, w, b) = OptimCases.Fresh();
        var opt = new RMSprop([w, b], momentum: 0.9);
        OptimCases.TrainStep(opt, x, y, w, b);
        var (xf, yf, wf, bf) = OptimCases.Fresh(DType.Float32);
        var f = new RMSprop([wf, bf], momentum: 0.9);
        f.LoadStateDict(opt.StateDict());
        Assert.Equal(DType.Float32, f.State[wf].SquareAvg.DType);
        Assert.Equal(DType.Float32, f.State[wf].MomentumBuffer!.DType);
        Assert.Equal(1L, f.State[wf].Step);
        OptimCases.TrainStep(f, xf, yf, wf, bf);
        Assert.Equal(2L, f.State[wf].Step);
    }

    [Fact]
    public void Load_RejectsMismatchedGroups()
    {
        var (_, _, w, b) = OptimCases.Fresh();
        var sd = new SGD([w, b], lr: 0.1).StateDict();
        var twoGroups = new SGD([new ParamGroup([w]), new ParamGroup([b])], lr: 0.1);
        var ex = Assert.Throws<ArgumentException>(() => twoGroups.LoadStateDict(sd));
        Assert.Equal("loaded state dict has a different number of parameter groups", ex.Message);
        var oneParam = new SGD([w], lr: 0.1);
        ex = Assert.Throws<ArgumentException>(() => oneParam.LoadStateDict(sd));
        Assert.Equal("loaded state dict contains a parameter group that doesn't match the size of optimizer's group", ex.Message);
    }
}
