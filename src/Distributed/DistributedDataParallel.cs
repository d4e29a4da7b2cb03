using System.Diagnostics;
using Framework.Autograd;
using Framework.NN;

namespace Framework.Distributed;

/// <summary>
/// Data-parallel training (torch.nn.parallel.DistributedDataParallel): each rank runs the wrapped module on its own batch,
/// and Backward leaves every parameter's .Grad equal to the average over the ranks of their gradients.
/// </summary>
/// <remarks>
/// At construction rank 0's parameters and buffers are broadcast, so the replicas start equal. The parameters that
/// require grad are packed, in reverse order (about the order their gradients become ready), into buckets of one dtype
/// and at most 1 MB for the first and <c>bucketCapMb</c> MB for the others. A post-accumulate hook on each parameter
/// copies its .Grad (which includes what NoSync steps accumulated), divided by the world size, into its bucket; when a bucket is full it is
/// allreduced without waiting, in bucket order on every rank, while backward goes on (each later hook calls MPI_Test, which moves them forward);
/// the last bucket, launched (buckets go in order) only once every gradient has arrived, is allreduced blocking, as nothing is left to overlap. The last gradient to arrive waits
/// for every bucket and copies the averages back into .Grad, before Backward returns. State-dict keys are prefixed "module.".
/// </remarks>
public sealed unsafe class DistributedDataParallel : Module, IDisposable
{
    private const int FirstBucketBytes = 1 << 20;   // PyTorch's _DEFAULT_FIRST_BUCKET_BYTES
    private const int TailBytes = 64 << 10;

    private readonly Module module;
    private readonly Tensor[] parameters;   // not Parameter[]: a field of that type would register them again as "parameters.0", …
    private readonly string[] names;
    private readonly Node[] accumulators;
    private readonly Bucket[] buckets;
    private readonly (int Bucket, int Slot)[] place;
    private readonly int tail;   // the parameter in the last bucket's final slot, allreduced by a call of its own (-1: none, it is small)
    private readonly Tensor[] buffers;
    private readonly bool findUnused;
    private readonly bool broadcastBuffers;
    private readonly Lock gate = new();

    // One iteration's state, reset by Forward.
    private bool expecting;
    private readonly bool[] ready;
    private readonly bool[] used;
    private int readyCount, nextLaunch;
    private int averagedInPlace = -1;   // the parameter whose .Grad itself was allreduced in this iteration, or -1
    private bool requireSync = true;
    private bool disposed;

    /// <summary>Wraps <paramref name="module"/> for data-parallel training over the running process group (all ranks call this together).</summary>
    /// <param name="module">The replica; every rank must build the same architecture.</param>
    /// <param name="bucketCapMb">Megabytes of gradient per allreduce (the first bucket holds at most 1 MB).</param>
    /// <param name="findUnusedParameters">Find, at each Forward, the parameters its output does not depend on, so they count as ready (PyTorch's find_unused_parameters).</param>
    /// <param name="broadcastBuffers">Broadcast rank 0's buffers (e.g. BatchNorm's running statistics) before each training Forward.</param>
    public DistributedDataParallel(Module module, int bucketCapMb = 25, bool findUnusedParameters = false, bool broadcastBuffers = true)
    {
        ArgumentNullException.ThrowIfNull(module);
        if (bucketCapMb <= 0) throw new ArgumentOutOfRangeException(nameof(bucketCapMb), $"bucketCapMb must be positive, but got {bucketCapMb}");
        Dist.Group();
        this.module = module;
        findUnused = findUnusedParameters;
        this.broadcastBuffers = broadcastBuffers;
        var named = module.NamedParameters().Where(p => p.Param.RequiresGrad).ToArray();
        parameters = [.. named.Select(p => p.Param)];
        names = [.. named.Select(p => p.Name)];
        buffers = [.. module.NamedBuffers().Select(b => b.Buffer)];
        foreach (var (name, p) in named)
            if (p.DType is not (DType.Float32 or DType.Float64))
                throw new ArgumentException($"DistributedDataParallel: parameter {name} is {p.DType}; gradients are averaged for Float32 and Float64 parameters", nameof(module));
        VerifyAcrossRanks(module);
        using (new NoGrad())
        {
            foreach (var (_, p) in module.NamedParameters()) Dist.Broadcast(p, 0);
            foreach (var b in buffers) Dist.Broadcast(b, 0);
        }
        accumulators = [.. parameters.Select(Accumulator)];
        (buckets, place) = Assign(parameters, (long)bucketCapMb << 20);
        int final = buckets.Length > 0 ? buckets[^1].Params[^1] : -1;
        tail = final >= 0 && parameters[final].Numel * parameters[final].DType.ElementSize() >= TailBytes ? final : -1;
        ready = new bool[parameters.Length];
        used = new bool[parameters.Length];
        for (int i = 0; i < parameters.Length; i++)
        {
            int index = i;
            parameters[i].RegisterPostAccumulateGradHook(_ => OnAccumulated(index));
        }
    }

