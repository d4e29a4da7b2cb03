using System.Globalization;

namespace Framework.Plot;

/// <summary>Tick positions ("nice" 1-2-5 steps, powers of ten on log axes) and their labels.</summary>
public static class Ticks
{
    private static readonly double[] Mantissas = [1, 2, 5];

    /// <summary>Ticks k·step inside [min, max], step = {1, 2, 5}·10^e chosen so the count is nearest targetCount (at least 2 when possible).</summary>
    public static double[] Linear(double min, double max, int targetCount = 6)
    {
        if (!double.IsFinite(min) || !double.IsFinite(max))
            throw new ArgumentException($"tick range must be finite, got [{min}, {max}]");
        if (min > max)
            (min, max) = (max, min);
        if (min == max)
            return [Clean(min)];
        double step = NiceStep(min, max, Math.Max(targetCount, 2));
        return Enumerate(min, max, step);
    }

    /// <summary>The 1-2-5 step Linear would use for [min, max] and targetCount.</summary>
    public static double NiceStep(double min, double max, int targetCount = 6)
    {
        double range = Math.Abs(max - min);
        if (!(range > 0) || !double.IsFinite(range))
            return 1;
        int e0 = (int)Math.Floor(Math.Log10(range / Math.Max(targetCount, 1)));
        double best = double.NaN, bestScore = double.PositiveInfinity;
        for (int e = e0 - 1; e <= e0 + 2; e++)
        {
            foreach (var m in Mantissas)
            {
                double step = m * Math.Pow(10, e);
                int count = Count(Math.Min(min, max), Math.Max(min, max), step);
                // distance from the target; fewer than two ticks is a poor axis, so it is penalised
                double score = Math.Abs(count - targetCount) + (count < 2 ? 100 : 0);
                if (score < bestScore || (score == bestScore && step > best))
                    (best, bestScore) = (step, score);
            }
        }
        return best;
    }

    /// <summary>Ticks at 10^k inside [min, max] (both &gt; 0), every few decades when there are many; {1, 2, 5}·10^k when the range spans under three decades; 1-2-5 linear ticks when even that gives too few.</summary>
    public static double[] Log10(double min, double max, int targetCount = 6)
    {
        if (!(min > 0) || !(max > 0) || !double.IsFinite(min) || !double.IsFinite(max))
            throw new ArgumentException($"log ticks need a positive finite range, got [{min}, {max}]");
        if (min > max)
            (min, max) = (max, min);
        double lo = Math.Log10(min), hi = Math.Log10(max);
        const double eps = 1e-9;
        int kLo = (int)Math.Ceiling(lo - eps), kHi = (int)Math.Floor(hi + eps);
        int decades = kHi - kLo + 1;
        if (decades < 3)
        {
            // a short range: 1-2-5 steps within each decade, so the axis has more than one or two labels
            var fine = new List<double>();
            for (int k = (int)Math.Floor(lo) - 1; k <= kHi + 1; k++)
                foreach (var m in Mantissas)
                {
                    double v = double.Parse($"{m}e{k}", CultureInfo.InvariantCulture);
                    if (v >= min * (1 - eps) && v <= max * (1 + eps))
                        fine.Add(v);
                }
            if (fine.Count >= 3)
                return fine.ToArray();
            if (decades < 2)
                return Linear(min, max, targetCount).Where(v => v > 0).ToArray();
        }
        // label every 1, 2, 3, 5, 10, 20, 25, 50 ... decades, the first that keeps the count near the target
        double raw = decades / (double)Math.Max(targetCount, 2);
        int every = 1;
        foreach (var m in (int[])[1, 2, 3, 5, 10, 20, 25, 50, 100, 200, 250, 500])
            if ((every = m) >= raw)
                break;
        var ticks = new List<double>();
        for (int k = kLo - ((kLo % every) + every) % every; k <= kHi; k += every)
            if (k >= kLo)
                ticks.Add(Pow10(k));
        return ticks.ToArray();
    }

    /// <summary>Minor ticks m·10^k (m = 2..9) inside [min, max], drawn unlabelled on a log axis.</summary>
    public static double[] Log10Minor(double min, double max)
    {
        if (!(min > 0) || !(max > 0) || min == max)
            return [];
        if (min > max)
            (min, max) = (max, min);
        int kLo = (int)Math.Floor(Math.Log10(min)), kHi = (int)Math.Floor(Math.Log10(max));
        if (kHi - kLo > 12)
            return []; // too dense to be useful
        var ticks = new List<double>();
        for (int k = kLo; k <= kHi; k++)
            for (int m = 2; m <= 9; m++)
            {
                double v = m * Pow10(k);
                if (v >= min && v <= max)
                    ticks.Add(v);
            }
        return ticks.ToArray();
    }

