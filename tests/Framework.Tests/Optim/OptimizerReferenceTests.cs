using Framework.Autograd;
using Framework.NN;

namespace Tests.Optim;

/// <summary>Each optimizer and option set, 10 steps on the fixed least-squares problem, against PyTorch 1.13's parameter values (Data/optim/make_optim.py).</summary>
public class OptimizerReferenceTests
{
    public static TheoryData<string> Cases => new(OptimCases.Names("optimizers"));

    [Theory]
    [MemberData(nameof(Cases))]
    public void TrajectoryMatchesPyTorch(string name)
    {
        var c = OptimCases.Optimizer(name);
        var (x, y, w, b) = OptimCases.Fresh();
        var kind = c.GetProperty("optimizer").GetString()!;
        var options = c.GetProperty("options");
        var named = new Dictionary<string, Parameter> { ["W"] = w, ["b"] = b };
        var opt = c.GetProperty("groups").ValueKind == System.Text.Json.JsonValueKind.Null
            ? OptimCases.Make(kind, options, [w, b])
            : OptimCases.Make(kind, options, c.GetProperty("groups").EnumerateArray()
                .Select(g => OptimCases.Group(g.GetProperty("params").EnumerateArray().Select(n => named[n.GetString()!]), g.GetProperty("options"))));

        int step = 0;
        foreach (var expected in c.GetProperty("trajectory").EnumerateArray())
        {
            OptimCases.TrainStep(opt, x, y, w, b);
            step++;
            AssertClose(OptimCases.Vector(expected.GetProperty("W")), w.ToArray<double>(), 1e-5, $"{name} W after step {step}");
            AssertClose(OptimCases.Vector(expected.GetProperty("b")), b.ToArray<double>(), 1e-5, $"{name} b after step {step}");
        }
        Assert.Equal(10, step);
    }

    [Theory]
    [InlineData("sgd_momentum")]
    [InlineData("adam_amsgrad")]
    [InlineData("adamw_weight_decay")]
    [InlineData("rmsprop_momentum_centered_weight_decay")]
    public void Float32_FollowsTheFloat64Reference(string name)
    {
        var c = OptimCases.Optimizer(name);
        var (x, y, w, b) = OptimCases.Fresh(DType.Float32);
        var opt = OptimCases.Make(c.GetProperty("optimizer").GetString()!, c.GetProperty("options"), [w, b]);
        for (int i = 0; i < 10; i++) OptimCases.TrainStep(opt, x, y, w, b);
        var last = c.GetProperty("trajectory")[9];
        AssertClose(OptimCases.Vector(last.GetProperty("W")), w.ToArray<float>().Select(v => (double)v).ToArray(), 1e-4, name);
        AssertClose(OptimCases.Vector(last.GetProperty("b")), b.ToArray<float>().Select(v => (double)v).ToArray(), 1e-4, name);
        Assert.Equal(DType.Float32, w.DType);
    }

    internal static void AssertClose(double[] expected, double[] actual, double tol, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tol,
                $"{what}[{i}]: expected {expected[i]:R}, got {actual[i]:R} (diff {Math.Abs(expected[i] - actual[i]):E2})");
    }
}
