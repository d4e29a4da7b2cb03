using Framework.Autograd;
using Framework.Distributed;

namespace DistributedWorker;

/// <summary>The checks run under mpirun; each yields (check name, null when it passed or what went wrong).</summary>
internal static partial class Scenarios
{
    public static readonly Dictionary<string, Func<IEnumerable<(string, string?)>>> All = new()
    {
        ["collectives"] = Collectives,
        ["errors"] = Errors,
        ["ddp"] = Ddp,
        ["tail"] = TailFirst,
        ["nosync"] = NoSyncAccumulation,
        ["unused"] = Unused,
        ["sampler"] = Sampler,
    };

    /// <summary>Exact Sum, Avg, Max, Min, Broadcast, AllGather and the non-blocking allreduce for each dtype.</summary>
    private static IEnumerable<(string, string?)> Collectives()
    {
        int rank = Dist.Rank, size = Dist.WorldSize;
        yield return ("init", rank >= 0 && rank < size && size == 2 ? null : $"rank {rank} of {size}");
        yield return ("thread-level", Dist.ThreadLevel >= 2 ? null : $"level {Dist.ThreadLevel}");
        foreach (var dtype in (DType[])[DType.Float32, DType.Float64, DType.Int64])
        {
            // Rank r holds (r + 1) · (1, 2, …, 12) as a [3, 4] tensor: every result is exact in each dtype.
            Tensor Mine() => (Tensor.Arange(1, 13).Reshape(3, 4) * (rank + 1)).To(dtype);
            Tensor Expect(Func<double, double> f) => Tensor.From([.. Enumerable.Range(1, 12).Select(i => f(i))]).Reshape(3, 4).To(dtype);
            double ranksSum = size * (size + 1) / 2.0;
            foreach (var (op, f) in ((ReduceOp, Func<double, double>)[])[
                (ReduceOp.Sum, x => x * ranksSum),
                (ReduceOp.Avg, x => dtype == DType.Int64 ? Math.Truncate(x * ranksSum / size) : x * ranksSum / size),
                (ReduceOp.Max, x => x * size),
                (ReduceOp.Min, x => x)])
            {
                var t = Mine();
                Dist.AllReduce(t, op);
                yield return ($"allreduce-{op}-{dtype}", Same(t, Expect(f)));
                var u = Mine();
                var work = Dist.AllReduceAsync(u, op);
                work.Wait();
                yield return ($"allreduce-async-{op}-{dtype}", work.Test() ? Same(u, Expect(f)) : "Test() false after Wait()");
            }
            var b = Mine();
            Dist.Broadcast(b, 1);
            yield return ($"broadcast-{dtype}", Same(b, Expect(x => x * 2)));
            var gathered = Dist.AllGather(Mine());
            string? g = gathered.Length != size ? $"{gathered.Length} tensors" : null;
            for (int r = 0; r < size && g is null; r++) g = Same(gathered[r], Expect(x => x * (r + 1)));
            yield return ($"allgather-{dtype}", g);
        }
        Dist.Barrier();
        yield return ("barrier", null);
    }

    /// <summary>Misuse: a non-contiguous tensor, an unsupported dtype, shapes that differ across ranks, a bad src.</summary>
    private static IEnumerable<(string, string?)> Errors()
    {
        int rank = Dist.Rank;
        yield return ("error-noncontiguous", Throws(() => Dist.AllReduce(Tensor.Zeros(3, 4).T()),
            "Dist.AllReduce: tensors must be contiguous, but this one has shape [4, 3] and strides [1, 4]; call Contiguous() first (Parameter 't')"));
        yield return ("error-dtype", Throws(() => Dist.Broadcast(Tensor.Zeros([2], DType.Bool), 0),
            "Dist.Broadcast: unsupported dtype Bool; collectives take Float32, Float64 and Int64 tensors (Parameter 't')"));
        yield return ("error-src", Throws(() => Dist.Broadcast(Tensor.Zeros(2), 2),
            "Dist.Broadcast: src rank 2 is out of range [0, 1] (Parameter 'src')"));
        yield return ("error-shape", Throws(() => Dist.AllReduce(Tensor.Zeros(rank == 0 ? [2, 3] : [3, 2])),
            "Dist.AllReduce: the tensors differ across ranks: rank 0 has Float32 [2, 3], op Sum, rank 1 has Float32 [3, 2], op Sum"));
        yield return ("error-op", Throws(() => Dist.AllReduce(Tensor.Zeros(2), rank == 0 ? ReduceOp.Sum : ReduceOp.Max),
            "Dist.AllReduce: the tensors differ across ranks: rank 0 has Float32 [2], op Sum, rank 1 has Float32 [2], op Max"));
        yield return ("error-init-twice", Throws(() => Dist.InitProcessGroup(), "trying to initialize the default process group twice!"));
        yield return ("error-backend", Throws(() => Dist.InitProcessGroup("nccl"), "Invalid backend: 'nccl'; the only backend is \"mpi\" (Open MPI) (Parameter 'backend')"));
        yield return ("error-ddp-replicas-differ", Throws(() => new Framework.Distributed.DistributedDataParallel(new Framework.NN.Linear(3, rank == 0 ? 2 : 4)),
            "DistributedDataParallel: the replicas differ: rank 0's module has 2 parameters of 8 elements, rank 1's 2 of 16; every rank must build the same model"));
        yield return ("null-reference-after-mpi-init", NullReference());
        // After the errors the ranks are still in step: a collective still works.
        var t = Tensor.Ones(2);
        Dist.AllReduce(t);
        yield return ("after-errors", Same(t, Tensor.Full([2], 2.0)));
    }

    /// <summary>.NET turns a null dereference (SIGSEGV) into NullReferenceException; Open MPI's own SIGSEGV handler must not take it over.</summary>
    private static string? NullReference()
    {
        int[]? none = Environment.GetEnvironmentVariable("NO_SUCH_VARIABLE_42") is null ? null : [1];
        try { return $"read {none![0]}"; }
        catch (NullReferenceException) { return null; }
    }

    /// <summary>null when a equals b exactly (same dtype, shape and bits), else what differs.</summary>
    internal static string? Same(Tensor a, Tensor b)
    {
        if (a.DType != b.DType) return $"dtype {a.DType} != {b.DType}";
        if (!a.Shape.SequenceEqual(b.Shape)) return $"shape [{string.Join(", ", a.Shape)}] != [{string.Join(", ", b.Shape)}]";
        var x = Bits(a);
        var y = Bits(b);
        for (int i = 0; i < x.Length; i++)
            if (x[i] != y[i]) return $"element {i}: {a.Flatten().To(DType.Float64).AsReadOnlySpan<double>()[i]} != {b.Flatten().To(DType.Float64).AsReadOnlySpan<double>()[i]}";
        return null;
    }

    /// <summary>The elements' bit patterns.</summary>
    internal static long[] Bits(Tensor t)
    {
        t = t.Contiguous();
        return t.DType switch
        {
            DType.Float32 => [.. t.AsReadOnlySpan<float>().ToArray().Select(v => (long)BitConverter.SingleToInt32Bits(v))],
            DType.Float64 => [.. t.AsReadOnlySpan<double>().ToArray().Select(BitConverter.DoubleToInt64Bits)],
            _ => t.AsReadOnlySpan<long>().ToArray(),
        };
    }

    /// <summary>null when <paramref name="action"/> throws an exception whose message is exactly <paramref name="message"/>.</summary>
    internal static string? Throws(Action action, string message)
    {
        try { action(); }
        catch (Exception e) { return e.Message == message ? null : $"message was: {e.Message}"; }
        return "did not throw";
    }
}
