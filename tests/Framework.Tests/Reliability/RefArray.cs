using Framework.Autograd;

namespace Tests.Reliability;

/// <summary>A row-major Float64 array: the plain-loop reference the property tests compare ops against.</summary>
public sealed record RefArray(int[] Shape, double[] Data)
{
    public int Rank => Shape.Length;

    public static int Numel(int[] shape) { int n = 1; foreach (var d in shape) n *= d; return n; }

    public static int[] Strides(int[] shape)
    {
        var s = new int[shape.Length];
        for (int i = shape.Length - 1, acc = 1; i >= 0; i--) { s[i] = acc; acc *= shape[i]; }
        return s;
    }

    /// <summary>The multi-index of flat position <paramref name="flat"/> in a row-major array of this shape.</summary>
    public static int[] Unravel(int flat, int[] shape)
    {
        var idx = new int[shape.Length];
        for (int i = shape.Length - 1; i >= 0; i--) { idx[i] = flat % shape[i]; flat /= shape[i]; }
        return idx;
    }

    public double At(int[] idx)
    {
        int flat = 0;
        for (int i = 0; i < idx.Length; i++) flat = flat * Shape[i] + idx[i];
        return Data[flat];
    }

    /// <summary>Reads a value broadcast to <paramref name="outIdx"/> (right-aligned; size-1 dims repeat).</summary>
    public double AtBroadcast(int[] outIdx)
    {
        int off = outIdx.Length - Rank, flat = 0;
        for (int i = 0; i < Rank; i++) flat = flat * Shape[i] + (Shape[i] == 1 ? 0 : outIdx[i + off]);
        return Data[flat];
    }

    public static RefArray Build(int[] shape, Func<int[], double> f)
    {
        var data = new double[Numel(shape)];
        for (int i = 0; i < data.Length; i++) data[i] = f(Unravel(i, shape));
        return new RefArray(shape, data);
    }

    /// <summary>NumPy broadcasting, or null when the shapes disagree.</summary>
    public static int[]? Broadcast(params int[][] shapes)
    {
        int n = shapes.Max(s => s.Length);
        var r = new int[n];
        for (int i = 0; i < n; i++)
        {
            int size = 1;
            foreach (var s in shapes)
            {
                int d = i < n - s.Length ? 1 : s[i - (n - s.Length)];
                if (d == 1) continue;
                if (size != 1 && size != d) return null;
                size = d;
            }
            r[i] = size;
        }
        return r;
    }

    public override string ToString() => $"{ShapeText(Shape)} {{{string.Join(", ", Data.Take(8).Select(v => v.ToString("R")))}{(Data.Length > 8 ? ", ..." : "")}}}";

    public static string ShapeText(int[] s) => "[" + string.Join(", ", s) + "]";
}

/// <summary>How a test input is laid out in memory: contiguous, a permuted copy read back through Permute, or a stepped slice.</summary>
public enum Layout { Contiguous, Permuted, Strided }

/// <summary>Turns reference arrays into tensors of a dtype and layout, and compares results with references.</summary>
public static class RefTensor
{
    public static Tensor Make(RefArray a, DType dtype, Layout layout)
    {
        var t = Plain(a, dtype);
        switch (layout)
        {
            case Layout.Permuted when a.Rank >= 2:
            {
                // Same values, reversed strides: build the transposed layout, copy, and permute back.
                var rev = Enumerable.Range(0, a.Rank).Reverse().ToArray();
                return t.Permute(rev).Contiguous().Permute(rev);
            }
            case Layout.Strided when a.Rank >= 1:
            {
                // Every other element of a tensor twice as long in the last dim, starting at offset 1.
                var wide = (int[])a.Shape.Clone();
                wide[^1] = 2 * wide[^1] + 1;
                var big = RefArray.Build(wide, idx => idx[^1] % 2 == 1 ? a.At(Last(idx, (idx[^1] - 1) / 2)) : 1e9);
                return Plain(big, dtype).Slice(a.Rank - 1, 1, wide[^1], 2);
            }
            default: return t;
        }
    }

    private static int[] Last(int[] idx, int v) { var r = (int[])idx.Clone(); r[^1] = v; return r; }

    private static Tensor Plain(RefArray a, DType dtype) => dtype switch
    {
        DType.Float64 => Tensor.FromArray(a.Data, a.Shape),
        DType.Float32 => Tensor.FromArray(a.Data.Select(v => (float)v).ToArray(), a.Shape),
        DType.Int64 => Tensor.FromArray(a.Data.Select(v => (long)v).ToArray(), a.Shape),
        DType.Bool => Tensor.FromArray(a.Data.Select(v => v != 0).ToArray(), a.Shape),
        _ => throw new ArgumentException($"no test tensors of {dtype}"),
    };

    /// <summary>The tensor's values in row-major order as Float64.</summary>
    public static double[] Values(Tensor t) => t.DType switch
    {
        DType.Bool => t.ToArray<bool>().Select(b => b ? 1.0 : 0.0).ToArray(),
        DType.Int64 => t.ToArray<long>().Select(v => (double)v).ToArray(),
        _ => t.To(DType.Float64).ToArray<double>(),
    };

    /// <summary>Asserts shape, dtype and values (NaN equals NaN; tolerance by dtype).</summary>
    public static void AssertMatches(RefArray expected, Tensor actual, DType dtype, string what, double scale = 1)
    {
        if (!expected.Shape.SequenceEqual(actual.Shape))
            throw new Xunit.Sdk.XunitException($"{what}: shape {RefArray.ShapeText(actual.Shape)}, expected {RefArray.ShapeText(expected.Shape)}");
        if (actual.DType != dtype)
            throw new Xunit.Sdk.XunitException($"{what}: dtype {actual.DType}, expected {dtype}");
        var got = Values(actual);
        double tol = dtype == DType.Float32 ? 2e-5 : 1e-12;
        for (int i = 0; i < got.Length; i++)
        {
            double e = expected.Data[i], g = got[i];
            if (double.IsNaN(e) && double.IsNaN(g)) continue;
            if (double.IsInfinity(e) && e == g) continue;
            if (!(Math.Abs(e - g) <= tol * (scale + Math.Abs(e))))
                throw new Xunit.Sdk.XunitException($"{what}: element {i} is {g:R}, expected {e:R} (shape {RefArray.ShapeText(expected.Shape)})");
        }
    }
}