    /// <summary>Labels for ticks spaced by step: as few decimals as the step needs, no float noise ("0.3", never "0.30000000000000004"), scientific beyond 1e6 or below 1e-3.</summary>
    public static string[] Labels(double[] ticks, double step)
    {
        ArgumentNullException.ThrowIfNull(ticks);
        double maxAbs = ticks.Length == 0 ? 0 : ticks.Max(Math.Abs);
        bool scientific = maxAbs >= 1e6 || (maxAbs > 0 && maxAbs < 1e-3);
        return ticks.Select(v => scientific ? Scientific(v, step) : Fixed(v, step)).ToArray();
    }

    /// <summary>Labels for log-axis ticks: each value on its own, "0.001" … "100000" in plain digits ("0.02", "5"), beyond that "1e6", "2e-5".</summary>
    public static string[] LogLabels(double[] ticks)
    {
        ArgumentNullException.ThrowIfNull(ticks);
        if (ticks.Any(v => !(v > 0)))
            return Labels(ticks, ticks.Length > 1 ? ticks[1] - ticks[0] : 1);
        return ticks.Select(v =>
        {
            int e = (int)Math.Floor(Math.Log10(v) + 1e-9);
            double mantissa = Math.Round(v / Pow10(e), 6);
            if (e is >= -4 and <= 5)
                return Clean(Math.Round(v, Math.Max(0, 6 - e))).ToString("R", CultureInfo.InvariantCulture);
            return mantissa.ToString("R", CultureInfo.InvariantCulture) + "e" + e.ToString(CultureInfo.InvariantCulture);
        }).ToArray();
    }

    /// <summary>10^k rounded correctly (Math.Pow(10, -3) is not always the double nearest 0.001).</summary>
    internal static double Pow10(int k) => double.Parse($"1e{k}", CultureInfo.InvariantCulture);

    private static int Count(double min, double max, double step)
    {
        double eps = (max - min) * 1e-9;
        double first = Math.Ceiling((min - eps) / step), last = Math.Floor((max + eps) / step);
        double n = last - first + 1;
        return n > 10_000 ? 10_000 : (int)Math.Max(0, n);
    }

    private static double[] Enumerate(double min, double max, double step)
    {
        double eps = (max - min) * 1e-9;
        double first = Math.Ceiling((min - eps) / step);
        int n = Count(min, max, step);
        int decimals = Decimals(step);
        var ticks = new double[n];
        for (int i = 0; i < n; i++)
        {
            // multiply an integer by the step (no accumulated error), then round away the float noise
            double v = (first + i) * step;
            ticks[i] = Clean(decimals <= 15 ? Math.Round(v, decimals) : v);
        }
        return ticks;
    }

    private static int Decimals(double step) =>
        step > 0 && double.IsFinite(step) ? Math.Max(0, -(int)Math.Floor(Math.Log10(step) + 1e-9)) : 6;

    private static double Clean(double v) => v == 0 ? 0.0 : v; // turns -0 into 0

    private static string Fixed(double v, double step)
    {
        int decimals = Math.Min(Decimals(step), 15);
        v = Clean(Math.Round(v, decimals));
        return v.ToString("R", CultureInfo.InvariantCulture);
    }

    private static string Scientific(double v, double step)
    {
        if (v == 0)
            return "0";
        int e = (int)Math.Floor(Math.Log10(Math.Abs(v)));
        double mantissa = v / Pow10(e);
        if (Math.Abs(Math.Round(mantissa, 12)) >= 10) // log10 rounding put us one decade low
            (e, mantissa) = (e + 1, mantissa / 10);
        int digits = step > 0 && double.IsFinite(step)
            ? Math.Clamp(e - (int)Math.Floor(Math.Log10(step) + 1e-9), 0, 15) : 3;
        mantissa = Clean(Math.Round(mantissa, digits));
        return mantissa.ToString("R", CultureInfo.InvariantCulture) + "e" + e.ToString(CultureInfo.InvariantCulture);
    }
}
