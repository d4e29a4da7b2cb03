using Framework.Autograd;

namespace Tests.AutogradTests;

/// <summary>The shape ops beyond the PyTorch reference values: views sharing storage, dtypes kept, and the exact error messages.</summary>
public class ShapeOpTests
{
    /// <summary>Asserts that <paramref name="action"/> throws <typeparamref name="T"/> with exactly <paramref name="message"/> (plus .NET's parameter suffix).</summary>
    private static void Throws<T>(Action action, string message) where T : ArgumentException
    {
        var ex = Assert.Throws<T>(action);
        string text = ex.ParamName is { } p && ex.Message.EndsWith($" (Parameter '{p}')") ? ex.Message[..^$" (Parameter '{p}')".Length] : ex.Message;
        Assert.Equal(message, text);
    }

    private static Tensor M(int rows, int cols) => Tensor.Arange((double)(rows * cols)).Double().Reshape(rows, cols);

    // ---- views share storage -------------------------------------------------------------

    [Fact]
    public void SplitPieces_AreViewsOfTheSameStorage()
    {
        var x = M(4, 6);
        var pieces = x.Chunk(3, 1);
        Assert.Equal(3, pieces.Length);
        Assert.All(pieces, p => Assert.Equal([4, 2], p.Shape));
        Assert.All(pieces, p => Assert.Equal([6, 1], p.Strides));
        pieces[1].Fill_(-1);
        Assert.Equal([-1.0, -1.0], x[0].Slice(0, 2, 4).ToArray<double>());
        var rows = x.Split([1, 3]);
        Assert.Equal([3, 6], rows[1].Shape);
        rows[1][0, 0] = Tensor.From(42.0);
        Assert.Equal(42.0, x[1, 0].Item<double>());
        var cols = x.Unbind(1);
        Assert.Equal(6, cols.Length);
        Assert.Equal([4], cols[5].Shape);
        Assert.Equal([6], cols[5].Strides);
        cols[5][3] = Tensor.From(9.0);
        Assert.Equal(9.0, x[3, 5].Item<double>());
        var n = x.Narrow(0, 1, 2);
        Assert.Equal([2, 6], n.Shape);
        n.Zero_();
        Assert.Equal(0.0, x[2, 5].Item<double>());
    }

    [Fact]
    public void Chunk_FollowsTorchSizes()
    {
        Assert.Equal([2, 2, 1], Tensor.Zeros(5).Chunk(3).Select(p => p.Shape[0]));
        Assert.Equal([2, 2, 2], Tensor.Zeros(6).Chunk(4).Select(p => p.Shape[0]));   // fewer chunks than asked
        Assert.Equal([0, 0, 0], Tensor.Zeros(0, 3).Chunk(3).Select(p => p.Shape[0]));
        Assert.Equal([1, 1], Tensor.Zeros(2).Chunk(5).Select(p => p.Shape[0]));
        Assert.Equal([5], Tensor.Zeros(5, 4).Split(10).Select(p => p.Shape[0]));
        Assert.Equal([0], Tensor.Zeros(0, 4).Split(0).Select(p => p.Shape[0]));
    }

    [Fact]
    public void SplitPieces_GradientsAddUpInTheirPlaces()
    {
        var x = Tensor.Randn([5, 3], dtype: DType.Float64).RequiresGrad_();
        var pieces = x.Split(2);
        Assert.All(pieces, p => Assert.Equal("SplitBackward0", p.GradFn!.Name));
        (pieces[0].Sum() + pieces[2].Sum() * 3).Backward();
        Assert.Equal([1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 0, 0, 0, 0, 0, 0, 3, 3, 3], x.Grad!.ToArray<double>());
        var y = Tensor.Randn([2, 3], dtype: DType.Float64).RequiresGrad_();
        var u = y.Unbind(1);
        Assert.Equal("UnbindBackward0", u[0].GradFn!.Name);
        (u[2] * 2).Sum().Backward();
        Assert.Equal([0.0, 0, 2, 0, 0, 2], y.Grad!.ToArray<double>());
        Assert.Equal("SplitWithSizesBackward0", y.Split([1, 2], 1)[1].GradFn!.Name);
        Assert.Equal("SliceBackward0", y.Narrow(1, 0, 2).GradFn!.Name);
    }

