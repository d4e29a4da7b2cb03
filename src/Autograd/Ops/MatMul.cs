using System.Numerics;
using Framework.Autograd.Kernels;

namespace Framework.Autograd;

// Matrix products. Every product reaches Gemm.Run; a transposed 2-d view is passed as a transpose flag, not copied.
public partial class Tensor
{
    /// <summary>Σ a[i]·b[i] of two 1-d tensors (0-d result).</summary>
    public Tensor Dot(Tensor other)
    {
        var a = this; var b = other;
        if (a.shape.Length != 1 || b.shape.Length != 1)
            throw new ArgumentException($"1D tensors expected, but got {a.shape.Length}D and {b.shape.Length}D tensors (shapes {ShapeUtil.Format(a.shape)} and {ShapeUtil.Format(b.shape)})");
        if (a.shape[0] != b.shape[0])
            throw new ArgumentException($"inconsistent tensor size, expected tensor [{a.shape[0]}] and src [{b.shape[0]}] to have the same number of elements, but got {a.shape[0]} and {b.shape[0]} elements respectively");
        CheckSameDType(a, b, "dot");
        var y = MatMulRaw(a.Reshape(1, -1), b.Reshape(-1, 1)).Reshape();
        if (!Graph.ShouldRecord(a, b)) return y;
        return Graph.Record("DotBackward0", y, [a, b], [b.requiresGrad ? a : null, a.requiresGrad ? b : null],
            static (ctx, g) => [ctx.NeedsInputGrad(0) ? g * ctx.Saved(1) : null, ctx.NeedsInputGrad(1) ? g * ctx.Saved(0) : null]);
    }

    /// <summary>Matrix product with torch.matmul's rules: 1-d·1-d, 2-d·1-d, 1-d·2-d, 2-d·2-d and batched with broadcast batch dims.</summary>
    /// <remarks>
    /// As PyTorch 1.13 decomposes it, so the graph (and its grad_fn names) is PyTorch's: a batched operand against a
    /// vector or matrix is folded into one mm or mv over all its rows (UnsafeViewBackward0; transposed back with a copy
    /// when the batched operand is the second); other batched products broadcast their batch dims into one bmm.
    /// </remarks>
    public Tensor MatMul(Tensor other)
    {
        var a = this; var b = other;
        int da = a.shape.Length, db = b.shape.Length;
        if (da == 0 || db == 0)
            throw new ArgumentException($"both arguments to matmul need to be at least 1D, but they are {da}D and {db}D");
        if (da == 1 && db == 1) return a.Dot(b);
        if (da == 2 && db == 1) return a.Mv(b);
        if (da == 1 && db == 2) return a.Unsqueeze(0).Mm(b).Squeeze(0, "SqueezeBackward3");   // PyTorch's in-place squeeze_(0)
        if (da == 2 && db == 2) return a.Mm(b);
        if (ShouldFold(a, db) || ShouldFold(b, da))
        {
            bool transpose = db > da;
            var t1 = transpose ? b.Transpose(-2, -1) : a;
            var t2 = !transpose ? b : da == 2 ? a.T() : a;
            int[] rows = t1.shape[..^1];
            int folded = ShapeUtil.Numel(rows), inner = t1.shape[^1];
            if (t2.shape[0] != inner) throw ShapeError(a, b);
            var t1Folded = t1.Reshape(folded, inner);
            if (t2.shape.Length == 1) return t1Folded.Mv(t2).UnsafeView(rows);
            var output = t1Folded.Mm(t2).UnsafeView([.. rows, t2.shape[1]]);
            return transpose ? output.Transpose(-2, -1).Contiguous() : output;
        }
        // Batched: vectors become matrices, batch dims broadcast, then one bmm.
        var a3 = da == 1 ? a.Unsqueeze(0) : a;
        var b3 = db == 1 ? b.Unsqueeze(-1) : b;
        int m = a3.shape[^2], k = a3.shape[^1], k2 = b3.shape[^2], n = b3.shape[^1];
        if (k != k2) throw ShapeError(a, b);
        var batch = ShapeUtil.Broadcast(a3.shape[..^2], b3.shape[..^2]);
        int bs = ShapeUtil.Numel(batch);
        var ae = a3.Expand([.. batch, m, k]).Reshape(bs, m, k);
        var be = b3.Expand([.. batch, k, n]).Reshape(bs, k, n);
        int[] outShape = [.. batch, .. (da > 1 ? [m] : Array.Empty<int>()), .. (db > 1 ? [n] : Array.Empty<int>())];
        return ae.Bmm(be).UnsafeView(outShape);
    }

