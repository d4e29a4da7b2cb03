using Framework.Autograd;

namespace Tests.AutogradTests;

/// <summary>Storage, views, dtypes, promotion, broadcasting and shape errors.</summary>
public class TensorTests
{
    [Fact]
    public void Views_ShareStorage_AndHaveTheirOwnStrides()
    {
        var x = Tensor.Arange(6.0).Reshape(2, 3);
        var t = x.T();
        Assert.Equal([3, 2], t.Shape);
        Assert.Equal([1, 3], t.Strides);
        Assert.False(t.IsContiguous);
        t[2, 1] = Tensor.From(100f);
        Assert.Equal(100f, x[1, 2].Item());
        var s = x.Slice(1, 0, 3, 2);
        Assert.Equal([0f, 2f, 3f, 100f], s.ToArray());
        var e = Tensor.From(new float[] { 1, 2 }).Unsqueeze(1).Expand(2, 3);
        Assert.Equal([1, 0], e.Strides);
        Assert.Equal([1f, 1f, 1f, 2f, 2f, 2f], e.ToArray());
    }

    [Fact]
    public void Reshape_ViewsWhenPossible_CopiesOnlyWhenItMust()
    {
        var x = Tensor.Arange(6.0).Reshape(2, 3);
        var v = x.Reshape(3, 2);
        v.Fill_(1);
        Assert.Equal(1f, x[0, 0].Item());   // shared
        var t = x.T();
        var c = t.Reshape(6);                // must copy
        c.Fill_(5);
        Assert.Equal(1f, x[0, 0].Item());
        var ex = Assert.Throws<InvalidOperationException>(() => t.View(6));
        Assert.Contains("view size is not compatible", ex.Message);
        Assert.Equal([2, 3], Tensor.Zeros(6).View(-1, 3).Shape);
    }

    [Fact]
    public void ViewOfNonContiguous_WhenStridesAllow()
    {
        var x = Tensor.Arange(24.0).Reshape(2, 3, 4).Transpose(0, 1);   // [3, 2, 4], last dim contiguous
        var v = x.View(3, 2, 2, 2);
        Assert.Equal(x.ToArray(), v.ToArray());
    }

    [Fact]
    public void TypePromotion_FollowsPyTorch()
    {
        var i = Tensor.Arange(3);
        var f = Tensor.Ones(3);
        var d = Tensor.Ones([3], DType.Float64);
        Assert.Equal(DType.Float32, (i * f).DType);
        Assert.Equal(DType.Float64, (f * d).DType);
        Assert.Equal(DType.Int64, (i + 2).DType);
        Assert.Equal(DType.Float32, (i + 2.5).DType);
        Assert.Equal(DType.Float32, (f * 2.5).DType);          // a C# double does not promote Float32
        Assert.Equal(DType.Float32, (f * Tensor.From(2.0)).DType);  // nor does a 0-d Float64 tensor
        Assert.Equal(DType.Float32, (i * Tensor.From(2.0f)).DType); // but a 0-d float lifts an integer tensor
        Assert.Equal(DType.Float32, (i / 2).DType);            // true division
        Assert.Equal(DType.Bool, i.Gt(0.5).DType);
        Assert.Equal([0L, 2L, 4L], (i * 2).ToArray<long>());
    }

    [Fact]
    public void BroadcastMismatch_NamesBothShapes()
    {
        var ex = Assert.Throws<ArgumentException>(() => Tensor.Ones(2, 3) + Tensor.Ones(4));
        Assert.Contains("[2, 3]", ex.Message);
        Assert.Contains("[4]", ex.Message);
    }

    [Fact]
    public void MatMulMismatch_NamesBothShapes()
    {
        var ex = Assert.Throws<ArgumentException>(() => Tensor.Ones(2, 3).MatMul(Tensor.Ones(4, 5)));
        Assert.Equal("mat1 and mat2 shapes cannot be multiplied ([2, 3] and [4, 5])", ex.Message);
    }

    [Fact]
    public void InvalidReshape_AndDims_Throw()
    {
        Assert.Contains("is invalid for input of size 6", Assert.Throws<ArgumentException>(() => Tensor.Ones(6).Reshape(4, 2)).Message);
        Assert.Contains("Dimension out of range", Assert.Throws<ArgumentOutOfRangeException>(() => Tensor.Ones(2, 3).Sum(2)).Message);
        Assert.Contains("index 5 is out of bounds for dimension 0 with size 3", Assert.Throws<ArgumentOutOfRangeException>(() => Tensor.Ones(3)[5]).Message);
        Assert.Contains("mean(): could not infer output dtype", Assert.Throws<ArgumentException>(() => Tensor.Arange(3).Mean()).Message);
    }

