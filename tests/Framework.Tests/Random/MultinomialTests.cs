using System.Globalization;
using System.Text.Json;
using Framework.Autograd;

namespace Tests.Random;

/// <summary>Tensor.Multinomial against torch.multinomial's samples for the same seeds (Data/multinomial/make_multinomial.py), and its errors.</summary>
[Collection("GlobalGenerator")]   // some cases reseed the global generator
public class MultinomialTests
{
    private static readonly Lazy<(JsonElement[] Cases, JsonElement[] WeightSets)> Data = new(Load);

    public static TheoryData<string> CaseNames => new(Data.Value.Cases.Select(c => c.GetProperty("name").GetString()!));

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void SamplesEqualTorch(string name)
    {
        var c = Data.Value.Cases.Single(c => c.GetProperty("name").GetString() == name);
        var w = Weights(c);
        if (c.GetProperty("transposed").GetBoolean()) w = w.T();
        int k = c.GetProperty("num_samples").GetInt32();
        bool replacement = c.GetProperty("replacement").GetBoolean();
        long seed = c.GetProperty("seed").GetInt64();
        bool global = c.GetProperty("global").GetBoolean();
        var expectedShape = c.GetProperty("result_shape").EnumerateArray().Select(v => v.GetInt32()).ToArray();

        Generator? g = null;
        if (global) Tensor.ManualSeed(seed);
        else g = new Generator(seed);
        int call = 0;
        foreach (var expected in c.GetProperty("samples").EnumerateArray())
        {
            var y = w.Multinomial(k, replacement, g);
            Assert.Equal(DType.Int64, y.DType);
            Assert.Equal(expectedShape, y.Shape);
            Assert.True(expected.EnumerateArray().Select(v => v.GetInt64()).SequenceEqual(y.ToArray<long>()),
                $"{name}, call {call}: expected [{string.Join(", ", expected.EnumerateArray())}], got [{string.Join(", ", y.ToArray<long>())}]");
            call++;
        }
    }

    [Fact]
    public void TheFileCoversTheRequiredCases()
    {
        var cases = Data.Value.Cases;
        Assert.True(cases.Length >= 200, $"only {cases.Length} cases");
        foreach (var dtype in new[] { "float32", "float64" })
        foreach (bool replacement in new[] { false, true })
            Assert.Contains(cases, c => c.GetProperty("dtype").GetString() == dtype && c.GetProperty("replacement").GetBoolean() == replacement);
        Assert.Contains(cases, c => c.GetProperty("shape").GetArrayLength() == 2 && c.GetProperty("transposed").GetBoolean());
        Assert.Contains(cases, c => c.GetProperty("global").GetBoolean());
    }

    [Fact]
    public void WithoutReplacement_IndicesOfARowAreDistinctAndNeverAZeroWeight()
    {
        var w = Tensor.FromArray(new double[] { 0, 1, 2, 0, 3, 4, 5, 0 }, [2, 4]);
        var g = new Generator(3);
        for (int t = 0; t < 50; t++)
        {
            var y = w.Multinomial(2, generator: g).ToArray<long>();
            Assert.NotEqual(y[0], y[1]);
            Assert.NotEqual(y[2], y[3]);
            Assert.All(y.Take(2), i => Assert.True(i is 1 or 2));
            Assert.DoesNotContain(3L, y.Skip(2));
        }
    }

    [Fact]
    public void NoReplacement_ReturnsEmptyForZeroRows()
    {
        var y = Tensor.Zeros([0, 3]).Multinomial(2);
        Assert.Equal([0, 2], y.Shape);
        Assert.Equal(DType.Int64, y.DType);
    }

    [Fact]
    public void WithReplacement_FrequenciesFollowTheWeights()
    {
        var w = Tensor.FromArray(new float[] { 1, 3, 0, 6 }, [4]);
        var y = w.Multinomial(20000, replacement: true, generator: new Generator(11)).ToArray<long>();
        double[] freq = [.. Enumerable.Range(0, 4).Select(i => y.Count(v => v == i) / 20000.0)];
        Assert.Equal(0.0, freq[2]);
        Assert.InRange(freq[0], 0.09, 0.11);
        Assert.InRange(freq[1], 0.28, 0.32);
        Assert.InRange(freq[3], 0.58, 0.62);
    }