    /// <summary>The wrapped module (state-dict keys "module.…" come from this field's name).</summary>
    public Module Module => module;

    /// <summary>The gradient buckets' sizes in elements, in launch order.</summary>
    public IReadOnlyList<int> BucketSizes => [.. buckets.Select(b => b.Count)];

    /// <summary>Seconds Backward spent blocked waiting for allreduces to finish, summed over all iterations.</summary>
    public double CommunicationWaitSeconds { get; private set; }

    /// <summary>Runs the module; in training with gradients enabled (and outside NoSync) it prepares the gradient averaging of the coming Backward.</summary>
    public override Tensor Forward(Tensor input)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        lock (gate)
            if (expecting && readyCount < parameters.Length) Unfinished();
        if (broadcastBuffers && buffers.Length > 0 && Training && Dist.WorldSize > 1)
            using (new NoGrad()) foreach (var b in buffers) Dist.Broadcast(b, 0);
        var y = module.Call(input);
        lock (gate)
        {
            expecting = false;
            if (requireSync && GradMode.IsEnabled && y.RequiresGrad) Prepare(y);
        }
        return y;
    }

    /// <summary>Within the returned scope Forward prepares no averaging, so the gradients of its Backward only accumulate locally (no_sync); the first Backward after it averages the sum.</summary>
    public IDisposable NoSync()
    {
        bool previous = requireSync;
        requireSync = false;
        return new Scope(() => requireSync = previous);
    }

    /// <summary>Frees the gradient buckets (waiting for any allreduce still running); the wrapper cannot be used afterwards.</summary>
    public void Dispose()
    {
        lock (gate)
        {
            if (disposed) return;
            disposed = true;
            expecting = false;
            foreach (var b in buckets)
            {
                b.Work?.Wait();
                b.Dispose();
            }
        }
    }

    private void Prepare(Tensor y)
    {
        Array.Clear(ready);
        readyCount = 0;
        nextLaunch = 0;
        averagedInPlace = -1;
        foreach (var b in buckets)
        {
            b.Pending = b.Params.Length;
            b.Work = null;
        }
        expecting = true;
        if (!findUnused) return;
        var reached = Reachable(y);
        for (int i = 0; i < parameters.Length; i++)
        {
            used[i] = reached.Contains(accumulators[i]);
            if (!used[i]) MarkReady(i);
        }
        if (readyCount == parameters.Length) Finish();
    }

    /// <summary>The hook after parameter <paramref name="i"/>'s gradient has been accumulated: copies it into its bucket; the last one waits for the buckets.</summary>
    private void OnAccumulated(int i)
    {
        lock (gate)
        {
            if (!expecting) return;
            if (ready[i])
                throw new InvalidOperationException(
                    $"Expected to mark a variable ready only once. Parameter {names[i]} received a gradient twice in one iteration: it was used in " +
                    "several backward passes after one Forward of DistributedDataParallel (e.g. retainGraph), or outside its Forward");
            MarkReady(i);
            if (readyCount == parameters.Length) Finish();
        }
    }

    /// <summary>Copies parameter i's .Grad / world size (zeros if it has none) into its slot and launches every bucket that is full, in order.</summary>
    /// <remarks>
    /// The last bucket is launched only with the last gradient (buckets go in order), when backward has nothing left to
    /// overlap it with, so it is allreduced blocking (Open MPI's blocking allreduce took half the time of its non-blocking one, libnbc, on 800 KB).
    /// Its final slot, when large, goes as a call of its own; when that parameter's gradient is the last to arrive and
    /// is contiguous, that call reduces .Grad itself, pinned for the call, which saves copying it in and out. Which
    /// calls are made depends only on the bucket layout, so every rank makes the same ones whatever the arrival order.
    /// </remarks>
    private void MarkReady(int i)
    {
        var p = parameters[i];
        var (b, k) = place[i];
        var comm = Dist.Group();
        double scale = 1.0 / comm.Size;   // as PyTorch's Reducer, which divides while copying into the bucket
        using (new NoGrad())
        {
            if (i == tail && readyCount + 1 == parameters.Length && p.Grad is { IsContiguous: true } own)
            {
                var bytes = Dist.Bytes(own);
                Dist.Scale(own, bytes, scale);
                averagedInPlace = i;
            }
            else if (p.Grad is { } grad) Dist.Scale(grad.Contiguous(), buckets[b].Slot(k, p.Numel), scale);
            else buckets[b].Slot(k, p.Numel).Clear();
        }
        ready[i] = true;
        readyCount++;
        buckets[b].Pending--;
        while (nextLaunch < buckets.Length && buckets[nextLaunch].Pending == 0)
        {
            var bucket = buckets[nextLaunch++];
            var (dt, sum) = (Dist.Datatype(bucket.DType), Dist.MpiOp(ReduceOp.Sum));
            if (nextLaunch < buckets.Length)
            {
                bucket.Work = comm.AllReduceAsync(bucket.Buffer, bucket.Count, dt, sum, null);
                continue;
            }
            long start = Stopwatch.GetTimestamp();
            if (tail < 0) bucket.Work = comm.AllReduceNow(bucket.Buffer, bucket.Count, dt, sum);
            else
            {
                int head = bucket.Offsets[^1];
                if (head > 0) comm.AllReduceNow(bucket.Buffer, head, dt, sum);
                if (averagedInPlace == tail)
                {
                    var grad = parameters[tail].Grad!;
                    fixed (byte* g = Dist.Bytes(grad))
                        bucket.Work = comm.AllReduceNow((nint)g, bucket.Count - head, dt, sum);
                    grad.MarkModified();
                }
                else
                    bucket.Work = comm.AllReduceNow(bucket.Buffer + (nint)head * bucket.DType.ElementSize(), bucket.Count - head, dt, sum);
            }
            CommunicationWaitSeconds += Stopwatch.GetElapsedTime(start).TotalSeconds;
        }
        for (int launched = 0; launched < nextLaunch; launched++) buckets[launched].Work!.Test();   // MPI moves posted allreduces on only inside MPI calls
    }

    /// <summary>Waits for every bucket and copies the averages into .Grad.</summary>
    private void Finish()
    {
        var clock = Stopwatch.StartNew();
        foreach (var b in buckets) b.Work!.Wait();
        bool[]? usedSomewhere = findUnused ? GloballyUsed() : null;
        CommunicationWaitSeconds += clock.Elapsed.TotalSeconds;
        expecting = false;
        using var _ = new NoGrad();
        for (int i = 0; i < parameters.Length; i++)
        {
            if (usedSomewhere is not null && !usedSomewhere[i] || i == averagedInPlace) continue;   // no rank used it: .Grad stays as it was; or it holds the average already
            var p = parameters[i];
            var (b, k) = place[i];
            var slot = buckets[b].Slot(k, p.Numel);
            if (p.Grad is { IsContiguous: true } grad)
            {
                slot.CopyTo(Dist.Bytes(grad));
                grad.MarkModified();
            }
            else
            {
                var average = Tensor.Empty(p.Shape, p.DType);
                slot.CopyTo(Dist.Bytes(average));
                if (p.Grad is { } strided) strided.CopyFrom(average); else p.Grad = average;
            }
        }
    }

    /// <summary>For findUnusedParameters: whether any rank used each parameter in this iteration (an allreduce of the flags).</summary>
    private bool[] GloballyUsed()
    {
        var flags = Tensor.Zeros([parameters.Length], DType.Int64);
        var span = flags.AsSpan<long>();
        for (int i = 0; i < used.Length; i++) span[i] = used[i] ? 1 : 0;
        bool check = Dist.CheckShapes;
        Dist.CheckShapes = false;
        try { Dist.AllReduce(flags, ReduceOp.Max); }
        finally { Dist.CheckShapes = check; }
        var result = new bool[used.Length];
        var all = flags.AsReadOnlySpan<long>();
        for (int i = 0; i < result.Length; i++) result[i] = all[i] != 0;
        return result;
    }

    /// <summary>Throws PyTorch's error for an iteration whose Backward did not produce every parameter's gradient (after draining the launched buckets).</summary>
    private void Unfinished()
    {
        foreach (var b in buckets) b.Work?.Wait();
        expecting = false;
        var missing = Enumerable.Range(0, parameters.Length).Where(i => !ready[i]).Select(i => names[i]);
        throw new InvalidOperationException(
            "Expected to have finished reduction in the prior iteration before starting a new one. This error indicates that your module has " +
            "parameters that were not used in producing loss. You can enable unused parameter detection by passing findUnusedParameters: true " +
            "to DistributedDataParallel, and by making sure all Forward outputs participate in calculating loss. " +
            $"Parameters which did not receive grad for rank {Dist.Rank}: {string.Join(", ", missing)}");
    }

    /// <summary>The AccumulateGrad nodes the graph of <paramref name="y"/> leads to.</summary>
    private static HashSet<Node> Reachable(Tensor y)
    {
        var seen = new HashSet<Node>(ReferenceEqualityComparer.Instance);
        var stack = new Stack<Node>();
        if (y.GradFn is { } root) stack.Push(root);
        while (stack.Count > 0)
        {
            var n = stack.Pop();
            if (!seen.Add(n)) continue;
            foreach (var m in n.NextFunctions) if (m is not null && !seen.Contains(m)) stack.Push(m);
        }
        return seen;
    }

    /// <summary>The leaf's AccumulateGrad node, found as PyTorch's DDP finds it: the next function of an op on it (p.expand_as(p).grad_fn.next_functions[0]).</summary>
    private static Node Accumulator(Tensor p)
    {
        using var _ = new EnableGrad();
        var probe = p * 1.0;
        return probe.GradFn?.NextFunctions[0] as AccumulateGrad
               ?? throw new InvalidOperationException("DistributedDataParallel: could not find a parameter's AccumulateGrad node");
    }

    /// <summary>Buckets in reverse parameter order, one dtype each, closed once they reach 1 MB (the first) or <paramref name="capBytes"/>.</summary>
    private static (Bucket[], (int, int)[]) Assign(Tensor[] ps, long capBytes)
    {
        var result = new List<int[]>();
        var open = new Dictionary<DType, (List<int> Members, long Bytes)>();
        for (int i = ps.Length - 1; i >= 0; i--)
        {
            var dtype = ps[i].DType;
            var (members, bytes) = open.TryGetValue(dtype, out var o) ? o : ([], 0);
            members.Add(i);
            bytes += ps[i].Numel * dtype.ElementSize();
            long limit = result.Count == 0 ? Math.Min(FirstBucketBytes, capBytes) : capBytes;
            if (bytes >= limit)
            {
                result.Add([.. members]);
                open.Remove(dtype);
            }
            else open[dtype] = (members, bytes);
        }
        foreach (var (_, (members, _)) in open) result.Add([.. members]);
        var all = ps;
        var buckets = result.Select(m => new Bucket(m, all)).ToArray();
        var place = new (int, int)[ps.Length];
        for (int b = 0; b < buckets.Length; b++)
            for (int k = 0; k < buckets[b].Params.Length; k++) place[buckets[b].Params[k]] = (b, k);
        return (buckets, place);
    }

    /// <summary>Throws on every rank when the ranks' modules differ in their parameters' number, dtypes or shapes.</summary>
    private static void VerifyAcrossRanks(Module module)
    {
        var ps = module.NamedParameters().Select(p => p.Param).ToArray();
        long hash = 17, numel = 0;
        foreach (var p in ps)
        {
            numel += p.Numel;
            hash = hash * 31 + (long)p.DType;
            foreach (int d in p.Shape) hash = hash * 31 + d;
        }
        var mine = Tensor.Zeros([3], DType.Int64);
        var span = mine.AsSpan<long>();
        (span[0], span[1], span[2]) = (ps.Length, numel, hash);
        var all = Dist.AllGather(mine);
        var first = all[0].AsReadOnlySpan<long>();
        for (int r = 1; r < all.Length; r++)
        {
            var other = all[r].AsReadOnlySpan<long>();
            if (!other.SequenceEqual(first))
                throw new InvalidOperationException(
                    $"DistributedDataParallel: the replicas differ: rank 0's module has {first[0]} parameters of {first[1]} elements, rank {r}'s " +
                    $"{other[0]} of {other[1]}{(other[0] == first[0] && other[1] == first[1] ? " with other shapes or dtypes" : "")}; every rank must build the same model");
        }
    }

    private sealed class Scope(Action end) : IDisposable
    {
        private Action? end = end;

        public void Dispose()
        {
            end?.Invoke();
            end = null;
        }
    }
}
