using Tensor = Framework.Autograd.Tensor;
using System.Runtime.InteropServices;
using Framework.Autograd;

namespace Framework.Distributed;

/// <summary>The process group over MPI (torch.distributed): every process of an mpirun job is one rank of MPI_COMM_WORLD.</summary>
/// <remarks>
/// Collectives take contiguous Float32, Float64 or Int64 tensors, change them in place and must be called by every rank
/// in the same order. Any thread may call these: MPI runs with MPI_THREAD_SERIALIZED and every call is made under one lock (<see cref="MpiGroup"/>).
/// </remarks>
public static unsafe class Dist
{
    private const int HeaderLength = 12;   // dtype, ndim, 8 sizes, a hash of the remaining sizes, the call's argument (op or src)
    private static MpiGroup? comm;
    private static bool destroyed;
    private static readonly Lock gate = new();

    /// <summary>Whether InitProcessGroup has run and DestroyProcessGroup has not.</summary>
    public static bool IsInitialized => comm is not null;

    /// <summary>When true (the default), every public collective first gathers each rank's dtype, shape and argument and throws if they differ; DDP's own buckets skip it.</summary>
    public static bool CheckShapes { get; set; } = true;

    /// <summary>Starts the process group: initialises MPI (MPI_Init_thread, MPI_THREAD_SERIALIZED) and reads this process's rank and the world size.</summary>
    public static void InitProcessGroup(string backend = "mpi")
    {
        ArgumentNullException.ThrowIfNull(backend);
        if (backend != "mpi") throw new ArgumentException($"Invalid backend: '{backend}'; the only backend is \"mpi\" (Open MPI)", nameof(backend));
        lock (gate)
        {
            if (comm is not null) throw new InvalidOperationException("trying to initialize the default process group twice!");
            if (destroyed) throw new InvalidOperationException("the process group was destroyed, and MPI cannot be initialised twice in one process");
            comm = new MpiGroup();
            AppDomain.CurrentDomain.ProcessExit += (_, _) => { if (comm is not null) DestroyProcessGroup(); };
        }
    }

    /// <summary>Finishes every queued collective, finalises MPI and ends the process group; it cannot be started again in this process.</summary>
    public static void DestroyProcessGroup()
    {
        MpiGroup c;
        lock (gate)
        {
            c = Group();
            comm = null;
            destroyed = true;
        }
        c.Stop();
    }

    /// <summary>This process's rank, 0 ≤ Rank &lt; WorldSize.</summary>
    public static int Rank => Group().Rank;

    /// <summary>The number of processes in the group.</summary>
    public static int WorldSize => Group().Size;

    /// <summary>The MPI thread support level granted at init (2 = MPI_THREAD_SERIALIZED, 3 = MPI_THREAD_MULTIPLE).</summary>
    public static int ThreadLevel => Group().Provided;

    /// <summary>Returns once every rank has called Barrier.</summary>
    public static void Barrier() => Group().Invoke(() => Mpi.Check(Mpi.Barrier(Mpi.CommWorld), "MPI_Barrier"));

    /// <summary>t ← op(t on rank 0, t on rank 1, …), elementwise and in place on every rank.</summary>
    public static void AllReduce(Tensor t, ReduceOp op = ReduceOp.Sum)
    {
        var c = Group();
        Check(t, nameof(AllReduce));
        int count = (int)t.Numel;
        nint dt = Datatype(t.DType), mop = MpiOp(op);
        fixed (byte* p = Bytes(t))
        {
            nint buffer = (nint)p;
            bool check = CheckShapes;
            c.Invoke(() =>
            {
                if (check) Agree(nameof(AllReduce), t, (long)op, c.Size);
                Mpi.Check(Mpi.Allreduce(Mpi.InPlace, (void*)buffer, count, dt, mop, Mpi.CommWorld), "MPI_Allreduce");
            });
            if (op == ReduceOp.Avg) Divide(buffer, count, t.DType, c.Size);
        }
        t.MarkModified();
    }

