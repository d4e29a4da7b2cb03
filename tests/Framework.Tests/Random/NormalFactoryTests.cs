using System.Globalization;
using System.Text.Json;
using Framework.Autograd;

namespace Tests.Random;

/// <summary>Tensor.Normal(mean, std, shape) equals torch.normal(mean, std, size) after the same seed (Data/creation/torch_normal.json from make_normal.py).</summary>
public class NormalFactoryTests
{
    public static TheoryData<long, double, double, int, string, string[]> Cases()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Data", "creation", "torch_normal.json")));
        var data = new TheoryData<long, double, double, int, string, string[]>();
        foreach (var c in doc.RootElement.GetProperty("cases").EnumerateArray())
            data.Add(c.GetProperty("seed").GetInt64(), c.GetProperty("mean").GetDouble(), c.GetProperty("std").GetDouble(),
                     c.GetProperty("size").GetInt32(), c.GetProperty("dtype").GetString()!,
                     [.. c.GetProperty("values").EnumerateArray().Select(e => e.GetString()!)]);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void NormalIsTorchNormalAfterTheSameSeed(long seed, double mean, double std, int size, string dtype, string[] values)
    {
        Tensor.ManualSeed(seed);
        var t = Tensor.Normal(mean, std, [size], dtype: Enum.Parse<DType>(dtype));
        if (t.DType == DType.Float32)
            Assert.Equal(values, t.ToArray<float>().Select(v => BitConverter.SingleToUInt32Bits(v).ToString(CultureInfo.InvariantCulture)));
        else Assert.Equal(values.Select(v => double.Parse(v, CultureInfo.InvariantCulture)), t.ToArray<double>());
    }

    [Fact]
    public void NormalAndFullTakeRequiresGradAndRefuseBadArguments()
    {
        Assert.True(Tensor.Normal(0, 1, [3], requiresGrad: true).RequiresGrad);
        Assert.True(Tensor.Full([2], 0.5, requiresGrad: true).RequiresGrad);
        Assert.Contains("torch.int64", Assert.Throws<ArgumentException>(() => Tensor.Normal(0, 1, [3], dtype: DType.Int64)).Message);
        Assert.Contains("-3", Assert.Throws<ArgumentException>(() => Tensor.Normal(0, 1, [-3])).Message);
        Assert.ThrowsAny<ArgumentException>(() => Tensor.Normal(0, -1, [3]));
    }
}
