using System.Numerics;
using System.Runtime.CompilerServices;
using Framework.Autograd;
using Framework.NN;
using Framework.Optim;

namespace Tests.Foundation;

/// <summary>The public low-level surface (Tensor.LowLevel.cs, DTypeDispatch, Backends) as a user's layer, optimizer or dataset uses it.</summary>
public class LowLevelSurfaceTests
{
    [Fact]
    public void AsSpan_OnContiguousTensor_ReadsAndWritesTheElementsInRowMajorOrder()
    {
        var t = Tensor.From(new float[,] { { 1, 2, 3 }, { 4, 5, 6 } });
        Assert.Equal([1f, 2, 3, 4, 5, 6], t.AsReadOnlySpan<float>().ToArray());
        t.AsSpan<float>()[4] = 50;
        Assert.Equal([1f, 2, 3, 4, 50, 6], t.ToArray());
        // A contiguous view starts at its offset and shares the storage.
        var row = t.Select(0, 1);
        Assert.Equal([4f, 50, 6], row.AsSpan<float>().ToArray());
        row.AsSpan<float>()[0] = -4;
        Assert.Equal(-4f, t.ToArray()[3]);
    }

    [Fact]
    public void AsSpan_OnNonContiguousTensor_Throws()
    {
        var t = Tensor.From(new double[,] { { 1, 2, 3 }, { 4, 5, 6 } }).T();
        var ex = Assert.Throws<InvalidOperationException>(() => t.AsSpan<double>());
        Assert.Equal("AsSpan<Double>() needs a contiguous tensor, but this one has shape [3, 2] and strides [1, 3]; call Contiguous() first", ex.Message);
        Assert.Throws<InvalidOperationException>(() => t.AsReadOnlySpan<double>());
        Assert.Equal([1.0, 4, 2, 5, 3, 6], t.Contiguous().AsReadOnlySpan<double>().ToArray());
    }

    [Fact]
    public void AsSpan_OfAnotherElementType_Throws()
    {
        var t = Tensor.From([1f, 2f]);
        var ex = Assert.Throws<InvalidOperationException>(() => t.AsSpan<double>());
        Assert.Equal("AsSpan<Double>() reads torch.float64 elements, but this tensor is torch.float32; use the element type of its dtype or convert it with To(Float64)", ex.Message);
        ex = Assert.Throws<InvalidOperationException>(() => Tensor.From([1L, 2L]).AsReadOnlySpan<bool>());
        Assert.Equal("AsSpan<Boolean>() reads torch.bool elements, but this tensor is torch.int64; use the element type of its dtype or convert it with To(Bool)", ex.Message);
        ex = Assert.Throws<InvalidOperationException>(() => t.AsSpan<int>());
        Assert.Equal("AsSpan<Int32>(): Int32 is the element type of no dtype, and this tensor is torch.float32", ex.Message);
    }

    [Fact]
    public void Empty_HasTheShapeAndDType()
    {
        var t = Tensor.Empty([2, 3, 4], DType.Float64);
        Assert.Equal([2, 3, 4], t.Shape);
        Assert.Equal(DType.Float64, t.DType);
        Assert.Equal(24, t.Numel);
        Assert.True(t.IsContiguous);
        Assert.False(t.RequiresGrad);
        Assert.Equal(24, t.AsSpan<double>().Length);
        var f = Tensor.Empty(5);
        Assert.Equal([5], f.Shape);
        Assert.Equal(DType.Float32, f.DType);
        Assert.Equal(DType.Bool, Tensor.Empty([0], DType.Bool).DType);
        var ex = Assert.Throws<ArgumentException>(() => Tensor.Empty([2, -1]));
        Assert.Equal("Trying to create tensor with negative dimension -1: [2, -1]", ex.Message);
    }

    [Fact]
    public void MarkModified_BumpsTheVersionSharedWithViews()
    {
        var t = Tensor.Zeros(2, 2);
        var view = t.Select(0, 1);
        int before = t.Version;
        t.AsSpan<float>()[3] = 7;
        Assert.Equal(before, t.Version);   // a span write alone is invisible to autograd
        t.MarkModified();
        Assert.Equal(before + 1, t.Version);
        Assert.Equal(before + 1, view.Version);
        Assert.Equal(7f, view.ToArray()[1]);
    }

    [Fact]
    public void MarkModified_AfterWritingASavedTensor_FailsItsCheckInBackward()
    {
        var w = Tensor.From([1.0, 2.0], requiresGrad: true);
        var h = Tensor.From([3.0, 4.0]);
        var y = (w * h).Sum();   // MulBackward0 saves h to compute dy/dw = h
        h.AsSpan<double>()[0] = 5;
        h.MarkModified();
        var ex = Assert.Throws<InvalidOperationException>(() => y.Backward());
        Assert.Equal("one of the variables needed for gradient computation by MulBackward0 has been modified by an inplace operation: [torch.float64 [2]] is at version 1; expected version 0 instead.", ex.Message);
    }