    /// <summary>Whether matmul folds <paramref name="t1"/>'s batch dims into the rows of one mm or mv against an operand of <paramref name="otherDim"/> dims (PyTorch 1.13's should_fold).</summary>
    /// <remarks>Not for a 3-d operand whose last two dims are transposed over a slowest first dim (as after permute(0, 2, 1)): folding would copy it, and bmm reads it as it is.</remarks>
    private static bool ShouldFold(Tensor t1, int otherDim)
    {
        int d1 = t1.shape.Length;
        if (d1 < 3 || otherDim is not (1 or 2)) return false;
        return !(d1 == 3 && otherDim == 2 && t1.strides[^1] != 1 && t1.strides[0] == t1.shape[1] * t1.shape[2]);
    }

    /// <summary>Matrix product of two 2-d tensors.</summary>
    public Tensor Mm(Tensor other)
    {
        var a = this; var b = other;
        if (a.shape.Length != 2 || b.shape.Length != 2) throw new ArgumentException($"mm: expected 2-D tensors, got shapes {ShapeUtil.Format(a.shape)} and {ShapeUtil.Format(b.shape)}");
        if (a.shape[1] != b.shape[0]) throw ShapeError(a, b);
        CheckSameDType(a, b, "mm");
        var y = MatMulRaw(a, b);
        if (!Graph.ShouldRecord(a, b)) return y;
        return Graph.Record("MmBackward0", y, [a, b], [b.requiresGrad ? a : null, a.requiresGrad ? b : null], IsTransposedView(b),
            static (ctx, g, bTransposed) => [ctx.NeedsInputGrad(0) ? g.Mm(ctx.Saved(1).T()) : null,
                                             ctx.NeedsInputGrad(1) ? Mat2Grad(ctx.Saved(0), g, bTransposed) : null]);
    }

    /// <summary>Matrix-vector product of a 2-d and a 1-d tensor.</summary>
    public Tensor Mv(Tensor vec)
    {
        var a = this; var v = vec;
        if (a.shape.Length != 2 || v.shape.Length != 1) throw new ArgumentException($"mv: expected a matrix and a vector, got shapes {ShapeUtil.Format(a.shape)} and {ShapeUtil.Format(v.shape)}");
        if (a.shape[1] != v.shape[0]) throw ShapeError(a, v);
        CheckSameDType(a, v, "mv");
        var y = MatMulRaw(a, v.Reshape(-1, 1)).Reshape(-1);
        if (!Graph.ShouldRecord(a, v)) return y;
        return Graph.Record("MvBackward0", y, [a, v], [v.requiresGrad ? a : null, a.requiresGrad ? v : null],
            static (ctx, g) => [ctx.NeedsInputGrad(0) ? g.Unsqueeze(1).Mm(ctx.Saved(1).Unsqueeze(0)) : null,
                                ctx.NeedsInputGrad(1) ? ctx.Saved(0).T().Mv(g) : null]);
    }