    /// <summary>Starts AllReduce(t, op) and returns at once; call Wait (or poll Test) before using t again.</summary>
    public static Work AllReduceAsync(Tensor t, ReduceOp op = ReduceOp.Sum)
    {
        var c = Group();
        Check(t, nameof(AllReduceAsync));
        if (CheckShapes) c.Invoke(() => Agree(nameof(AllReduceAsync), t, (long)op, c.Size));
        int count = (int)t.Numel;
        var dtype = t.DType;
        var bytes = Bytes(t);
        nint staging = (nint)NativeMemory.Alloc((nuint)Math.Max(1, bytes.Length));   // MPI keeps the address until the Work completes
        bytes.CopyTo(new Span<byte>((void*)staging, bytes.Length));
        return c.AllReduceAsync(staging, count, Datatype(dtype), MpiOp(op), () =>
        {
            try
            {
                if (op == ReduceOp.Avg) Divide(staging, count, dtype, c.Size);
                new ReadOnlySpan<byte>((void*)staging, Bytes(t).Length).CopyTo(Bytes(t));
                t.MarkModified();
            }
            finally { NativeMemory.Free((void*)staging); }
        });
    }

    /// <summary>t ← t on rank <paramref name="src"/>, in place on every rank.</summary>
    public static void Broadcast(Tensor t, int src)
    {
        var c = Group();
        Check(t, nameof(Broadcast));
        if (src < 0 || src >= c.Size) throw new ArgumentOutOfRangeException(nameof(src), $"Dist.Broadcast: src rank {src} is out of range [0, {c.Size - 1}]");
        int count = (int)t.Numel;
        nint dt = Datatype(t.DType);
        fixed (byte* p = Bytes(t))
        {
            nint buffer = (nint)p;
            bool check = CheckShapes;
            c.Invoke(() =>
            {
                if (check) Agree(nameof(Broadcast), t, src, c.Size);
                Mpi.Check(Mpi.Bcast((void*)buffer, count, dt, src, Mpi.CommWorld), "MPI_Bcast");
            });
        }
        t.MarkModified();
    }

    /// <summary>Every rank's t, in rank order: result[r] equals t on rank r (a new tensor each, of t's shape and dtype).</summary>
    public static Tensor[] AllGather(Tensor t)
    {
        var c = Group();
        Check(t, nameof(AllGather));
        int count = (int)t.Numel;
        if ((long)count * c.Size > int.MaxValue) throw new ArgumentException($"Dist.AllGather: {c.Size} × {count} elements exceed MPI's int count", nameof(t));
        nint dt = Datatype(t.DType);
        var output = Tensor.Empty([c.Size, .. t.Shape], t.DType);
        fixed (byte* p = Bytes(t))
        fixed (byte* q = Bytes(output))
        {
            nint send = (nint)p, receive = (nint)q;
            bool check = CheckShapes;
            c.Invoke(() =>
            {
                if (check) Agree(nameof(AllGather), t, 0, c.Size);
                Mpi.Check(Mpi.Allgather((void*)send, count, dt, (void*)receive, count, dt, Mpi.CommWorld), "MPI_Allgather");
            });
        }
        using var _ = new NoGrad();
        return output.Unbind(0);
    }

    /// <summary>The running group; throws PyTorch's error before InitProcessGroup.</summary>
    internal static MpiGroup Group() => comm ?? throw new InvalidOperationException(
        "Default process group has not been initialized, please make sure to call Dist.InitProcessGroup(\"mpi\") (and start the program with mpirun)");

    /// <summary>The checks every collective makes where it is entered: dtype, contiguity, MPI's int count.</summary>
    internal static void Check(Tensor t, string call)
    {
        ArgumentNullException.ThrowIfNull(t);
        if (t.DType is not (DType.Float32 or DType.Float64 or DType.Int64))
            throw new ArgumentException($"Dist.{call}: unsupported dtype {t.DType}; collectives take Float32, Float64 and Int64 tensors", nameof(t));
        if (!t.IsContiguous)
            throw new ArgumentException($"Dist.{call}: tensors must be contiguous, but this one has shape {Format(t.Shape)} and strides {Format(t.Strides)}; call Contiguous() first", nameof(t));
        if (t.Numel > int.MaxValue) throw new ArgumentException($"Dist.{call}: {t.Numel} elements exceed MPI's int count", nameof(t));
    }

    /// <summary>The MPI datatype of a dtype.</summary>
    internal static nint Datatype(DType dtype) => dtype switch
    {
        DType.Float32 => Mpi.Float,
        DType.Float64 => Mpi.Double,
        DType.Int64 => Mpi.Int64,
        _ => throw new ArgumentException($"unsupported dtype {dtype}"),
    };

