using System.Buffers.Binary;
using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Framework.Autograd;
using Framework.NN;
using Xunit.Abstractions;

namespace Tests.Reliability;

/// <summary>
/// Random damage to a valid safetensors file (fixed seed, bounded count): byte edits anywhere and in the header, truncations, appended
/// bytes, a changed length field, and structural rewrites of the JSON. Every case either loads tensors that agree with the header and the
/// bytes, or throws a documented exception naming the file; nothing else, no hang, and no allocation beyond a small multiple of the file.
/// </summary>
public sealed class SafeTensorsFuzzTests(ITestOutputHelper output) : IDisposable
{
    private const int Cases = 4000;
    private readonly string dir = Directory.CreateTempSubdirectory("framework-st-fuzz-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    private static readonly string[] Kinds = ["byte", "header byte", "truncate", "append", "length field", "json"];

    /// <summary>The valid file: every dtype, a scalar, a 0-size tensor, and metadata.</summary>
    private byte[] Valid()
    {
        string path = Path.Combine(dir, "valid.safetensors");
        SafeTensors.Save(path, new Dictionary<string, Tensor>
        {
            ["f32"] = Tensor.From(new float[,] { { 1.5f, -2, float.NaN }, { 0, 1e-40f, float.PositiveInfinity } }),
            ["f64"] = Tensor.From(new[] { 1.0 / 3, -2.5, 1e300, -0.0 }),
            ["i64"] = Tensor.From(new long[,] { { 1, -2 }, { 3, 1L << 40 } }),
            ["flags"] = Tensor.From(new[] { true, false, true, true, false }),
            ["empty"] = Tensor.Zeros([0, 3]),
            ["scalar"] = Tensor.From(7.25),
        }, new Dictionary<string, string> { ["format"] = "pt", ["note"] = "fuzz" });
        return File.ReadAllBytes(path);
    }

    [Fact]
    public async Task RandomDamageLoadsConsistentlyOrFailsClearly()
    {
        var valid = Valid();
        string path = Path.Combine(dir, "fuzz.safetensors");
        var rng = new System.Random(11_2025);
        var loaded = new int[Kinds.Length];
        var refused = new int[Kinds.Length];
        long maxAllocated = 0;
        double slowest = 0;
        Overwrite(path, valid);
        Check(path, valid);                                                // warms up JIT and statics outside the measurement
        var watch = Stopwatch.StartNew();
        var run = Task.Run(() =>
        {
            for (int c = 0; c < Cases; c++)
            {
                int kind = c % Kinds.Length;
                var bytes = Mutate(valid, kind, rng);
                Overwrite(path, bytes);
                long start = Stopwatch.GetTimestamp();
                long before = GC.GetAllocatedBytesForCurrentThread();
                Exception? error = null;
                Dictionary<string, Tensor>? result = null;
                try { result = SafeTensors.Load(path); }
                catch (Exception e) { error = e; }
                long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
                slowest = Math.Max(slowest, Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                maxAllocated = Math.Max(maxAllocated, allocated);
                string show = $"case {c} ({Kinds[kind]}): {Show(bytes)}";
                Assert.True(allocated <= 16L * bytes.Length + 64 * 1024, $"{show}: {allocated} bytes allocated for a {bytes.Length}-byte file");
                if (error is null)
                {
                    CheckAgainstHeader(result!, bytes, show);
                    loaded[kind]++;
                }
                else
                {
                    bool documented = error is InvalidDataException or FormatException || error.GetType() == typeof(ArgumentException);
                    Assert.True(documented && error.Message.Contains(path, StringComparison.Ordinal), $"{show}\n{error}");
                    refused[kind]++;
                }
            }
        });
        Assert.Same(run, await Task.WhenAny(run, Task.Delay(TimeSpan.FromSeconds(60))));   // else a case hangs
        await run;
        output.WriteLine($"{Cases} cases in {watch.Elapsed.TotalSeconds:F2} s (slowest {slowest:F1} ms, most allocated {maxAllocated} bytes)");
        for (int k = 0; k < Kinds.Length; k++) output.WriteLine($"  {Kinds[k]}: {loaded[k]} loaded, {refused[k]} refused");
        Assert.True(slowest < 1000, $"a case took {slowest:F0} ms");
        Assert.InRange(loaded.Sum(), Cases / 40, Cases - Cases / 40);   // both outcomes are exercised
    }

    private static void Check(string path, byte[] bytes) => CheckAgainstHeader(SafeTensors.Load(path), bytes, "the valid file");

    /// <summary>An independent reading of the header: the loaded names, dtypes, shapes and values are exactly what it and the data bytes say.</summary>
    private static void CheckAgainstHeader(Dictionary<string, Tensor> loaded, byte[] bytes, string show)
    {
        long n = (long)BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        using var doc = JsonDocument.Parse(bytes.AsMemory(8, (int)n));
        var entries = doc.RootElement.EnumerateObject().Where(p => p.Name != "__metadata__").ToList();
        Assert.True(entries.Select(p => p.Name).ToHashSet().SetEquals(loaded.Keys), $"{show}: names differ");
        long covered = 0;
        foreach (var p in entries)
        {
            var t = loaded[p.Name];
            var codes = new Dictionary<string, DType> { ["F32"] = DType.Float32, ["F64"] = DType.Float64, ["I64"] = DType.Int64, ["BOOL"] = DType.Bool };
            Assert.True(codes[p.Value.GetProperty("dtype").GetString()!] == t.DType, $"{show}: {p.Name} dtype");
            Assert.True(p.Value.GetProperty("shape").EnumerateArray().Select(d => d.GetInt32()).SequenceEqual(t.Shape), $"{show}: {p.Name} shape");
            long begin = p.Value.GetProperty("data_offsets")[0].GetInt64(), end = p.Value.GetProperty("data_offsets")[1].GetInt64();
            Assert.True(end - begin == t.Numel * t.DType.ElementSize(), $"{show}: {p.Name} byte size");
            var file = bytes.AsSpan((int)(8 + n + begin), (int)(end - begin));
            var got = t.DType switch
            {
                DType.Float32 => MemoryMarshal.AsBytes<float>(t.ToArray<float>()).ToArray(),
                DType.Float64 => MemoryMarshal.AsBytes<double>(t.ToArray<double>()).ToArray(),
                DType.Int64 => MemoryMarshal.AsBytes<long>(t.ToArray<long>()).ToArray(),
                _ => t.ToArray<bool>().Select(b => (byte)(b ? 1 : 0)).ToArray(),
            };
            var want = t.DType == DType.Bool ? file.ToArray().Select(b => (byte)(b != 0 ? 1 : 0)).ToArray() : file.ToArray();
            Assert.True(want.AsSpan().SequenceEqual(got), $"{show}: {p.Name} values");
            covered += end - begin;
        }
        Assert.True(covered == bytes.Length - 8 - n, $"{show}: the tensors do not cover the data");
    }

    private static byte[] Mutate(byte[] valid, int kind, System.Random rng)
    {
        var bytes = (byte[])valid.Clone();
        int header = (int)BinaryPrimitives.ReadUInt64LittleEndian(valid);
        switch (kind)
        {
            case 0:
            case 1:
                for (int k = rng.Next(1, 5); k > 0; k--)
                    bytes[kind == 0 ? rng.Next(bytes.Length) : 8 + rng.Next(header)] = rng.Next(3) switch
                    {
                        0 => (byte)rng.Next(256), 1 => (byte)"{}[]\",:-0123456789e. "[rng.Next(21)], _ => (byte)(bytes[rng.Next(bytes.Length)] ^ 1),
                    };
                return bytes;
            case 2: return bytes[..rng.Next(bytes.Length)];
            case 3: return [.. bytes, .. Enumerable.Range(0, rng.Next(1, 65)).Select(_ => (byte)rng.Next(256))];
            case 4:
                ulong length = rng.Next(3) switch
                {
                    0 => (ulong)(header + rng.Next(-16, 17)), 1 => (ulong)rng.Next(bytes.Length + 8), _ => (ulong)rng.NextInt64() << rng.Next(2),
                };
                BinaryPrimitives.WriteUInt64LittleEndian(bytes, length);
                return bytes;
            default: return Rewrite(bytes, header, rng);
        }
    }

    /// <summary>The header edited as JSON (keys kept as a list, so one can appear twice), written back with a length field that is usually right.</summary>
    private static byte[] Rewrite(byte[] bytes, int header, System.Random rng)
    {
        var root = JsonNode.Parse(bytes.AsSpan(8, header))!.AsObject();
        var pairs = root.Select(p => (Name: p.Key, Value: p.Value?.DeepClone())).ToList();
        for (int k = rng.Next(1, 3); k > 0; k--)
        {
            int i = rng.Next(pairs.Count);
            var (name, value) = pairs[i];
            var entry = value as JsonObject;
            switch (rng.Next(10))
            {
                case 0: if (entry != null) entry["dtype"] = Pick(rng, "F32", "F64", "I64", "BOOL", "F16", "U8", "", "f32", 5, null); break;
                case 1: if (entry != null) entry["shape"] = Pick(rng, new JsonArray(), new JsonArray(-3, -4), new JsonArray(4294967296L), new JsonArray(65536, 65536, 65536),
                                                              new JsonArray(1.5), new JsonArray("2"), "4", new JsonArray(rng.Next(9), rng.Next(9)), new JsonArray(rng.Next(40))); break;
                case 2: if (entry?["data_offsets"] is JsonArray o)
                        entry["data_offsets"] = Pick(rng, new JsonArray(Num(o, 1), Num(o, 0)), new JsonArray(Num(o, 0) + rng.Next(-8, 9), Num(o, 1) + rng.Next(-8, 9)),
                                                     new JsonArray(0.0, 8.0), new JsonArray("0", "8"), new JsonArray(0, 8, 16), 8, new JsonArray(0L, long.MaxValue), new JsonArray(-8, 0)); break;
                case 3: if (entry != null) entry.Remove(Pick(rng, "dtype", "shape", "data_offsets")); break;
                case 4: pairs.RemoveAt(i); break;
                case 5: pairs.Insert(rng.Next(pairs.Count + 1), (name, value?.DeepClone())); break;
                case 6: pairs[i] = (name, JsonValue(Pick(rng, 5, "x", new JsonArray(1, 2), null, true))); break;
                case 7: pairs[i] = (Pick(rng, "__metadata__", "", "f32", "é", name + "x"), value); break;
                case 8: pairs = [.. pairs.OrderBy(_ => rng.Next())]; break;   // the order of the keys does not matter
                default: if (value is JsonObject meta && name == "__metadata__") meta[Pick(rng, "format", "other")] = Pick(rng, 5, null, new JsonArray(), "np"); break;
            }
        }
        var json = Encoding.UTF8.GetBytes("{" + string.Join(",", pairs.Select(p => JsonSerializer.Serialize(p.Name) + ":" + (p.Value?.ToJsonString() ?? "null"))) + "}"
                                          + new string(' ', rng.Next(8)));
        var data = bytes.AsSpan(8 + header);
        var result = new byte[8 + json.Length + data.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(result, (ulong)(json.Length + (rng.Next(10) == 0 ? rng.Next(-4, 5) : 0)));
        json.CopyTo(result, 8);
        data.CopyTo(result.AsSpan(8 + json.Length));
        return result;
    }

    /// <summary>Element i of an array as a long (0 when it is not an integer, e.g. after an earlier edit).</summary>
    private static long Num(JsonArray a, int i) => i < a.Count && long.TryParse(a[i]?.ToJsonString(), out long v) ? v : 0;

    private static JsonNode? JsonValue(object? v) => v switch { null => null, JsonNode n => n, _ => JsonSerializer.SerializeToNode(v) };

    private static JsonNode? Pick(System.Random rng, params object?[] choices) => JsonValue(choices[rng.Next(choices.Length)]);

    private static string Pick(System.Random rng, params string[] choices) => choices[rng.Next(choices.Length)];

    /// <summary>The file's header as text (the data bytes are not shown), for a failure message.</summary>
    private static string Show(byte[] bytes) =>
        bytes.Length < 8 ? Convert.ToHexString(bytes) : $"length field {BinaryPrimitives.ReadUInt64LittleEndian(bytes)}, {bytes.Length} bytes, " +
        Encoding.UTF8.GetString(bytes, 8, Math.Min(bytes.Length - 8, 800));

    /// <summary>Writes over the file without truncating it to zero first (ext4's auto_da_alloc would flush it, about a millisecond a case).</summary>
    private static void Overwrite(string path, byte[] bytes)
    {
        using var f = new FileStream(path, FileMode.OpenOrCreate, FileAccess.Write);
        f.Write(bytes);
        f.SetLength(bytes.Length);
    }
}