    /// <summary>Batched matrix product of two 3-d tensors [b, m, k]·[b, k, n].</summary>
    public Tensor Bmm(Tensor other)
    {
        var a = this; var b = other;
        if (a.shape.Length != 3 || b.shape.Length != 3 || a.shape[0] != b.shape[0] || a.shape[2] != b.shape[1]) throw ShapeError(a, b);
        CheckSameDType(a, b, "bmm");
        var y = new Tensor([a.shape[0], a.shape[1], b.shape[2]], a.DType, clear: false);
        BmmRaw(a, b, y, 1, 0);
        if (!Graph.ShouldRecord(a, b)) return y;
        return Graph.Record("BmmBackward0", y, [a, b], [b.requiresGrad ? a : null, a.requiresGrad ? b : null],
            static (ctx, g) => [ctx.NeedsInputGrad(0) ? g.Bmm(ctx.Saved(1).Transpose(1, 2)) : null,
                                ctx.NeedsInputGrad(1) ? ctx.Saved(0).Transpose(1, 2).Bmm(g) : null]);
    }

    /// <summary>bias + a·b for 2-d a, b and a bias broadcastable to the result (torch.addmm); one GEMM accumulating onto the bias.</summary>
    public static Tensor Addmm(Tensor bias, Tensor a, Tensor b)
    {
        if (a.shape.Length != 2 || b.shape.Length != 2) throw new ArgumentException($"addmm: expected 2-D tensors, got shapes {ShapeUtil.Format(a.shape)} and {ShapeUtil.Format(b.shape)}");
        if (a.shape[1] != b.shape[0]) throw ShapeError(a, b);
        CheckSameDType(a, b, "addmm");
        int[] outShape = [a.shape[0], b.shape[1]];
        if (!ShapeUtil.IsExpandableTo(bias.shape, outShape))
            throw new ArgumentException($"addmm: the bias of shape {ShapeUtil.Format(bias.shape)} does not broadcast to the product's shape {ShapeUtil.Format(outShape)}");
        var y = new Tensor(outShape, a.DType, clear: false).WriteRaw(bias);
        MatMulRaw(a, b, y, accumulate: true);
        if (!GradMode.IsEnabled || !(bias.requiresGrad || a.requiresGrad || b.requiresGrad)) return y;
        return Graph.Record("AddmmBackward0", y, [bias, a, b], [b.requiresGrad ? a : null, a.requiresGrad ? b : null], IsTransposedView(b),
            static (ctx, g, bTransposed) => [ctx.NeedsInputGrad(0) ? g : null,
                                             ctx.NeedsInputGrad(1) ? g.Mm(ctx.Saved(1).T()) : null,
                                             ctx.NeedsInputGrad(2) ? Mat2Grad(ctx.Saved(0), g, bTransposed) : null]);
    }

    /// <summary>beta·this + alpha·(mat1·mat2) for 2-d mat1, mat2 and this broadcastable to the product (x.addmm(mat1, mat2, beta, alpha)).</summary>
    public Tensor Addmm(Tensor mat1, Tensor mat2, double beta = 1, double alpha = 1)
    {
        if (beta == 1 && alpha == 1) return Addmm(this, mat1, mat2);
        var bias = this; var a = mat1; var b = mat2;
        if (a.shape.Length != 2 || b.shape.Length != 2) throw new ArgumentException($"addmm: expected 2-D tensors, got shapes {ShapeUtil.Format(a.shape)} and {ShapeUtil.Format(b.shape)}");
        if (a.shape[1] != b.shape[0]) throw ShapeError(a, b);
        CheckSameDType(a, b, "addmm");
        int[] outShape = [a.shape[0], b.shape[1]];
        if (!ShapeUtil.IsExpandableTo(bias.shape, outShape))
            throw new ArgumentException($"addmm: the bias of shape {ShapeUtil.Format(bias.shape)} does not broadcast to the product's shape {ShapeUtil.Format(outShape)}");
        Tensor y;
        using (new NoGrad()) y = ScaledSum(bias, beta, MatMulRaw(a, b), alpha);
        return Graph.Record("AddmmBackward0", y, [bias, a, b], [b.requiresGrad ? a : null, a.requiresGrad ? b : null], (beta, alpha),
            static (ctx, g, s) => [ctx.NeedsInputGrad(0) ? Scaled(g, s.beta) : null,
                                   ctx.NeedsInputGrad(1) ? Scaled(g.Mm(ctx.Saved(1).T()), s.alpha) : null,
                                   ctx.NeedsInputGrad(2) ? Scaled(ctx.Saved(0).T().Mm(g), s.alpha) : null]);
    }

