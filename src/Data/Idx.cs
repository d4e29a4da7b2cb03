using System.Buffers.Binary;
using System.IO.Compression;

namespace Framework.Data;

/// <summary>
/// Reads IDX files (LeCun's MNIST format: big-endian magic 0x0000TTNN with dtype code TT and NN dimensions, NN big-endian int32 sizes, then the data),
/// gzip-compressed or not. Only unsigned bytes (TT = 0x08) are read. Every allocation is bounded by what the file can hold: the sizes are checked against
/// the file's length before the data is allocated (a gzip stream's buffer grows only as data arrives), and trailing bytes are refused.
/// </summary>
internal static class Idx
{
    /// <summary>Magic number of an IDX file of unsigned bytes with 3 dimensions (images).</summary>
    public const int ImagesMagic = 2051;
    /// <summary>Magic number of an IDX file of unsigned bytes with 1 dimension (labels).</summary>
    public const int LabelsMagic = 2049;

    /// <summary>The first buffer for the data of a gzip stream, whose length is not known before it is read; it doubles as the data comes.</summary>
    private const int FirstGzipChunk = 16 * 1024;
    /// <summary>How many trailing bytes of a gzip stream are counted before the error says "more than".</summary>
    private const int CountedTrailingBytes = 1 << 20;

