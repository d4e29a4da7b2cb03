using System.Numerics;

namespace Framework.Autograd.Kernels;

/// <summary>
/// PyTorch 1.13's CPU top-k of one row (largest first, NaN counting as largest), step for step as GCC's libstdc++ runs it,
/// so that equal values (the zero scores of zero weights in Multinomial) come out in the same order as torch's: with
/// k·64 ≤ n std::partial_sort (heap select, then heap sort), else std::nth_element at k − 1 (introselect) and std::sort of
/// the first k − 1 (introsort, then insertion sort). Any correct selection gives the same result when the values differ.
/// </summary>
internal static class TopKSelect
{
    /// <summary>The indices of the <paramref name="result"/>.Length largest values of <paramref name="v"/>, as torch.topk(sorted=True).</summary>
    public static void Run<T>(ReadOnlySpan<T> v, Span<long> result) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = v.Length, k = result.Length;
        var q = new (T Value, int Index)[n];
        for (int j = 0; j < n; j++) q[j] = (v[j], j);
        if ((long)k * 64 <= n)
        {
            HeapSelect(q, 0, k, n);
            SortHeap(q, 0, k);
        }
        else
        {
            NthElement(q, 0, k - 1, n);
            Sort(q, 0, k - 1);
        }
        for (int j = 0; j < k; j++) result[j] = q[j].Index;
    }

    /// <summary>torch's comparator: x goes before y (x is NaN and y is not, or x &gt; y).</summary>
    private static bool Before<T>((T Value, int) x, (T Value, int) y) where T : IFloatingPointIeee754<T>
        => (T.IsNaN(x.Value) && !T.IsNaN(y.Value)) || x.Value > y.Value;

    private static int Lg(int n) => 31 - BitOperations.LeadingZeroCount((uint)n);

    private static void NthElement<T>((T, int)[] a, int first, int nth, int last) where T : IFloatingPointIeee754<T>
    {
        if (first == last || nth == last) return;
        int depth = Lg(last - first) * 2;
        while (last - first > 3)
        {
            if (depth == 0)
            {
                HeapSelect(a, first, nth + 1, last);
                (a[first], a[nth]) = (a[nth], a[first]);
                return;
            }
            depth--;
            int cut = PartitionPivot(a, first, last);
            if (cut <= nth) first = cut;
            else last = cut;
        }
        InsertionSort(a, first, last);
    }

    private static void Sort<T>((T, int)[] a, int first, int last) where T : IFloatingPointIeee754<T>
    {
        if (first == last) return;
        IntroSortLoop(a, first, last, Lg(last - first) * 2);
        if (last - first > 16)
        {
            InsertionSort(a, first, first + 16);
            for (int i = first + 16; i < last; i++) LinearInsert(a, i);
        }
        else InsertionSort(a, first, last);
    }

    private static void IntroSortLoop<T>((T, int)[] a, int first, int last, int depth) where T : IFloatingPointIeee754<T>
    {
        while (last - first > 16)
        {
            if (depth == 0)
            {
                HeapSelect(a, first, last, last);
                SortHeap(a, first, last);
                return;
            }
            depth--;
            int cut = PartitionPivot(a, first, last);
            IntroSortLoop(a, cut, last, depth);
            last = cut;
        }
    }

    /// <summary>Median of a[first+1], a[mid], a[last−1] moved to a[first], then an unguarded partition around it.</summary>
    private static int PartitionPivot<T>((T, int)[] a, int first, int last) where T : IFloatingPointIeee754<T>
    {
        int mid = first + (last - first) / 2;
        MoveMedianToFirst(a, first, first + 1, mid, last - 1);
        int lo = first + 1, hi = last;
        while (true)
        {
            while (Before(a[lo], a[first])) lo++;
            hi--;
            while (Before(a[first], a[hi])) hi--;
            if (!(lo < hi)) return lo;
            (a[lo], a[hi]) = (a[hi], a[lo]);
            lo++;
        }
    }

    private static void MoveMedianToFirst<T>((T, int)[] a, int result, int x, int y, int z) where T : IFloatingPointIeee754<T>
    {
        int m;
        if (Before(a[x], a[y]))
            m = Before(a[y], a[z]) ? y : Before(a[x], a[z]) ? z : x;
        else
            m = Before(a[x], a[z]) ? x : Before(a[y], a[z]) ? z : y;
        (a[result], a[m]) = (a[m], a[result]);
    }

    private static void InsertionSort<T>((T, int)[] a, int first, int last) where T : IFloatingPointIeee754<T>
    {
        if (first == last) return;
        for (int i = first + 1; i < last; i++)
        {
            if (Before(a[i], a[first]))
            {
                var val = a[i];
                Array.Copy(a, first, a, first + 1, i - first);
                a[first] = val;
            }
            else LinearInsert(a, i);
        }
    }

    /// <summary>Moves a[last] down past the elements it goes before (no lower bound check: something stops it).</summary>
    private static void LinearInsert<T>((T, int)[] a, int last) where T : IFloatingPointIeee754<T>
    {
        var val = a[last];
        int next = last - 1;
        while (Before(val, a[next]))
        {
            a[last] = a[next];
            last = next;
            next--;
        }
        a[last] = val;
    }

    // ---- heaps over a[first, first + len): the root is the element that goes last ----

    private static void HeapSelect<T>((T, int)[] a, int first, int middle, int last) where T : IFloatingPointIeee754<T>
    {
        MakeHeap(a, first, middle);
        for (int i = middle; i < last; i++)
            if (Before(a[i], a[first])) PopHeap(a, first, middle, i);
    }

    private static void SortHeap<T>((T, int)[] a, int first, int last) where T : IFloatingPointIeee754<T>
    {
        while (last - first > 1)
        {
            last--;
            PopHeap(a, first, last, last);
        }
    }

    private static void MakeHeap<T>((T, int)[] a, int first, int last) where T : IFloatingPointIeee754<T>
    {
        int len = last - first;
        if (len < 2) return;
        for (int parent = (len - 2) / 2; ; parent--)
        {
            AdjustHeap(a, first, parent, len, a[first + parent]);
            if (parent == 0) return;
        }
    }

    private static void PopHeap<T>((T, int)[] a, int first, int last, int result) where T : IFloatingPointIeee754<T>
    {
        var value = a[result];
        a[result] = a[first];
        AdjustHeap(a, first, 0, last - first, value);
    }

    private static void AdjustHeap<T>((T, int)[] a, int first, int hole, int len, (T, int) value) where T : IFloatingPointIeee754<T>
    {
        int top = hole, child = hole;
        while (child < (len - 1) / 2)
        {
            child = 2 * (child + 1);
            if (Before(a[first + child], a[first + child - 1])) child--;
            a[first + hole] = a[first + child];
            hole = child;
        }
        if ((len & 1) == 0 && child == (len - 2) / 2)
        {
            child = 2 * (child + 1);
            a[first + hole] = a[first + child - 1];
            hole = child - 1;
        }
        // push the value back up from the hole
        int parent = (hole - 1) / 2;
        while (hole > top && Before(a[first + parent], value))
        {
            a[first + hole] = a[first + parent];
            hole = parent;
            parent = (hole - 1) / 2;
        }
        a[first + hole] = value;
    }
}
