using Framework.Autograd;
using Framework.NN;

namespace Tests.NN;

/// <summary>Module.Apply (children first, as nn.Module.apply), Sequential.Get&lt;T&gt; and Identity.</summary>
public class ModuleConvenienceTests
{
    [Fact]
    public void ApplyVisitsChildrenFirstThenTheModule()
    {
        var inner = new Sequential(new Linear(2, 2), new ReLU());
        var net = new Sequential(inner, new Linear(2, 1));
        var order = new List<string>();
        Assert.Same(net, net.Apply(m => order.Add(m.GetType().Name)));
        Assert.Equal(["Linear", "ReLU", "Sequential", "Linear", "Sequential"], order);
    }

    [Fact]
    public void ApplyInitialisesWeightsAsNetApplyInitWeights()
    {
        var net = new Sequential(new Linear(3, 4), new ReLU(), new Linear(4, 2));
        net.Apply(m =>
        {
            if (m is Linear l) { l.Weight.Data.Fill_(0.5); l.Bias!.Data.Zero_(); }
        });
        Assert.All(net.Get<Linear>(0).Weight.ToArray(), v => Assert.Equal(0.5f, v));
        Assert.All(net.Get<Linear>(2).Bias!.ToArray(), v => Assert.Equal(0f, v));
    }

    [Fact]
    public void GetNamesTheTypesWhenTheModuleIsAnother()
    {
        var net = new Sequential(new Linear(3, 4), new ReLU());
        Assert.Equal(4, net.Get<Linear>(0).Weight.Size(0));
        Assert.Equal("module 1 of the Sequential is a ReLU, not a Linear", Assert.Throws<InvalidOperationException>(() => net.Get<Linear>(1)).Message);
        Assert.Contains("index 2 is out of range for a Sequential of 2 modules", Assert.Throws<ArgumentOutOfRangeException>(() => net.Get<ReLU>(2)).Message);
    }

    [Fact]
    public void IdentityReturnsItsInput()
    {
        var x = Tensor.Randn(2, 3);
        Assert.Same(x, new Identity().Forward(x));
        Assert.Equal("Identity()", new Identity().ToString());
    }
}
