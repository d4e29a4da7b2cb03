using Framework.Autograd;
using Framework.NN;

namespace Tests.NN;

/// <summary>Module.Call with forward pre-hooks and forward hooks, as nn.Module.__call__ with register_forward_(pre_)hook.</summary>
public class ModuleHookTests
{
    private sealed class AddOne : Module
    {
        public int Calls;
        public override Tensor Forward(Tensor input)
        {
            Calls++;
            return input + 1;
        }
    }

    private static Tensor X() => Tensor.From(new[] { 1.0, 2.0, 3.0 });

    [Fact]
    public void CallWithoutHooksIsForward()
    {
        var m = new AddOne();
        Assert.Equal([2.0, 3.0, 4.0], m.Call(X()).ToArray<double>());
        Assert.Equal(1, m.Calls);
    }

    [Fact]
    public void PreHooksReplaceTheInputUnlessTheyReturnNull()
    {
        var m = new AddOne();
        var seen = new List<Tensor>();
        m.RegisterForwardPreHook((mod, x) => x * 10);
        m.RegisterForwardPreHook((mod, x) => { seen.Add(x); return null; });   // keeps the input it got
        Assert.Equal([11.0, 21.0, 31.0], m.Call(X()).ToArray<double>());
        Assert.Equal([10.0, 20.0, 30.0], Assert.Single(seen).ToArray<double>());
    }

    [Fact]
    public void ForwardHooksSeeTheModuleTheFinalInputAndTheOutput_AndMayReplaceTheOutput()
    {
        var m = new AddOne();
        Module? who = null;
        Tensor? input = null, output = null;
        m.RegisterForwardPreHook((mod, x) => x * 2);
        m.RegisterForwardHook((mod, x, y) => { who = mod; input = x; output = y; });
        m.RegisterForwardHook((mod, x, y) => y.Neg());
        m.RegisterForwardHook((mod, x, y) => null);
        var result = m.Call(X());
        Assert.Same(m, who);
        Assert.Equal([2.0, 4.0, 6.0], input!.ToArray<double>());          // the input after the pre-hooks
        Assert.Equal([3.0, 5.0, 7.0], output!.ToArray<double>());
        Assert.Equal([-3.0, -5.0, -7.0], result.ToArray<double>());
    }

    [Fact]
    public void HooksRunInRegistrationOrder_AndRemoveTakesOneOut()
    {
        var m = new AddOne();
        var log = new List<string>();
        var p1 = m.RegisterForwardPreHook((mod, x) => log.Add("pre1"));
        var p2 = m.RegisterForwardPreHook((mod, x) => log.Add("pre2"));
        var h1 = m.RegisterForwardHook((mod, x, y) => log.Add("hook1"));
        var h2 = m.RegisterForwardHook((mod, x, y) => log.Add("hook2"));
        var h3 = m.RegisterForwardHook((mod, x, y) => log.Add("hook3"));
        m.Call(X());
        Assert.Equal(["pre1", "pre2", "hook1", "hook2", "hook3"], log);

        log.Clear();
        h2.Remove();
        p1.Remove();
        h2.Remove();                                                          // a second Remove does nothing
        m.Call(X());
        Assert.Equal(["pre2", "hook1", "hook3"], log);

        log.Clear();
        using (m.RegisterForwardHook((mod, x, y) => log.Add("scoped"))) m.Call(X());
        m.Call(X());
        Assert.Equal(["pre2", "hook1", "hook3", "scoped", "pre2", "hook1", "hook3"], log);
    }

    [Fact]
    public void AHookRemovedDuringACallStillRunsInThatCall_AsPyTorchIteratesACopy()
    {
        var m = new AddOne();
        var log = new List<string>();
        RemovableHandle? second = null;
        m.RegisterForwardHook((mod, x, y) => { log.Add("first"); second!.Remove(); });
        second = m.RegisterForwardHook((mod, x, y) => log.Add("second"));
        m.Call(X());
        m.Call(X());
        Assert.Equal(["first", "second", "first"], log);
    }

