using System.Numerics;

namespace Framework.Autograd.Kernels;

/// <summary>
/// torch.multinomial's two CPU algorithms, drawing from a <see cref="Generator"/> exactly as PyTorch 1.13 does, so that the
/// same seed gives the same indices. Probabilities come as a contiguous rows × n array; checks are the caller's, except those
/// PyTorch makes row by row while sampling with replacement.
/// </summary>
internal static class Multinomial
{
    /// <summary>
    /// Uniforms as uniform_real_distribution&lt;double&gt;(0, 1) draws them: the low 53 bits of one random64 each, times 2⁻⁵³;
    /// all under one hold of the generator's lock, as PyTorch holds it for a whole kernel.
    /// </summary>
    private static double[] Uniforms(Generator g, int count)
    {
        var u = new double[count];
        g.FillUniform(u.AsSpan(), 0, 1);
        return u;
    }

    /// <summary>
    /// Without replacement: index j of row r scores p[r, j]/q[r, j] with q ~ Exp(1) drawn in T, one per element
    /// in the memory order of the input (<paramref name="columnMajor"/> for a transposed one); a row's k samples are its k best
    /// scores, best first, equal scores in torch's order (argmax for k = 1: the first of equal scores).
    /// </summary>
    public static void ExponentialRace<T>(ReadOnlySpan<T> p, int rows, int n, bool columnMajor, int k, Generator g, Span<long> result)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        // exponential_(λ = 1) on CPU: −ln(1 − u) in double, rounded to T.
        var u = Uniforms(g, rows * n);
        var q = new T[rows * n];
        for (int i = 0; i < q.Length; i++)
        {
            int at = columnMajor ? (i % rows) * n + i / rows : i;   // draw i fills element (i mod rows, i div rows) of a transposed input
            q[at] = T.CreateTruncating(-Math.Log(1.0 - u[i]));
        }
        for (int i = 0; i < q.Length; i++) q[i] = p[i] / q[i];

        for (int r = 0; r < rows; r++)
        {
            var score = q.AsSpan(r * n, n);
            var outRow = result.Slice(r * k, k);
            if (k == 1) { outRow[0] = ArgMax(score); continue; }
            TopKSelect.Run<T>(score, outRow);
        }
    }

    /// <summary>The first index of the largest value, NaN counting as largest (argmax).</summary>
    private static int ArgMax<T>(ReadOnlySpan<T> v) where T : IFloatingPointIeee754<T>
    {
        int best = 0;
        for (int j = 1; j < v.Length; j++)
            if (!T.IsNaN(v[best]) && (T.IsNaN(v[j]) || v[j] > v[best])) best = j;
        return best;
    }

    /// <summary>
    /// With replacement: per row, the cumulative sums of p accumulated in T and divided by their total (the last set to 1),
    /// then per sample one uniform u and the first slot whose cumulative value is not below u (binary search).
    /// </summary>
    public static void WithReplacement<T>(ReadOnlySpan<T> p, int rows, int n, int k, Generator g, Span<long> result)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var cum = new T[n];
        for (int r = 0; r < rows; r++)
        {
            var row = p.Slice(r * n, n);
            T sum = T.Zero;
            for (int j = 0; j < n; j++)
            {
                T val = row[j];
                if (!(val >= T.Zero)) throw new ArgumentException("invalid multinomial distribution (encountering probability entry < 0)");
                if (!T.IsFinite(val)) throw new ArgumentException("invalid multinomial distribution (encountering probability entry = infinity or NaN)");
                sum += val;
                cum[j] = sum;
            }
            if (!(sum > T.Zero)) throw new ArgumentException("invalid multinomial distribution (sum of probabilities <= 0)");
            for (int j = 0; j < n; j++) cum[j] /= sum;
            cum[n - 1] = T.One;

            var uniforms = Uniforms(g, k);
            for (int s = 0; s < k; s++)
            {
                double u = uniforms[s];
                int left = 0, right = n;
                while (right - left > 0)
                {
                    int mid = left + (right - left) / 2;
                    if (double.CreateTruncating(cum[mid]) < u) left = mid + 1;
                    else right = mid;
                }
                result[r * k + s] = left;
            }
        }
    }
}
