using System.Diagnostics;
using System.Numerics;
using Framework.Autograd;
using Xunit.Abstractions;

namespace Tests.Reliability;

/// <summary>Issue 11, tensors: every bad shape, size, index or in-place write is refused with a message naming what was wrong (PyTorch's wording where it has one).</summary>
public class TensorErrorTests(ITestOutputHelper output)
{
    private static string Throws<TException>(Func<object?> f, params string[] parts) where TException : Exception
    {
        var e = Assert.Throws<TException>(() => f());
        foreach (var p in parts) Assert.Contains(p, e.Message);
        return e.Message;
    }

    // ---- shapes ----

    [Fact]
    public void ShapeProductsThatOverflowAreRefused_NamingShapeAndCount()
    {
        Throws<ArgumentException>(() => Tensor.Zeros(65536, 65536, 65536, 65536), "[65536, 65536, 65536, 65536]", "18446744073709551616 elements", "2147483591");
        Throws<ArgumentException>(() => Tensor.Ones(4, 103, 48920869, 228806497, 4), "[4, 103, 48920869, 228806497, 4]", "18446744073709551664 elements");
        Throws<ArgumentException>(() => Tensor.Zeros(int.MaxValue), "[2147483647]", "2147483647 elements", "Array.MaxLength");
        Throws<ArgumentException>(() => Tensor.Empty([50000, 50000]), "[50000, 50000]", "2500000000 elements");
        Throws<ArgumentException>(() => Tensor.Full([1 << 16, 1 << 16], 2, DType.Int64), "[65536, 65536]", "4294967296 elements");
        Throws<ArgumentException>(() => Tensor.Rand(1 << 20, 1 << 12), "[1048576, 4096]");
        Throws<ArgumentException>(() => Tensor.Linspace(0, 1, int.MaxValue), "[2147483647]", "2147483647 elements");
        // views make shapes too: expand (no copy) and a 0-element tensor viewed with huge sizes
        Throws<ArgumentException>(() => Tensor.Ones(1).Expand(65536, 65536), "[65536, 65536]", "4294967296 elements");
        Throws<ArgumentException>(() => Tensor.Zeros(0, 65536, 65536), "[0, 65536, 65536]", "non-zero sizes multiply to 4294967296");
        Throws<ArgumentException>(() => Tensor.Zeros(0).View(-1, 65536, 65536), "[0, 65536, 65536]", "strides would overflow");
        Throws<ArgumentException>(() => Tensor.Zeros(4).View(-1, 65536, 65536), "shape '[-1, 65536, 65536]' is invalid for input of size 4");
        Throws<ArgumentException>(() => Tensor.Zeros(0).View(65536, 65536), "shape '[65536, 65536]' is invalid for input of size 0");
        var empty = Tensor.Zeros(2_000_000_000, 0);           // 0 elements, but two of them concatenated need a dim of 4e9
        Throws<ArgumentException>(() => Tensor.Cat([empty, empty]), "add up to 4000000000", "[2000000000, 0]");
    }

    [Fact]
    public void NegativeDimensionsAreRefusedEverywhereAShapeEnters()
    {
        const string msg = "Trying to create tensor with negative dimension -3: [-3, -4]";
        Throws<ArgumentException>(() => Tensor.FromArray(new float[12], [-3, -4]), msg);
        Throws<ArgumentException>(() => Tensor.FromArray(new long[12], [-3, -4]), msg);
        Throws<ArgumentException>(() => Tensor.Zeros(-3, -4), msg);
        Throws<ArgumentException>(() => Tensor.Ones(-3, -4), msg);
        Throws<ArgumentException>(() => Tensor.Empty(-3, -4), msg);
        Throws<ArgumentException>(() => Tensor.Full([-3, -4], 1), msg);
        Throws<ArgumentException>(() => Tensor.Rand(-3, -4), msg);
        Throws<ArgumentException>(() => Tensor.Randn(-3, -4), msg);
        Throws<ArgumentException>(() => Tensor.RandInt(0, 5, [-3, -4]), msg);
        Throws<ArgumentException>(() => Tensor.Zeros([2, 0, -1], DType.Int64), "negative dimension -1: [2, 0, -1]");
        Throws<ArgumentException>(() => Tensor.Arange(12L).View(-3, -4), "invalid shape dimension -3", "[-3, -4]");
        Throws<ArgumentException>(() => Tensor.Arange(12L).Reshape(-1, -1), "only one dimension can be inferred", "[-1, -1]");
        Throws<ArgumentException>(() => Tensor.Arange(12L).View(5, 3), "shape '[5, 3]' is invalid for input of size 12", "input shape [12]");
        Throws<ArgumentException>(() => Tensor.Arange(12L).Reshape(5, -1), "shape '[5, -1]' is invalid for input of size 12");
        Throws<ArgumentException>(() => Tensor.Linspace(0, 1, -2), "number of steps must be non-negative");
        Throws<ArgumentException>(() => Tensor.Randperm(-1), "n must be non-negative, got -1");
        Throws<ArgumentException>(() => Tensor.Ones(2).ScatterAddInto(0, Tensor.FromArray(new long[] { 0, 1 }, [2]), [-2]), "negative dimension -2: [-2]");
    }

