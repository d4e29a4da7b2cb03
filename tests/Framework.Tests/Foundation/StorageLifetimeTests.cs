using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Framework.Autograd;

namespace Tests.Foundation;

/// <summary>No pooled array is handed out again while any thread may still read or write it.</summary>
public class StorageLifetimeTests : IDisposable
{
    private readonly StoragePoolOptions saved = StoragePool.Options;

    public void Dispose() => StoragePool.Options = saved;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]    // the test suite's pool: every storage pooled, uninitialized outputs filled with garbage
    public void TensorsHandedToAnotherThreadReadTheirOwnValuesWhileTheMakerReusesArrays(bool suitePool)
    {
        StoragePool.Options = suitePool ? saved with { Budget = 0 } : new StoragePoolOptions { Budget = 0 };
        const int handOffs = 2000, n = 4 << 20;                      // 16 MB tensors
        using var queue = new BlockingCollection<Tensor>(boundedCapacity: 1);
        int bad = 0, read = 0;
        var reader = new Thread(() =>
        {
            for (int i = 0; i < handOffs; i++)
            {
                var values = queue.Take().ToArray();                 // the tensor dies while ToArray copies it
                if (values.AsSpan().IndexOfAnyExcept((float)i) >= 0) bad++;
                read++;
            }
        });
        reader.Start();
        for (int i = 0; i < handOffs; i++) HandOff(queue, n, i);
        reader.Join();
        Assert.Equal(handOffs, read);
        Assert.Equal(0, bad);
    }

    /// <summary>Makes a tensor of <paramref name="value"/>s, hands it over and keeps no reference; then a safe point of this thread.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void HandOff(BlockingCollection<Tensor> queue, int n, int value)
    {
        queue.Add(Tensor.Full([n], value));
        StoragePool.Reclaim();
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void AStorageReturnsAfterASafePointOnlyIfNoOtherThreadTouchedIt(bool readElsewhere)
    {
        StoragePool.Options = saved with { Budget = 0 };
        SafePoint();
        var array = MadeAndRead(6007, readElsewhere);
        SafePoint();
        var next = Tensor.Zeros(6007).Elems<float>();
        if (readElsewhere) Assert.NotSame(array, next);
        else Assert.Same(array, next);

        [MethodImpl(MethodImplOptions.NoInlining)]
        static float[] MadeAndRead(int n, bool elsewhere)
        {
            var t = Tensor.Full([n], 7);
            float last = 0;
            if (elsewhere)
            {
                var reader = new Thread(() => last = t.ToArray()[n - 1]);
                reader.Start();
                reader.Join();
            }
            else last = t.ToArray()[n - 1];
            Assert.Equal(7f, last);
            return t.Elems<float>();
        }
    }

    [Fact]
    public void AProgramWithoutSafePointsRunsInBoundedMemory()
    {
        StoragePool.Options = new StoragePoolOptions();
        SafePoint();
        var x = Tensor.Randn(1024, 1024);
        long before = GC.GetTotalMemory(forceFullCollection: true);
        for (int i = 0; i < 300; i++) _ = (x * 2).Exp().Sum();       // 2.4 GB of 4 MB results, never a ZeroGrad or DataLoader
        GC.Collect();
        GC.WaitForPendingFinalizers();
        Assert.InRange(StoragePool.PendingBytes, 0, 128L << 20);
        Assert.InRange(GC.GetTotalMemory(forceFullCollection: true) - before, long.MinValue, 160L << 20);
    }

    [Fact]
    public void OptionsAreOneObjectReplacedWhole()
    {
        var defaults = new StoragePoolOptions();
        Assert.Equal(4 * 1024, defaults.MinBytes);
        Assert.Equal(32L << 20, defaults.Budget);
        Assert.Equal(512L << 20, defaults.MaxIdleBytes);
        Assert.False(defaults.Poison);
        Assert.True(saved.Poison);                                   // the suite's module initializer set it
        Assert.Throws<ArgumentNullException>(() => StoragePool.Options = null!);
    }

    private static void SafePoint()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        StoragePool.Reclaim();
    }
}
