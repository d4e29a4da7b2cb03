using System.Runtime.InteropServices;
using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using Framework.Autograd;

namespace Framework.NN;

/// <summary>The safetensors file format: 8-byte little-endian header length, a JSON header (dtype, shape, data_offsets), raw little-endian data.</summary>
public static class SafeTensors
{
    /// <summary>Writes tensors (contiguous copies, in the dictionary's order) to <paramref name="path"/> atomically.</summary>
    public static void Save(string path, IReadOnlyDictionary<string, Tensor> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var blobs = new List<byte[]>();
        using var headerStream = new MemoryStream();
        using (var w = new Utf8JsonWriter(headerStream))
        {
            w.WriteStartObject();
            if (metadata is { Count: > 0 })
            {
                w.WriteStartObject("__metadata__");
                foreach (var (k, v) in metadata) w.WriteString(k, v);
                w.WriteEndObject();
            }
            long at = 0;
            foreach (var (name, t) in tensors)
            {
                var bytes = ToBytes(t);
                blobs.Add(bytes);
                w.WriteStartObject(name);
                w.WriteString("dtype", Code(t.DType));
                w.WriteStartArray("shape");
                foreach (var d in t.Shape) w.WriteNumberValue(d);
                w.WriteEndArray();
                w.WriteStartArray("data_offsets");
                w.WriteNumberValue(at);
                w.WriteNumberValue(at + bytes.Length);
                w.WriteEndArray();
                w.WriteEndObject();
                at += bytes.Length;
            }
            w.WriteEndObject();
        }
        var header = headerStream.ToArray().ToList();
        while (header.Count % 8 != 0) header.Add((byte)' ');   // aligns the data, as the reference writer does

        var dir = Path.GetDirectoryName(Path.GetFullPath(path))!;
        var tmp = Path.Combine(dir, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var f = new FileStream(tmp, FileMode.CreateNew, FileAccess.Write))
            {
                Span<byte> len = stackalloc byte[8];
                BinaryPrimitives.WriteUInt64LittleEndian(len, (ulong)header.Count);
                f.Write(len);
                f.Write(header.ToArray());
                foreach (var b in blobs) f.Write(b);
                f.Flush(flushToDisk: true);
            }
            File.Move(tmp, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(tmp)) File.Delete(tmp);
        }
    }

    /// <summary>Reads every tensor of a safetensors file, checking the header and offsets; throws InvalidDataException naming the file and the fault.</summary>
    public static Dictionary<string, Tensor> Load(string path)
    {
        byte[] file;
        try { file = File.ReadAllBytes(path); }
        catch (FileNotFoundException) { throw new FileNotFoundException($"safetensors file not found: {path}", path); }
        InvalidDataException Bad(string why) => new($"{path}: not a valid safetensors file: {why}");
        if (file.Length < 8) throw Bad($"{file.Length} bytes is too short for the 8-byte header length");
        ulong n = BinaryPrimitives.ReadUInt64LittleEndian(file);
        if (n > (ulong)(file.Length - 8)) throw Bad($"header length {n} runs past the end of the file ({file.Length} bytes; truncated?)");
        int dataStart = 8 + (int)n;
        long dataLength = file.Length - dataStart;
        JsonDocument doc;
        try { doc = JsonDocument.Parse(Encoding.UTF8.GetString(file, 8, (int)n).TrimEnd(' ')); }
        catch (JsonException e) { throw Bad($"header is not JSON ({e.Message})"); }
        var result = new Dictionary<string, Tensor>();
        var spans = new List<(long Begin, long End, string Name)>();
        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object) throw Bad("header is not a JSON object");
            foreach (var entry in doc.RootElement.EnumerateObject())
            {
                if (entry.Name == "__metadata__") continue;
                var e = entry.Value;
                if (!e.TryGetProperty("dtype", out var dt) || !e.TryGetProperty("shape", out var sh) || !e.TryGetProperty("data_offsets", out var off))
                    throw Bad($"entry \"{entry.Name}\" lacks dtype, shape or data_offsets");
                var dtype = Parse(dt.GetString(), entry.Name, Bad);
                var shape = sh.EnumerateArray().Select(x => x.GetInt32()).ToArray();
                var offs = off.EnumerateArray().Select(x => x.GetInt64()).ToArray();
                if (offs.Length != 2 || offs[0] < 0 || offs[1] < offs[0] || offs[1] > dataLength)
                    throw Bad($"entry \"{entry.Name}\" has data_offsets [{string.Join(", ", offs)}] outside the {dataLength} data bytes (truncated?)");
                long numel = shape.Aggregate(1L, (a, b) => a * b);
                if (numel * dtype.ElementSize() != offs[1] - offs[0])
                    throw Bad($"entry \"{entry.Name}\" of shape [{string.Join(", ", shape)}] and dtype {Code(dtype)} needs {numel * dtype.ElementSize()} bytes but data_offsets span {offs[1] - offs[0]}");
                spans.Add((offs[0], offs[1], entry.Name));
                result[entry.Name] = FromBytes(file.AsSpan(dataStart + (int)offs[0], (int)(offs[1] - offs[0])), dtype, shape);
            }
        }
        spans.Sort();
        long expect = 0;
        foreach (var (b, e, name) in spans)
        {
            if (b != expect) throw Bad($"entry \"{name}\" starts at byte {b} but the previous data ends at {expect} (overlap or hole)");
            expect = e;
        }
        if (expect != dataLength) throw Bad($"the tensors cover {expect} bytes but the file holds {dataLength} data bytes");
        return result;
    }

    private static string Code(DType t) => t switch
    {
        DType.Float32 => "F32", DType.Float64 => "F64", DType.Int64 => "I64", DType.Bool => "BOOL",
        _ => throw new ArgumentOutOfRangeException(nameof(t)),
    };

    private static DType Parse(string? code, string name, Func<string, InvalidDataException> bad) => code switch
    {
        "F32" => DType.Float32, "F64" => DType.Float64, "I64" => DType.Int64, "BOOL" => DType.Bool,
        _ => throw bad($"entry \"{name}\" has dtype \"{code}\", which this framework does not support (F32, F64, I64, BOOL)"),
    };

    private static byte[] ToBytes(Tensor t)
    {
        // Little-endian machines only (x64, arm64): the in-memory layout is the file layout.
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("safetensors writing needs a little-endian machine");
        var copy = new CopyOut(t.Contiguous());
        DTypeDispatch.Any(t.DType, ref copy);
        return copy.Bytes!;
    }

    private static Tensor FromBytes(ReadOnlySpan<byte> bytes, DType dtype, int[] shape)
    {
        var t = Tensor.Empty(shape, dtype);
        var copy = new CopyIn(t, bytes);
        DTypeDispatch.Any(dtype, ref copy);
        return t;
    }

    /// <summary>The elements of a contiguous tensor as their bytes.</summary>
    private struct CopyOut(Tensor t) : IElementKernel
    {
        public byte[]? Bytes;
        public void Invoke<T>() where T : unmanaged => Bytes = MemoryMarshal.AsBytes(t.AsReadOnlySpan<T>()).ToArray();
    }

    /// <summary>Fills a new tensor from bytes in the file's layout; a BOOL byte is true when not zero.</summary>
    private ref struct CopyIn(Tensor t, ReadOnlySpan<byte> bytes) : IElementKernel
    {
        private readonly ReadOnlySpan<byte> bytes = bytes;
        public readonly void Invoke<T>() where T : unmanaged
        {
            var dst = MemoryMarshal.AsBytes(t.AsSpan<T>());
            bytes.CopyTo(dst);
            if (typeof(T) == typeof(bool))
                foreach (ref var b in dst) b = b != 0 ? (byte)1 : (byte)0;
        }
    }
}
