using System.Globalization;
using System.Text.Json;
using Framework.Autograd;

namespace Tests.Random;

/// <summary>Loads Data/random/torch_random.json (written by make_random.py from PyTorch 1.13) and replays its draws.</summary>
internal static class TorchRandomData
{
    /// <summary>The parsed reference file, loaded once.</summary>
    private static readonly Lazy<JsonElement> root = new(() =>
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Data", "random", "torch_random.json");
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        return doc.RootElement.Clone();
    });

    /// <summary>The JSON root.</summary>
    public static JsonElement Root => root.Value;

    /// <summary>The single-draw cases (seed, op, size, expected values).</summary>
    public static JsonElement Cases => Root.GetProperty("cases");

    /// <summary>The multi-draw sequences.</summary>
    public static JsonElement Sequences => Root.GetProperty("sequences");

    /// <summary>A short readable label for one case or step.</summary>
    public static string Label(JsonElement e) =>
        (e.TryGetProperty("seed", out var s) ? $"seed={s.GetInt64()} " : "") + $"{e.GetProperty("op").GetString()}({e.GetProperty("size").GetInt32()})";

    /// <summary>Performs the draw named by <paramref name="op"/> with <paramref name="g"/> through the public Tensor API where one exists.</summary>
    public static Array Draw(Generator g, string op, int n) => op switch
    {
        "rand_f32" => Tensor.Rand([n], generator: g).ToArray<float>(),
        "rand_f64" => Tensor.Rand([n], generator: g, dtype: DType.Float64).ToArray<double>(),
        "randn_f32" => Tensor.Randn([n], generator: g).ToArray<float>(),
        "randn_f64" => Tensor.Randn([n], generator: g, dtype: DType.Float64).ToArray<double>(),
        "randint_0_10" => Tensor.RandInt(0, 10, [n], g).ToArray<long>(),
        "randint_m5_1e6" => Tensor.RandInt(-5, 1000000, [n], g).ToArray<long>(),
        "randint_big" => Tensor.RandInt(-(1L << 40), 1L << 41, [n], g).ToArray<long>(),
        "randperm" => Tensor.Randperm(n, g).ToArray<long>(),
        "random_int64" => RandomInt64s(g, n),
        "uniform_m3_7_f32" => Fill(new float[n], d => g.FillUniform(d, -3, 7)),
        "uniform_m3_7_f64" => Fill(new double[n], d => g.FillUniform(d, -3, 7)),
        "normal_2_05_f32" => Fill(new float[n], d => g.FillNormal(d, 2, 0.5)),
        "normal_2_05_f64" => Fill(new double[n], d => g.FillNormal(d, 2, 0.5)),
        _ => throw new ArgumentException(op),
    };

    /// <summary>Asserts that <paramref name="actual"/> equals the expected values in <paramref name="e"/> (float32 within 1 ulp, float64 within 1e-15 relative, ints exactly); returns the largest float32 ulp distance.</summary>
    public static int AssertMatches(JsonElement e, Array actual, string label)
    {
        switch (e.GetProperty("dtype").GetString())
        {
            case "float32":
            {
                var want = e.GetProperty("bits").EnumerateArray().Select(b => BitConverter.UInt32BitsToSingle(b.GetUInt32())).ToArray();
                var got = Assert.IsType<float[]>(actual);
                Assert.Equal(want.Length, got.Length);
                int worst = 0;
                for (int i = 0; i < want.Length; i++)
                {
                    int ulps = Math.Abs(BitConverter.SingleToInt32Bits(want[i]) - BitConverter.SingleToInt32Bits(got[i]));
                    Assert.True(ulps <= 1, $"{label}[{i}]: torch {want[i]:R} vs ours {got[i]:R} ({ulps} ulps)");
                    worst = Math.Max(worst, ulps);
                }
                return worst;
            }
            case "float64":
            {
                var want = e.GetProperty("text").EnumerateArray().Select(t => double.Parse(t.GetString()!, CultureInfo.InvariantCulture)).ToArray();
                var got = Assert.IsType<double[]>(actual);
                Assert.Equal(want.Length, got.Length);
                for (int i = 0; i < want.Length; i++)
                    Assert.True(Math.Abs(want[i] - got[i]) <= 1e-15 * Math.Abs(want[i]),
                        $"{label}[{i}]: torch {want[i]:R} vs ours {got[i]:R}");
                return 0;
            }
            default:
            {
                var want = e.GetProperty("ints").EnumerateArray().Select(v => v.GetInt64()).ToArray();
                Assert.Equal(want, Assert.IsType<long[]>(actual));
                return 0;
            }
        }
    }

    /// <summary>Runs <paramref name="fill"/> on <paramref name="d"/> and returns it.</summary>
    private static T[] Fill<T>(T[] d, Action<T[]> fill)
    {
        fill(d);
        return d;
    }

    /// <summary>n draws of <see cref="Generator.RandomInt64"/>.</summary>
    private static long[] RandomInt64s(Generator g, int n)
    {
        var d = new long[n];
        for (int i = 0; i < n; i++) d[i] = g.RandomInt64();
        return d;
    }
}