    [Fact]
    public void InPlaceOnAPiece_RoutesTheGradientThroughCopySlices()
    {
        // PyTorch refuses in-place changes to the outputs of split/chunk/unbind; here they behave as on any other view.
        var x = Tensor.From(new double[] { 1, 2, 3, 4 }, requiresGrad: true);
        var t = x * 1;
        var p = t.Chunk(2)[0];
        p.Mul_(3);
        Assert.Equal([3.0, 6, 3, 4], t.ToArray<double>());
        t.Sum().Backward();
        Assert.Equal([3.0, 3, 1, 1], x.Grad!.ToArray<double>());
    }

    [Fact]
    public void SecondDerivatives_FlowThroughTheShapeOps()
    {
        var x = Tensor.From(new double[] { 1, 2, 3, 4 }, requiresGrad: true);
        var y = x.Chunk(2)[1].Pow(3).Sum() + x.Flip(0).Roll(1).Repeat(2).Pow(2).Sum();
        var g = Autograd.Grad([y], [x], createGraph: true)[0]!;
        // dy/dx = [0, 0, 3x², 3x²] + 2·2x (each element appears twice in the repeat)
        Assert.Equal([4.0, 8, 27 + 12, 48 + 16], g.ToArray<double>());
        var h = Autograd.Grad([g.Sum()], [x])[0]!;
        Assert.Equal([4.0, 4, 18 + 4, 24 + 4], h.ToArray<double>());
    }

    [Fact]
    public void IntegerTensors_KeepTheirDType()
    {
        var i = Tensor.FromArray(new long[] { 1, 2, 3, 4, 5, 6 }, [2, 3]);
        Assert.Equal(DType.Int64, i.Flip(0).DType);
        Assert.Equal(DType.Int64, i.Roll(1).DType);
        Assert.Equal(DType.Int64, i.Repeat(2, 1).DType);
        Assert.Equal(DType.Int64, i.Tile(2).DType);
        Assert.Equal(DType.Int64, i.Tril().DType);
        Assert.Equal(DType.Int64, i.Triu(1).DType);
        Assert.Equal([0L, 2, 3, 0, 0, 6], i.Triu(1).ToArray<long>());
        Assert.Equal(DType.Int64, Tensor.Einsum("ij->j", i).DType);
        Assert.Equal([5L, 7, 9], Tensor.Einsum("ij->j", i).ToArray<long>());
        var b = Tensor.FromArray(new[] { true, true, true, true }, [2, 2]);
        Assert.Equal([true, false, true, true], b.Tril().ToArray<bool>());
        Assert.Equal([true, true, true, true], b.Flip(1).ToArray<bool>());
    }

    [Fact]
    public void RearrangingOps_ReturnNewStorage()
    {
        var x = M(2, 3);
        foreach (var y in new[] { x.Roll(0), x.Roll([0], [1]), x.Roll(3, 1), x.Flip(), x.Repeat(1, 1), x.Tile(1), x.Tril(5), x.Triu(-5) })
        {
            y.Fill_(-1);
            Assert.Equal(0.0, x[0, 0].Item<double>());
        }
    }

    [Fact]
    public void Eye_AndOneHot()
    {
        Assert.Equal([1f, 0, 0, 0, 1, 0], Tensor.Eye(2, 3).ToArray());
        var e = Tensor.Eye(2, dtype: DType.Float64, requiresGrad: true);
        Assert.True(e.RequiresGrad);
        Assert.Equal(DType.Float64, e.DType);
        var oh = Tensor.OneHot(Tensor.From(new long[] { 2, 0 }));
        Assert.Equal(DType.Int64, oh.DType);
        Assert.Equal([2, 3], oh.Shape);
        Assert.Equal([0L, 0, 1, 1, 0, 0], oh.ToArray<long>());
        Assert.Equal([0L, 0, 1, 1, 0, 0], Tensor.OneHot(Tensor.From(new long[] { 3, 2, 1, 0, 2 }).Slice(0, 1, 5, 2), 3).ToArray<long>());
    }

