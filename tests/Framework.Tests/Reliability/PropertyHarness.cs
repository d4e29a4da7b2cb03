using FsCheck;
using FsCheck.Fluent;
using Framework.Autograd;
using Microsoft.FSharp.Core;

namespace Tests.Reliability;

/// <summary>FsCheck generators for shapes, dims and values, and a fixed-seed runner for the op properties.</summary>
public static class PropertyHarness
{
    /// <summary>Runs <paramref name="body"/> on <paramref name="count"/> generated cases from a fixed seed; a failing case is rethrown with its text.</summary>
    public static void ForAll<T>(Gen<T> gen, int count, Action<T> body, ulong seed = 20261202)
    {
        var config = Config.QuickThrowOnFailure
            .WithMaxTest(count)
            .WithQuietOnSuccess(true)
            .WithReplay(FSharpOption<Replay>.Some(new Replay(new Rnd(seed), FSharpOption<int>.None)));
        int runs = 0;
        Check.One(config, Prop.ForAll(Arb.From(gen), (T c) => { runs++; body(c); }));
        if (runs != count) throw new Xunit.Sdk.XunitException($"the property ran {runs} cases, not {count}");
    }

    /// <summary>A dimension size: 0 now and then, 1 often (for broadcasting), else 2..4.</summary>
    public static Gen<int> Dim { get; } = Gen.Frequency((1, Gen.Constant(0)), (3, Gen.Constant(1)), (6, Gen.Choose(2, 4)));

    /// <summary>A shape of rank minRank..maxRank.</summary>
    public static Gen<int[]> Shape(int minRank, int maxRank) =>
        Gen.Choose(minRank, maxRank).SelectMany(r => Gen.ArrayOf(Dim, r));

    /// <summary>A shape that broadcasts to <paramref name="outShape"/>: a suffix of it with some dims set to 1.</summary>
    public static Gen<int[]> BroadcastableTo(int[] outShape) =>
        from k in Gen.Choose(0, outShape.Length)
        from ones in Gen.ArrayOf(Gen.Frequency((3, Gen.Constant(false)), (1, Gen.Constant(true))), k)
        select outShape.Skip(outShape.Length - k).Select((d, i) => ones[i] ? 1 : d).ToArray();

    /// <summary>The shape with one dim of size ≥ 1 grown by one (so it no longer fits), or unchanged when there is none.</summary>
    public static Gen<int[]> Corrupt(int[] shape) =>
        shape.Length == 0 ? Gen.Constant(shape)
        : Gen.Choose(0, shape.Length - 1).Select(i =>
        {
            var r = (int[])shape.Clone();
            if (r[i] >= 1) r[i] += 1;
            return r;
        });

    /// <summary>Sometimes <paramref name="bad"/>(shape), mostly the shape itself.</summary>
    public static Gen<int[]> MaybeCorrupt(int[] shape, int percent) =>
        Gen.Choose(1, 100).SelectMany(p => p <= percent ? Corrupt(shape) : Gen.Constant(shape));

    public static Gen<DType> FloatDType { get; } = Gen.Elements(DType.Float32, DType.Float64);
    public static Gen<DType> NumericDType { get; } = Gen.Elements(DType.Float32, DType.Float64, DType.Int64);
    public static Gen<Layout> AnyLayout { get; } = Gen.Elements(Layout.Contiguous, Layout.Permuted, Layout.Strided);

    /// <summary>Values for a shape: multiples of 1/8 in [lo, hi] (exact in Float32), optionally with ±∞/NaN sprinkled in.</summary>
    public static Gen<RefArray> Values(int[] shape, double lo = -4, double hi = 4, bool integral = false, bool nonZero = false, int specialsPercent = 0) =>
        from seed in Gen.Choose(0, int.MaxValue - 1)
        from special in Gen.Choose(1, 100)
        select Fill(shape, seed, lo, hi, integral, nonZero, special <= specialsPercent);

    private static RefArray Fill(int[] shape, int seed, double lo, double hi, bool integral, bool nonZero, bool specials)
    {
        var rng = new System.Random(seed);
        var data = new double[RefArray.Numel(shape)];
        for (int i = 0; i < data.Length; i++)
        {
            double v;
            do
            {
                v = lo + rng.NextDouble() * (hi - lo);
                v = integral ? Math.Round(v) : Math.Round(v * 8) / 8;
            } while (nonZero && v == 0);
            if (specials && rng.Next(4) == 0) v = new[] { double.PositiveInfinity, double.NegativeInfinity, double.NaN }[rng.Next(3)];
            data[i] = v;
        }
        return new RefArray(shape, data);
    }

    /// <summary>PyTorch's type promotion among Float64, Float32 and Int64, for tensors of equal standing.</summary>
    public static DType Promote(DType a, DType b) =>
        a == DType.Float64 || b == DType.Float64 ? DType.Float64
        : a == DType.Float32 || b == DType.Float32 ? DType.Float32
        : a;

    /// <summary>PyTorch's result_type of two tensors: a 0-d operand changes the dtype only when its category (integer, float) is higher.</summary>
    public static DType Promote(DType a, int rankA, DType b, int rankB)
    {
        static int Category(DType d) => d == DType.Int64 ? 1 : 2;
        if ((rankA == 0) == (rankB == 0)) return Promote(a, b);
        var (dim, zero) = rankA == 0 ? (b, a) : (a, b);
        return Category(zero) > Category(dim) ? Promote(dim, zero) : dim;
    }

    /// <summary>Runs <paramref name="op"/>: with an expected value it must match; without one it must throw an ArgumentException.</summary>
    public static void Expect(Func<Tensor> op, RefArray? expected, DType dtype, string what, double scale = 1, Func<Exception, bool>? alsoAllowed = null)
    {
        Tensor result;
        try { result = op(); }
        catch (ArgumentException) when (expected is null) { return; }
        catch (Exception e) when (alsoAllowed?.Invoke(e) == true) { return; }
        catch (Exception e)
        {
            throw new Xunit.Sdk.XunitException($"{what}: threw {e.GetType().Name}: {e.Message}{(expected is null ? "" : $" (expected {RefArray.ShapeText(expected.Shape)})")}");
        }
        if (expected is null)
            throw new Xunit.Sdk.XunitException($"{what}: expected an ArgumentException, got a tensor of shape {RefArray.ShapeText(result.Shape)}");
        RefTensor.AssertMatches(expected, result, dtype, what, scale);
    }
}
