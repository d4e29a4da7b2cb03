using System.Collections;

namespace Framework.Autograd;

/// <summary>A tensor's shape as a value (torch.Size): equal by value, indexed like an array, printed as torch.Size([2, 3]).</summary>
public readonly struct Size : IReadOnlyList<int>, IEquatable<Size>
{
    private readonly int[]? dims;

    /// <summary>A size of these dimensions (copied).</summary>
    public Size(params ReadOnlySpan<int> dims)
    {
        foreach (var d in dims)
            if (d < 0) throw new ArgumentException($"a size cannot have a negative dimension: {ShapeUtil.Format(dims)}");
        this.dims = dims.ToArray();
    }

    private ReadOnlySpan<int> Dims => dims ?? [];

    /// <summary>The number of dimensions.</summary>
    public int Count => Dims.Length;

    /// <summary>The size of dimension <paramref name="dim"/>; a negative dim counts from the end, as in Python.</summary>
    public int this[int dim]
    {
        get
        {
            int d = dim < 0 ? dim + Count : dim;
            if ((uint)d >= (uint)Count) throw new ArgumentOutOfRangeException(nameof(dim), $"index {dim} is out of range for a size of {Count} dimensions");
            return Dims[d];
        }
    }

    /// <summary>The product of the dimensions (torch.Size.numel()).</summary>
    public long Numel()
    {
        long n = 1;
        foreach (var d in Dims) n *= d;
        return n;
    }

    /// <summary>The dimensions as a new array.</summary>
    public int[] ToArray() => Dims.ToArray();

    /// <summary>A copy of the dimensions as an int[] (for APIs that take shapes).</summary>
    public static implicit operator int[](Size s) => s.ToArray();

    /// <summary>True when both have the same dimensions.</summary>
    public bool Equals(Size other) => Dims.SequenceEqual(other.Dims);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is Size s && Equals(s);

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        var h = new HashCode();
        foreach (var d in Dims) h.Add(d);
        return h.ToHashCode();
    }

    /// <summary>Equal dimensions.</summary>
    public static bool operator ==(Size a, Size b) => a.Equals(b);

    /// <summary>Different dimensions.</summary>
    public static bool operator !=(Size a, Size b) => !a.Equals(b);

    /// <summary>torch.Size([2, 3]).</summary>
    public override string ToString() => $"torch.Size({ShapeUtil.Format(Dims)})";

    /// <inheritdoc/>
    public IEnumerator<int> GetEnumerator() => ((IEnumerable<int>)(dims ?? [])).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