    /// <summary>The dimensions and raw bytes of <paramref name="path"/>, whose magic number must be <paramref name="expectedMagic"/>; gzip is detected by its 1f 8b header.</summary>
    public static byte[] Read(string path, int expectedMagic, out int[] dims)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (Directory.Exists(path)) throw new ArgumentException($"'{path}' is a directory, not a file");
        if (!File.Exists(path)) throw new FileNotFoundException($"IDX file '{path}' not found", path);
        using var file = File.OpenRead(path);
        bool gzip = file.Length >= 2 && file.ReadByte() == 0x1f && file.ReadByte() == 0x8b;
        file.Position = 0;
        using Stream stream = gzip ? new GZipStream(file, CompressionMode.Decompress) : file;
        try
        {
            return ReadBody(stream, path, expectedMagic, gzip ? null : file.Length, out dims);
        }
        catch (Exception e) when (gzip && e is InvalidDataException or IOException && !e.Message.StartsWith(path, StringComparison.Ordinal))
        {
            throw new InvalidDataException($"{path}: damaged gzip stream ({e.Message})", e);
        }
    }

    /// <summary>Parses the header and reads exactly the bytes the dimensions promise; <paramref name="length"/> is the file's length when it is not compressed.</summary>
    private static byte[] ReadBody(Stream stream, string path, int expectedMagic, long? length, out int[] dims)
    {
        Span<byte> word = stackalloc byte[4];
        if (!ReadFully(stream, word, out int got)) throw new InvalidDataException($"{path}: too short for an IDX header ({got} bytes, the magic number alone is 4)");
        int magic = BinaryPrimitives.ReadInt32BigEndian(word);
        CheckMagic(word, magic, expectedMagic, path);
        dims = new int[magic & 0xFF];
        long headerBytes = 4L * (1 + dims.Length);
        long limit = length is long l ? Math.Max(0, l - headerBytes) : Array.MaxLength;   // what the file can hold
        long total = 1;
        for (int i = 0; i < dims.Length; i++)
        {
            if (!ReadFully(stream, word, out _))
                throw new InvalidDataException($"{path}: truncated IDX header: the magic number promises {dims.Length} dimension sizes, the file ends after {i}");
            dims[i] = BinaryPrimitives.ReadInt32BigEndian(word);
            if (dims[i] <= 0) throw new InvalidDataException($"{path}: dimension {i} has size {dims[i]}; every size must be positive");
            total = total > limit / dims[i] ? limit + 1 : total * dims[i];   // saturates past the limit instead of overflowing
        }
        string shape = string.Join(" x ", dims);
        if (total > limit)
            throw new InvalidDataException(length is null
                ? $"{path}: the header promises {shape} bytes of data, more than an array holds ({Array.MaxLength})"
                : $"{path}: truncated: the header promises {shape} = {Product(dims)} bytes of data, the file holds {limit} after its {headerBytes}-byte header");
        if (length is not null && total < limit)
            throw new InvalidDataException($"{path}: {limit - total} bytes of trailing data after the {total} bytes ({shape}) the header promises");
        var data = length is null ? ReadGrowing(stream, total, path, shape) : new byte[total];
        if (length is not null && !ReadFully(stream, data, out int read))
            throw new InvalidDataException($"{path}: truncated: the header promises {total} bytes of data, found {read}");
        if (length is null) CheckNoTrailingGzipData(stream, total, path, shape);
        return data;
    }

    /// <summary>Reads <paramref name="total"/> bytes from a stream of unknown length into a buffer that doubles as they come, so a header that promises more than the stream holds costs no more than what it holds.</summary>
    private static byte[] ReadGrowing(Stream stream, long total, string path, string shape)
    {
        var data = new byte[Math.Min(total, FirstGzipChunk)];
        int read = 0;
        while (true)
        {
            int r = stream.Read(data, read, data.Length - read);
            if (r == 0) throw new InvalidDataException($"{path}: truncated: the header promises {shape} = {total} bytes of data, found {read}");
            read += r;
            if (read < data.Length) continue;
            if (read == total) return data;
            Array.Resize(ref data, (int)Math.Min(total, 2L * data.Length));
        }
    }

    /// <summary>Refuses data after the promised bytes of a gzip stream, counting up to <see cref="CountedTrailingBytes"/> of it.</summary>
    private static void CheckNoTrailingGzipData(Stream stream, long total, string path, string shape)
    {
        Span<byte> scratch = stackalloc byte[4096];
        long extra = 0;
        for (int r; extra <= CountedTrailingBytes && (r = stream.Read(scratch)) > 0;) extra += r;
        if (extra > 0)
            throw new InvalidDataException(
                $"{path}: {(extra > CountedTrailingBytes ? $"more than {CountedTrailingBytes}" : extra)} bytes of trailing data after the {total} bytes ({shape}) the header promises");
    }

    /// <summary>The magic number must be two zero bytes, dtype 0x08 (unsigned byte) and the expected number of dimensions.</summary>
    private static void CheckMagic(ReadOnlySpan<byte> word, int magic, int expectedMagic, string path)
    {
        if (magic == expectedMagic) return;
        int expectedDims = expectedMagic & 0xFF;
        string reason = word[0] != 0 || word[1] != 0 ? $"its first two bytes are 0x{word[0]:X2} 0x{word[1]:X2}, not zero, so this is not an IDX file"
                      : word[2] != 0x08 ? $"its dtype code is 0x{word[2]:X2} ({DTypeName(word[2])}); only 0x08 (unsigned byte) is read"
                      : $"it has {word[3]} dimension{(word[3] == 1 ? "" : "s")}, not {expectedDims}";
        throw new InvalidDataException(
            $"{path}: magic number {magic}, expected {expectedMagic} ({(expectedMagic == ImagesMagic ? "IDX images" : "IDX labels")}: unsigned bytes, {expectedDims} dimension{(expectedDims == 1 ? "" : "s")}); {reason}");
    }

    /// <summary>The element type an IDX dtype code stands for.</summary>
    private static string DTypeName(byte code) => code switch
    {
        0x08 => "unsigned byte",
        0x09 => "signed byte",
        0x0B => "int16",
        0x0C => "int32",
        0x0D => "float32",
        0x0E => "float64",
        _ => "not an IDX dtype",
    };

    /// <summary>The product of the sizes, exact (they are positive int32s, at most 255 of them).</summary>
    private static System.Numerics.BigInteger Product(int[] dims) => dims.Aggregate(System.Numerics.BigInteger.One, (p, d) => p * d);

    /// <summary>Fills <paramref name="buffer"/>; false if the stream ends first, with the bytes <paramref name="read"/> until then.</summary>
    private static bool ReadFully(Stream stream, Span<byte> buffer, out int read)
    {
        read = 0;
        while (read < buffer.Length)
        {
            int r = stream.Read(buffer[read..]);
            if (r == 0) return false;
            read += r;
        }
        return true;
    }
}
