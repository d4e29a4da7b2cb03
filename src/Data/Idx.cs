using System.Buffers.Binary;
using System.IO.Compression;

namespace Framework.Data;

/// <summary>Reads IDX files (LeCun's MNIST format: big-endian magic 0x0000TTNN, NN dimensions, then unsigned bytes), gzip-compressed or not.</summary>
internal static class Idx
{
    /// <summary>Magic number of an IDX file of unsigned bytes with 3 dimensions (images).</summary>
    public const int ImagesMagic = 2051;
    /// <summary>Magic number of an IDX file of unsigned bytes with 1 dimension (labels).</summary>
    public const int LabelsMagic = 2049;

    /// <summary>The dimensions and raw bytes of <paramref name="path"/>, whose magic number must be <paramref name="expectedMagic"/>; gzip is detected by its 1f 8b header.</summary>
    public static byte[] Read(string path, int expectedMagic, out int[] dims)
    {
        using var file = File.OpenRead(path);
        bool gzip = file.Length >= 2 && file.ReadByte() == 0x1f && file.ReadByte() == 0x8b;
        file.Position = 0;
        using Stream stream = gzip ? new GZipStream(file, CompressionMode.Decompress) : file;
        try
        {
            return ReadBody(stream, path, expectedMagic, out dims);
        }
        catch (InvalidDataException e) when (gzip && !e.Message.StartsWith(path, StringComparison.Ordinal))
        {
            throw new InvalidDataException($"{path}: damaged gzip stream ({e.Message})", e);
        }
    }

    /// <summary>Parses the header and reads exactly the bytes the dimensions promise.</summary>
    private static byte[] ReadBody(Stream stream, string path, int expectedMagic, out int[] dims)
    {
        Span<byte> word = stackalloc byte[4];
        if (!ReadFully(stream, word)) throw new InvalidDataException($"{path}: too short for an IDX header");
        int magic = BinaryPrimitives.ReadInt32BigEndian(word);
        if (magic != expectedMagic)
            throw new InvalidDataException($"{path}: magic number {magic}, expected {expectedMagic} ({(expectedMagic == ImagesMagic ? "IDX images" : "IDX labels")})");
        dims = new int[magic & 0xFF];
        long total = 1;
        for (int i = 0; i < dims.Length; i++)
        {
            if (!ReadFully(stream, word)) throw new InvalidDataException($"{path}: truncated IDX header");
            dims[i] = BinaryPrimitives.ReadInt32BigEndian(word);
            if (dims[i] < 0) throw new InvalidDataException($"{path}: negative dimension {dims[i]}");
            total *= dims[i];
        }
        if (total > Array.MaxLength) throw new InvalidDataException($"{path}: {total} elements is too many");
        var data = new byte[total];
        int read = 0;
        while (read < data.Length)
        {
            int r = stream.Read(data, read, data.Length - read);
            if (r == 0) throw new InvalidDataException($"{path}: truncated: the header promises {total} bytes of data, found {read}");
            read += r;
        }
        return data;
    }

    /// <summary>Fills <paramref name="buffer"/>; false if the stream ends first.</summary>
    private static bool ReadFully(Stream stream, Span<byte> buffer)
    {
        while (buffer.Length > 0)
        {
            int r = stream.Read(buffer);
            if (r == 0) return false;
            buffer = buffer[r..];
        }
        return true;
    }
}