    public static TheoryData<string, string> Errors => new()
    {
        { "3-d", "prob_dist must be 1 or 2 dim (got a tensor of shape [2, 2, 2])" },
        { "0-d", "prob_dist must be 1 or 2 dim (got a tensor of shape [])" },
        { "int64", "multinomial only supports floating-point dtypes for input, got: Long" },
        { "zero samples", "cannot sample n_sample <= 0 samples (got numSamples = 0)" },
        { "negative samples", "cannot sample n_sample <= 0 samples (got numSamples = -1)" },
        { "too many", "cannot sample n_sample > prob_dist.size(-1) samples without replacement (numSamples = 4, prob_dist.size(-1) = 3)" },
        { "all zero", "invalid multinomial distribution (sum of probabilities <= 0)" },
        { "all zero with replacement", "invalid multinomial distribution (sum of probabilities <= 0)" },
        { "a zero row", "invalid multinomial distribution (sum of probabilities <= 0)" },
        { "no categories", "invalid multinomial distribution (sum of probabilities <= 0)" },
        { "negative", "probability tensor contains either `inf`, `nan` or element < 0" },
        { "nan", "probability tensor contains either `inf`, `nan` or element < 0" },
        { "inf", "probability tensor contains either `inf`, `nan` or element < 0" },
        { "negative with replacement", "invalid multinomial distribution (encountering probability entry < 0)" },
        { "nan with replacement", "invalid multinomial distribution (encountering probability entry < 0)" },
        { "inf with replacement", "invalid multinomial distribution (encountering probability entry = infinity or NaN)" },
    };

    /// <summary>Each error has PyTorch's text (make_multinomial's checks were made against torch 1.13), with the numbers appended.</summary>
    [Theory]
    [MemberData(nameof(Errors))]
    public void BadInputIsRefusedWithPyTorchsMessage(string what, string message)
    {
        Func<Tensor> f = what switch
        {
            "3-d" => () => Tensor.Ones([2, 2, 2]).Multinomial(1),
            "0-d" => () => Tensor.From(1.0).Multinomial(1),
            "int64" => () => Tensor.FromArray(new long[] { 1, 2 }, [2]).Multinomial(1),
            "zero samples" => () => Tensor.Ones([3]).Multinomial(0),
            "negative samples" => () => Tensor.Ones([3]).Multinomial(-1, replacement: true),
            "too many" => () => Tensor.Ones([3]).Multinomial(4),
            "all zero" => () => Tensor.Zeros([3]).Multinomial(2),
            "all zero with replacement" => () => Tensor.Zeros([3]).Multinomial(2, replacement: true),
            "a zero row" => () => Tensor.FromArray(new float[] { 1, 2, 0, 0 }, [2, 2]).Multinomial(1),
            "no categories" => () => Tensor.Zeros([2, 0]).Multinomial(1, replacement: true),
            "negative" => () => Tensor.FromArray(new float[] { 1, -1, 2 }, [3]).Multinomial(2),
            "nan" => () => Tensor.FromArray(new double[] { 1, double.NaN, 2 }, [3]).Multinomial(1),
            "inf" => () => Tensor.FromArray(new float[] { 1, float.PositiveInfinity, 2 }, [3]).Multinomial(1),
            "negative with replacement" => () => Tensor.FromArray(new float[] { 1, -1, 2 }, [3]).Multinomial(2, replacement: true),
            "nan with replacement" => () => Tensor.FromArray(new double[] { 1, double.NaN, 2 }, [3]).Multinomial(2, replacement: true),
            "inf with replacement" => () => Tensor.FromArray(new float[] { 1, float.PositiveInfinity, 2 }, [3]).Multinomial(2, replacement: true),
            _ => throw new ArgumentException(what),
        };
        var ex = Assert.Throws<ArgumentException>(() => f());
        Assert.Equal(message, ex.Message);
    }

    private static Tensor Weights(JsonElement c)
    {
        var shape = c.GetProperty("shape").EnumerateArray().Select(v => v.GetInt32()).ToArray();
        var text = Data.Value.WeightSets[c.GetProperty("weights").GetInt32()].EnumerateArray().Select(v => v.GetString()!).ToArray();
        return c.GetProperty("dtype").GetString() == "float32"
            ? Tensor.FromArray(text.Select(s => float.Parse(s, CultureInfo.InvariantCulture)).ToArray(), shape)
            : Tensor.FromArray(text.Select(s => double.Parse(s, CultureInfo.InvariantCulture)).ToArray(), shape);
    }

    private static (JsonElement[], JsonElement[]) Load()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Data", "multinomial", "multinomial_cases.json");
        var root = JsonDocument.Parse(File.ReadAllText(path)).RootElement;
        return ([.. root.GetProperty("cases").EnumerateArray()], [.. root.GetProperty("weight_sets").EnumerateArray()]);
    }
}
