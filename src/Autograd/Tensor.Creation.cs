using System.Numerics;

namespace Framework.Autograd;

// Creation functions and value access.
public partial class Tensor
{
    private static Tensor FromData<T>(T[] data, int[] shape, bool requiresGrad) where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(shape);
        if (ShapeUtil.Numel(shape) != data.Length)
            throw new ArgumentException($"FromArray: {data.Length} values cannot fill a tensor of shape {ShapeUtil.Format(shape)}");
        var t = new Tensor(new Storage<T>((T[])data.Clone()), (int[])shape.Clone(), ShapeUtil.ContiguousStrides(shape));
        if (requiresGrad) t.RequiresGrad = true;
        return t;
    }

    private static T[] Flat<T>(Array a, out int[] shape)
    {
        shape = new int[a.Rank];
        for (int i = 0; i < a.Rank; i++) shape[i] = a.GetLength(i);
        var r = new T[a.Length];
        int k = 0;
        foreach (T v in a) r[k++] = v;
        return r;
    }

    /// <summary>A 0-d Float32 tensor.</summary>
    public static Tensor From(float value) => FromData([value], [], false);
    /// <summary>A 0-d Float64 tensor.</summary>
    public static Tensor From(double value) => FromData([value], [], false);
    /// <summary>A 0-d Int64 tensor.</summary>
    public static Tensor From(long value) => FromData([value], [], false);
    /// <summary>A 1-d Float32 tensor (copied).</summary>
    public static Tensor From(float[] data, bool requiresGrad = false) => FromData(data, [data.Length], requiresGrad);
    /// <summary>A 1-d Float64 tensor (copied).</summary>
    public static Tensor From(double[] data, bool requiresGrad = false) => FromData(data, [data.Length], requiresGrad);
    /// <summary>A 1-d Int64 tensor (copied).</summary>
    public static Tensor From(long[] data, bool requiresGrad = false) => FromData(data, [data.Length], requiresGrad);
    /// <summary>A 1-d Bool tensor (copied).</summary>
    public static Tensor From(bool[] data, bool requiresGrad = false) => FromData(data, [data.Length], requiresGrad);
    /// <summary>A 2-d Float32 tensor (copied).</summary>
    public static Tensor From(float[,] data, bool requiresGrad = false) => FromData(Flat<float>(data, out var s), s, requiresGrad);
    /// <summary>A 3-d Float32 tensor (copied).</summary>
    public static Tensor From(float[,,] data, bool requiresGrad = false) => FromData(Flat<float>(data, out var s), s, requiresGrad);
    /// <summary>A 2-d Float64 tensor (copied).</summary>
    public static Tensor From(double[,] data, bool requiresGrad = false) => FromData(Flat<double>(data, out var s), s, requiresGrad);
    /// <summary>A 3-d Float64 tensor (copied).</summary>
    public static Tensor From(double[,,] data, bool requiresGrad = false) => FromData(Flat<double>(data, out var s), s, requiresGrad);
    /// <summary>A 2-d Int64 tensor (copied).</summary>
    public static Tensor From(long[,] data, bool requiresGrad = false) => FromData(Flat<long>(data, out var s), s, requiresGrad);
    /// <summary>A Float32 tensor of the given shape from row-major values (copied).</summary>
    public static Tensor FromArray(float[] data, int[] shape, bool requiresGrad = false) => FromData(data, shape, requiresGrad);
    /// <summary>A Float64 tensor of the given shape from row-major values (copied).</summary>
    public static Tensor FromArray(double[] data, int[] shape, bool requiresGrad = false) => FromData(data, shape, requiresGrad);
    /// <summary>An Int64 tensor of the given shape from row-major values (copied).</summary>
    public static Tensor FromArray(long[] data, int[] shape, bool requiresGrad = false) => FromData(data, shape, requiresGrad);
    /// <summary>A Bool tensor of the given shape from row-major values (copied).</summary>
    public static Tensor FromArray(bool[] data, int[] shape, bool requiresGrad = false) => FromData(data, shape, requiresGrad);

    /// <summary>A copy of a user's shape, refused when a dimension is negative or the elements are too many (ShapeUtil.Numel).</summary>
    private static int[] CheckShape(int[] shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        ShapeUtil.Numel(shape);
        return (int[])shape.Clone();
    }

    /// <summary>Float32 zeros.</summary>
    public static Tensor Zeros(params int[] shape) => Zeros(shape, DType.Float32);
    /// <summary>Zeros of a dtype.</summary>
    public static Tensor Zeros(int[] shape, DType dtype = DType.Float32, bool requiresGrad = false)
        => new Tensor(CheckShape(shape), dtype).RequiresGrad_(requiresGrad);
    /// <summary>Float32 ones.</summary>
    public static Tensor Ones(params int[] shape) => Ones(shape, DType.Float32);
    /// <summary>Ones of a dtype.</summary>
    public static Tensor Ones(int[] shape, DType dtype = DType.Float32, bool requiresGrad = false)
        => Full(shape, 1, dtype).RequiresGrad_(requiresGrad);
    /// <summary>An uninitialised Float32 tensor (torch.empty): its elements are whatever the memory held.</summary>
    public static Tensor Empty(params int[] shape) => Empty(shape, DType.Float32);
    /// <summary>A tensor filled with value (converted to the dtype: truncated for Int64, value ≠ 0 for Bool; refused when the dtype cannot hold it, e.g. NaN or 1e30 as Int64).</summary>
    public static Tensor Full(int[] shape, double value, DType dtype = DType.Float32, bool requiresGrad = false)
    {
        var t = Dispatch.Fill(new Tensor(CheckShape(shape), dtype, clear: false), value);
        if (requiresGrad) t.RequiresGrad = true;
        return t;
    }

    /// <summary>Normal values of the given mean and std (torch.normal(mean, std, size)), PyTorch's stream for the generator.</summary>
    public static Tensor Normal(double mean, double std, int[] shape, Generator? generator = null, DType dtype = DType.Float32, bool requiresGrad = false)
    {
        var t = FillRandom(new Tensor(CheckShape(shape), FloatOnly(dtype, "normal"), clear: false), generator, normal: true, mean, std);
        if (requiresGrad) t.RequiresGrad = true;
        return t;
    }
    /// <summary>Zeros with t's shape and dtype.</summary>
    public static Tensor ZerosLike(Tensor t) => new(t.shape, t.DType);
    /// <summary>Ones with t's shape and dtype.</summary>
    public static Tensor OnesLike(Tensor t) => Full(t.shape, 1, t.DType);
    /// <summary>Standard normal values with t's shape and dtype.</summary>
    public static Tensor RandnLike(Tensor t) => Randn(t.shape, dtype: t.DType);

    /// <summary>0, 1, ..., end−1 as Int64 (torch.arange(24)).</summary>
    public static Tensor Arange(long end)
    {
        var t = new Tensor([ArangeLength(0, end, 1)], DType.Int64, clear: false);
        var s = t.Span<long>();
        for (int i = 0; i < s.Length; i++) s[i] = i;
        return t;
    }

    /// <summary>0, 1, ... below end as Float32 (torch.arange(4.0)).</summary>
    public static Tensor Arange(double end) => Arange(0, end, 1);

    /// <summary>start, start+step, ... below end as Float32.</summary>
    public static Tensor Arange(double start, double end, double step = 1)
    {
        int n = ArangeLength(start, end, step);
        var t = new Tensor([n], DType.Float32, clear: false);
        var s = t.Span<float>();
        for (int i = 0; i < n; i++) s[i] = (float)(start + i * step);
        return t;
    }

    /// <summary>⌈(end − start) / step⌉, the length of arange(start, end, step), refused as PyTorch's arange refuses (and above MaxElements).</summary>
    private static int ArangeLength(double start, double end, double step)
    {
        string range = $"(start {ShapeUtil.FormatScalar(start)}, end {ShapeUtil.FormatScalar(end)}, step {ShapeUtil.FormatScalar(step)})";
        if (!(step > 0 || step < 0)) throw new ArgumentException($"step must be nonzero {range}");
        if (!double.IsFinite(start) || !double.IsFinite(end))
            throw new ArgumentException($"unsupported range: {ShapeUtil.FormatScalar(start)} -> {ShapeUtil.FormatScalar(end)}");
        if (!double.IsFinite(step)) throw new ArgumentException($"unsupported range step: {ShapeUtil.FormatScalar(step)} {range}");
        if (step > 0 ? end < start : end > start) throw new ArgumentException($"upper bound and larger bound inconsistent with step sign {range}");
        double n = Math.Ceiling((end - start) / step);
        if (n > ShapeUtil.MaxElements)
            throw ShapeUtil.TooManyElements($"arange{range}", new System.Numerics.BigInteger(n));
        return (int)n;
    }

    /// <summary><paramref name="steps"/> evenly spaced values from start to end inclusive (torch.linspace: Float32 by default, bit for bit PyTorch's values).</summary>
    public static Tensor Linspace(double start, double end, int steps, DType dtype = DType.Float32, bool requiresGrad = false)
    {
        if (steps < 0) throw new ArgumentException("number of steps must be non-negative");
        if (!dtype.IsFloatingPoint()) throw new ArgumentException($"linspace: dtype {dtype.TorchName()} is not supported here; use a floating dtype and .To({dtype})");
        var t = new Tensor([steps], dtype, clear: false);
        var fill = new LinspaceKernel(t, start, end);
        DTypeDispatch.Floating(dtype, ref fill);
        if (requiresGrad) t.RequiresGrad = true;
        return t;
    }

    private readonly struct LinspaceKernel(Tensor t, double start, double end) : IFloatingKernel
    {
        public void Invoke<T>() where T : unmanaged, IFloatingPointIeee754<T>
        {
            var y = t.Span<T>();
            if (y.Length == 1) y[0] = T.CreateTruncating(start);
            else if (y.Length > 1) Kernels.Linspace.Fill(y, T.CreateTruncating(start), T.CreateTruncating(end));
        }
    }

    /// <summary>The n×m identity (m = n by default): ones on the main diagonal, zeros elsewhere (torch.eye).</summary>
    public static Tensor Eye(int n, int? m = null, DType dtype = DType.Float32, bool requiresGrad = false)
    {
        if (n < 0) throw new ArgumentException($"n must be greater or equal to 0, got {n}");
        int cols = m ?? n;
        if (cols < 0) throw new ArgumentException($"m must be greater or equal to 0, got {cols}");
        var t = new Tensor(CheckShape([n, cols]), dtype);
        for (int i = 0; i < Math.Min(n, cols); i++) Dispatch.Store(t, i * cols + i, 1);
        if (requiresGrad) t.RequiresGrad = true;
        return t;
    }

    /// <summary>Int64 one-hot rows: shape [..., numClasses] with a 1 at each class index (torch.nn.functional.one_hot); numClasses = −1 takes max + 1.</summary>
    public static Tensor OneHot(Tensor classes, int numClasses = -1)
    {
        ArgumentNullException.ThrowIfNull(classes);
        if (classes.DType != DType.Int64)
            throw new ArgumentException($"one_hot is only applicable to index tensor. (got a tensor of dtype {classes.DType.TorchName()})");
        var c = Dispatch.Raw(classes, DType.Int64).Span<long>();
        if (c.Length == 0)
        {
            if (numClasses <= 0) throw new ArgumentException("Can not infer total number of classes from empty tensor.");
            return new Tensor([.. classes.shape, numClasses], DType.Int64);
        }
        long min = long.MaxValue, max = long.MinValue;
        foreach (var v in c) { min = Math.Min(min, v); max = Math.Max(max, v); }
        if (min < 0) throw new ArgumentException($"Class values must be non-negative. (got class {min})");
        if (numClasses == -1)
        {
            if (max >= int.MaxValue) throw new ArgumentException($"one_hot: num_classes inferred as {max} + 1 is too large");
            numClasses = (int)max + 1;
        }
        else if (numClasses <= max)
            throw new ArgumentException($"Class values must be smaller than num_classes. (got class {max} with num_classes={numClasses})");
        var y = new Tensor(CheckShape([.. classes.shape, numClasses]), DType.Int64);
        var d = y.Span<long>();
        for (int i = 0; i < c.Length; i++) d[i * numClasses + (int)c[i]] = 1;
        return y;
    }

    /// <summary>Float32 standard normal values from the global generator.</summary>
    public static Tensor Randn(params int[] shape) => Randn(shape, false);
    /// <summary>Standard normal values.</summary>
    public static Tensor Randn(int[] shape, bool requiresGrad = false, Generator? generator = null, DType dtype = DType.Float32)
    {
        var t = new Tensor(CheckShape(shape), FloatOnly(dtype, "randn"), clear: false);
        return FillRandom(t, generator, normal: true, 0, 1).RequiresGrad_(requiresGrad);
    }

    /// <summary>Float32 values uniform on [0, 1) from the global generator.</summary>
    public static Tensor Rand(params int[] shape) => Rand(shape, false);
    /// <summary>Values uniform on [0, 1).</summary>
    public static Tensor Rand(int[] shape, bool requiresGrad = false, Generator? generator = null, DType dtype = DType.Float32)
    {
        var t = new Tensor(CheckShape(shape), FloatOnly(dtype, "rand"), clear: false);
        return FillRandom(t, generator, normal: false, 0, 1).RequiresGrad_(requiresGrad);
    }

    /// <summary>Int64 values uniform on [low, high).</summary>
    public static Tensor RandInt(long low, long high, int[] shape, Generator? generator = null)
    {
        if (low >= high) throw new ArgumentException($"random_ expects 'from' to be less than 'to', but got from={low} >= to={high}");
        var t = new Tensor(CheckShape(shape), DType.Int64, clear: false);
        (generator ?? Generator.Default).FillRandInt(t.Span<long>(), low, high);
        return t;
    }

    /// <summary>A random permutation of 0..n−1 (Int64).</summary>
    public static Tensor Randperm(int n, Generator? generator = null)
    {
        if (n < 0) throw new ArgumentException($"randperm: n must be non-negative, got {n}");
        var t = new Tensor([n], DType.Int64, clear: false);
        (generator ?? Generator.Default).RandPerm(t.Span<long>());
        return t;
    }

    /// <summary>Sets element i of a contiguous float tensor to 1 (one-hot rows for Jacobians).</summary>
    internal void SetOne(int i) => Dispatch.Store(this, offset + i, 1);

    /// <summary>Fills in place with values uniform on [from, to) (uniform_); returns this.</summary>
    public Tensor Uniform_(double from = 0, double to = 1, Generator? generator = null)
    {
        if (!(from <= to))
            throw new ArgumentException($"uniform_ expects to return a [from, to) range, but found from={ShapeUtil.FormatScalar(from)} > to={ShapeUtil.FormatScalar(to)}");
        if (!double.IsFinite(to - from))
            throw new ArgumentException($"uniform_ expects to-from to be finite, but found to={ShapeUtil.FormatScalar(to)} and from={ShapeUtil.FormatScalar(from)}");
        var r = new Tensor(shape, FloatOnly(DType, "uniform_"), clear: false);
        CheckInPlace();   // before drawing, so a refused fill leaves the generator as it was
        return CopyFrom(FillRandom(r, generator, normal: false, from, to));
    }

    /// <summary>Fills in place with normal values of the given mean and std (normal_); returns this.</summary>
    public Tensor Normal_(double mean = 0, double std = 1, Generator? generator = null)
    {
        var r = new Tensor(shape, FloatOnly(DType, "normal_"), clear: false);
        CheckInPlace();
        return CopyFrom(FillRandom(r, generator, normal: true, mean, std));
    }

    /// <summary>Fills a floating tensor with normal (mean a, std b) or uniform ([a, b)) values from the generator (the global one when null).</summary>
    private static Tensor FillRandom(Tensor t, Generator? generator, bool normal, double a, double b)
    {
        var fill = new RandomFill(t, generator ?? Generator.Default, normal, a, b);
        DTypeDispatch.Floating(t.DType, ref fill);
        return t;
    }

    private readonly struct RandomFill(Tensor t, Generator g, bool normal, double a, double b) : IFloatingKernel
    {
        public void Invoke<T>() where T : unmanaged, IFloatingPointIeee754<T> => g.Fill(t.Span<T>(), normal, a, b);
    }

    /// <summary>Seeds the global generator.</summary>
    public static void ManualSeed(long seed) => Generator.Default.ManualSeed(seed);

    private static DType FloatOnly(DType dtype, string op) => dtype.IsFloatingPoint() ? dtype
        : throw new ArgumentException($"\"{op}\" is only defined for floating point dtypes, got {dtype.TorchName()}");

    /// <summary>The value of a one-element tensor as float.</summary>
    public float Item() => Item<float>();

    /// <summary>The value of a one-element tensor as T (float, double, long, int or bool).</summary>
    public T Item<T>()
    {
        if (Numel != 1) throw new InvalidOperationException($"a Tensor with {Numel} elements cannot be converted to Scalar");
        return ToArray<T>()[0];
    }

    /// <summary>The elements in row-major order as float.</summary>
    public float[] ToArray() => ToArray<float>();

    /// <summary>The elements in row-major order converted to T (float, double, long, int or bool).</summary>
    public T[] ToArray<T>()
    {
        DType want = typeof(T) == typeof(int) ? DType.Int64
            : TypeOf<T>.Known ?? throw new NotSupportedException($"ToArray<{typeof(T).Name}> is not supported");
        var c = Dispatch.Raw(this, want);
        if (typeof(T) == typeof(int))
        {
            var l = c.Span<long>();
            var r = new int[l.Length];
            for (int i = 0; i < r.Length; i++) r[i] = checked((int)l[i]);
            return (T[])(object)r;
        }
        var copy = new ToArrayKernel(c);
        DTypeDispatch.Any(want, ref copy);
        return (T[])copy.Result!;
    }

    private struct ToArrayKernel(Tensor c) : IElementKernel
    {
        public Array? Result;
        public void Invoke<T>() where T : unmanaged => Result = c.Span<T>().ToArray();
    }

    /// <summary>The same values in another dtype (this tensor when already so); differentiable between float dtypes.</summary>
    public Tensor To(DType dtype)
    {
        if (dtype == DType) return this;
        var x = this;
        var y = Dispatch.Raw(this, dtype);
        if (!dtype.IsFloatingPoint()) return y;
        return Graph.Record("ToCopyBackward0", y, [x], [], x.DType, static (ctx, g, dtype) => [g.To(dtype)]);
    }

    /// <summary>To(Float32).</summary>
    public Tensor Float() => To(DType.Float32);
    /// <summary>To(Float64).</summary>
    public Tensor Double() => To(DType.Float64);
    /// <summary>To(Int64).</summary>
    public Tensor Long() => To(DType.Int64);
}