    [Fact]
    public void GradAssignment_ChecksShapeAndDType()
    {
        var x = Tensor.Ones([2], requiresGrad: true);
        Assert.Contains("different size", Assert.Throws<ArgumentException>(() => x.Grad = Tensor.Ones(3)).Message);
        Assert.Contains("different type", Assert.Throws<ArgumentException>(() => x.Grad = Tensor.Ones([2], DType.Float64)).Message);
    }

    [Fact]
    public void Creation_Functions()
    {
        Assert.Equal([0f, 0.5f, 1f], Tensor.Linspace(0, 1, 3).ToArray());
        Assert.Equal([1.0, 1.5, 2.0, 2.5], Tensor.Arange(1, 3, 0.5).ToArray<double>());
        Assert.Equal(DType.Int64, Tensor.Arange(5L).DType);
        Assert.Equal(DType.Float32, Tensor.Arange(5.0).DType);
        Assert.Equal([7.0, 7.0], Tensor.Full([2], 7, DType.Float64).ToArray<double>());
        Assert.Equal(0, Tensor.From(3.5f).Dim);
        Assert.Equal(3.5, Tensor.From(3.5).Item<double>());
        var r = Tensor.RandInt(0, 10, [1000]).ToArray<long>();
        Assert.All(r, v => Assert.InRange(v, 0, 9));
        var u = Tensor.Rand(1000).ToArray();
        Assert.All(u, v => Assert.InRange(v, 0f, 1f));
        Assert.Equal(Enumerable.Range(0, 10).Select(i => (long)i), Tensor.Randperm(10).ToArray<long>().Order());
    }

    [Fact]
    public void ManualSeed_RepeatsTheStream()
    {
        Tensor.ManualSeed(7);
        var a = Tensor.Randn(5).ToArray();
        Tensor.ManualSeed(7);
        var b = Tensor.Randn(5).ToArray();
        Assert.Equal(a, b);
    }

    [Fact]
    public void Reductions_OverEachDimension()
    {
        var x = Tensor.Arange(24.0).Reshape(2, 3, 4);
        Assert.Equal([12f, 14f, 16f, 18f], x.Sum(0).Select(0, 0).ToArray());
        Assert.Equal([12f, 15f, 18f, 21f], x.Sum(1).Select(0, 0).ToArray());
        Assert.Equal([6f, 22f, 38f], x.Sum(2).Select(0, 0).ToArray());
        Assert.Equal(276f, x.Sum().Item());
        var (v, i) = x.Max(2);
        Assert.Equal([3f, 7f, 11f], v.Select(0, 0).ToArray());
        Assert.Equal([3L, 3L, 3L], i.Select(0, 0).ToArray<long>());
        Assert.Equal([2L, 2L], x.Sum(2).Argmax(1).ToArray<long>());
        Assert.Equal(23f, x.Max().Item());
        Assert.Equal(0f, x.Min().Item());
        Assert.True(float.IsNaN(Tensor.From(new[] { 1f, float.NaN, 3f }).Max().Item()));
    }

    [Fact]
    public void Softmax_IsStableForLargeLogits()
    {
        var x = Tensor.From(new float[,] { { 1000, 1000 }, { -1000, 0 } });
        Assert.Equal([0.5f, 0.5f, 0f, 1f], x.Softmax(1).ToArray());
        var ls = x.LogSoftmax(1).ToArray();
        Assert.Equal(-MathF.Log(2), ls[0], 5);
        Assert.Equal(-1000f, ls[2], 3);
    }

    [Fact]
    public void LargeElementwiseAndReductions_UseAllCoresAndAgree()
    {
        int n = 1 << 20;
        var a = Tensor.Arange((double)n).Double();
        var b = a + 1;
        Assert.Equal((double)n * (n - 1) / 2 + n, b.Sum().Item<double>());
        var c = (a * 0).Exp();
        Assert.Equal((double)n, c.Sum().Item<double>());
    }

    [Fact]
    public void CompoundAssignment_MutatesInPlace()
    {
        var w = Tensor.Ones(2);
        var alias = w;
        w += Tensor.From(new float[] { 1, 2 });
        w *= 2;
        Assert.Same(alias, w);
        Assert.Equal([4f, 6f], alias.ToArray());
        Assert.Equal(2, w.Version);
        var i = Tensor.Arange(2);
        Assert.Contains("can't be cast", Assert.Throws<InvalidOperationException>(() => i += Tensor.Ones(2)).Message);
    }
}
