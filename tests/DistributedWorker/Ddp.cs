using Framework.Autograd;
using Framework.Distributed;
using Framework.NN;
using Framework.Optim;

namespace DistributedWorker;

internal static partial class Scenarios
{
    private const int Steps = 20, PerRank = 8, In = 16, Out = 4;

    /// <summary>16 → 512 → 512 → 4 with Tanh: the 512×512 layer fills the first bucket, so the gradients travel in two buckets.</summary>
    private static Sequential Model(DType dtype)
    {
        var m = new Sequential(new Linear(In, 512), new Tanh(), new Linear(512, 512), new Tanh(), new Linear(512, Out));
        m.To(dtype);
        return m;
    }

    /// <summary>The global batch of step <paramref name="step"/> (the same on every rank): 2B inputs and targets.</summary>
    private static (Tensor X, Tensor Y) Batch(int step, DType dtype, int size)
    {
        var g = new Generator(1000 + step);
        return (Tensor.Randn([size, In], generator: g, dtype: dtype), Tensor.Randn([size, Out], generator: g, dtype: dtype));
    }

    /// <summary>DDP with 2 ranks × batch B equals one process with batch 2B after 20 SGD-momentum steps; replicas bit-identical after each.</summary>
    private static IEnumerable<(string, string?)> Ddp()
    {
        foreach (var (dtype, tolerance) in ((DType, double)[])[(DType.Float64, 1e-6), (DType.Float32, 1e-5)])
        {
            Tensor.ManualSeed(Dist.Rank);                           // different initial weights per rank: the broadcast must make them equal
            var model = Model(dtype);
            using var ddp = new DistributedDataParallel(model);
            string? buckets = ddp.BucketSizes.Count == 2 ? null : $"{ddp.BucketSizes.Count} buckets";
            yield return ($"ddp-buckets-{dtype}", buckets);
            yield return ($"ddp-state-dict-{dtype}", ddp.StateDict().Keys.First() == "module.0.weight" ? null : ddp.StateDict().Keys.First());
            var single = Model(dtype);
            single.LoadStateDict(model.StateDict());
            string? identical = TrainBoth(ddp, model, single, dtype, Steps, 0);
            yield return ($"ddp-equals-single-{dtype}", Close(model, single, tolerance));
            yield return ($"ddp-replicas-identical-{dtype}", identical);
            yield return ($"ddp-wait-measured-{dtype}", ddp.CommunicationWaitSeconds >= 0 ? null : "negative");
        }
    }

    /// <summary>
    /// The large parameter in the last bucket's final slot (registered first) gets its gradient first, not last, so it
    /// travels in the bucket by a call of its own (not in place in .Grad); the result still equals one process's.
    /// </summary>
    private static IEnumerable<(string, string?)> TailFirst()
    {
        foreach (var (dtype, tolerance) in ((DType, double)[])[(DType.Float64, 1e-6), (DType.Float32, 1e-5)])
        {
            Tensor.ManualSeed(Dist.Rank);
            var model = new HeadFirst();
            model.To(dtype);
            using var ddp = new DistributedDataParallel(model);
            var single = new HeadFirst();
            single.To(dtype);
            single.LoadStateDict(model.StateDict());
            string? identical = TrainBoth(ddp, model, single, dtype, 5, 200);
            yield return ($"tail-one-bucket-{dtype}", ddp.BucketSizes.Count == 1 ? null : $"{ddp.BucketSizes.Count} buckets");
            yield return ($"tail-equals-single-{dtype}", Close(model, single, tolerance));
            yield return ($"tail-replicas-identical-{dtype}", identical);
        }
    }

    /// <summary>16 → 256 → 64 → 4 whose middle layer is declared first: its 64 KB (Float32) weight is parameter 0, whose gradient comes before the first layer's.</summary>
    private sealed class HeadFirst : Module
    {
        public readonly Linear head = new(256, 64), body = new(In, 256);
        public readonly Linear output = new(64, Out);

        public override Tensor Forward(Tensor input) => output.Call(head.Call(body.Call(input).Tanh()).Tanh());
    }

    /// <summary>
    /// SGD-momentum steps on the replica, fed this rank's share of each global batch (batches firstBatch, firstBatch + 1, …),
    /// and on one process fed the whole batch; null when the replicas stayed bit-identical after every step, else where not.
    /// </summary>
    private static string? TrainBoth(DistributedDataParallel ddp, Module model, Module single, DType dtype, int steps, int firstBatch)
    {
        int rank = Dist.Rank, size = Dist.WorldSize;
        var optimizer = new SGD(ddp.Parameters(), 0.05, momentum: 0.9);
        var reference = new SGD(single.Parameters(), 0.05, momentum: 0.9);
        var loss = new MSELoss();
        string? identical = null;
        for (int step = 0; step < steps; step++)
        {
            var (x, y) = Batch(firstBatch + step, dtype, PerRank * size);
            optimizer.ZeroGrad();
            loss.Forward(ddp.Call(x.Narrow(0, rank * PerRank, PerRank)), y.Narrow(0, rank * PerRank, PerRank)).Backward();
            optimizer.Step();
            reference.ZeroGrad();
            loss.Forward(single.Call(x), y).Backward();
            reference.Step();
            identical ??= Replicated(model, step);
        }
        return identical;
    }