    /// <summary>The MPI operation doing <paramref name="op"/> (Avg sums, then divides).</summary>
    internal static nint MpiOp(ReduceOp op) => op switch
    {
        ReduceOp.Sum or ReduceOp.Avg => Mpi.OpSum,
        ReduceOp.Max => Mpi.OpMax,
        ReduceOp.Min => Mpi.OpMin,
        _ => throw new ArgumentOutOfRangeException(nameof(op), $"unknown ReduceOp {op}"),
    };

    /// <summary>x[i] ← x[i] / n over <paramref name="count"/> elements at <paramref name="buffer"/> (Int64: truncated toward zero); once a step, so optimised from the first call (SpanMath).</summary>
    internal static void Divide(nint buffer, int count, DType dtype, int n)
    {
        switch (dtype)
        {
            case DType.Float32: { var x = new Span<float>((void*)buffer, count); SpanMath.Divide<float>(x, n, x); break; }
            case DType.Float64: { var x = new Span<double>((void*)buffer, count); SpanMath.Divide<double>(x, n, x); break; }
            default: { var x = new Span<long>((void*)buffer, count); for (int i = 0; i < x.Length; i++) x[i] /= n; break; }
        }
    }

    /// <summary>to ← from · factor, for a contiguous Float32 or Float64 tensor and a buffer of its size in bytes.</summary>
    internal static void Scale(Tensor from, Span<byte> to, double factor)
    {
        if (from.DType == DType.Float32) SpanMath.Multiply<float>(from.AsReadOnlySpan<float>(), (float)factor, MemoryMarshal.Cast<byte, float>(to));
        else SpanMath.Multiply<double>(from.AsReadOnlySpan<double>(), factor, MemoryMarshal.Cast<byte, double>(to));
    }

    /// <summary>The elements of a contiguous Float32, Float64 or Int64 tensor as bytes.</summary>
    internal static Span<byte> Bytes(Tensor t) => t.DType switch
    {
        DType.Float32 => MemoryMarshal.AsBytes(t.AsSpan<float>()),
        DType.Float64 => MemoryMarshal.AsBytes(t.AsSpan<double>()),
        _ => MemoryMarshal.AsBytes(t.AsSpan<long>()),
    };

    /// <summary>Gathers every rank's dtype, shape and argument and throws, on every rank alike, when they differ.</summary>
    private static void Agree(string call, Tensor t, long argument, int size)
    {
        var mine = Header(t, argument);
        var all = new long[HeaderLength * size];
        fixed (long* s = mine)
        fixed (long* r = all)
            Mpi.Check(Mpi.Allgather(s, HeaderLength, Mpi.Int64, r, HeaderLength, Mpi.Int64, Mpi.CommWorld), "MPI_Allgather");
        for (int rank = 1; rank < size; rank++)
            if (!all.AsSpan(rank * HeaderLength, HeaderLength).SequenceEqual(all.AsSpan(0, HeaderLength)))
            {
                string what = call == nameof(Broadcast) ? "src" : call == nameof(AllGather) ? "" : "op";
                string Describe(int k)
                {
                    var h = all.AsSpan(k * HeaderLength, HeaderLength);
                    var dims = h.Slice(2, (int)Math.Min(h[1], 8)).ToArray();
                    string arg = what.Length == 0 ? "" : what == "op" ? $", op {(ReduceOp)h[11]}" : $", src {h[11]}";
                    return $"rank {k} has {(DType)h[0]} {Format(dims)}{(h[1] > 8 ? "…" : "")}{arg}";
                }
                throw new InvalidOperationException($"Dist.{call}: the tensors differ across ranks: {Describe(0)}, {Describe(rank)}");
            }
    }

    private static long[] Header(Tensor t, long argument)
    {
        var h = new long[HeaderLength];
        var shape = t.Shape;
        h[0] = (long)t.DType;
        h[1] = shape.Length;
        for (int d = 0; d < Math.Min(8, shape.Length); d++) h[2 + d] = shape[d];
        long hash = 17;
        for (int d = 8; d < shape.Length; d++) hash = hash * 31 + shape[d];
        h[10] = hash;
        h[11] = argument;
        return h;
    }

    private static string Format<T>(IEnumerable<T> xs) => "[" + string.Join(", ", xs) + "]";
}