    [Fact]
    public void Set_SharesTheSourceStorageAndBumpsTheVersion()
    {
        var p = new Parameter(Tensor.From([1f, 2f]));
        var src = Tensor.From([3.0, 4.0, 5.0]);
        int before = p.Version;
        Assert.Same(p, p.Set_(src));
        Assert.Equal(DType.Float64, p.DType);
        Assert.Equal([3], p.Shape);
        Assert.True(p.RequiresGrad);
        Assert.Equal(before + 1, p.Version);
        src.AsSpan<double>()[0] = 30;
        Assert.Equal([30.0, 4, 5], p.ToArray<double>());
    }

    [Fact]
    public void Backends_GemmSwitch_SelectsTheBackendOfThisThread()
    {
        Assert.Equal(GemmBackend.Auto, Backends.Gemm);
        var a = Tensor.From(new float[,] { { 1, 2 }, { 3, 4 } });
        try
        {
            Backends.Gemm = GemmBackend.Managed;
            Assert.Equal(GemmBackend.Managed, Backends.Gemm);
            Assert.Equal([7f, 10, 15, 22], a.MatMul(a).ToArray());
            if (Backends.OpenBlasAvailable)
            {
                Backends.Gemm = GemmBackend.OpenBlas;
                Assert.Equal([7f, 10, 15, 22], a.MatMul(a).ToArray());
            }
            else Assert.Throws<InvalidOperationException>(() => Backends.Gemm = GemmBackend.OpenBlas);
        }
        finally { Backends.Gemm = GemmBackend.Auto; }
    }

    // ---- DTypeDispatch with kernels written outside the library ----

    /// <summary>Records which element type it ran with.</summary>
    private struct ElementName : IElementKernel
    {
        public string? Name;
        public int Size;

        public void Invoke<T>() where T : unmanaged
        {
            Name = typeof(T).Name;
            Size = Unsafe.SizeOf<T>();
        }
    }

    /// <summary>Σ t as a double, over t's elements as T.</summary>
    private struct SumAsDouble(Tensor t) : INumericKernel
    {
        public double Result;

        public void Invoke<T>() where T : unmanaged, INumber<T>
        {
            T s = T.Zero;
            foreach (var v in t.AsReadOnlySpan<T>()) s += v;
            Result = double.CreateChecked(s);
        }
    }

    /// <summary>t ← t / 2 in place, over t's elements as T.</summary>
    private readonly struct Halve(Tensor t) : IFloatingKernel
    {
        public void Invoke<T>() where T : unmanaged, IFloatingPointIeee754<T>
        {
            var x = t.AsSpan<T>();
            for (int i = 0; i < x.Length; i++) x[i] /= T.CreateChecked(2);
        }
    }

    [Theory]
    [InlineData(DType.Float32, "Single", 4)]
    [InlineData(DType.Float64, "Double", 8)]
    [InlineData(DType.Int64, "Int64", 8)]
    [InlineData(DType.Bool, "Boolean", 1)]
    public void DTypeDispatch_Any_RunsAUserKernelWithTheElementTypeOfEveryDType(DType dtype, string name, int size)
    {
        var k = new ElementName();
        DTypeDispatch.Any(dtype, ref k);
        Assert.Equal(name, k.Name);
        Assert.Equal(size, k.Size);
        Assert.Equal(size, dtype.ElementSize());
    }

    [Theory]
    [InlineData(DType.Float32)]
    [InlineData(DType.Float64)]
    [InlineData(DType.Int64)]
    public void DTypeDispatch_Numeric_RunsAUserKernelOverTheElements(DType dtype)
    {
        var t = Tensor.From([1.0, 2.0, 3.5]).To(dtype);
        var sum = new SumAsDouble(t);
        DTypeDispatch.Numeric(dtype, ref sum);
        Assert.Equal(dtype == DType.Int64 ? 6.0 : 6.5, sum.Result);
    }

    [Theory]
    [InlineData(DType.Float32)]
    [InlineData(DType.Float64)]
    public void DTypeDispatch_Floating_RunsAUserKernelInPlace(DType dtype)
    {
        var t = Tensor.From([1.0, -3.0, 5.0]).To(dtype);
        var halve = new Halve(t);
        DTypeDispatch.Floating(dtype, ref halve);
        Assert.Equal([0.5, -1.5, 2.5], t.ToArray<double>());
    }

