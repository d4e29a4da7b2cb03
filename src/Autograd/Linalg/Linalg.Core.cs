using MathNet.Numerics.LinearAlgebra;

namespace Framework.Autograd;

/// <summary>A matrix of a batch could not be factorised or inverted (torch.linalg.LinAlgError).</summary>
public sealed class LinAlgException(string message) : ArithmeticException(message);

/// <summary>torch.linalg: decompositions, inverses and norms of (batches of) matrices, with gradients.</summary>
/// <remarks>
/// Forward: each matrix of the batch is copied into a MathNet.Numerics <see cref="Matrix{T}"/> of doubles, decomposed, and
/// copied back (Float32 is computed in double and rounded). Backward rules are PyTorch's, written with tensor ops (so they
/// differentiate again). Our graph nodes have one output, so an op with several (Svd, Qr, Eigh, Slogdet) records one node
/// over all of them packed side by side, and each output is a piece of it with a node of the same name (as Unbind does).
/// </remarks>
public static partial class Linalg
{
    /// <summary>Refuses fewer than two dims or a non-float dtype (and a non-square matrix when <paramref name="square"/>), with PyTorch's messages.</summary>
    internal static void CheckMatrices(Tensor a, string op, bool square, string name = "A")
    {
        ArgumentNullException.ThrowIfNull(a, name);
        if (a.Dim < 2) throw new ArgumentException($"{op}: The input tensor {name} must have at least 2 dimensions.");
        CheckFloat(a, op);
        if (square && a.shape[^1] != a.shape[^2])
            throw new ArgumentException($"{op}: {name} must be batches of square matrices, but they are {a.shape[^2]} by {a.shape[^1]} matrices");
    }

    /// <summary>Refuses a dtype other than Float32 and Float64.</summary>
    internal static void CheckFloat(Tensor a, string op)
    {
        if (!a.DType.IsFloatingPoint())
            throw new ArgumentException($"{op}: Expected a floating point or complex tensor as input. Got {a.DType.ScalarTypeName()}");
    }

    /// <summary>The leading (batch) dims of a [..., m, n] tensor.</summary>
    internal static int[] BatchShape(Tensor a) => a.shape[..^2];

    /// <summary>The elements of a tensor as row-major doubles (a copy).</summary>
    internal static double[] Doubles(Tensor a)
    {
        using var _ = new NoGrad();
        return a.Contiguous().ToArray<double>();
    }

    /// <summary>Matrix <paramref name="b"/> of a row-major batch of m×n matrices.</summary>
    internal static Matrix<double> MatrixAt(double[] data, int b, int m, int n)
    {
        int o = b * m * n;
        return Matrix<double>.Build.Dense(m, n, (i, j) => data[o + i * n + j]);
    }