    [Fact]
    public void ExpandNamesTheBadSizeAndItsDimension()
    {
        Throws<ArgumentException>(() => Tensor.Ones(3).Expand(-2, 3), "The expanded size of the tensor (-2) isn't allowed in a leading, non-existing dimension 0");
        Throws<ArgumentException>(() => Tensor.Ones(3).Expand(-1, 3), "The expanded size of the tensor (-1) isn't allowed in a leading, non-existing dimension 0");
        Throws<ArgumentException>(() => Tensor.Ones(1).Expand(-2), "expanded size of the tensor (-2) isn't allowed at dimension 0", "Tensor sizes: [1]");
        Throws<ArgumentException>(() => Tensor.Ones(2, 1).Expand(2, -5), "(-5) isn't allowed at dimension 1", "Target sizes: [2, -5]");
        Throws<ArgumentException>(() => Tensor.Ones(3).Expand(4), "The expanded size of the tensor (4) must match the existing size (3) at non-singleton dimension 0");
        Assert.Equal([2, 3], Tensor.Ones(1, 3).Expand(2, -1).Shape);
    }

    [Fact]
    public void CatAndStackNameANullEntry()
    {
        Throws<ArgumentNullException>(() => Tensor.Cat([Tensor.Ones(2), null!]), "cat(): expected Tensor as element 1 in argument 0, but got null");
        Throws<ArgumentNullException>(() => Tensor.Cat([null!, Tensor.Ones(2)]), "element 0");
        Throws<ArgumentNullException>(() => Tensor.Stack([Tensor.Ones(2), Tensor.Ones(2), null!]), "stack(): expected Tensor as element 2 in argument 0, but got null");
        Throws<ArgumentNullException>(() => Tensor.Cat(null!), "tensors");
        Throws<ArgumentException>(() => Tensor.Stack([]), "stack() expects a non-empty list of Tensors");
        Throws<ArgumentException>(() => Tensor.Stack([Tensor.Ones(2), Tensor.Ones(2), Tensor.Ones(3)]), "[2] at entry 0 and [3] at entry 2");
        Throws<ArgumentException>(() => Tensor.Cat([Tensor.Ones(2, 3), Tensor.Ones(2, 3), Tensor.Ones(2, 4)]), "Expected size 3 but got size 4 for tensor number 2");
    }

    // ---- indices ----

    [Fact]
    public void IndexerNamesTooManyIndicesAndTheDimensionOutOfBounds()
    {
        var t = Tensor.Ones(2, 3);
        Throws<ArgumentException>(() => t[0, 0, 0], "too many indices for tensor of dimension 2", "[2, 3]");
        Throws<ArgumentException>(() => Tensor.From(1f)[0], "too many indices for tensor of dimension 0");
        Throws<ArgumentOutOfRangeException>(() => Tensor.Ones(3)[5], "index 5 is out of bounds for dimension 0 with size 3");
        Throws<ArgumentOutOfRangeException>(() => t[0, 5], "index 5 is out of bounds for dimension 1 with size 3");
        Throws<ArgumentOutOfRangeException>(() => t[-3], "index -3 is out of bounds for dimension 0 with size 2");
        Throws<ArgumentOutOfRangeException>(() => { t[1, -4] = Tensor.From(0f); return null; }, "index -4 is out of bounds for dimension 1 with size 3");
        Throws<ArgumentOutOfRangeException>(() => t.Select(1, 3), "index 3 is out of bounds for dimension 1 with size 3");
        Throws<ArgumentException>(() => Tensor.From(1f).Select(0, 0), "select() cannot be applied to a 0-dim tensor.");
        Assert.Equal(1f, t[1, -1].Item());
    }