    [Fact]
    public void Baddbmm_Beta0_IgnoresNaN_AndIntegersTruncateTheScalars()
    {
        var self = Tensor.Full([1, 2, 2], double.NaN, DType.Float64);
        var y = self.Baddbmm(Tensor.Ones([1, 2, 3], DType.Float64), Tensor.Ones([1, 3, 2], DType.Float64), beta: 0, alpha: 2);
        Assert.Equal([6.0, 6, 6, 6], y.ToArray<double>());
        Assert.Equal(y.ToArray<double>(), Tensor.Baddbmm(self, Tensor.Ones([1, 2, 3], DType.Float64), Tensor.Ones([1, 3, 2], DType.Float64), 0, 2).ToArray<double>());
        Assert.Equal([3.0, 4, 6, 8], Tensor.Outer(Tensor.From(new double[] { 1, 2 }), Tensor.From(new double[] { 3, 4 })).ToArray<double>());
        var i = Tensor.Ones([1, 1, 1], DType.Int64);
        Assert.Equal([1L], i.Baddbmm(i, i, alpha: 0.5).ToArray<long>());   // alpha truncated to 0, as PyTorch converts it
    }

    // ---- error messages ---------------------------------------------------------------------

    [Fact]
    public void SplitFamily_Errors()
    {
        var x = Tensor.Zeros(5, 4);
        var s = Tensor.From(1.0);
        Throws<ArgumentException>(() => x.Chunk(0), "chunk expects `chunks` to be greater than 0, got: 0");
        Throws<ArgumentException>(() => s.Chunk(2), "chunk expects at least a 1-dimensional tensor");
        Throws<ArgumentOutOfRangeException>(() => x.Chunk(2, 2), "Dimension out of range (expected to be in range of [-2, 1], but got 2)");
        Throws<ArgumentException>(() => x.Split(-1), "split expects split_size be non-negative, but got split_size=-1");
        Throws<ArgumentException>(() => x.Split(0), "split_size can only be 0 if dimension size is 0, but got dimension size of 5");
        Throws<ArgumentException>(() => s.Split(1), "split expects at least a 1-dimensional tensor");
        Throws<ArgumentException>(() => x.Split([1, 2]),
            "split_with_sizes expects split_sizes to sum exactly to 5 (input tensor's size at dimension 0), but got split_sizes=[1, 2]");
        Throws<ArgumentException>(() => x.Split([6, -1]),
            "split_with_sizes expects split_sizes have only non-negative entries, but got split_sizes=[6, -1]");
        Throws<ArgumentOutOfRangeException>(() => x.Split([4], -3), "Dimension out of range (expected to be in range of [-2, 1], but got -3)");
        Throws<ArgumentOutOfRangeException>(() => s.Unbind(), "Dimension specified as 0 but tensor has no dimensions");
        Throws<ArgumentOutOfRangeException>(() => x.Unbind(2), "Dimension out of range (expected to be in range of [-2, 1], but got 2)");
        Throws<ArgumentException>(() => s.Narrow(0, 0, 1), "narrow() cannot be applied to a 0-dim tensor.");
        Throws<ArgumentException>(() => x.Narrow(0, 4, 2), "start (4) + length (2) exceeds dimension size (5).");
        Throws<ArgumentException>(() => x.Narrow(0, 1, -1), "narrow(): length must be non-negative, but got -1");
        Throws<ArgumentOutOfRangeException>(() => x.Narrow(0, 6, 0),
            "start out of range (expected to be in range of [-5, 5], but got 6) for dimension 0 of a tensor of shape [5, 4]");
        Throws<ArgumentOutOfRangeException>(() => x.Narrow(-1, -5, 1),
            "start out of range (expected to be in range of [-4, 4], but got -5) for dimension 1 of a tensor of shape [5, 4]");
        Assert.Equal([0, 4], x.Narrow(0, 5, 0).Shape);
    }

