using System.Buffers.Binary;
using System.IO.Compression;
using Framework.Data;

namespace Tests.Reliability;

/// <summary>The IDX reader and FashionMnist refuse damaged files with an InvalidDataException naming the file, and never allocate more than the file can hold.</summary>
public sealed class IdxErrorTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("framework-idx-errors-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    /// <summary>An IDX file's bytes: big-endian magic, the dimension sizes, then <paramref name="data"/>.</summary>
    internal static byte[] IdxBytes(int magic, int[] dims, byte[] data)
    {
        var bytes = new byte[4 * (1 + dims.Length) + data.Length];
        BinaryPrimitives.WriteInt32BigEndian(bytes, magic);
        for (int i = 0; i < dims.Length; i++) BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4 * (i + 1)), dims[i]);
        data.CopyTo(bytes, 4 * (1 + dims.Length));
        return bytes;
    }

    /// <summary><paramref name="raw"/> gzip-compressed.</summary>
    internal static byte[] Gzip(byte[] raw)
    {
        using var memory = new MemoryStream();
        using (var gzip = new GZipStream(memory, CompressionLevel.Fastest)) gzip.Write(raw);
        return memory.ToArray();
    }

    private string Write(string name, byte[] bytes)
    {
        string path = Path.Combine(dir, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private static byte[] Pixels(int n) => Enumerable.Range(0, n).Select(i => (byte)(i * 37)).ToArray();

    /// <summary>Reads <paramref name="path"/> as images, expecting an InvalidDataException, and returns it with the bytes allocated meanwhile.</summary>
    private static (InvalidDataException Error, long Allocated) RefusedImages(string path)
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        var e = Assert.Throws<InvalidDataException>(() => Idx.Read(path, Idx.ImagesMagic, out _));
        return (e, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void HeaderThatPromisesGigabytesIsRefusedBeforeAllocating()
    {
        string raw = Write("huge", IdxBytes(Idx.ImagesMagic, [2_000_000, 28, 28], []));
        var (e, allocated) = RefusedImages(raw);
        Assert.Equal($"{raw}: truncated: the header promises 2000000 x 28 x 28 = 1568000000 bytes of data, the file holds 0 after its 16-byte header", e.Message);
        Assert.InRange(allocated, 0, 64 * 1024);

        string gzip = Write("huge.gz", Gzip(IdxBytes(Idx.ImagesMagic, [2_000_000, 28, 28], Pixels(100))));
        (e, allocated) = RefusedImages(gzip);
        Assert.Equal($"{gzip}: truncated: the header promises 2000000 x 28 x 28 = 1568000000 bytes of data, found 100", e.Message);
        Assert.InRange(allocated, 0, 64 * 1024);

        string overflow = Write("overflow", IdxBytes(Idx.ImagesMagic, [int.MaxValue, int.MaxValue, int.MaxValue], Pixels(8)));
        (e, allocated) = RefusedImages(overflow);
        Assert.Equal($"{overflow}: truncated: the header promises 2147483647 x 2147483647 x 2147483647 = 9903520300447984150353281023 bytes of data, the file holds 8 after its 16-byte header", e.Message);
        Assert.InRange(allocated, 0, 64 * 1024);
        string overflowGzip = Write("overflow.gz", Gzip(IdxBytes(Idx.ImagesMagic, [int.MaxValue, int.MaxValue, int.MaxValue], Pixels(8))));
        Assert.Equal($"{overflowGzip}: the header promises 2147483647 x 2147483647 x 2147483647 bytes of data, more than an array holds ({Array.MaxLength})",
                     RefusedImages(overflowGzip).Error.Message);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void TrailingBytesAreRefused(bool gzip)
    {
        var bytes = IdxBytes(Idx.ImagesMagic, [3, 4, 4], [.. Pixels(48), 1, 2, 3]);
        string path = Write(gzip ? "trailing.gz" : "trailing", gzip ? Gzip(bytes) : bytes);
        Assert.Equal($"{path}: 3 bytes of trailing data after the 48 bytes (3 x 4 x 4) the header promises", RefusedImages(path).Error.Message);
    }

    [Fact]
    public void TruncatedDataAndHeaderAreRefused()
    {
        string data = Write("short-data", IdxBytes(Idx.ImagesMagic, [3, 4, 4], Pixels(40)));
        Assert.Equal($"{data}: truncated: the header promises 3 x 4 x 4 = 48 bytes of data, the file holds 40 after its 16-byte header", RefusedImages(data).Error.Message);
        string header = Write("short-header", IdxBytes(Idx.ImagesMagic, [3], []));
        Assert.Equal($"{header}: truncated IDX header: the magic number promises 3 dimension sizes, the file ends after 1", RefusedImages(header).Error.Message);
        string tiny = Write("tiny", [0, 0]);
        Assert.Equal($"{tiny}: too short for an IDX header (2 bytes, the magic number alone is 4)", RefusedImages(tiny).Error.Message);
    }

    [Theory]
    [InlineData(0x504B0304, "magic number 1347093252, expected 2051 (IDX images: unsigned bytes, 3 dimensions); its first two bytes are 0x50 0x4B, not zero, so this is not an IDX file")]
    [InlineData(0x00000D03, "magic number 3331, expected 2051 (IDX images: unsigned bytes, 3 dimensions); its dtype code is 0x0D (float32); only 0x08 (unsigned byte) is read")]
    [InlineData(0x00004203, "magic number 16899, expected 2051 (IDX images: unsigned bytes, 3 dimensions); its dtype code is 0x42 (not an IDX dtype); only 0x08 (unsigned byte) is read")]
    [InlineData(0x00000800, "magic number 2048, expected 2051 (IDX images: unsigned bytes, 3 dimensions); it has 0 dimensions, not 3")]
    [InlineData(0x00000801, "magic number 2049, expected 2051 (IDX images: unsigned bytes, 3 dimensions); it has 1 dimension, not 3")]
    public void BadMagicNumberSaysWhatIsWrong(int magic, string message)
    {
        string path = Write("magic", IdxBytes(magic, [3, 4, 4], Pixels(48)));
        Assert.Equal($"{path}: {message}", RefusedImages(path).Error.Message);
    }

    [Fact]
    public void LabelFileWithTwoDimensionsIsRefused()
    {
        string path = Write("labels", IdxBytes(0x00000802, [3, 1], [1, 2, 3]));
        var e = Assert.Throws<InvalidDataException>(() => Idx.Read(path, Idx.LabelsMagic, out _));
        Assert.Equal($"{path}: magic number 2050, expected 2049 (IDX labels: unsigned bytes, 1 dimension); it has 2 dimensions, not 1", e.Message);
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(1, -4)]
    [InlineData(2, int.MinValue)]
    public void ZeroOrNegativeDimensionIsRefused(int index, int size)
    {
        int[] dims = [3, 4, 4];
        dims[index] = size;
        string path = Write("dims", IdxBytes(Idx.ImagesMagic, dims, Pixels(48)));
        Assert.Equal($"{path}: dimension {index} has size {size}; every size must be positive", RefusedImages(path).Error.Message);
    }

    [Fact]
    public void DamagedGzipStreamIsNamed()
    {
        var gzip = Gzip(IdxBytes(Idx.ImagesMagic, [3, 4, 4], Pixels(48)));
        for (int i = 10; i < gzip.Length - 8; i++) gzip[i] ^= 0x5A;
        string path = Write("damaged.gz", gzip);
        Assert.StartsWith($"{path}: damaged gzip stream (", RefusedImages(path).Error.Message);
    }

    [Fact]
    public void DirectoriesAndFilesAreNotConfused()
    {
        var e = Assert.Throws<ArgumentException>(() => Idx.Read(dir, Idx.ImagesMagic, out _));
        Assert.Equal($"'{dir}' is a directory, not a file", e.Message);
        string imagesDir = Directory.CreateDirectory(Path.Combine(dir, "train-images-idx3-ubyte.gz")).FullName;
        e = Assert.Throws<ArgumentException>(() => FashionMnist.Load(dir, train: true));
        Assert.Equal($"'{imagesDir}' is a directory, not a file", e.Message);
        string file = Write("not-a-dir", [1]);
        e = Assert.Throws<ArgumentException>(() => FashionMnist.Load(file));
        Assert.Equal($"'{file}' is a file, not a directory; FashionMnist.Load takes the directory that holds the IDX files", e.Message);
        string absent = Path.Combine(dir, "absent");
        Assert.Equal($"IDX file '{absent}' not found", Assert.Throws<FileNotFoundException>(() => Idx.Read(absent, Idx.ImagesMagic, out _)).Message);
    }

    [Fact]
    public void ImageAndLabelCountsMustAgree()
    {
        string images = Write("t10k-images-idx3-ubyte", IdxBytes(Idx.ImagesMagic, [3, 4, 4], Pixels(48)));
        string labels = Write("t10k-labels-idx1-ubyte", IdxBytes(Idx.LabelsMagic, [2], [1, 2]));
        var e = Assert.Throws<InvalidDataException>(() => FashionMnist.Load(dir, train: false));
        Assert.Equal($"{images} has 3 images but {labels} has 2 labels", e.Message);
    }

    [Fact]
    public void LabelOutsideTheTenClassesIsRefused()
    {
        Write("t10k-images-idx3-ubyte", IdxBytes(Idx.ImagesMagic, [3, 4, 4], Pixels(48)));
        string labels = Write("t10k-labels-idx1-ubyte", IdxBytes(Idx.LabelsMagic, [3], [9, 12, 0]));
        var e = Assert.Throws<InvalidDataException>(() => FashionMnist.Load(dir, train: false));
        Assert.Equal($"{labels}: label 12 at index 1 is outside 0..9", e.Message);
    }

    [Fact]
    public void SmallImagesOfAnySizeLoad()
    {
        Write("t10k-images-idx3-ubyte.gz", Gzip(IdxBytes(Idx.ImagesMagic, [3, 4, 4], Pixels(48))));
        Write("t10k-labels-idx1-ubyte", IdxBytes(Idx.LabelsMagic, [3], [9, 0, 4]));
        var data = FashionMnist.Load(dir, train: false);
        Assert.Equal([3, 1, 4, 4], data.Tensors[0].Shape);
        Assert.Equal(Pixels(48).Select(p => p / 255f), data.Tensors[0].ToArray());
        Assert.Equal(new long[] { 9, 0, 4 }, data.Tensors[1].ToArray<long>());
    }
}