    [Fact]
    public void GatherAndScatterAddNameTheIndexValueAndDim()
    {
        var x = Tensor.Ones(2, 3);
        Throws<ArgumentOutOfRangeException>(() => x.Gather(1, Tensor.FromArray(new long[] { 0, 5, 0, 1 }, [2, 2])), "gather(): index 5 is out of bounds for dimension 1 with size 3");
        Throws<ArgumentOutOfRangeException>(() => x.Gather(0, Tensor.FromArray(new long[] { -1, 0, 0 }, [1, 3])), "index -1 is out of bounds for dimension 0 with size 2");
        Throws<ArgumentException>(() => x.Gather(1, Tensor.Zeros(2, 2)), "Expected dtype int64 for index, got torch.float32");
        var idx = Tensor.FromArray(new long[] { 0, 3 }, [2]);
        Throws<ArgumentOutOfRangeException>(() => Tensor.Ones(2).ScatterAddInto(0, idx, [3]), "scatter_add(): index 3 is out of bounds for dimension 0 with size 3");
        Throws<ArgumentException>(() => Tensor.Ones(3).ScatterAddInto(0, idx, [4]), "index of shape [2] to have the shape of the values, [3]");
        Throws<ArgumentOutOfRangeException>(() => Tensor.Ones(2).ScatterAddInto(1, idx, [4]), "Dimension out of range", "got 1");
    }

    [Fact]
    public void DimensionArgumentsOutOfRangeAreNamed()
    {
        var t = Tensor.Ones(2, 3);
        Throws<ArgumentOutOfRangeException>(() => t.Transpose(0, 2), "Dimension out of range (expected to be in range of [-2, 1], but got 2)");
        Throws<ArgumentOutOfRangeException>(() => t.Squeeze(-3), "but got -3");
        Throws<ArgumentOutOfRangeException>(() => t.Unsqueeze(4), "[-3, 2], but got 4");
        Throws<ArgumentOutOfRangeException>(() => t.Slice(2, 0, 1), "but got 2");
        Throws<ArgumentOutOfRangeException>(() => t.Sum(5), "but got 5");
        Throws<ArgumentOutOfRangeException>(() => t.Softmax(-3), "but got -3");
        Throws<ArgumentException>(() => t.Permute(0, 0), "permute: repeated dim 0");
        Throws<ArgumentException>(() => t.Permute(0), "got 1 dims for a tensor of shape [2, 3]");
        Throws<ArgumentException>(() => t.Sum([1, -1]), "dim -1 appears multiple times");
        Throws<ArgumentException>(() => t.Slice(0, 0, 2, 0), "slice step must be positive");
        Throws<ArgumentException>(() => t.Flatten(1, 0), "startDim cannot come after endDim");
        Throws<ArgumentException>(() => t.MatMul(Tensor.Ones(2, 3)), "[2, 3] and [2, 3]");
        Throws<ArgumentException>(() => Tensor.Ones(2, 2, 3).MatMul(Tensor.Ones(4, 5)), "[2, 2, 3]", "[4, 5]");
        Assert.Empty(Tensor.Ones(3).Slice(0, 5, 10).ToArray());          // out-of-range slice bounds clamp, as Python's t[5:10]
    }

    // ---- dtypes and in-place writes ----

    [Fact]
    public void WhereNeedsABooleanCondition()
    {
        Throws<ArgumentException>(() => Tensor.Where(Tensor.Ones(2), Tensor.Ones(2), Tensor.Zeros(2)), "where expected condition to be a boolean tensor, but got a tensor with dtype Float");
        Throws<ArgumentException>(() => Tensor.Where(Tensor.Arange(2L), Tensor.Ones(2), Tensor.Zeros(2)), "but got a tensor with dtype Long");
        Assert.Equal([1f, 0f], Tensor.Where(Tensor.Arange(2L).Eq(0.0), Tensor.Ones(2), Tensor.Zeros(2)).ToArray());
    }

    private const string Overlap = "unsupported operation: more than one element of the written-to tensor refers to a single memory location. Please clone() the tensor before performing the operation.";

    public static TheoryData<string> InPlaceOps => new(InPlaceOnExpanded.Keys);

    private static readonly Dictionary<string, Action<Tensor>> InPlaceOnExpanded = new()
    {
        ["Add_"] = t => t.Add_(1),
        ["Add_(tensor)"] = t => t.Add_(Tensor.Ones(3)),
        ["Sub_"] = t => t.Sub_(1),
        ["Mul_"] = t => t.Mul_(2),
        ["Div_(tensor)"] = t => t.Div_(Tensor.Ones(3)),
        ["+="] = t => t += 1.0,
        ["Fill_"] = t => t.Fill_(2),
        ["Zero_"] = t => t.Zero_(),
        ["CopyFrom"] = t => t.CopyFrom(Tensor.Arange(3.0)),
        ["Uniform_"] = t => t.Uniform_(),
        ["Normal_"] = t => t.Normal_(),
    };

