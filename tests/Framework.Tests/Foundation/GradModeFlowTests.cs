using System.Runtime.CompilerServices;
using Framework.Autograd;

namespace Tests.Foundation;

/// <summary>Grad mode and anomaly mode follow the logical flow across await, are restored exactly on Dispose, and never leak into other work items.</summary>
public class GradModeFlowTests
{
    /// <summary>Awaiting this resumes on a thread that did not exist before, so the code after the await certainly runs elsewhere.</summary>
    private readonly struct NewThread : ICriticalNotifyCompletion
    {
        public NewThread GetAwaiter() => this;
        public bool IsCompleted => false;
        public void GetResult() { }
        public void OnCompleted(Action continuation) => new Thread(() => continuation()).Start();
        public void UnsafeOnCompleted(Action continuation) => new Thread(() => continuation()).UnsafeStart();
    }

    private static Tensor Leaf() => Tensor.From(new double[] { 1, 2, 3 }).RequiresGrad_();

    private static bool Records(Tensor x) => (x * 2).GradFn is not null;

    /// <summary>A typical async method: a NoGrad scope around awaits, returning once its work is done.</summary>
    private static async Task<bool> EvaluateWithoutGrad(Tensor x)
    {
        using (new NoGrad())
        {
            await Task.Yield();
            await Task.Delay(10);
            return Records(x);
        }
    }

    [Fact]
    public async Task AfterAnAwaitedNoGradScope_AllThreadPoolWorkRecords()
    {
        var x = Leaf();
        Assert.False(await EvaluateWithoutGrad(x));   // the scope held across its awaits
        Assert.True(GradMode.IsEnabled);
        var recorded = await Task.WhenAll(Enumerable.Range(0, 64).Select(_ => Task.Run(() => Records(x))));
        Assert.Equal(64, recorded.Count(r => r));
    }

    [Fact]
    public async Task InsideTheScope_RecordingStaysOffAfterTheContinuationMovesThread()
    {
        var x = Leaf();
        int before = Environment.CurrentManagedThreadId;
        using (new NoGrad())
        {
            await new NewThread();
            Assert.NotEqual(before, Environment.CurrentManagedThreadId);
            Assert.False(GradMode.IsEnabled);
            Assert.False(Records(x));
        }
        Assert.True(GradMode.IsEnabled);
        Assert.True(Records(x));
    }

    [Fact]
    public async Task WorkStartedInsideTheScope_InheritsIt()
    {
        var x = Leaf();
        bool task, thread = true, unflowed = false;
        using (new NoGrad())
        {
            task = await Task.Run(() => Records(x));
            RunOnNewThread(() => thread = Records(x));
            var t = new Thread(() => unflowed = Records(x));
            t.UnsafeStart();   // no execution context: outside the scope's flow
            t.Join();
        }
        Assert.False(task);
        Assert.False(thread);
        Assert.True(unflowed);
        Assert.True(await Task.Run(() => Records(x)));
    }

    [Fact]
    public void ScopeDisposedOnAnotherThread_RestoresTheDisposingFlowToTheStateBeforeIt()
    {
        var x = Leaf();
        NoGrad? scope = null;
        bool creatorInScope = true;
        RunOnNewThread(() => { scope = new NoGrad(); creatorInScope = GradMode.IsEnabled; });
        Assert.False(creatorInScope);
        Assert.True(GradMode.IsEnabled);   // the scope lives in the creator's flow only

        bool disposerBefore = false, disposerAfter = false, disposerRecords = false, disposerNested = true, disposerLast = false;
        RunOnNewThread(() =>
        {
            disposerBefore = GradMode.IsEnabled;
            scope!.Dispose();
            disposerAfter = GradMode.IsEnabled;
            disposerRecords = Records(x);
            using (new NoGrad()) disposerNested = GradMode.IsEnabled;
            disposerLast = GradMode.IsEnabled;
        });
        Assert.True(disposerBefore);
        Assert.True(disposerAfter);      // exactly the state before the scope, not one level "less" of it
        Assert.True(disposerRecords);
        Assert.False(disposerNested);
        Assert.True(disposerLast);
        Assert.True(GradMode.IsEnabled);
        Assert.True(Records(x));
    }

    [Fact]
    public async Task NestedScopesAndWith_RestoreExactlyAcrossThreads()
    {
        var x = Leaf();
        using (new NoGrad())
        {
            await new NewThread();
            Assert.False(GradMode.IsEnabled);
            using (new NoGrad())
            {
                await new NewThread();
                Assert.False(GradMode.IsEnabled);
                Assert.True(GradMode.With(true, () => Records(x)));
                Assert.False(GradMode.IsEnabled);
            }
            await new NewThread();
            Assert.False(GradMode.IsEnabled);   // the inner scope gave back the outer's state, not "on"
            Assert.False(GradMode.With(false, () => GradMode.IsEnabled));
            Assert.Equal((false, true), GradMode.With(true, () =>
            {
                bool nested;
                using (new NoGrad()) nested = GradMode.IsEnabled;
                return (nested, GradMode.IsEnabled);
            }));
            Assert.False(GradMode.IsEnabled);
            var inner = new NoGrad();
            inner.Dispose();
            inner.Dispose();                    // a second Dispose changes nothing
            Assert.False(GradMode.IsEnabled);
        }
        Assert.True(GradMode.IsEnabled);
        Assert.True(GradMode.With(false, () => !GradMode.IsEnabled && !Records(x)));
        Assert.True(Records(x));
    }

    [Fact]
    public async Task DetectAnomaly_FollowsTheFlowAndDoesNotLeak()
    {
        var x = Tensor.From(new double[] { 0, 1 }).RequiresGrad_();
        await Task.Run(async () =>
        {
            using (Autograd.DetectAnomaly())
            {
                await new NewThread();
                Assert.True(DetectAnomalyMode.Enabled);
                var ex = Assert.Throws<InvalidOperationException>(() => x.Sqrt().Sum().Backward());
                Assert.Contains("SqrtBackward0", ex.Message);
                await Task.Delay(1);
                Assert.True(DetectAnomalyMode.Enabled);
            }
            Assert.False(DetectAnomalyMode.Enabled);
        });
        Assert.False(DetectAnomalyMode.Enabled);
        var enabled = await Task.WhenAll(Enumerable.Range(0, 64).Select(_ => Task.Run(() => DetectAnomalyMode.Enabled)));
        Assert.Equal(0, enabled.Count(e => e));
        x.Sqrt().Sum().Backward();   // outside every scope: no check
        Assert.True(double.IsPositiveInfinity(x.Grad!.ToArray<double>()[0]));
    }

    private static void RunOnNewThread(Action body)
    {
        Exception? error = null;
        var t = new Thread(() => { try { body(); } catch (Exception e) { error = e; } });
        t.Start();
        t.Join();
        if (error is not null) throw new AggregateException(error);
    }

    [Fact]
    public void EnableGradRecordsInsideNoGradAndPutsNoGradBack()
    {
        var x = Tensor.Ones([2]).RequiresGrad_();
        using (new NoGrad())
        {
            using (new EnableGrad())
            {
                Assert.True(GradMode.IsEnabled);
                Assert.Equal("MulBackward0", (x * 2).GradFn?.Name);
            }
            Assert.False(GradMode.IsEnabled);
            Assert.Null((x * 2).GradFn);
        }
        Assert.True(GradMode.IsEnabled);
    }
}