    [Fact]
    public void RearrangingOps_Errors()
    {
        var x = Tensor.Zeros(5, 4);
        Throws<ArgumentException>(() => x.Repeat(2),
            "Number of dimensions of repeat dims can not be smaller than number of dimensions of tensor (repeats [2] for a tensor of shape [5, 4])");
        Throws<ArgumentException>(() => x.Repeat(2, -1), "Trying to create tensor with negative dimension -4: [10, -4]");
        Throws<ArgumentException>(() => x.Tile(-1), "Trying to create tensor with negative dimension -4: [5, -4]");
        Throws<ArgumentException>(() => x.Flip(0, -2), "flip: dim 0 appears multiple times in the list of dims [0, -2]");
        Throws<ArgumentOutOfRangeException>(() => x.Flip(2), "Dimension out of range (expected to be in range of [-2, 1], but got 2)");
        Throws<ArgumentException>(() => x.Roll([1, 2], [0]), "shifts and dimensions must align. shifts: 2, dims:1");
        Throws<ArgumentException>(() => x.Roll([], []), "`shifts` required");
        Throws<ArgumentOutOfRangeException>(() => x.Roll(1, 2), "Dimension out of range (expected to be in range of [-2, 1], but got 2)");
        Throws<ArgumentException>(() => Tensor.Zeros(3).Tril(), "tril: input tensor must have at least 2 dimensions, but got a tensor of shape [3]");
        Throws<ArgumentException>(() => Tensor.Zeros(3).Triu(1), "triu: input tensor must have at least 2 dimensions, but got a tensor of shape [3]");
    }

    [Fact]
    public void Products_Errors()
    {
        var m = Tensor.Zeros(2, 2);
        var v = Tensor.Zeros(3);
        Throws<ArgumentException>(() => m.Outer(v), "outer: Expected 1-D argument self, but got 2-D (shape [2, 2])");
        Throws<ArgumentException>(() => v.Outer(m), "outer: Expected 1-D argument vec2, but got 2-D (shape [2, 2])");
        var s = Tensor.Zeros(2, 3, 3);
        Throws<ArgumentException>(() => s.Baddbmm(Tensor.Zeros(3, 3), Tensor.Zeros(2, 3, 3)), "batch1 must be a 3D tensor, but got a tensor of shape [3, 3]");
        Throws<ArgumentException>(() => s.Baddbmm(Tensor.Zeros(2, 3, 3), Tensor.Zeros(3, 3)), "batch2 must be a 3D tensor, but got a tensor of shape [3, 3]");
        Throws<ArgumentException>(() => s.Baddbmm(Tensor.Zeros(2, 3, 4), Tensor.Zeros(3, 4, 3)),
            "Expected size for first two dimensions of batch2 tensor to be: [2, 4] but got: [3, 4].");
        Throws<ArgumentException>(() => s.Baddbmm(Tensor.Zeros(2, 3, 4), Tensor.Zeros(2, 5, 3)),
            "Expected size for first two dimensions of batch2 tensor to be: [2, 4] but got: [2, 5].");
        Throws<ArgumentException>(() => Tensor.Zeros(2, 3, 4).Baddbmm(Tensor.Zeros(2, 3, 4), Tensor.Zeros(2, 4, 3)),
            "The expanded size of the tensor (3) must match the existing size (4) at non-singleton dimension 2.  Target sizes: [2, 3, 3].  Tensor sizes: [2, 3, 4]");
        Throws<ArgumentException>(() => s.Baddbmm(Tensor.Zeros([2, 3, 4], DType.Float64), Tensor.Zeros(2, 4, 3)),
            "baddbmm: expected self, batch1 and batch2 to have the same dtype, but got torch.float32, torch.float64 and torch.float32");
        Throws<ArgumentException>(() => Tensor.Zeros(2).Addmm(Tensor.Zeros(2, 3), Tensor.Zeros(4, 2), beta: 2), "mat1 and mat2 shapes cannot be multiplied ([2, 3] and [4, 2])");
    }

