using System.Numerics;

namespace Framework.Autograd.Kernels;

/// <summary>Scans (cumsum, cumprod) and the product and log-sum-exp reductions along the middle dim of a contiguous [outer, r, inner] layout.</summary>
internal static class Scan
{
    /// <summary>y[o, k, i] = Σ_{j ≤ k} x[o, j, i] (Σ_{j ≥ k} when <paramref name="reverse"/>), the running sum kept in TAcc.</summary>
    public static void CumSum<T, TAcc>(T[] x, int offset, int outer, int r, int inner, T[] y, bool reverse)
        where T : INumber<T> where TAcc : INumber<TAcc>
    {
        for (int o = 0; o < outer; o++)
            for (int i = 0; i < inner; i++)
            {
                int b = o * r * inner + i;
                TAcc acc = TAcc.Zero;
                for (int n = 0; n < r; n++)
                {
                    int k = reverse ? r - 1 - n : n;
                    acc += TAcc.CreateTruncating(x[offset + b + k * inner]);
                    y[b + k * inner] = T.CreateTruncating(acc);
                }
            }
    }

    /// <summary>y[o, k, i] = Π_{j ≤ k} x[o, j, i], the running product kept in TAcc.</summary>
    public static void CumProd<T, TAcc>(T[] x, int offset, int outer, int r, int inner, T[] y)
        where T : INumber<T> where TAcc : INumber<TAcc>
    {
        for (int o = 0; o < outer; o++)
            for (int i = 0; i < inner; i++)
            {
                int b = o * r * inner + i;
                TAcc acc = TAcc.One;
                for (int k = 0; k < r; k++)
                {
                    acc *= TAcc.CreateTruncating(x[offset + b + k * inner]);
                    y[b + k * inner] = T.CreateTruncating(acc);
                }
            }
    }

    /// <summary>
    /// dx[o, k, i] = Σ_{j ≥ k} g_j·∂y_j/∂x_k for y = cumprod(x) along the middle dim, in O(r) per row and right with zeros:
    /// before the first zero z, (Σ_{k ≤ j &lt; z} g_j·y_j) / x_k; at z, Σ_{z ≤ j &lt; z′} g_j·y_{z−1}·Π_{z &lt; m ≤ j} x_m (z′ the next zero); after it, 0.
    /// </summary>
    public static void CumProdBackward<T>(T[] x, int xOffset, T[] y, int yOffset, T[] g, int gOffset, int outer, int r, int inner, T[] dx)
        where T : INumber<T>
    {
        for (int o = 0; o < outer; o++)
            for (int i = 0; i < inner; i++)
            {
                int b = o * r * inner + i;
                int z = 0;
                while (z < r && x[xOffset + b + z * inner] != T.Zero) z++;
                T acc = T.Zero;
                for (int k = z - 1; k >= 0; k--)
                {
                    int at = b + k * inner;
                    acc += g[gOffset + at] * y[yOffset + at];
                    dx[at] = acc / x[xOffset + at];
                }
                if (z == r) continue;
                T running = z == 0 ? T.One : y[yOffset + b + (z - 1) * inner];
                T s = g[gOffset + b + z * inner] * running;
                for (int j = z + 1; j < r; j++)
                {
                    T xj = x[xOffset + b + j * inner];
                    if (xj == T.Zero) break;
                    running *= xj;
                    s += g[gOffset + b + j * inner] * running;
                }
                dx[b + z * inner] = s;
                for (int k = z + 1; k < r; k++) dx[b + k * inner] = T.Zero;
            }
    }

    /// <summary>y[o, i] = Π_k x[o, k, i] (1 for an empty dim).</summary>
    public static void ProdDim<T>(T[] x, int offset, int outer, int r, int inner, T[] y) where T : INumber<T>
    {
        for (int o = 0; o < outer; o++)
            for (int i = 0; i < inner; i++)
            {
                int b = offset + o * r * inner + i;
                T p = T.One;
                for (int k = 0; k < r; k++) p *= x[b + k * inner];
                y[o * inner + i] = p;
            }
    }

    /// <summary>y[o, i] = m + log Σ_k e^(x[o, k, i] − m) with m the row maximum (0 when it is ±∞): stable for large and −∞ entries.</summary>
    public static void LogSumExp<T>(T[] x, int offset, int outer, int r, int inner, T[] y) where T : IFloatingPointIeee754<T>
    {
        for (int o = 0; o < outer; o++)
            for (int i = 0; i < inner; i++)
            {
                int b = offset + o * r * inner + i;
                T m = T.NegativeInfinity;
                for (int k = 0; k < r; k++)
                {
                    T v = x[b + k * inner];
                    if (T.IsNaN(v) || v > m) m = v;
                }
                if (T.IsInfinity(m) || r == 0) m = T.Zero;    // an all −∞ row gives log 0 = −∞, a +∞ one +∞, with no ∞ − ∞
                T s = T.Zero;
                for (int k = 0; k < r; k++) s += T.Exp(x[b + k * inner] - m);
                y[o * inner + i] = T.Log(s) + m;
            }
    }
}
