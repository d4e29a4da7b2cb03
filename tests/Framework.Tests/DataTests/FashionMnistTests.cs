using System.Buffers.Binary;
using System.IO.Compression;
using Framework.Autograd;
using Framework.Data;

namespace Tests.DataTests;

/// <summary>FashionMnist: IDX parsing on small files written here, and the real data when Debian's package is installed.</summary>
public sealed class FashionMnistTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("framework-idx-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    /// <summary>An IDX file: big-endian magic, dimensions, then the bytes; gzip-compressed when <paramref name="gzip"/>.</summary>
    private void WriteIdx(string name, int magic, int[] dims, byte[] data, bool gzip = true)
    {
        var header = new byte[4 * (1 + dims.Length)];
        BinaryPrimitives.WriteInt32BigEndian(header, magic);
        for (int i = 0; i < dims.Length; i++) BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4 * (i + 1)), dims[i]);
        using var file = File.Create(Path.Combine(dir, gzip ? name + ".gz" : name));
        using Stream s = gzip ? new GZipStream(file, CompressionLevel.Fastest) : file;
        s.Write(header);
        s.Write(data);
    }

    private static byte[] Pixels(int n) => Enumerable.Range(0, n * 28 * 28).Select(i => (byte)(i * 7 % 256)).ToArray();

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void ParsesSmallIdxFiles(bool gzip)
    {
        WriteIdx("t10k-images-idx3-ubyte", 2051, [3, 28, 28], Pixels(3), gzip);
        WriteIdx("t10k-labels-idx1-ubyte", 2049, [3], [9, 0, 4], gzip);
        var data = FashionMnist.Load(dir, train: false);
        Assert.Equal(3, data.Count);
        var images = data.Tensors[0];
        Assert.Equal([3, 1, 28, 28], images.Shape);
        Assert.Equal(DType.Float32, images.DType);
        Assert.Equal(new long[] { 9, 0, 4 }, data.Tensors[1].ToArray<long>());
        var flat = images.ToArray();
        var expected = Pixels(3);
        for (int i = 0; i < flat.Length; i++) Assert.Equal(expected[i] / 255f, flat[i]);
        var sample = data[1];
        Assert.Equal([1, 28, 28], sample[0].Shape);
        Assert.Equal(0L, sample[1].Item<long>());
        Assert.Equal(7 * 784 % 256 / 255f, sample[0].ToArray()[0]);
    }

    [Fact]
    public void WrongMagicIsRejected()
    {
        WriteIdx("train-images-idx3-ubyte", 2049, [1], [0]);
        WriteIdx("train-labels-idx1-ubyte", 2049, [1], [0]);
        var e = Assert.Throws<InvalidDataException>(() => FashionMnist.Load(dir, train: true));
        Assert.Contains("magic number 2049, expected 2051", e.Message);
    }

    [Fact]
    public void CountsMustAgree()
    {
        WriteIdx("train-images-idx3-ubyte", 2051, [2, 28, 28], Pixels(2));
        WriteIdx("train-labels-idx1-ubyte", 2049, [3], [1, 2, 3]);
        var e = Assert.Throws<InvalidDataException>(() => FashionMnist.Load(dir));
        Assert.Contains("has 2 images but", e.Message);
        Assert.Contains("has 3 labels", e.Message);
    }

    [Fact]
    public void TruncatedDataIsRejected()
    {
        WriteIdx("train-images-idx3-ubyte", 2051, [2, 28, 28], Pixels(1));
        WriteIdx("train-labels-idx1-ubyte", 2049, [2], [1, 2]);
        var e = Assert.Throws<InvalidDataException>(() => FashionMnist.Load(dir));
        Assert.Contains("truncated", e.Message);
    }

    [Fact]
    public void MissingDirectorySaysWhatToInstall()
    {
        var e = Assert.Throws<DirectoryNotFoundException>(() => FashionMnist.Load(Path.Combine(dir, "absent"), train: true));
        Assert.Contains("apt-get install dataset-fashion-mnist", e.Message);
    }

    [Fact]
    public void MissingFileIsNamed()
    {
        var e = Assert.Throws<FileNotFoundException>(() => FashionMnist.Load(dir, train: true));
        Assert.Contains("train-images-idx3-ubyte.gz", e.Message);
    }

    [SkippableFact]
    public void RealData()
    {
        Skip.IfNot(Directory.Exists(FashionMnist.DefaultDirectory), "dataset-fashion-mnist is not installed");
        var train = FashionMnist.Load(FashionMnist.DefaultDirectory, train: true);
        var test = FashionMnist.Load(FashionMnist.DefaultDirectory, train: false);
        Assert.Equal(60000, train.Count);
        Assert.Equal(10000, test.Count);
        Assert.Equal(10, FashionMnist.Classes.Count);
        Assert.Equal(9L, train[0][1].Item<long>());
        foreach (var data in new[] { train, test })
        {
            var labels = data.Tensors[1];
            Assert.Equal(0L, labels.Min().Item<long>());
            Assert.Equal(9L, labels.Max().Item<long>());
            Assert.Equal(0f, data.Tensors[0].Min().Item());
            Assert.Equal(1f, data.Tensors[0].Max().Item());
        }
        var loader = new DataLoader(train, batchSize: 256, shuffle: true, seed: 0, numWorkers: 2);
        var counts = new long[10];
        int batches = 0;
        foreach (var batch in loader)
        {
            if (batches++ == 0)
            {
                Assert.Equal([256, 1, 28, 28], batch[0].Shape);
                Assert.Equal([256], batch[1].Shape);
            }
            foreach (long label in batch[1].ToArray<long>()) counts[label]++;
        }
        Assert.Equal(loader.Count, batches);
        Assert.All(counts, c => Assert.Equal(6000L, c));   // the training set is balanced: each label once per sample
    }
}