    /// <summary>beta·this + alpha·(batch1 @ batch2) for 3-d batches [b, n, m]·[b, m, p], this broadcastable to [b, n, p]; beta = 0 ignores this tensor's values (NaN included).</summary>
    public Tensor Baddbmm(Tensor batch1, Tensor batch2, double beta = 1, double alpha = 1)
    {
        ArgumentNullException.ThrowIfNull(batch1); ArgumentNullException.ThrowIfNull(batch2);
        var self = this; var a = batch1; var b = batch2;
        if (a.shape.Length != 3) throw new ArgumentException($"batch1 must be a 3D tensor, but got a tensor of shape {ShapeUtil.Format(a.shape)}");
        if (b.shape.Length != 3) throw new ArgumentException($"batch2 must be a 3D tensor, but got a tensor of shape {ShapeUtil.Format(b.shape)}");
        if (b.shape[0] != a.shape[0] || b.shape[1] != a.shape[2])
            throw new ArgumentException(
                $"Expected size for first two dimensions of batch2 tensor to be: [{a.shape[0]}, {a.shape[2]}] but got: [{b.shape[0]}, {b.shape[1]}].");
        if (self.DType != a.DType || a.DType != b.DType)
            throw new ArgumentException(
                $"baddbmm: expected self, batch1 and batch2 to have the same dtype, but got {self.DType.TorchName()}, {a.DType.TorchName()} and {b.DType.TorchName()}");
        int[] outShape = [a.shape[0], a.shape[1], b.shape[2]];
        Tensor y;
        using (new NoGrad())
        {
            var bias = self.Expand(outShape);                 // PyTorch's expand error when this does not broadcast
            y = new Tensor(outShape, a.DType, clear: false);
            if (beta != 0) y.WriteRaw(bias);                  // one batched GEMM accumulates onto beta·bias
            BmmRaw(a, b, y, alpha, beta);
        }
        return Graph.Record("BaddbmmBackward0", y, [self, a, b], [b.requiresGrad ? a : null, a.requiresGrad ? b : null], (beta, alpha),
            static (ctx, g, s) => [ctx.NeedsInputGrad(0) ? Scaled(g, s.beta) : null,
                                   ctx.NeedsInputGrad(1) ? Scaled(g.Bmm(ctx.Saved(1).Transpose(1, 2)), s.alpha) : null,
                                   ctx.NeedsInputGrad(2) ? Scaled(ctx.Saved(0).Transpose(1, 2).Bmm(g), s.alpha) : null]);
    }

    /// <summary>Outer product of two 1-d tensors: y[i, j] = this[i]·v[j] (recorded as the product it is, MulBackward0).</summary>
    public Tensor Outer(Tensor v)
    {
        ArgumentNullException.ThrowIfNull(v);
        if (shape.Length != 1) throw new ArgumentException($"outer: Expected 1-D argument self, but got {shape.Length}-D (shape {ShapeUtil.Format(shape)})");
        if (v.shape.Length != 1) throw new ArgumentException($"outer: Expected 1-D argument vec2, but got {v.shape.Length}-D (shape {ShapeUtil.Format(v.shape)})");
        return Reshape(-1, 1) * v;
    }

