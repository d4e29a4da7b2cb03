using System.Buffers.Binary;
using System.Diagnostics;
using System.Text;
using Framework.Autograd;
using Framework.NN;
using Xunit.Abstractions;

namespace Tests.Reliability;

/// <summary>
/// Seeded random damage to a valid safetensors file (byte flips anywhere and in the header, truncations, appended bytes,
/// structural rewrites of the JSON header): each case loads tensors consistent with their header, or throws a documented
/// exception naming the file; never anything else, and never allocating more than 16× the file plus 64 KB.
/// </summary>
public sealed class SafeTensorsFuzzTests(ITestOutputHelper output) : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("framework-st-fuzz-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    private static byte[] ValidFile(string dir)
    {
        string path = Path.Combine(dir, "valid.safetensors");
        SafeTensors.Save(path, new Dictionary<string, Tensor>
        {
            ["fc.weight"] = Tensor.Arange(6.0).Reshape(2, 3),
            ["fc.bias"] = Tensor.From(new double[] { 0.5, -1, 2, 1e300 }),
            ["steps"] = Tensor.From(new long[,] { { 1, -2 }, { long.MaxValue, 0 } }),
            ["mask"] = Tensor.From(new[] { true, false, true }),
            ["empty"] = Tensor.Zeros(0, 2),
        }, new Dictionary<string, string> { ["format"] = "pt", ["epoch"] = "3" });
        return File.ReadAllBytes(path);
    }

    /// <summary>Header rewrites: each replaces one piece of the JSON with something of the wrong kind or value.</summary>
    private static readonly (string From, string[] To)[] Rewrites =
    [
        ("\"F32\"", ["\"F16\"", "\"f32\"", "32", "null", "\"I64\"", "\"BOOL\"", "\"\""]),
        ("\"F64\"", ["\"F32\"", "\"U8\"", "[]"]),
        ("\"shape\":[", ["\"shape\":[-1,", "\"shape\":[4294967296,", "\"shape\":[1.5,", "\"shape\":[\"2\",", "\"shape\":[0,", "\"shape\":[65536,65536,", "\"shapes\":["]),
        ("\"data_offsets\":[", ["\"data_offsets\":[1,", "\"data_offsets\":[-8,", "\"data_offsets\":[1e3,", "\"data_offsets\":[\"0\",", "\"data_offsets\":[18446744073709551616,", "\"offsets\":["]),
        ("\"__metadata__\":{", ["\"__metadata__\":5,\"x\":{", "\"__metadata__\":{\"n\":5,", "\"__metadata__\":{\"format\":\"pt\","]),
        ("\"fc.bias\"", ["\"fc.weight\"", "\"\"", "\"__metadata__\""]),
        ("},", ["},5,", "}],", ",", "},\"x\":[],"]),
        ("]", ["", ",]", "]]", ",9223372036854775807]"]),
    ];

    [Fact]
    public void DamagedFilesLoadConsistentlyOrFailNamingTheFile()
    {
        var valid = ValidFile(dir);
        int headerLength = (int)BinaryPrimitives.ReadUInt64LittleEndian(valid);
        string path = Path.Combine(dir, "case.safetensors");
        var rng = new System.Random(20261202);
        int loaded = 0, refused = 0;
        var sw = Stopwatch.StartNew();
        for (int n = 0; n < 2000; n++)
        {
            int kind = n % 5;
            var bytes = kind switch
            {
                0 => Flip(valid, rng, 0, valid.Length),
                1 => Flip(valid, rng, 8, 8 + headerLength),
                2 => valid[..rng.Next(valid.Length)],
                3 => [.. valid, .. Enumerable.Range(0, rng.Next(1, 17)).Select(_ => (byte)rng.Next(256))],
                _ => Rewrite(valid, headerLength, rng),
            };
            Overwrite(path, bytes);
            long before = GC.GetAllocatedBytesForCurrentThread();
            try
            {
                var tensors = SafeTensors.Load(path);
                CheckAllocation(before, bytes, n, kind);
                CheckConsistent(tensors, bytes, n);
                loaded++;
            }
            catch (Exception e) when (e is InvalidDataException or FormatException or ArgumentException)
            {
                CheckAllocation(before, bytes, n, kind);
                Assert.True(e.Message.Contains(path), $"case {n} (kind {kind}): the message does not name the file: {e.Message}");
                refused++;
            }
            catch (Exception e)
            {
                throw new Xunit.Sdk.XunitException($"case {n} (kind {kind}) threw {e.GetType().Name}: {e.Message}");
            }
        }
        output.WriteLine($"2000 cases in {sw.ElapsedMilliseconds} ms: {loaded} loaded, {refused} refused");
        Assert.True(loaded > 0 && refused > 1000, $"{loaded} loaded, {refused} refused");
    }

    private static void CheckAllocation(long before, byte[] bytes, int n, int kind)
    {
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(allocated <= 16L * bytes.Length + 65536, $"case {n} (kind {kind}) allocated {allocated} bytes for a {bytes.Length}-byte file");
    }

    private static byte[] Flip(byte[] valid, System.Random rng, int from, int to)
    {
        var b = (byte[])valid.Clone();
        for (int k = rng.Next(1, 5); k > 0; k--) b[rng.Next(from, to)] = (byte)rng.Next(256);
        return b;
    }

    /// <summary>Replaces one occurrence of a header piece, then writes a length field that is usually right.</summary>
    private static byte[] Rewrite(byte[] valid, int headerLength, System.Random rng)
    {
        string json = Encoding.UTF8.GetString(valid, 8, headerLength);
        var (from, to) = Rewrites[rng.Next(Rewrites.Length)];
        int at = -1;
        for (int k = rng.Next(3); k >= 0; k--) { int next = json.IndexOf(from, at + 1, StringComparison.Ordinal); if (next < 0) break; at = next; }
        if (at >= 0) json = json[..at] + to[rng.Next(to.Length)] + json[(at + from.Length)..];
        var header = Encoding.UTF8.GetBytes(json);
        var b = new byte[8 + header.Length + valid.Length - 8 - headerLength];
        ulong length = rng.Next(10) == 0 ? (ulong)rng.NextInt64() : (ulong)header.Length;
        BinaryPrimitives.WriteUInt64LittleEndian(b, length);
        header.CopyTo(b, 8);
        valid.AsSpan(8 + headerLength).CopyTo(b.AsSpan(8 + header.Length));
        return b;
    }

    /// <summary>A loaded file's tensors must be what its bytes say: element counts that fit the data, and a save of them loading back equal.</summary>
    private void CheckConsistent(Dictionary<string, Tensor> tensors, byte[] bytes, int n)
    {
        long total = tensors.Values.Sum(t => t.Numel * ElementSize(t.DType));
        int headerLength = (int)BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        Assert.True(total == bytes.Length - 8 - headerLength, $"case {n}: tensors hold {total} bytes, the data section {bytes.Length - 8 - headerLength}");
        string again = Path.Combine(dir, "again.safetensors");
        SafeTensors.Save(again, tensors);
        var back = SafeTensors.Load(again);
        Assert.Equal(tensors.Keys.Order(), back.Keys.Order());
        foreach (var (name, t) in tensors)
        {
            Assert.Equal(t.DType, back[name].DType);
            Assert.Equal(t.Shape, back[name].Shape);
            Assert.Equal(RefTensor.Values(t), RefTensor.Values(back[name]));
        }
    }

    private static int ElementSize(DType d) => d switch { DType.Float32 => 4, DType.Bool => 1, _ => 8 };

    /// <summary>Rewrites the file in place (truncating a file and writing it anew is slow on ext4: it flushes).</summary>
    private static void Overwrite(string path, byte[] bytes)
    {
        using var f = new FileStream(path, FileMode.OpenOrCreate, FileAccess.Write);
        f.Write(bytes);
        f.SetLength(bytes.Length);
    }
}
