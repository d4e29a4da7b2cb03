using System.Numerics;

namespace Framework.Autograd.Kernels;

/// <summary>Stable sorting along the middle dim of a contiguous [outer, r, inner] layout; NaN counts as larger than every number.</summary>
internal static class Sort
{
    /// <summary>
    /// values[o, j, i], indices[o, j, i] for j &lt; k: the j-th of x[o, :, i] in ascending (or descending) order and its position;
    /// ties keep their input order; the outputs have k in the middle dim.
    /// </summary>
    public static void SortDim<T>(T[] x, int offset, int outer, int r, int inner, int k, T[] values, long[] indices, bool descending)
        where T : INumber<T>
    {
        var keys = new T[r];
        var order = new int[r];
        for (int o = 0; o < outer; o++)
            for (int i = 0; i < inner; i++)
            {
                int b = offset + o * r * inner + i;
                for (int j = 0; j < r; j++) { keys[j] = x[b + j * inner]; order[j] = j; }
                order.AsSpan().Sort(new StableOrder<T>(keys, descending));
                int d = o * k * inner + i;
                for (int j = 0; j < k; j++)
                {
                    values[d + j * inner] = keys[order[j]];
                    indices[d + j * inner] = order[j];
                }
            }
    }

    /// <summary>Orders positions by their key (NaN largest, reversed when descending), then by position: a total order, so any sort is stable under it.</summary>
    private readonly struct StableOrder<T>(T[] keys, bool descending) : IComparer<int> where T : INumber<T>
    {
        public int Compare(int a, int b)
        {
            int c = Ascending(keys[a], keys[b]);
            if (descending) c = -c;
            return c != 0 ? c : a.CompareTo(b);
        }

        private static int Ascending(T a, T b)
        {
            bool na = T.IsNaN(a), nb = T.IsNaN(b);
            if (na || nb) return na == nb ? 0 : na ? 1 : -1;
            return a < b ? -1 : a > b ? 1 : 0;
        }
    }
}