    /// <summary>beta·bias + alpha·product as a new tensor, no graph; beta = 0 skips the bias (its NaNs too).</summary>
    private static Tensor ScaledSum(Tensor bias, double beta, Tensor product, double alpha)
    {
        var p = Scaled(product, alpha);
        return beta == 0 ? p : p + Scaled(bias, beta);
    }

    /// <summary>t·s keeping t's dtype (an Int64 tensor takes s truncated, as PyTorch converts the scalar); t itself when s = 1.</summary>
    private static Tensor Scaled(Tensor t, double s) => s == 1 ? t : t.DType == DType.Int64 ? t * (long)s : t * s;

    /// <summary>
    /// d(a·b)/db = aᵀ·g, laid out like b: when b is a transposed view (a Linear weight's W.T()), it is computed as (gᵀ·a)ᵀ,
    /// so the gradient that reaches W through TBackward0 is contiguous, as PyTorch's mm_mat2_backward does.
    /// </summary>
    private static Tensor Mat2Grad(Tensor a, Tensor g, bool bTransposed) => bTransposed ? g.T().Mm(a).T() : a.T().Mm(g);

    /// <summary>True for a 2-d b laid out column-major (a transposed view), the layout Mat2Grad gives its gradient.</summary>
    private static bool IsTransposedView(Tensor b) => b.strides[0] == 1 && b.strides[1] != 1 && b.shape[0] > 1;

    /// <summary>a @ b.</summary>
    public static Tensor MatMul(Tensor a, Tensor b) => a.MatMul(b);
    /// <summary>Outer product of 1-d a and b (torch.outer).</summary>
    public static Tensor Outer(Tensor a, Tensor b) => a.Outer(b);
    /// <summary>beta·input + alpha·(batch1 @ batch2) (torch.baddbmm).</summary>
    public static Tensor Baddbmm(Tensor input, Tensor batch1, Tensor batch2, double beta = 1, double alpha = 1) => input.Baddbmm(batch1, batch2, beta, alpha);
    /// <summary>a · b of 1-d tensors.</summary>
    public static Tensor Dot(Tensor a, Tensor b) => a.Dot(b);

    private static ArgumentException ShapeError(Tensor a, Tensor b) => new(
        $"mat1 and mat2 shapes cannot be multiplied ({ShapeUtil.Format(a.shape)} and {ShapeUtil.Format(b.shape)})");

    private static void CheckSameDType(Tensor a, Tensor b, string op)
    {
        if (a.DType != b.DType)
            throw new ArgumentException($"{op}: expected both operands to have the same dtype, but got {a.DType.TorchName()} and {b.DType.TorchName()}");
    }

    /// <summary>How a 2-d tensor is handed to GEMM without a copy: row-major with ld, or transposed; false when it must be copied.</summary>
    private static bool GemmLayout(Tensor t, out bool trans, out int ld)
    {
        int r = t.shape[0], c = t.shape[1];
        trans = false; ld = Math.Max(c, 1);
        if (t.isContiguous) return true;
        if (t.strides[1] == 1 && t.strides[0] >= c) { ld = t.strides[0]; return true; }
        if (t.strides[0] == 1 && t.strides[1] >= r) { trans = true; ld = t.strides[1]; return true; }
        return false;
    }

    /// <summary>y = a·b for 2-d a and b (no graph); writes into <paramref name="into"/> when given (contiguous 2-d).</summary>
    private static Tensor MatMulRaw(Tensor a, Tensor b, Tensor? into = null, bool accumulate = false)
    {
        int m = a.shape[0], k = a.shape[1], n = b.shape[1];
        var y = into ?? new Tensor([m, n], a.DType, clear: false);
        if (!GemmLayout(a, out bool ta, out int lda)) { a = Dispatch.Raw(a, a.DType); GemmLayout(a, out ta, out lda); }
        if (!GemmLayout(b, out bool tb, out int ldb)) { b = Dispatch.Raw(b, b.DType); GemmLayout(b, out tb, out ldb); }
        if (y.DType == DType.Bool) throw new ArgumentException("matmul is not supported for torch.bool tensors");
        var gemm = new GemmKernel(a, ta, lda, b, tb, ldb, y, Math.Max(n, 1), m, n, k, accumulate);
        DTypeDispatch.Numeric(y.DType, ref gemm);
        return y;
    }