    [Fact]
    public void DTypeDispatch_UnsupportedDType_ThrowsPyTorchsMessage()
    {
        var sum = new SumAsDouble(Tensor.From([true, false]));
        var ex = Assert.Throws<ArgumentException>(() => DTypeDispatch.Numeric(DType.Bool, ref sum));
        Assert.Equal("This operation is not supported for torch.bool tensors.", ex.Message);
        var halve = new Halve(Tensor.From([1L]));
        ex = Assert.Throws<ArgumentException>(() => DTypeDispatch.Floating(DType.Int64, ref halve));
        Assert.Equal("This operation is not supported for torch.int64 tensors.", ex.Message);
    }

    [Fact]
    public void DTypeDispatch_Of_MapsElementTypesToDTypes()
    {
        Assert.Equal(DType.Float32, DTypeDispatch.Of<float>());
        Assert.Equal(DType.Float64, DTypeDispatch.Of<double>());
        Assert.Equal(DType.Int64, DTypeDispatch.Of<long>());
        Assert.Equal(DType.Bool, DTypeDispatch.Of<bool>());
        Assert.Null(DTypeDispatch.Find<int>());
        Assert.Throws<NotSupportedException>(() => DTypeDispatch.Of<int>());
    }

    // ---- an optimizer written against the public surface only ----

    /// <summary>SGD with momentum as a user writes it: b ← g at the first step, else b ← μb + g; θ ← θ − γb.</summary>
    private sealed class UserSgd(IEnumerable<Parameter> parameters, double lr, double momentum)
        : Optimizer<UserSgd.Momentum>(OneGroup(parameters), new ParamGroup([], lr) { Momentum = momentum })
    {
        public sealed class Momentum : IParamState<Momentum>
        {
            public Tensor? Buffer;
            public Dictionary<string, object?> ToDict() => new() { ["momentum_buffer"] = Buffer };
            public static Momentum FromDict(IReadOnlyDictionary<string, object?> dict, Tensor param) => new();
        }

        protected override Momentum CreateState(Parameter p, ParamGroup group) => new();

        protected override void Update(Parameter p, Tensor grad, Momentum s, ParamGroup g)
        {
            bool first = s.Buffer is null;
            s.Buffer ??= Tensor.Empty(p.Shape, p.DType);
            var kernel = new Kernel(p, grad, s.Buffer, first, g.Lr, g.Momentum!.Value);
            DTypeDispatch.Floating(p.DType, ref kernel);
        }

        private readonly struct Kernel(Tensor p, Tensor grad, Tensor buffer, bool first, double lr, double momentum) : IFloatingKernel
        {
            public void Invoke<T>() where T : unmanaged, IFloatingPointIeee754<T>
            {
                var theta = p.AsSpan<T>();
                var g = grad.AsReadOnlySpan<T>();
                var b = buffer.AsSpan<T>();
                T mu = T.CreateChecked(momentum), negLr = T.CreateChecked(-lr);
                for (int i = 0; i < theta.Length; i++)
                {
                    b[i] = first ? g[i] : b[i] * mu + g[i];
                    theta[i] += negLr * b[i];
                }
            }
        }
    }

    [Theory]
    [InlineData(DType.Float32)]
    [InlineData(DType.Float64)]
    public void UserWrittenOptimizer_GivesSgdsExactValues(DType dtype)
    {
        var gen = new Generator(7);
        var x = Tensor.Randn([8, 3], generator: gen, dtype: dtype);
        var y = Tensor.Randn([8, 2], generator: gen, dtype: dtype);
        var w0 = Tensor.Randn([3, 2], generator: gen, dtype: dtype);
        var b0 = Tensor.Randn([2], generator: gen, dtype: dtype);

        (double[] W, double[] B) Train(Func<Parameter[], Optimizer> make)
        {
            var w = new Parameter(w0.Clone());
            var b = new Parameter(b0.Clone());
            var opt = make([w, b]);
            for (int step = 0; step < 6; step++)
            {
                opt.ZeroGrad();
                var r = x.MatMul(w) + b - y;
                (r * r).Mean().Backward();
                opt.Step();
            }
            return (w.ToArray<double>(), b.ToArray<double>());
        }

        var reference = Train(ps => new SGD(ps, lr: 0.1, momentum: 0.9));
        var user = Train(ps => new UserSgd(ps, lr: 0.1, momentum: 0.9));
        Assert.Equal(reference.W, user.W);
        Assert.Equal(reference.B, user.B);
        Assert.NotEqual(w0.ToArray<double>(), user.W);   // the steps moved the parameters
    }
}
