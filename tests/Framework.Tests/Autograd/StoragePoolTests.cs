using System.Runtime.CompilerServices;
using Framework.Autograd;
using Framework.Data;
using Framework.NN;
using Framework.Optim;

namespace Tests.AutogradTests;

public class StoragePoolTests : IDisposable
{
    private readonly StoragePoolOptions saved = StoragePool.Options;

    public StoragePoolTests()
    {
        Budget(0);                // every safe point reclaims
        SafePoint();              // earlier tests' garbage is settled (it could crowd the pending queue); leases are made while safe points keep coming
    }

    /// <summary>A safe point after the finalizers of everything dead so far have run (Reclaim itself does not wait for them).</summary>
    private static void SafePoint()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        StoragePool.Reclaim();
    }

    public void Dispose() => StoragePool.Options = saved;

    private static void Budget(long bytes) => StoragePool.Options = StoragePool.Options with { Budget = bytes };

    /// <summary>A 20 KB tensor filled with 7 whose only trace left is its array.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static float[] DroppedTensorArray(int n) => Tensor.Full([n], 7).Elems<float>();

    [Fact]
    public void ArrayOfAnUnreachableStorageIsReusedAfterASafePointAndZeroedWhenZerosAreAsked()
    {
        var array = DroppedTensorArray(5011);
        SafePoint();
        var zeros = Tensor.Zeros(5011);
        Assert.Same(array, zeros.Elems<float>());
        Assert.All(zeros.ToArray(), v => Assert.Equal(0f, v));
    }

    [Fact]
    public void OutputsOfKernelsSplitOverTheCoresComeBackToThePool()
    {
        // GELU over 70,000 elements runs on the worker threads too; had they touched its output's storage, the array
        // would never return (it did not before 2026-12-04: a fresh 1 MB array per GELU of CharLM's step).
        var x = Tensor.Randn(70_000);
        var array = DroppedGeluArray(x);
        SafePoint();
        Assert.Same(array, Tensor.Empty([70_000], DType.Float32).Elems<float>());

        [MethodImpl(MethodImplOptions.NoInlining)]
        static float[] DroppedGeluArray(Tensor x) => Functional.Gelu(x).Elems<float>();
    }

    [Fact]
    public void ArrayOfALiveTensorIsNeverHandedOut()
    {
        var live = Tensor.Full([5021], 7);
        SafePoint();
        var other = Tensor.Full([5021], 3);
        Assert.NotSame(live.Elems<float>(), other.Elems<float>());
        Assert.All(live.ToArray(), v => Assert.Equal(7f, v));
        GC.KeepAlive(live);
    }

    [Fact]
    public void AViewKeepsItsBaseStorageOutOfThePool()
    {
        var view = MakeView();
        SafePoint();
        var fresh = Tensor.Full([5031], 3);
        Assert.NotSame(view.Elems<float>(), fresh.Elems<float>());
        Assert.Equal([7f, 7f], view.ToArray());

        [MethodImpl(MethodImplOptions.NoInlining)]
        static Tensor MakeView() => Tensor.Full([5031], 7).Slice(0, 10, 12);
    }

    [Fact]
    public void StorageMadeOnAnotherThreadComesBackOnlyOnceAdoptedHere()
    {
        var adopted = MadeElsewhere(adopt: true);
        var notAdopted = MadeElsewhere(adopt: false);
        SafePoint();
        var first = Tensor.Zeros(5041);
        var second = Tensor.Zeros(5041);
        Assert.Same(adopted, first.Elems<float>());
        Assert.NotSame(notAdopted, second.Elems<float>());

        [MethodImpl(MethodImplOptions.NoInlining)]
        static float[] MadeElsewhere(bool adopt)
        {
            Tensor t = null!;
            var worker = new Thread(() => t = Tensor.Full([5041], 7));
            worker.Start();
            worker.Join();
            if (adopt) StoragePool.Adopt([t]);
            return t.Elems<float>();
        }
    }

    [Fact]
    public void ALoopWithoutSafePointsDoesNotHoldOnToDeadStoragesArrays()
    {
        Budget(1 << 20);
        var x = Tensor.Randn(64, 256);
        for (int i = 0; i < 2000; i++) _ = (x * 2).Relu();   // 64 KB per result, 256 MB in all, never a ZeroGrad
        GC.Collect();
        GC.WaitForPendingFinalizers();
        Assert.InRange(StoragePool.PendingBytes, 0, 64L << 20);
    }

    [Fact]
    public void LargeStoragesAreLeasedOnlyWhileSafePointsKeepComing()
    {
        Budget(1 << 20);
        StoragePool.Reclaim();
        Assert.NotNull(Tensor.Zeros(5000).storage.lease);
        for (int i = 0; i < 17; i++) _ = Tensor.Zeros(1 << 20);   // 68 MB without a safe point
        Assert.Null(Tensor.Zeros(5000).storage.lease);
        StoragePool.Reclaim();
        Assert.NotNull(Tensor.Zeros(5000).storage.lease);
    }

    [Fact]
    public void TrainingGivesTheSameWeightsHoweverOftenArraysAreReused()
    {
        float[] Train(long reclaimBudget)
        {
            Budget(reclaimBudget);
            Tensor.ManualSeed(3);
            var x = Tensor.Randn(256, 40);
            var y = Tensor.RandInt(0, 5, [256]);
            var model = new Sequential(new Linear(40, 64), new ReLU(), new Linear(64, 5));
            var opt = new SGD(model.Parameters(), lr: 0.05, momentum: 0.9);
            var loss = new CrossEntropyLoss();
            var loader = new DataLoader(new TensorDataset(x, y), batchSize: 32, shuffle: true, seed: 5, numWorkers: 2);
            for (int epoch = 0; epoch < 3; epoch++)
                foreach (var batch in loader)
                {
                    opt.ZeroGrad();
                    loss.Forward(model.Forward(batch[0]), batch[1]).Backward();
                    opt.Step();
                }
            return model.Parameters().SelectMany(p => p.ToArray()).ToArray();
        }
        var reusedBefore = StoragePool.Stats.Reused;
        var everyStep = Train(0);
        Assert.True(StoragePool.Stats.Reused > reusedBefore + 100, "the pool should hand arrays out again");
        var never = Train(long.MaxValue);
        Assert.Equal(never, everyStep);
    }
}
