using FsCheck;
using FsCheck.Fluent;
using Framework.Autograd;
using static Tests.Reliability.PropertyHarness;

namespace Tests.Reliability;

/// <summary>
/// Property tests of reductions and Softmax/LogSoftmax over every dim (negative, out of range, repeated; 0-size dims
/// and ±∞/NaN included): the result matches a plain Float64 loop with PyTorch's conventions, or the op throws
/// ArgumentException.
/// </summary>
public class ReductionPropertyTests
{
    public sealed record ReduceCase(string Op, RefArray X, DType D, Layout L, int[] Dims, bool KeepDim)
    {
        public override string ToString() => $"{Op}(dims [{string.Join(", ", Dims)}], keepDim {KeepDim}): {X} {D} {L}";
    }

    private static readonly string[] MultiDimOps = ["sum", "mean", "var", "var_biased"];
    private static readonly string[] OneDimOps = ["max", "min", "argmax", "softmax", "log_softmax"];
    private static readonly string[] AllOps = ["sum", "mean", "var", "var_biased", "max", "min", "argmax", "softmax", "log_softmax", "sum_all", "mean_all", "norm"];

    /// <summary>Dims of a rank-r tensor: distinct, some negative; now and then one out of range or repeated.</summary>
    private static Gen<int[]> Dims(int rank, bool single) =>
        from n in single ? Gen.Constant(1) : Gen.Choose(1, Math.Max(1, rank))
        from picks in Gen.Shuffle(Enumerable.Range(0, Math.Max(1, rank)).ToArray())
        from negate in Gen.ArrayOf(Gen.Elements(false, true), n)
        from flaw in Gen.Choose(1, 100)
        select Flaw(picks.Take(n).Select((d, i) => negate[i] ? d - Math.Max(1, rank) : d).ToArray(), rank, single && flaw > 9 ? 100 : flaw);   // a one-dim op gets no repeated dim

    private static int[] Flaw(int[] dims, int rank, int roll) => roll switch
    {
        <= 6 => [.. dims.Take(dims.Length - 1), Math.Max(1, rank)],            // out of range
        <= 9 => [.. dims.Take(dims.Length - 1), -Math.Max(1, rank) - 1],       // out of range, negative
        <= 12 when dims.Length >= 1 => [.. dims, dims[0]],                    // repeated
        _ => dims,
    };

    private static Gen<ReduceCase> Cases { get; } =
        from op in Gen.Elements(AllOps)
        from shape in Shape(0, 4)
        from dims in Dims(shape.Length, !MultiDimOps.Contains(op))
        from keep in Gen.Elements(false, true)
        from d in op == "sum" ? NumericDType : FloatDType
        from x in Values(shape, integral: d == DType.Int64, specialsPercent: d == DType.Int64 ? 0 : 8)
        from layout in AnyLayout
        select new ReduceCase(op, x, d, layout, dims, keep);

    [Fact]
    public void Reductions_and_softmax_match_a_Float64_loop_over_every_dim()
    {
        ForAll(Cases, 2000, c =>
        {
            var x = RefTensor.Make(c.X, c.D, c.L);
            var (expected, dtype) = Reference(c);
            Func<Tensor> op = c.Op switch
            {
                "sum" => () => x.Sum(c.Dims, c.KeepDim),
                "mean" => () => x.Mean(c.Dims, c.KeepDim),
                "var" => () => x.Var(c.Dims, unbiased: true, keepDim: c.KeepDim),
                "var_biased" => () => x.Var(c.Dims, unbiased: false, keepDim: c.KeepDim),
                "max" => () => x.Max(c.Dims[0], c.KeepDim).Values,
                "min" => () => x.Min(c.Dims[0], c.KeepDim).Values,
                "argmax" => () => x.Argmax(c.Dims[0], c.KeepDim),
                "softmax" => () => x.Softmax(c.Dims[0]),
                "log_softmax" => () => x.LogSoftmax(c.Dims[0]),
                "sum_all" => () => x.Sum(),
                "mean_all" => () => x.Mean(),
                _ => () => x.Norm(),
            };
            double scale = c.X.Data.Where(double.IsFinite).Select(Math.Abs).DefaultIfEmpty(0).Max();
            Expect(op, expected, dtype, c.ToString(), scale: Math.Max(1, scale * scale));
        });
    }