    [Theory]
    [MemberData(nameof(InPlaceOps))]
    public void InPlaceOpsRefuseAnInternallyOverlappingTensor(string op)
    {
        var b = Tensor.Ones(1);
        var e = b.Expand(3);
        Throws<InvalidOperationException>(() => { InPlaceOnExpanded[op](e); return null; }, Overlap, "shape [3], strides [0]");
        Assert.Equal([1f], b.ToArray());                                 // nothing written
        Assert.Equal(0, b.Version);
    }

    [Fact]
    public void OverlapIsOnlyAStrideZeroOnADimLongerThanOne()
    {
        var m = Tensor.Ones(1, 3).Expand(2, 3);                           // rows alias: writing the whole is refused
        Throws<InvalidOperationException>(() => m.Mul_(2), Overlap, "shape [2, 3], strides [0, 1]");
        m[0] = Tensor.Arange(3.0);                                        // a row alone has no overlap (PyTorch allows it too)
        Assert.Equal([0f, 1f, 2f, 0f, 1f, 2f], m.ToArray());
        var b = Tensor.Ones(3);
        b.Expand(1, 3).Add_(1);                                           // a new size-1 dim of stride 0 overlaps nothing
        Assert.Equal([2f, 2f, 2f], b.ToArray());
    }

    [Fact]
    public void GradientAccumulationRefusesAnOverlappingGrad()
    {
        var x = Tensor.Ones([3], DType.Float64, requiresGrad: true);
        x.Grad = Tensor.Zeros([1], DType.Float64).Expand(3);
        Throws<InvalidOperationException>(() => { (x * 2).Sum().Backward(); return null; }, Overlap);
    }

    // ---- fuzzers (fixed seed, bounded count) ----

    /// <summary>Random shapes (negative, zero, small, near-overflow sizes) through creation and Expand: each is made with the right Numel or refused naming the shape.</summary>
    [Fact]
    public void Fuzz_ShapesAreMadeOrRefusedNamingTheShape()
    {
        var rng = new System.Random(1101);
        int[] big = [46341, 65536, 1 << 20, int.MaxValue, 2147483591, 2147483592, 48920869, 228806497];
        var sw = Stopwatch.StartNew();
        int n = 0;
        for (; n < 3000; n++)
        {
            var shape = new int[rng.Next(0, 6)];
            for (int i = 0; i < shape.Length; i++)
                shape[i] = rng.Next(10) switch { 0 => -rng.Next(1, 5), 1 => 0, 2 or 3 => big[rng.Next(big.Length)], _ => rng.Next(1, 5) };
            BigInteger count = 1, span = 1;
            foreach (var d in shape) { count *= d; span *= Math.Max(d, 1); }
            string text = "[" + string.Join(", ", shape) + "]";
            int neg = Array.FindIndex(shape, d => d < 0);
            Func<object?> make = (n % 3) switch
            {
                0 => () => Tensor.Zeros(shape),
                1 => () => Tensor.Full(shape, 7, DType.Int64),
                _ => () => Tensor.Ones(1).Expand([.. shape, 1]),     // a view: no memory, any valid size
            };
            bool view = n % 3 == 2;
            if (neg >= 0)
            {
                var m = Assert.ThrowsAny<ArgumentException>(make).Message;
                Assert.Contains(view ? $"({shape[neg]}) isn't allowed" : $"negative dimension {shape[neg]}: {text}", m);
            }
            else if (span > Array.MaxLength)
                Assert.Contains(view ? text[..^1] + ", 1]" : text, Assert.Throws<ArgumentException>(make).Message);
            else if (count <= 4096 || view)
                Assert.Equal((long)count, ((Tensor)make()!).Numel);
        }
        output.WriteLine($"{n} shape cases in {sw.ElapsedMilliseconds} ms");
    }