    /// <summary>Writes <paramref name="x"/> (its top-left rows × cols block) as matrix <paramref name="b"/> of a row-major batch.</summary>
    internal static void Put(double[] data, int b, Matrix<double> x, int rows, int cols)
    {
        int o = b * rows * cols;
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < cols; j++) data[o + i * cols + j] = x[i, j];
    }

    /// <summary>A tensor of the given shape and dtype holding these doubles.</summary>
    internal static Tensor Make(double[] data, int[] shape, DType dtype)
    {
        var t = Tensor.FromArray(data, shape);
        return dtype == DType.Float64 ? t : Dispatch.Raw(t, dtype);
    }

    /// <summary>"(Batch element 3): " for a batched input, "" for a single matrix, as PyTorch prefixes its LinAlgErrors.</summary>
    internal static string BatchPrefix(Tensor a, int b) => a.Dim > 2 ? $"(Batch element {b}): " : "";

    /// <summary>Machine epsilon of the dtype (torch.finfo(dtype).eps).</summary>
    internal static double Eps(DType dtype) => dtype == DType.Float32 ? 1.1920928955078125e-07 : 2.220446049250313e-16;

    /// <summary>x with its last two dims swapped (x.mT).</summary>
    internal static Tensor MT(Tensor x) => x.Transpose(-2, -1);

    /// <summary>The diagonal of the last two dims: [..., n, n] → [..., n].</summary>
    internal static Tensor Diagonal(Tensor x) => x.DiagonalAt(x.Dim - 2, x.Dim - 1);

    /// <summary>[..., n] → [..., n, n] with v on the diagonal (torch.diag_embed).</summary>
    internal static Tensor DiagEmbed(Tensor v) => v.Unsqueeze(-1) * Tensor.Eye(v.shape[^1], dtype: v.DType);

    /// <summary>The identity broadcast over a batch: [..., n, n].</summary>
    internal static Tensor EyeLike(Tensor a) => Tensor.Eye(a.shape[^1], dtype: a.DType);

    /// <summary>True when every element is zero (an unused output's gradient).</summary>
    internal static bool IsZero(Tensor g)
    {
        foreach (var v in Doubles(g)) if (v != 0) return false;
        return true;
    }

    /// <summary>
    /// Records an op with several outputs as one node over their packing ([..., Σ numel_i], each output flattened over its
    /// non-batch dims) and one piece node per output; the rule gets the outputs (with their graph, read from the packing)
    /// and their gradients (zero for an unused output) and returns one gradient per input.
    /// </summary>
    internal static Tensor[] RecordOutputs<TState>(string name, Tensor[] outputs, int[] batch, ReadOnlySpan<Tensor?> inputs, TState state,
        Func<Tensor[], Tensor[], TState, Tensor?[]> rule)
    {
        bool record = false;
        foreach (var t in inputs) record |= t is not null && t.requiresGrad;
        if (!record || !GradMode.IsEnabled) return outputs;
        var shapes = Array.ConvertAll(outputs, o => o.shape);
        var sizes = Array.ConvertAll(outputs, o => ShapeUtil.Numel(o.shape.AsSpan(batch.Length)));
        Tensor packed;
        using (new NoGrad()) packed = Tensor.Cat(Array.ConvertAll(outputs, o => o.Reshape([.. batch, ShapeUtil.Numel(o.shape.AsSpan(batch.Length))])), -1);
        var layout = new Layout(shapes, sizes, batch);
        packed = Graph.Record(name, packed, inputs, [packed], (layout, state, rule), static (ctx, g, s) =>
        {
            var ys = s.layout.Unpack(ctx.Saved(0));
            var gs = s.layout.Unpack(g);
            return s.rule(ys, gs, s.state);
        });
        var pieces = new Tensor[outputs.Length];
        for (int i = 0; i < outputs.Length; i++)
            pieces[i] = Graph.Record(name, outputs[i], [packed], [], (layout, i), static (ctx, g, s) => [s.layout.Place(g, s.i)]);
        return pieces;
    }

    /// <summary>Where each output of a multi-output op lies in its packing.</summary>
    private sealed record Layout(int[][] Shapes, int[] Sizes, int[] Batch)
    {
        private int Offset(int i) { int o = 0; for (int j = 0; j < i; j++) o += Sizes[j]; return o; }

        /// <summary>The outputs as pieces of the packing (differentiable views).</summary>
        public Tensor[] Unpack(Tensor packed)
        {
            var r = new Tensor[Shapes.Length];
            for (int i = 0; i < r.Length; i++) r[i] = packed.Narrow(-1, Offset(i), Sizes[i]).Reshape(Shapes[i]);
            return r;
        }

        /// <summary>Output i's gradient in its place in zeros of the packing's shape.</summary>
        public Tensor Place(Tensor g, int i)
        {
            var parts = new List<Tensor>();
            int before = Offset(i), after = Sizes.Sum() - before - Sizes[i];
            if (before > 0) parts.Add(Tensor.Zeros([.. Batch, before], g.DType));
            parts.Add(g.Reshape([.. Batch, Sizes[i]]));
            if (after > 0) parts.Add(Tensor.Zeros([.. Batch, after], g.DType));
            return parts.Count == 1 ? parts[0] : Tensor.Cat([.. parts], -1);
        }
    }
}
