using Framework.Autograd;

namespace Tests.Special;

/// <summary>SpanMath's dot, sum, add and divide loops (optimised from their first call) against plain loops, at every tail length.</summary>
public class SpanMathLoopTests
{
    /// <summary>Small integers as doubles: every partial sum is exact, so any summation order gives the plain loop's value.</summary>
    private static double[] Ints(int n, int seed)
    {
        var r = new System.Random(seed);
        return [.. Enumerable.Range(0, n).Select(_ => (double)r.Next(-50, 51))];
    }

    [Fact]
    public void DotAndSumEqualThePlainLoopsAtEveryLengthInEachDType()
    {
        for (int n = 0; n <= 70; n++)
        {
            double[] a = Ints(n, n), b = Ints(n, 1000 + n);
            double dot = 0, sum = 0;
            for (int i = 0; i < n; i++) { dot += a[i] * b[i]; sum += a[i]; }
            Assert.Equal(dot, SpanMath.Dot<double>(a, b));
            Assert.Equal(sum, SpanMath.Sum<double>(a));
            Assert.Equal((float)dot, SpanMath.Dot<float>([.. a.Select(v => (float)v)], [.. b.Select(v => (float)v)]));
            Assert.Equal((float)sum, SpanMath.Sum<float>([.. a.Select(v => (float)v)]));
            Assert.Equal((long)dot, SpanMath.Dot<long>([.. a.Select(v => (long)v)], [.. b.Select(v => (long)v)]));
            Assert.Equal((long)sum, SpanMath.Sum<long>([.. a.Select(v => (long)v)]));
        }
    }

    [Fact]
    public void DotOfFloatsIsWithinRoundingOfTheDoubleDot()
    {
        var r = new System.Random(7);
        float[] a = [.. Enumerable.Range(0, 1000).Select(_ => (float)(r.NextDouble() * 2 - 1))];
        float[] b = [.. Enumerable.Range(0, 1000).Select(_ => (float)(r.NextDouble() * 2 - 1))];
        double want = 0, scale = 0;
        for (int i = 0; i < a.Length; i++) { want += (double)a[i] * b[i]; scale += Math.Abs((double)a[i] * b[i]); }
        Assert.InRange(Math.Abs(SpanMath.Dot<float>(a, b) - want), 0, scale * 1e-6);
    }

    [Fact]
    public void AddMultiplyAndDivideWriteEveryElementInPlaceOrNot()
    {
        for (int n = 0; n <= 40; n++)
        {
            float[] a = [.. Ints(n, n).Select(v => (float)v)], b = [.. Ints(n, 500 + n).Select(v => (float)v)];
            var d = new float[n];
            SpanMath.Add<float>(a, b, d);
            Assert.Equal(a.Zip(b, (x, y) => x + y), d);
            var c = new float[n];
            SpanMath.Add<float>(a, 2.5f, c);
            Assert.Equal(a.Select(x => x + 2.5f), c);
            var inPlace = (float[])a.Clone();
            SpanMath.Add<float>(inPlace, b, inPlace);
            Assert.Equal(d, inPlace);
            var q = new float[n];
            SpanMath.Divide<float>(a, 3f, q);
            Assert.Equal(a.Select(x => x / 3f), q);
            var m = new float[n];
            SpanMath.Multiply<float>(a, -0.75f, m);
            Assert.Equal(a.Select(x => x * -0.75f), m);
            var sub = new float[n];
            SpanMath.Subtract<float>(a, b, sub);
            Assert.Equal(a.Zip(b, (x, y) => x - y), sub);
            var prod = (float[])b.Clone();
            SpanMath.Multiply<float>(a, prod, prod);
            Assert.Equal(a.Zip(b, (x, y) => x * y), prod);
            double[] ad = [.. a.Select(x => (double)x)];
            SpanMath.Divide<double>(ad, 7.0, ad);
            Assert.Equal(a.Select(x => x / 7.0), ad);
            long[] li = [.. a.Select(x => (long)x)];
            SpanMath.Add<long>(li, 3L, li);
            Assert.Equal(a.Select(x => (long)x + 3), li);
            SpanMath.Multiply<long>(li, -2L, li);
            Assert.Equal(a.Select(x => ((long)x + 3) * -2), li);
        }
    }

    [Fact]
    public void MismatchedLengthsAndShiftedOutputsAreRefused()
    {
        var e = Assert.Throws<ArgumentException>(() => SpanMath.Dot<float>(new float[3], new float[4]));
        Assert.Equal("SpanMath.Dot: b has 4 elements, a 3", e.Message);
        e = Assert.Throws<ArgumentException>(() => SpanMath.Add<float>(new float[3], new float[3], new float[2]));
        Assert.Equal("SpanMath.Add: a has 3 elements, b 3, the output 2", e.Message);
        e = Assert.Throws<ArgumentException>(() => SpanMath.Add<double>(new double[3], 1.0, new double[4]));
        Assert.Equal("SpanMath.Add: the output has 4 elements, the input 3", e.Message);
        var x = new float[40];
        e = Assert.Throws<ArgumentException>(() => SpanMath.Add<float>(x.AsSpan(0, 32), x.AsSpan(8, 32), x.AsSpan(1, 32)));
        Assert.Equal("SpanMath.Add: the output overlaps an input without being it", e.Message);
        e = Assert.Throws<ArgumentException>(() => SpanMath.Add<float>(x.AsSpan(0, 32), 1f, x.AsSpan(4, 32)));
        Assert.Equal("SpanMath.Add: the output overlaps the input without being it", e.Message);
        e = Assert.Throws<ArgumentException>(() => SpanMath.Subtract<long>(new long[2], new long[3], new long[2]));
        Assert.Equal("SpanMath.Subtract: a has 2 elements, b 3, the output 2", e.Message);
        e = Assert.Throws<ArgumentException>(() => SpanMath.Multiply<float>(x.AsSpan(0, 32), x.AsSpan(0, 32), x.AsSpan(3, 32)));
        Assert.Equal("SpanMath.Multiply: the output overlaps an input without being it", e.Message);
        e = Assert.Throws<ArgumentException>(() => SpanMath.Multiply<double>(new double[5], 2.0, new double[4]));
        Assert.Equal("SpanMath.Multiply: the output has 4 elements, the input 5", e.Message);
        e = Assert.Throws<ArgumentException>(() => SpanMath.Divide<float>(new float[2], 2f, new float[3]));
        Assert.Equal("SpanMath.Divide: the output has 3 elements, the input 2", e.Message);
        e = Assert.Throws<ArgumentException>(() => SpanMath.Divide<float>(x.AsSpan(2, 32), 2f, x.AsSpan(0, 32)));
        Assert.Equal("SpanMath.Divide: the output overlaps the input without being it", e.Message);
    }
}
