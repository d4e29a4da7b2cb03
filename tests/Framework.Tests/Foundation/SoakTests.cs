using System.Collections.Concurrent;
using Framework.Autograd;
using Framework.NN;
using Framework.Optim;

namespace Tests.Foundation;

/// <summary>Training on several threads at once, with a fifth churning large tensors, gives bit for bit what each run gives alone.</summary>
public class SoakTests
{
    private sealed record Run(Module Model, Tensor X, Tensor Y);

    private static Run Make(int seed)
    {
        Tensor.ManualSeed(seed);
        var model = new Sequential(new Linear(32, 64), new ReLU(), new Linear(64, 64), new Tanh(), new Linear(64, 4));
        var x = Tensor.Randn(128, 32);
        var y = Tensor.RandInt(0, 4, [128]);
        return new Run(model, x, y);
    }

    private static float[] Train(Run run)
    {
        var opt = new Adam(run.Model.Parameters(), lr: 1e-3);
        var loss = new CrossEntropyLoss();
        for (int step = 0; step < 200; step++)
        {
            opt.ZeroGrad();
            var batch = run.X.Slice(0, step % 4 * 32, step % 4 * 32 + 32);
            var target = run.Y.Slice(0, step % 4 * 32, step % 4 * 32 + 32);
            loss.Forward(run.Model.Forward(batch), target).Backward();
            opt.Step();
        }
        return run.Model.Parameters().SelectMany(p => p.ToArray()).ToArray();
    }

    [Fact]
    public void FourThreadsTrainingWhileAFifthChurnsMatchEachRunAlone()
    {
        var alone = Enumerable.Range(0, 4).Select(i => Train(Make(10 + i))).ToArray();

        var runs = Enumerable.Range(0, 4).Select(i => Make(10 + i)).ToArray();
        var results = new float[4][];
        var errors = new ConcurrentBag<Exception>();
        using var done = new CancellationTokenSource();
        var churn = new Thread(() =>
        {
            try
            {
                var big = Tensor.Ones(1 << 20);
                while (!done.IsCancellationRequested)
                {
                    var t = (big * 3).Exp();                            // 4 MB results dropped at once
                    if (t.ToArray()[12345] != MathF.Exp(3)) throw new InvalidOperationException("churn read a wrong value");
                    StoragePool.Reclaim();
                }
            }
            catch (Exception e) { errors.Add(e); }
        });
        var trainers = Enumerable.Range(0, 4).Select(i => new Thread(() =>
        {
            try { results[i] = Train(runs[i]); }
            catch (Exception e) { errors.Add(e); }
        })).ToArray();
        churn.Start();
        foreach (var t in trainers) t.Start();
        foreach (var t in trainers) t.Join();
        done.Cancel();
        churn.Join();

        Assert.Empty(errors);
        for (int i = 0; i < 4; i++) Assert.Equal(alone[i], results[i]);
    }
}
