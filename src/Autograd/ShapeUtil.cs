namespace Framework.Autograd;

/// <summary>Shape and stride arithmetic shared by ops and kernels.</summary>
internal static class ShapeUtil
{
    /// <summary>The most elements a tensor holds: its storage is one managed array.</summary>
    public static readonly int MaxElements = Array.MaxLength;

    /// <summary>Product of the dimensions; refuses a negative dimension, and a shape whose non-zero sizes multiply past <see cref="MaxElements"/> (its strides would overflow).</summary>
    public static int Numel(ReadOnlySpan<int> shape)
    {
        foreach (var d in shape)
            if (d < 0) throw new ArgumentException($"Trying to create tensor with negative dimension {d}: {Format(shape)}");
        long span = 1;
        bool empty = false;
        foreach (var d in shape)
        {
            if (d == 0) { empty = true; continue; }
            span *= d;                       // ≤ MaxElements · int.MaxValue: no long overflow
            if (span > MaxElements) throw TooLarge(shape);
        }
        return empty ? 0 : (int)span;
    }

    /// <summary>The error for a shape with too many elements, naming the shape and its exact element count.</summary>
    private static ArgumentException TooLarge(ReadOnlySpan<int> shape)
    {
        System.Numerics.BigInteger count = 1, span = 1;
        foreach (var d in shape) { count *= d; if (d != 0) span *= d; }
        return count == 0
            ? new ArgumentException($"Trying to create tensor of shape {Format(shape)}: its non-zero sizes multiply to {span}, more than the {MaxElements} elements (Array.MaxLength) a tensor's storage can index, so its strides would overflow")
            : TooManyElements($"Trying to create tensor of shape {Format(shape)}", count);
    }

    /// <summary>The error for a tensor that would hold <paramref name="count"/> elements, more than <see cref="MaxElements"/>.</summary>
    public static ArgumentException TooManyElements(string what, System.Numerics.BigInteger count)
        => new($"{what} with {count} elements: a tensor holds at most {MaxElements} elements (Array.MaxLength), as its storage is one managed array");

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

    /// <summary>A scalar as PyTorch prints it in messages: nan, inf, -inf, else the shortest round-trip form.</summary>
    public static string FormatScalar(double value)
        => PyFloatFormat.NonFinite(value) ?? value.ToString("R", System.Globalization.CultureInfo.InvariantCulture).Replace('E', 'e');

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