    [Fact]
    public void AThrowingHookPropagatesUnchanged()
    {
        var m = new AddOne();
        var boom = new InvalidOperationException("boom");
        var h = m.RegisterForwardPreHook((mod, x) => throw boom);
        Assert.Same(boom, Assert.Throws<InvalidOperationException>(() => m.Call(X())));
        Assert.Equal(0, m.Calls);
        h.Remove();
        m.RegisterForwardHook((mod, x, y) => throw boom);
        Assert.Same(boom, Assert.Throws<InvalidOperationException>(() => m.Call(X())));
        Assert.Equal(1, m.Calls);
    }

    [Fact]
    public void LambdaOverloadsResolveAsAUserExpects()
    {
        var m = new AddOne();
        var seen = new List<Tensor>();
        var flags = new HashSet<Tensor>(ReferenceEqualityComparer.Instance);
        m.RegisterForwardHook((m, i, o) => { seen.Add(o); });                 // Action: observes
        m.RegisterForwardHook((mod, i, o) => seen.Add(o));                    // Action (List.Add returns void)
        m.RegisterForwardHook((mod, i, o) => flags.Add(o));                   // Action (HashSet.Add's bool is discarded)
        m.RegisterForwardHook((mod, i, o) => o.Relu());                       // Func: a Tensor result replaces the output
        m.RegisterForwardPreHook((mod, i) => seen.Add(i));
        m.RegisterForwardPreHook((mod, i) => i.Neg());
        var y = m.Call(X());
        Assert.Equal(3, seen.Count);
        Assert.Single(flags);
        Assert.Equal([0.0, 0.0, 0.0], y.ToArray<double>());                   // relu(−x + 1)
        Assert.Throws<ArgumentNullException>(() => m.RegisterForwardHook((Func<Module, Tensor, Tensor, Tensor?>)null!));
    }

    [Fact]
    public void AHookOnAnInnerLayerOfASequentialCapturesItsActivation()
    {
        Tensor.ManualSeed(0);
        var model = new Sequential(new Linear(4, 8), new ReLU(), new Linear(8, 2));
        var features = new Dictionary<string, Tensor>();
        int calls = 0;
        using var handle = model[1].RegisterForwardHook((m, input, output) => { features["relu"] = output.Detach(); calls++; });
        var x = Tensor.Randn(3, 4);
        var y = model.Call(x);
        var expected = model.Get<Linear>(0).Forward(x).Relu();
        Assert.Equal(expected.ToArray(), features["relu"].ToArray());
        Assert.Equal(model.Get<Linear>(2).Forward(expected).ToArray(), y.ToArray());
        Assert.Equal([3, 2], model.Forward(x).Shape);                          // Forward also runs the inner layers through Call
        Assert.Equal(2, calls);
    }

    [Fact]
    public void HooksOnASequentialItselfRunOnceAroundTheWholeModel()
    {
        var model = new Sequential(new AddOne(), new AddOne());
        int calls = 0;
        model.RegisterForwardHook((m, x, y) => { calls++; Assert.Same(model, m); });
        model[0].RegisterForwardPreHook((m, x) => x * 100);
        Assert.Equal([102.0, 202.0, 302.0], model.Call(X()).ToArray<double>());
        Assert.Equal(1, calls);
    }

    [Fact]
    public void GradientsFlowThroughWhatAHookReturns()
    {
        Tensor.ManualSeed(0);
        var fc = new Linear(3, 1);
        var x = Tensor.Randn(2, 3);
        fc.Call(x).Sum().Backward();
        var plain = fc.Weight.Grad!.ToArray();
        fc.ZeroGrad();
        fc.RegisterForwardHook((m, i, o) => o * 3);
        fc.Call(x).Sum().Backward();
        var tripled = fc.Weight.Grad!.ToArray();
        for (int k = 0; k < plain.Length; k++) Assert.Equal(3 * plain[k], tripled[k], 1e-6 * Math.Abs(3 * plain[k]) + 1e-7);  // 3·Σx and Σ3x differ by rounding only
    }
}