    /// <summary>The expected result, or null where PyTorch refuses (bad dims, max over an empty dim).</summary>
    private static (RefArray?, DType) Reference(ReduceCase c)
    {
        var s = c.X.Shape;
        int rank = s.Length, r = Math.Max(1, rank);
        DType dtype = c.Op == "argmax" ? DType.Int64 : c.D;
        if (c.Op is "sum_all" or "mean_all" or "norm")
            return (Reduce(c.X, Enumerable.Range(0, rank).ToArray(), false, c.Op switch
            {
                "sum_all" => v => v.Sum(),
                "mean_all" => v => v.Length == 0 ? double.NaN : v.Sum() / v.Length,
                _ => v => Math.Sqrt(v.Sum(t => t * t)),
            }), dtype);

        if (c.Dims.Any(d => d < -r || d >= r)) return (null, dtype);
        var dims = c.Dims.Select(d => d < 0 ? d + r : d).ToArray();
        if (dims.Distinct().Count() != dims.Length) return (null, dtype);
        if (rank == 0) dims = [];                                   // dim 0 / -1 of a 0-d tensor is the tensor itself

        switch (c.Op)
        {
            case "softmax" or "log_softmax":
                return (Softmax(c.X, dims, c.Op == "log_softmax"), dtype);
            case "max" or "min" or "argmax":
                if (rank > 0 && s[dims[0]] == 0) return (null, dtype);
                bool max = c.Op != "min";
                return (Reduce(c.X, dims, c.KeepDim, v => c.Op == "argmax" ? ArgExtreme(v, true) : v[ArgExtreme(v, max)]), dtype);
            default:
                int ddof = c.Op == "var" ? 1 : 0;
                return (Reduce(c.X, dims, c.KeepDim, c.Op switch
                {
                    "sum" => v => v.Sum(),
                    "mean" => v => v.Length == 0 ? double.NaN : v.Sum() / v.Length,
                    _ => v =>
                    {
                        if (v.Length == 0) return double.NaN;
                        double m = v.Sum() / v.Length;
                        return v.Sum(t => (t - m) * (t - m)) / (v.Length - ddof);
                    },
                }), dtype);
        }
    }

    /// <summary>The first index of the largest (smallest) value; a NaN counts as the extreme, as in PyTorch.</summary>
    private static int ArgExtreme(double[] v, bool max)
    {
        int best = 0;
        for (int i = 0; i < v.Length; i++)
        {
            if (double.IsNaN(v[i])) return i;
            if (max ? v[i] > v[best] : v[i] < v[best]) best = i;
        }
        return best;
    }

    /// <summary>Applies f to the values of each slice over <paramref name="dims"/> (in row-major order).</summary>
    private static RefArray Reduce(RefArray x, int[] dims, bool keepDim, Func<double[], double> f)
    {
        var s = x.Shape;
        var kept = Enumerable.Range(0, s.Length).Select(i => dims.Contains(i) ? 1 : s[i]).ToArray();
        var groups = new List<double>[RefArray.Numel(kept)];
        for (int g = 0; g < groups.Length; g++) groups[g] = [];
        for (int i = 0; i < x.Data.Length; i++)
        {
            var idx = RefArray.Unravel(i, s);
            int flat = 0;
            for (int k = 0; k < s.Length; k++) flat = flat * kept[k] + (dims.Contains(k) ? 0 : idx[k]);
            groups[flat].Add(x.Data[i]);
        }
        var outShape = keepDim ? kept : Enumerable.Range(0, s.Length).Where(i => !dims.Contains(i)).Select(i => s[i]).ToArray();
        return new RefArray(outShape, groups.Select(g => f([.. g])).ToArray());
    }

    /// <summary>y = e^(x − m) / Σ e^(x − m) with m the slice's max (NaN if it holds one); log: x − m − log Σ e^(x − m).</summary>
    private static RefArray Softmax(RefArray x, int[] dims, bool log)
    {
        var s = x.Shape;
        var y = new double[x.Data.Length];
        for (int i = 0; i < y.Length; i++)
        {
            var idx = RefArray.Unravel(i, s);
            var slice = new List<double>();
            if (dims.Length == 0) slice.Add(x.Data[i]);
            else
            {
                int d = dims[0];
                for (int j = 0; j < s[d]; j++) { var k = (int[])idx.Clone(); k[d] = j; slice.Add(x.At(k)); }
            }
            double m = slice.Any(double.IsNaN) ? double.NaN : slice.Max();
            double sum = slice.Sum(v => Math.Exp(v - m));
            y[i] = log ? x.Data[i] - m - Math.Log(sum) : Math.Exp(x.Data[i] - m) / sum;
        }
        return new RefArray(s, y);
    }
}