    /// <summary>Two backward passes, the first under NoSync, average to the gradient of the whole (4 half-batches) batch.</summary>
    private static IEnumerable<(string, string?)> NoSyncAccumulation()
    {
        const DType dtype = DType.Float64;
        int rank = Dist.Rank, size = Dist.WorldSize;
        Tensor.ManualSeed(7);
        var model = Model(dtype);
        using var ddp = new DistributedDataParallel(model);
        var single = Model(dtype);
        single.LoadStateDict(model.StateDict());
        var optimizer = new SGD(ddp.Parameters(), 0.05, momentum: 0.9);
        var reference = new SGD(single.Parameters(), 0.05, momentum: 0.9);
        var loss = new MSELoss();
        string? equal = null, identical = null, local = null;
        for (int step = 0; step < 5; step++)
        {
            var (x, y) = Batch(100 + step, dtype, 2 * PerRank * size);
            // Chunk c of the global batch: rank r takes chunks r (under NoSync) and size + r.
            Tensor X(int c) => x.Narrow(0, c * PerRank, PerRank);
            Tensor Y(int c) => y.Narrow(0, c * PerRank, PerRank);
            optimizer.ZeroGrad();
            using (ddp.NoSync()) loss.Forward(ddp.Call(X(rank)), Y(rank)).Backward();
            if (step == 0) local = Replicated(model, -1, grads: true) is null && size > 1 ? "gradients already equal inside NoSync" : null;
            loss.Forward(ddp.Call(X(size + rank)), Y(size + rank)).Backward();
            optimizer.Step();
            // The same update from one process: the sum over the two micro-batches, averaged over the ranks.
            reference.ZeroGrad();
            for (int c = 0; c < 2 * size; c++) (loss.Forward(single.Call(X(c)), Y(c)) / size).Backward();
            reference.Step();
            identical ??= Replicated(model, step);
        }
        equal = Close(model, single, 1e-6);
        yield return ("nosync-local-only", local);
        yield return ("nosync-equals-larger-batch", equal);
        yield return ("nosync-replicas-identical", identical);
    }

    /// <summary>A parameter the loss does not use: an error naming it without findUnusedParameters, handled with it.</summary>
    private static IEnumerable<(string, string?)> Unused()
    {
        Tensor.ManualSeed(3);
        var model = new TwoHeads();
        using (var ddp = new DistributedDataParallel(model))
        {
            var x = Tensor.Randn(4, 3);
            ddp.Call(x).Sum().Backward();
            yield return ("unused-error", Throws(() => ddp.Call(x),
                "Expected to have finished reduction in the prior iteration before starting a new one. This error indicates that your module has " +
                "parameters that were not used in producing loss. You can enable unused parameter detection by passing findUnusedParameters: true " +
                "to DistributedDataParallel, and by making sure all Forward outputs participate in calculating loss. " +
                $"Parameters which did not receive grad for rank {Dist.Rank}: unused.weight, unused.bias"));
        }
        var other = new TwoHeads();
        using var found = new DistributedDataParallel(other, findUnusedParameters: true);
        string? result = null;
        for (int step = 0; step < 3 && result is null; step++)
        {
            other.ZeroGrad();
            var x = Tensor.Full([4, 3], Dist.Rank + 1.0);
            found.Call(x).Sum().Backward();
            // d/dW of sum(W x + b) is the column sums of x: ranks feed 1s and 2s, so the average is 1.5 · 4 = 6.
            result = Same(other.used.Weight.Grad!, Tensor.Full([2, 3], 6.0)) ?? (other.unused.Weight.Grad is null ? null : "unused parameter got a gradient");
        }
        yield return ("unused-found", result);
    }

    /// <summary>null when every rank holds bit-identical parameters (or gradients), else which differ.</summary>
    private static string? Replicated(Module model, int step, bool grads = false)
    {
        using var _ = new NoGrad();
        var flat = Tensor.Cat([.. model.Parameters().Select(p => (grads ? p.Grad! : p).Flatten())]);
        var bits = Tensor.From(Bits(flat));
        var all = Dist.AllGather(bits);
        for (int r = 1; r < all.Length; r++)
            if (Same(all[r], all[0]) is { } d) return $"step {step}: rank {r} differs from rank 0 ({d})";
        return null;
    }

    /// <summary>null when every parameter of a is within <paramref name="tolerance"/> of b's relative to b's largest magnitude.</summary>
    private static string? Close(Module a, Module b, double tolerance)
    {
        using var _ = new NoGrad();
        foreach (var ((name, p), (_, q)) in a.NamedParameters().Zip(b.NamedParameters()))
        {
            double diff = (p - q).Abs().Max().To(DType.Float64).Item();
            double scale = q.Abs().Max().To(DType.Float64).Item();
            if (diff > tolerance * scale) return $"{name}: max |Δ| {diff:G3} > {tolerance} × {scale:G3}";
        }
        return null;
    }

    /// <summary>A module with a head its output never uses.</summary>
    private sealed class TwoHeads : Module
    {
        public readonly Linear used = new(3, 2), unused = new(3, 2);

        public override Tensor Forward(Tensor input) => used.Call(input);
    }
}
