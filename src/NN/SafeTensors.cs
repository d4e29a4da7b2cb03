using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Buffers.Binary;
using Framework.Autograd;
using Microsoft.Win32.SafeHandles;

namespace Framework.NN;

/// <summary>The safetensors file format: 8-byte little-endian header length, a JSON header (dtype, shape, data_offsets), raw little-endian data.</summary>
/// <remarks>
/// Files are read with positioned reads straight into each tensor's storage, so a file may be larger than 2 GiB (each tensor
/// holds at most int.MaxValue elements). The whole header is checked before anything is allocated (see <see cref="SafeTensorsHeader"/>).
/// </remarks>
public static class SafeTensors
{
    /// <summary>Bytes moved per read or write call: a span of bytes cannot reach 2 GiB.</summary>
    private const int Chunk = 1 << 30;

    /// <summary>Writes tensors (contiguous copies, in the dictionary's order) to <paramref name="path"/> atomically: every argument is checked before a byte is written, and a failure leaves no file behind.</summary>
    public static void Save(string path, IReadOnlyDictionary<string, Tensor> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(tensors);
        if (Directory.Exists(path)) throw new ArgumentException($"'{path}' is a directory, not a file");
        var dir = Path.GetDirectoryName(Path.GetFullPath(path))!;
        if (!Directory.Exists(dir)) throw new DirectoryNotFoundException($"cannot save '{path}': the directory '{dir}' does not exist");
        var header = SafeTensorsHeader.Write(path, tensors, metadata);

        var tmp = Path.Combine(dir, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var f = new FileStream(tmp, FileMode.CreateNew, FileAccess.Write))
            {
                Span<byte> len = stackalloc byte[8];
                BinaryPrimitives.WriteUInt64LittleEndian(len, (ulong)header.Length);
                f.Write(len);
                f.Write(header);
                foreach (var t in tensors.Values)
                {
                    var copy = new CopyOut(t.Contiguous(), f);
                    DTypeDispatch.Any(t.DType, ref copy);
                }
                f.Flush(flushToDisk: true);
            }
            File.Move(tmp, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(tmp)) File.Delete(tmp);
        }
    }

    /// <summary>Reads every tensor of a safetensors file, checking the header and offsets; throws InvalidDataException naming the file, the entry and the fault.</summary>
    public static Dictionary<string, Tensor> Load(string path) => Load(path, null);

    /// <summary>Reads the tensors named in <paramref name="names"/> (all when null) after checking the whole header, as safe_open(...).get_tensor does.</summary>
    public static Dictionary<string, Tensor> Load(string path, IEnumerable<string>? names)
    {
        using var file = Open(path);
        var header = SafeTensorsHeader.Read(file, path);
        var wanted = names?.ToHashSet();
        foreach (var name in wanted ?? [])
            if (!header.Entries.Exists(e => e.Name == name))
                throw new ArgumentException($"{path} has no tensor '{name}'", nameof(names));
        var result = new Dictionary<string, Tensor>();
        foreach (var e in header.Entries)
        {
            if (wanted is not null && !wanted.Contains(e.Name)) continue;
            var t = Tensor.Empty(e.Shape, e.DType);
            var copy = new CopyIn(t, file, header.DataStart + e.Begin, path);
            DTypeDispatch.Any(e.DType, ref copy);
            result[e.Name] = t;
        }
        return result;
    }

    /// <summary>The __metadata__ map of a safetensors file (empty when it has none), after checking the whole header.</summary>
    public static Dictionary<string, string> LoadMetadata(string path)
    {
        using var file = Open(path);
        return SafeTensorsHeader.Read(file, path).Metadata;
    }

    private static SafeFileHandle Open(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (Directory.Exists(path)) throw new ArgumentException($"'{path}' is a directory, not a file");
        try { return File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read, FileOptions.SequentialScan); }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new FileNotFoundException($"safetensors file '{path}' not found", path, e);
        }
    }

    /// <summary>Fills <paramref name="buffer"/> from the file at <paramref name="offset"/>; a file that ends first is truncated.</summary>
    internal static void ReadExactly(SafeFileHandle file, Span<byte> buffer, long offset, string path)
    {
        while (!buffer.IsEmpty)
        {
            int n = RandomAccess.Read(file, buffer, offset);
            if (n == 0) throw new InvalidDataException($"{path}: not a valid safetensors file: it ends at byte {offset} while being read (truncated?)");
            buffer = buffer[n..];
            offset += n;
        }
    }

    /// <summary>The dtype's code in the file ("F32", "F64", "I64", "BOOL"); null for a dtype safetensors files here cannot hold.</summary>
    internal static string? Code(DType t) => t switch
    {
        DType.Float32 => "F32", DType.Float64 => "F64", DType.Int64 => "I64", DType.Bool => "BOOL", _ => null,
    };

    /// <summary>The dtype of a code in the file; null for a code this framework does not read.</summary>
    internal static DType? ParseCode(string code) => code switch
    {
        "F32" => DType.Float32, "F64" => DType.Float64, "I64" => DType.Int64, "BOOL" => DType.Bool, _ => null,
    };

    /// <summary>Writes a contiguous tensor's elements as their bytes. Little-endian machines only (x64, arm64): the in-memory layout is the file layout.</summary>
    private readonly struct CopyOut(Tensor t, Stream f) : IElementKernel
    {
        public void Invoke<T>() where T : unmanaged
        {
            if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("safetensors writing needs a little-endian machine");
            var all = t.AsReadOnlySpan<T>();
            for (int i = 0, step = Chunk / Unsafe.SizeOf<T>(); i < all.Length; i += step)
                f.Write(MemoryMarshal.AsBytes(all.Slice(i, Math.Min(step, all.Length - i))));
        }
    }

    /// <summary>Fills a new tensor from the file's bytes at <paramref name="at"/>; a BOOL byte is true when not zero.</summary>
    private readonly struct CopyIn(Tensor t, SafeFileHandle file, long at, string path) : IElementKernel
    {
        public void Invoke<T>() where T : unmanaged
        {
            if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("safetensors reading needs a little-endian machine");
            var all = t.AsSpan<T>();
            for (int i = 0, step = Chunk / Unsafe.SizeOf<T>(); i < all.Length; i += step)
            {
                var bytes = MemoryMarshal.AsBytes(all.Slice(i, Math.Min(step, all.Length - i)));
                ReadExactly(file, bytes, at + (long)i * Unsafe.SizeOf<T>(), path);
                if (typeof(T) == typeof(bool)) TensorPrimitives.Min(bytes, (byte)1, bytes);
            }
        }
    }
}