    [Fact]
    public void Creation_Errors()
    {
        Throws<ArgumentException>(() => Tensor.Eye(-1), "n must be greater or equal to 0, got -1");
        Throws<ArgumentException>(() => Tensor.Eye(2, -1), "m must be greater or equal to 0, got -1");
        Throws<ArgumentException>(() => Tensor.OneHot(Tensor.From(new double[] { 1 })), "one_hot is only applicable to index tensor. (got a tensor of dtype torch.float64)");
        Throws<ArgumentException>(() => Tensor.OneHot(Tensor.From(new long[] { -1, 2 })), "Class values must be non-negative. (got class -1)");
        Throws<ArgumentException>(() => Tensor.OneHot(Tensor.From(new long[] { 1, 3 }), 3),
            "Class values must be smaller than num_classes. (got class 3 with num_classes=3)");
        Throws<ArgumentException>(() => Tensor.OneHot(Tensor.From(new long[] { 0 }), 0),
            "Class values must be smaller than num_classes. (got class 0 with num_classes=0)");
        Throws<ArgumentException>(() => Tensor.OneHot(Tensor.From(Array.Empty<long>())), "Can not infer total number of classes from empty tensor.");
    }

    [Fact]
    public void Einsum_Errors()
    {
        var a = Tensor.Zeros(2, 3);
        var b = Tensor.Zeros(3, 4);
        Throws<ArgumentException>(() => Tensor.Einsum("ij"), "einsum(): must provide at least one operand");
        Throws<ArgumentException>(() => Tensor.Einsum("ij,jk", a), "einsum(): fewer operands were provided than specified in the equation");
        Throws<ArgumentException>(() => Tensor.Einsum("ij", a, b), "einsum(): more operands were provided than specified in the equation");
        Throws<ArgumentException>(() => Tensor.Einsum("i1", a),
            "einsum(): invalid subscript given at index 1 in the equation string, subscripts must be in [a-zA-Z] (got '1' in \"i1\")");
        Throws<ArgumentException>(() => Tensor.Einsum("ij->i1", a),
            "einsum(): invalid subscript given at index 5 in the equation string, subscripts must be in [a-zA-Z] (got '1' in \"ij->i1\")");
        Throws<ArgumentException>(() => Tensor.Einsum("ij->j->i", a),
            "einsum(): invalid subscript given at index 5 in the equation string, subscripts must be in [a-zA-Z] (got '-' in \"ij->j->i\")");
        Throws<ArgumentException>(() => Tensor.Einsum("ijk", a),
            "einsum(): the number of subscripts in the equation (3) does not match the number of dimensions (2) for operand 0 and no ellipsis was given");
        Throws<ArgumentException>(() => Tensor.Einsum("ij,jkl...", a, b),
            "einsum(): the number of subscripts in the equation (3) is more than the number of dimensions (2) for operand 1");
        Throws<ArgumentException>(() => Tensor.Einsum("ij->ii", a), "einsum(): output subscript i appears more than once in the output");
        Throws<ArgumentException>(() => Tensor.Einsum("ij->k", a), "einsum(): output subscript k does not appear in the equation for any input operand");
        Throws<ArgumentException>(() => Tensor.Einsum("ii", a), "einsum(): subscript i is repeated for operand 0 but the sizes don't match, 3 != 2");
        Throws<ArgumentException>(() => Tensor.Einsum("...i...", a), "einsum(): found '.' for operand 0 for which an ellipsis was already found");
        Throws<ArgumentException>(() => Tensor.Einsum("..i", a), "einsum(): found '.' for operand 0 that is not part of any ellipsis");
        Throws<ArgumentException>(() => Tensor.Einsum("ij->..", a), "einsum(): found '.' for output that is not part of any ellipsis");
        Throws<ArgumentException>(() => Tensor.Einsum("ij,jk->ik", a, Tensor.Zeros(4, 4)),
            "einsum(): subscript j has size 4 for operand 1 which does not broadcast with previously seen size 3");
        Throws<ArgumentException>(() => Tensor.Einsum("...ij,...jk", Tensor.Zeros(2, 2, 3), Tensor.Zeros(5, 3, 4)),
            "einsum(): dimension 0 covered by ellipsis in operand 1 has size 5 which does not broadcast with previously seen ellipsis with size 2 for the respective dimension");
        Throws<ArgumentException>(() => Tensor.Einsum("ij,jk->ik", a.Double(), b),
            "einsum(): expected all operands to have the same dtype, but operand 0 is torch.float64 and operand 1 is torch.float32");
    }
}
