using System.Buffers.Binary;
using System.Text;
using Framework.Autograd;
using Framework.NN;

namespace Tests.Reliability;

/// <summary>SafeTensors on whole files: a model past 2 GiB loads, and a Save that fails leaves neither the target nor a temp file.</summary>
public sealed class SafeTensorsFileTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("framework-st-files-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    [SkippableFact]
    public void ATensorStoredPastTwoGibibytesLoads()
    {
        // A sparse file: two 1.25 GB zero-filled pad entries (never read) and a small tensor after them.
        const long pad = 2_500_000_000;
        string json = "{\"w\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[" + pad + "," + (pad + 16) + "]},"
                    + "\"pad0\":{\"dtype\":\"BOOL\",\"shape\":[25000,50000],\"data_offsets\":[0," + pad / 2 + "]},"
                    + "\"pad1\":{\"dtype\":\"BOOL\",\"shape\":[25000,50000],\"data_offsets\":[" + pad / 2 + "," + pad + "]}}";
        var header = Encoding.UTF8.GetBytes(json);
        string path = Path.Combine(dir, "big.safetensors");
        try
        {
            using var f = new FileStream(path, FileMode.CreateNew, FileAccess.Write);
            Span<byte> len = stackalloc byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(len, (ulong)header.Length);
            f.Write(len);
            f.Write(header);
            f.SetLength(8 + header.Length + pad + 16);
            f.Position = 8 + header.Length + pad;
            foreach (var v in new[] { 1.5f, -2f, 3.25f, 1e-3f }) f.Write(BitConverter.GetBytes(v));
        }
        catch (IOException e)
        {
            Skip.If(true, $"cannot make a 2.5 GB sparse file here: {e.Message}");
        }
        var w = SafeTensors.Load(path, ["w"])["w"];
        Assert.Equal([1.5f, -2f, 3.25f, 1e-3f], w.ToArray());
        Assert.True(new FileInfo(path).Length > 2L << 30);
    }

    [Fact]
    public void ASaveThatFailsLeavesNoFileBehind()
    {
        string path = Path.Combine(dir, "m.safetensors");
        var good = new Dictionary<string, Tensor> { ["a"] = Tensor.Ones(3) };
        SafeTensors.Save(path, good);
        var before = File.ReadAllBytes(path);

        var withNull = new Dictionary<string, Tensor> { ["a"] = Tensor.Ones(3), ["b"] = null! };
        var e = Assert.ThrowsAny<ArgumentException>(() => SafeTensors.Save(path, withNull));
        Assert.Contains("'b'", e.Message);
        var badMeta = new Dictionary<string, string> { ["k"] = null! };
        Assert.ThrowsAny<ArgumentException>(() => SafeTensors.Save(path, good, badMeta));

        Assert.Equal(before, File.ReadAllBytes(path));                    // the old file is untouched
        Assert.Equal(["m.safetensors"], Directory.GetFiles(dir).Select(Path.GetFileName));   // and no temp file is left
        Assert.Throws<DirectoryNotFoundException>(() => SafeTensors.Save(Path.Combine(dir, "no", "m.safetensors"), good));
    }
}
