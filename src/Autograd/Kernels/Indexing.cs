using System.Numerics;

namespace Framework.Autograd.Kernels;

/// <summary>
/// The offset tables of one advanced-indexing kernel call, rented from the shared array pool (Dispose returns them):
/// Pre and Adv hold PreCount and AdvCount offsets; Post holds PostCount offsets, or is null when the trailing dims form
/// one contiguous run of PostCount elements.
/// </summary>
internal readonly struct OffsetTables(int[] pre, int preCount, int[] adv, int advCount, int[]? post, int postCount) : IDisposable
{
    public readonly int[] Pre = pre, Adv = adv;
    public readonly int[]? Post = post;
    public readonly int PreCount = preCount, AdvCount = advCount, PostCount = postCount;

    /// <summary>An array of at least n ints from the shared pool.</summary>
    public static int[] Rent(int n) => System.Buffers.ArrayPool<int>.Shared.Rent(Math.Max(1, n));

    /// <summary>Returns the tables to the pool.</summary>
    public void Dispose()
    {
        System.Buffers.ArrayPool<int>.Shared.Return(Pre);
        System.Buffers.ArrayPool<int>.Shared.Return(Adv);
        if (Post is not null) System.Buffers.ArrayPool<int>.Shared.Return(Post);
    }
}

/// <summary>
/// Advanced indexing over offset tables. Element (p, b, q) of an indexing result, in row-major order over
/// [pre dims, index dims, post dims], lives at base + pre[p] + adv[b] + post[q] of the indexed tensor's storage.
/// </summary>
internal static class Indexing
{
    /// <summary>The storage offset of every element of <paramref name="shape"/> under <paramref name="strides"/>, row-major.</summary>
    public static int[] Offsets(ReadOnlySpan<int> shape, ReadOnlySpan<int> strides)
    {
        int n = 1;
        foreach (var s in shape) n *= s;
        var r = new int[n];
        if (n == 0) return r;
        var pos = new int[shape.Length];
        int at = 0;
        for (int k = 0; k < n; k++)
        {
            r[k] = at;
            for (int d = shape.Length - 1; d >= 0; d--)
            {
                if (++pos[d] < shape[d]) { at += strides[d]; break; }
                at -= (shape[d] - 1) * strides[d];
                pos[d] = 0;
            }
        }
        return r;
    }

    /// <summary>dst[(p, b, q)] = src[base + pre[p] + adv[b] + post[q]].</summary>
    public static void Gather<T>(T[] src, int baseOffset, OffsetTables t, Span<T> dst)
    {
        int k = 0, run = t.PostCount;
        for (int p = 0; p < t.PreCount; p++)
            for (int b = 0; b < t.AdvCount; b++)
            {
                int o = baseOffset + t.Pre[p] + t.Adv[b];
                if (t.Post is null) { src.AsSpan(o, run).CopyTo(dst.Slice(k, run)); k += run; }
                else for (int q = 0; q < run; q++) dst[k++] = src[o + t.Post[q]];
            }
    }

    /// <summary>dst[base + pre[p] + adv[b] + post[q]] = values[(p, b, q)]; of duplicate positions the last write wins.</summary>
    public static void Put<T>(T[] dst, int baseOffset, OffsetTables t, ReadOnlySpan<T> values)
    {
        int k = 0, run = t.PostCount;
        for (int p = 0; p < t.PreCount; p++)
            for (int b = 0; b < t.AdvCount; b++)
            {
                int o = baseOffset + t.Pre[p] + t.Adv[b];
                if (t.Post is null) { values.Slice(k, run).CopyTo(dst.AsSpan(o, run)); k += run; }
                else for (int q = 0; q < run; q++) dst[o + t.Post[q]] = values[k++];
            }
    }

    /// <summary>dst[base + pre[p] + adv[b] + post[q]] += values[(p, b, q)]; duplicate positions add up.</summary>
    public static void Accumulate<T>(T[] dst, int baseOffset, OffsetTables t, ReadOnlySpan<T> values) where T : INumber<T>
    {
        int k = 0, run = t.PostCount;
        for (int p = 0; p < t.PreCount; p++)
            for (int b = 0; b < t.AdvCount; b++)
            {
                int o = baseOffset + t.Pre[p] + t.Adv[b];
                if (t.Post is null)
                {
                    var d = dst.AsSpan(o, run);
                    System.Numerics.Tensors.TensorPrimitives.Add<T>(d, values.Slice(k, run), d);
                    k += run;
                }
                else for (int q = 0; q < run; q++) dst[o + t.Post[q]] += values[k++];
            }
    }

    /// <summary>dst[at[k]] = values[from[k]] (or += when <paramref name="accumulate"/>) for every k, in order.</summary>
    public static void Scatter<T>(T[] dst, int[] at, T[] values, int[] from, bool accumulate) where T : INumber<T>
    {
        if (accumulate) for (int k = 0; k < at.Length; k++) dst[at[k]] += values[from[k]];
        else for (int k = 0; k < at.Length; k++) dst[at[k]] = values[from[k]];
    }

    /// <summary>dst[at[k]] = values[from[k]] for every k, in order (any element type).</summary>
    public static void ScatterCopy<T>(T[] dst, int[] at, T[] values, int[] from)
    {
        for (int k = 0; k < at.Length; k++) dst[at[k]] = values[from[k]];
    }

    /// <summary>The row-major positions of the non-zero elements of contiguous x.</summary>
    public static List<int> NonzeroPositions<T>(ReadOnlySpan<T> x) where T : unmanaged
    {
        var found = new List<int>();
        var comparer = EqualityComparer<T>.Default;
        for (int i = 0; i < x.Length; i++)
            if (!comparer.Equals(x[i], default)) found.Add(i);
        return found;
    }
}
