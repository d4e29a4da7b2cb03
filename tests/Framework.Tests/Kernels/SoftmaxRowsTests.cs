using Framework.Autograd;
using Framework.Autograd.Kernels;

namespace Tests.Kernels;

/// <summary>The row softmax kernels: split over the cores or not, bit for bit the same (Float32), and equal to the definition, NaN and ±∞ rows included.</summary>
[Collection("Softmax blocks")]
public class SoftmaxRowsTests
{
    /// <summary>Row lengths around the vector widths (4, 8, 16 lanes) and rows counts that split unevenly.</summary>
    public static TheoryData<int, int, bool> Cases()
    {
        var data = new TheoryData<int, int, bool>();
        foreach (var (rows, r) in new[] { (1, 1), (7, 5), (64, 8), (33, 16), (200, 31), (4096, 32), (129, 33), (301, 100) })
            foreach (bool dbl in new[] { false, true })
                data.Add(rows, r, dbl);
        return data;
    }

    /// <summary>x with a NaN row, a row with +∞, a fully masked (−∞) row and a row with −0 and +0 maxima, when there are rows enough.</summary>
    private static double[] Input(int rows, int r, int seed)
    {
        var rng = new System.Random(seed);
        var x = new double[rows * r];
        for (int i = 0; i < x.Length; i++) x[i] = rng.NextDouble() * 8 - 4;
        if (rows > 4)
        {
            x[1 * r + r / 2] = double.NaN;
            x[2 * r + r - 1] = double.PositiveInfinity;
            for (int k = 0; k < r; k++) x[3 * r + k] = double.NegativeInfinity;
            for (int k = 0; k < r; k++) x[4 * r + k] = k % 2 == 0 ? -0.0 : 0.0;
        }
        for (int o = 5; o < rows; o += 7)                          // causal-style rows: a masked tail
            for (int k = 1 + o % r; k < r; k++) x[o * r + k] = double.NegativeInfinity;
        return x;
    }

    /// <summary>Forward and backward of softmax and log-softmax over the last dim: (y, dx) for both, as raw values.</summary>
    private static double[][] Run(double[] x, double[] g, int rows, int r, bool dbl)
    {
        var dtype = dbl ? DType.Float64 : DType.Float32;
        var results = new List<double[]>();
        foreach (bool log in new[] { false, true })
        {
            var t = Tensor.From(x).Reshape(rows, r).To(dtype).Detach().RequiresGrad_();
            var y = log ? t.LogSoftmax(1) : t.Softmax(1);
            y.Backward(Tensor.From(g).Reshape(rows, r).To(dtype));
            results.Add(y.Detach().To(DType.Float64).Reshape(-1).ToArray<double>());
            results.Add(t.Grad!.To(DType.Float64).Reshape(-1).ToArray<double>());
        }
        return [.. results];
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void SplitOverTheCoresChangesNoBit(int rows, int r, bool dbl)
    {
        var x = Input(rows, r, 1 + rows + r);
        var g = Input(rows, r, 2 + rows + r).Select(v => double.IsFinite(v) ? v : 0.5).ToArray();
        var (savedWork, savedBlock) = (Reduce.SoftmaxParallelWork, Reduce.SoftmaxBlock);
        double[][] whole, split;
        try
        {
            Reduce.SoftmaxBlock = 3 * r;                               // blocks of 3 rows: many blocks, split unevenly
            Reduce.SoftmaxParallelWork = int.MaxValue;
            whole = Run(x, g, rows, r, dbl);
            Reduce.SoftmaxParallelWork = 1;
            split = Run(x, g, rows, r, dbl);
        }
        finally { (Reduce.SoftmaxParallelWork, Reduce.SoftmaxBlock) = (savedWork, savedBlock); }
        // Float64's exp (TensorPrimitives) differs in the last bit between the JIT's tiers (a second call of the same
        // kernel on the same thread can), so there the split is held to within a few units in the last place.
        for (int i = 0; i < whole.Length; i++)
            if (!dbl) Assert.Equal(whole[i].Select(BitConverter.DoubleToInt64Bits), split[i].Select(BitConverter.DoubleToInt64Bits));
            else
                for (int k = 0; k < whole[i].Length; k++)
                    Assert.True(whole[i][k].Equals(split[i][k]) || Math.Abs(whole[i][k] - split[i][k]) <= 1e-14 * (1 + Math.Abs(whole[i][k])),
                        $"result {i}, element {k}: {split[i][k]:R} split, {whole[i][k]:R} whole");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void RowsEqualTheDefinition(int rows, int r, bool dbl)
    {
        var x = Input(rows, r, 3 + rows + r);
        var g = Input(rows, r, 4 + rows + r).Select(v => double.IsFinite(v) ? v : -0.25).ToArray();
        if (!dbl) { x = x.Select(v => (double)(float)v).ToArray(); g = g.Select(v => (double)(float)v).ToArray(); }
        var got = Run(x, g, rows, r, dbl);
        double tol = dbl ? 1e-12 : 2e-6;
        for (int o = 0; o < rows; o++)
        {
            var row = x.AsSpan(o * r, r).ToArray();
            var gr = g.AsSpan(o * r, r).ToArray();
            // As PyTorch: x − max (NaN when the row holds one), so +∞ or all −∞ give NaN throughout.
            double m = row.Any(double.IsNaN) ? double.NaN : row.Max();
            var e = row.Select(v => Math.Exp(v - m)).ToArray();
            double sum = e.Sum(), lse = Math.Log(sum);
            var y = e.Select(v => v / sum).ToArray();
            var ly = row.Select(v => v - m - lse).ToArray();
            double dotGy = gr.Zip(y).Sum(p => p.First * p.Second), sumG = gr.Sum();
            var expect = new[]
            {
                y, y.Select((v, k) => v * (gr[k] - dotGy)).ToArray(),
                ly, ly.Select((v, k) => gr[k] - Math.Exp(v) * sumG).ToArray(),
            };
            for (int which = 0; which < 4; which++)
                for (int k = 0; k < r; k++)
                {
                    double want = expect[which][k], have = got[which][o * r + k];
                    if (double.IsNaN(want)) Assert.True(double.IsNaN(have), $"case {which}, row {o}, element {k}: {have}, expected NaN");
                    else if (double.IsInfinity(want)) Assert.Equal(want, have);
                    else Assert.True(Math.Abs(have - want) <= tol * (1 + Math.Abs(want)), $"case {which}, row {o}, element {k}: {have}, expected {want}");
                }
        }
    }
}