    /// <summary>How the items of a 3-d tensor are handed to a batched GEMM without a copy: batch stride, then GemmLayout's answer for one item.</summary>
    private static bool BatchLayout(Tensor t, out long batchStride, out bool trans, out int ld)
    {
        int r = t.shape[1], c = t.shape[2], s1 = t.strides[1], s2 = t.strides[2];
        batchStride = t.shape[0] <= 1 ? 0 : t.strides[0];
        trans = false; ld = Math.Max(c, 1);
        if (batchStride < 0) return false;
        if ((c <= 1 || s2 == 1) && (r <= 1 || s1 >= c)) { if (r > 1) ld = Math.Max(s1, 1); return true; }
        if ((r <= 1 || s1 == 1) && (c <= 1 || s2 >= r)) { trans = true; ld = c > 1 ? s2 : Math.Max(r, 1); return true; }
        return false;
    }

    /// <summary>y = alpha·a·b + beta·y for 3-d a [bs, m, k], b [bs, k, n] and a contiguous y [bs, m, n] (beta = 0 ignores y): one batched GEMM, no graph.</summary>
    private static void BmmRaw(Tensor a, Tensor b, Tensor y, double alpha, double beta)
    {
        if (y.DType == DType.Bool) throw new ArgumentException("bmm is not supported for torch.bool tensors");
        if (!BatchLayout(a, out long sa, out bool ta, out int lda)) { a = Dispatch.Raw(a, a.DType); BatchLayout(a, out sa, out ta, out lda); }
        if (!BatchLayout(b, out long sb, out bool tb, out int ldb)) { b = Dispatch.Raw(b, b.DType); BatchLayout(b, out sb, out tb, out ldb); }
        int m = a.shape[1], k = a.shape[2], n = b.shape[2];
        var gemm = new BatchedGemmKernel(a, ta, lda, sa, b, tb, ldb, sb, y, y.shape[0], m, n, k, alpha, beta);
        DTypeDispatch.Numeric(y.DType, ref gemm);
    }

    /// <summary>The batched GEMM of BmmRaw in T (alpha and beta converted as PyTorch converts scalars: truncated for integers).</summary>
    private readonly struct BatchedGemmKernel(Tensor a, bool ta, int lda, long sa, Tensor b, bool tb, int ldb, long sb, Tensor y, int batch,
                                              int m, int n, int k, double alpha, double beta) : INumericKernel
    {
        public void Invoke<T>() where T : unmanaged, INumber<T>
            => Gemm.RunBatched(batch, ta, tb, m, n, k, T.CreateTruncating(alpha), a.Elems<T>().AsSpan(a.offset), sa, lda,
                               b.Elems<T>().AsSpan(b.offset), sb, ldb, T.CreateTruncating(beta), y.Elems<T>().AsSpan(y.offset), (long)m * n, Math.Max(n, 1));
    }

    /// <summary>y = a·b (+ y when accumulating) through Gemm.Run, each operand at its offset with its layout.</summary>
    private readonly struct GemmKernel(Tensor a, bool ta, int lda, Tensor b, bool tb, int ldb, Tensor y, int ldc, int m, int n, int k, bool accumulate) : INumericKernel
    {
        public void Invoke<T>() where T : unmanaged, INumber<T>
            => Gemm.Run(ta, tb, m, n, k, T.One, a.Elems<T>().AsSpan(a.offset), lda, b.Elems<T>().AsSpan(b.offset), ldb,
                        accumulate ? T.One : T.Zero, y.Elems<T>().AsSpan(y.offset), ldc);
    }
}
