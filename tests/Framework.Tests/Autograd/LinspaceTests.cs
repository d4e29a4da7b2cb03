using System.Security.Cryptography;
using System.Text.Json;
using Framework.Autograd;

namespace Tests.AutogradTests;

/// <summary>Linspace equals torch.linspace bit for bit (Data/creation/torch_linspace.json, made by make_linspace.py with PyTorch 1.13).</summary>
public class LinspaceTests
{
    public static TheoryData<string, string, int, string, string, string[], string[]> Cases()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Data", "creation", "torch_linspace.json")));
        var data = new TheoryData<string, string, int, string, string, string[], string[]>();
        foreach (var c in doc.RootElement.GetProperty("cases").EnumerateArray())
            data.Add(c.GetProperty("start").GetString()!, c.GetProperty("end").GetString()!, c.GetProperty("steps").GetInt32(),
                     c.GetProperty("dtype").GetString()!, c.GetProperty("sha256").GetString()!,
                     [.. c.GetProperty("head").EnumerateArray().Select(e => e.GetString()!)],
                     [.. c.GetProperty("tail").EnumerateArray().Select(e => e.GetString()!)]);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void LinspaceIsTorchLinspaceBitForBit(string start, string end, int steps, string dtype, string sha256, string[] head, string[] tail)
    {
        double a = double.Parse(start, System.Globalization.CultureInfo.InvariantCulture), b = double.Parse(end, System.Globalization.CultureInfo.InvariantCulture);
        var dt = Enum.Parse<DType>(dtype);
        byte[] bytes;
        string[] bits;
        if (dt == DType.Float32)
        {
            var y = new float[steps];
            Framework.Autograd.Kernels.Linspace.Fill<float>(y, (float)a, (float)b, torchThreads: 2);   // the reference ran 2 threads
            bytes = [.. y.SelectMany(BitConverter.GetBytes)];
            bits = [.. y.Select(v => BitConverter.SingleToUInt32Bits(v).ToString())];
            if (steps <= 32768) Assert.Equal(y, Tensor.Linspace(a, b, steps).ToArray());   // one chunk: no thread count involved
        }
        else
        {
            var y = new double[steps];
            Framework.Autograd.Kernels.Linspace.Fill<double>(y, a, b, torchThreads: 2);
            bytes = [.. y.SelectMany(BitConverter.GetBytes)];
            bits = [.. y.Select(v => BitConverter.DoubleToUInt64Bits(v).ToString())];
            if (steps <= 32768) Assert.Equal(y, Tensor.Linspace(a, b, steps, DType.Float64).ToArray<double>());
        }
        Assert.Equal(head, bits.Take(8));
        Assert.Equal(tail, bits.TakeLast(8));
        Assert.Equal(sha256, Convert.ToHexStringLower(SHA256.HashData(bytes)));
    }

    [Fact]
    public void LinspaceTakesADTypeAndRequiresGrad()
    {
        var t = Tensor.Linspace(0, 1, 5, DType.Float64, requiresGrad: true);
        Assert.Equal(DType.Float64, t.DType);
        Assert.True(t.RequiresGrad);
        Assert.Equal([0, 0.25, 0.5, 0.75, 1], t.ToArray<double>());
        Assert.Equal([3f], Tensor.Linspace(3, 9, 1).ToArray());
        Assert.Empty(Tensor.Linspace(3, 9, 0).ToArray());
        Assert.Contains("linspace: dtype torch.int64 is not supported", Assert.Throws<ArgumentException>(() => Tensor.Linspace(0, 1, 3, DType.Int64)).Message);
    }
}