    /// <summary>Random view/reshape requests (−1s, zeros, negatives, huge sizes) of a 24-element tensor: the result keeps the elements in order, or the request is refused naming it.</summary>
    [Fact]
    public void Fuzz_ViewAndReshapeRequests()
    {
        var rng = new System.Random(1102);
        var x = Tensor.Arange(24L);
        var xt = Tensor.Arange(24L).Reshape(4, 6).T();                   // non-contiguous: Reshape copies
        int[] sizes = [-3, -1, -1, 0, 1, 2, 3, 4, 6, 8, 12, 24, 65536, int.MaxValue];
        var sw = Stopwatch.StartNew();
        int n = 0;
        for (; n < 3000; n++)
        {
            var req = new int[rng.Next(0, 5)];
            for (int i = 0; i < req.Length; i++) req[i] = sizes[rng.Next(sizes.Length)];
            var src = n % 4 == 0 ? xt : x;                                 // View only on the contiguous one
            string text = "[" + string.Join(", ", req) + "]";
            Func<object?> f = n % 4 < 2 ? () => src.Reshape(req) : () => src.View(req);
            int infer = req.Count(d => d == -1), bad = Array.FindIndex(req, d => d < -1);
            BigInteger known = 1;
            foreach (var d in req) if (d != -1) known *= d;
            if (infer > 1 && (bad < 0 || Array.IndexOf(req, -1, Array.IndexOf(req, -1) + 1) < bad))
                Assert.Contains("only one dimension can be inferred", Assert.Throws<ArgumentException>(f).Message);
            else if (bad >= 0) Assert.Contains($"invalid shape dimension {req[bad]}", Assert.Throws<ArgumentException>(f).Message);
            else if (infer == 1 ? known == 0 || 24 % known != 0 : known != 24)
                Assert.Contains($"shape '{text}' is invalid for input of size 24", Assert.Throws<ArgumentException>(f).Message);
            else
            {
                var y = (Tensor)f()!;
                Assert.Equal(24, y.Numel);
                Assert.Equal(src.ToArray<long>(), y.ToArray<long>());
            }
        }
        output.WriteLine($"{n} view/reshape cases in {sw.ElapsedMilliseconds} ms");
    }

    /// <summary>Random index tuples (too many, negative, out of range) into random small tensors: the element is read as the flat array says, or refused naming the index, dim and size.</summary>
    [Fact]
    public void Fuzz_IndexerAndSelect()
    {
        var rng = new System.Random(1103);
        var sw = Stopwatch.StartNew();
        int n = 0;
        for (; n < 3000; n++)
        {
            var shape = new int[rng.Next(0, 4)];
            for (int i = 0; i < shape.Length; i++) shape[i] = rng.Next(0, 4);
            var t = Tensor.Arange(shape.Aggregate(1, (a, b) => a * b)).Reshape(shape);
            var index = new int[rng.Next(0, shape.Length + 2)];
            for (int i = 0; i < index.Length; i++) index[i] = rng.Next(-5, 5);
            if (index.Length > shape.Length)
            {
                Assert.Contains($"too many indices for tensor of dimension {shape.Length}", Assert.Throws<ArgumentException>(() => t[index]).Message);
                continue;
            }
            int bad = Enumerable.Range(0, index.Length).FirstOrDefault(k => index[k] < -shape[k] || index[k] >= shape[k], -1);
            if (bad >= 0)
            {
                Assert.Contains($"index {index[bad]} is out of bounds for dimension {bad} with size {shape[bad]}",
                                Assert.Throws<ArgumentOutOfRangeException>(() => t[index]).Message);
                continue;
            }
            long flat = 0;
            for (int k = 0; k < shape.Length; k++) flat = flat * shape[k] + (k < index.Length ? (index[k] + shape[k]) % shape[k] : 0);
            var r = t[index];
            Assert.Equal(shape.Length - index.Length, r.Dim);
            if (r.Numel > 0) Assert.Equal(flat, r.Reshape(-1)[0].Item<long>());
        }
        output.WriteLine($"{n} index cases in {sw.ElapsedMilliseconds} ms");
    }

    [Fact]
    public void IntegerTensorsRefuseNegativeIntegerPowers()
    {
        var x = Tensor.From(new long[] { 1, 2, 3 });
        Assert.Contains("Integers to negative integer powers are not allowed", Assert.Throws<ArgumentException>(() => x.Pow(-1)).Message);
        Assert.Equal([1L, 4L, 9L], x.Pow(2).ToArray<long>());                     // an integral exponent keeps Int64
        Assert.Equal([1f, 0.70710677f, 0.57735026f], x.Pow(-0.5).ToArray<float>());   // a fractional one gives Float32
    }

    [Fact]
    public void LargeIntegerScalarsStayExactOnInt64Tensors()
    {
        var x = Tensor.From(new long[] { 0, 1 });
        Assert.Equal([9007199254740993L, 9007199254740994L], (x + 9007199254740993L).ToArray<long>());
        Assert.Equal([-9007199254740993L, -9007199254740992L], (x - 9007199254740993L).ToArray<long>());
        Assert.Equal([9007199254740993L, 9007199254740992L], (9007199254740993L - x).ToArray<long>());
        Assert.Equal([0L, 9007199254740993L], (x * 9007199254740993L).ToArray<long>());
        Assert.Equal(DType.Int64, (x + long.MaxValue).DType);
    }
}
