namespace Framework.Autograd;

/// <summary>Shape and stride arithmetic shared by ops and kernels.</summary>
internal static class ShapeUtil
{
    /// <summary>Product of the dimensions.</summary>
    public static int Numel(ReadOnlySpan<int> shape)
    {
        long n = 1;
        foreach (var d in shape) n *= d;
        if (n > int.MaxValue) throw new ArgumentException($"A tensor of shape {Format(shape)} has more than {int.MaxValue} elements.");
        return (int)n;
    }

    /// <summary>Row-major strides of a contiguous tensor of this shape.</summary>
    public static int[] ContiguousStrides(ReadOnlySpan<int> shape)
    {
        var strides = new int[shape.Length];
        int s = 1;
        for (int i = shape.Length - 1; i >= 0; i--) { strides[i] = s; s *= Math.Max(shape[i], 1); }
        return strides;
    }

    /// <summary>True when the strides are the row-major strides of the shape (size-1 dims ignored).</summary>
    public static bool IsContiguous(ReadOnlySpan<int> shape, ReadOnlySpan<int> strides)
    {
        int expected = 1;
        for (int i = shape.Length - 1; i >= 0; i--)
        {
            if (shape[i] == 1) continue;
            if (shape[i] == 0) return true;
            if (strides[i] != expected) return false;
            expected *= shape[i];
        }
        return true;
    }

    /// <summary>PyTorch's shape text: [2, 3].</summary>
    public static string Format(ReadOnlySpan<int> shape)
    {
        var sb = new System.Text.StringBuilder("[");
        for (int i = 0; i < shape.Length; i++) { if (i > 0) sb.Append(", "); sb.Append(shape[i]); }
        return sb.Append(']').ToString();
    }

    /// <summary>Normalises a possibly negative dimension index into [0, rank).</summary>
    public static int WrapDim(int dim, int rank)
    {
        int r = Math.Max(rank, 1);
        if (dim < -r || dim >= r)
            throw new ArgumentOutOfRangeException(nameof(dim), $"Dimension out of range (expected to be in range of [{-r}, {r - 1}], but got {dim})");
        return dim < 0 ? dim + r : dim;
    }

    /// <summary>NumPy broadcasting of two shapes; throws naming both when they disagree.</summary>
    public static int[] Broadcast(int[] a, int[] b)
    {
        if (a.AsSpan().SequenceEqual(b)) return a;
        int n = Math.Max(a.Length, b.Length);
        var r = new int[n];
        for (int i = 0; i < n; i++)
        {
            int da = i < n - a.Length ? 1 : a[i - (n - a.Length)];
            int db = i < n - b.Length ? 1 : b[i - (n - b.Length)];
            if (da != db && da != 1 && db != 1)
                throw new ArgumentException(
                    $"The size of tensor a ({da}) must match the size of tensor b ({db}) at non-singleton dimension {i}: shapes {Format(a)} and {Format(b)} cannot be broadcast.");
            r[i] = da == 1 ? db : da;
        }
        return r;
    }

    /// <summary>Strides that read a tensor of (shape, strides) as if expanded to target (0 on broadcast dims).</summary>
    public static int[] BroadcastStrides(int[] shape, int[] strides, int[] target)
    {
        var r = new int[target.Length];
        int off = target.Length - shape.Length;
        for (int i = 0; i < shape.Length; i++)
            r[i + off] = shape[i] == 1 && target[i + off] != 1 ? 0 : strides[i];
        return r;
    }

    /// <summary>True when a tensor of shape `from` broadcasts to `to`.</summary>
    public static bool IsExpandableTo(int[] from, int[] to)
    {
        if (from.Length > to.Length) return false;
        int off = to.Length - from.Length;
        for (int i = 0; i < from.Length; i++)
            if (from[i] != 1 && from[i] != to[i + off]) return false;
        return true;
    }

    /// <summary>Shape equality.</summary>
    public static bool Same(int[] a, int[] b) => a.AsSpan().SequenceEqual(b);
}
