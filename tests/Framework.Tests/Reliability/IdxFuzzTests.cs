using System.Buffers.Binary;
using System.Diagnostics;
using Framework.Data;
using Xunit.Abstractions;

namespace Tests.Reliability;

/// <summary>
/// Random edits of a valid pair of IDX files (fixed seed, bounded count): headers (magic bytes, dtype, dimension count, sizes up to int.MaxValue),
/// truncations, appended bytes, data bytes, gzip or not. Every case loads the data the files hold or throws a documented type naming a file,
/// and no load allocates more than 16 times the files' length plus 64 KB.
/// </summary>
public sealed class IdxFuzzTests(ITestOutputHelper output) : IDisposable
{
    private const int Cases = 2000;
    private const int Images = 5, Rows = 4, Cols = 4;
    private readonly string dir = Directory.CreateTempSubdirectory("framework-idx-fuzz-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    private static readonly int[] Sizes = [0, 1, 3, 4, 5, 6, 16, 80, -1, int.MinValue, int.MaxValue, 1 << 16, 1 << 24, 2_000_000, 0x01000000, 0x7F000000];
    private static readonly byte[] HeaderBytes = [0, 1, 2, 3, 4, 8, 9, 0x0D, 0x0E, 0x1F, 0x7F, 0x80, 0x8B, 0xFF];

    [Fact]
    public async Task RandomEditsLoadTheDataOrFailClearlyWithBoundedAllocation()
    {
        var rng = new System.Random(4051);
        var pixels = Enumerable.Range(0, Images * Rows * Cols).Select(i => (byte)(i * 29 + 3)).ToArray();
        var validImages = IdxErrorTests.IdxBytes(Idx.ImagesMagic, [Images, Rows, Cols], pixels);
        var validLabels = IdxErrorTests.IdxBytes(Idx.LabelsMagic, [Images], [3, 0, 9, 1, 7]);
        // One directory per compression layout, so no case has to delete the other layout's files.
        string[] layouts = ["raw", "gzip", "mixed"];
        foreach (var layout in layouts) Directory.CreateDirectory(Path.Combine(dir, layout));
        int loaded = 0, refused = 0;
        double worstRatio = 0;
        var watch = Stopwatch.StartNew();
        var run = Task.Run(() =>
        {
            for (int c = 0; c < Cases; c++)
            {
                var images = Mutate(validImages, rng, 16);
                var labels = Mutate(validLabels, rng, 8);
                if (rng.Next(8) == 0) (images, labels) = (labels, images);
                int layout = rng.Next(4) switch { 0 => 1, 1 => 2, _ => 0 };
                bool gzipImages = layout != 0, gzipLabels = layout == 1;
                string folder = Path.Combine(dir, layouts[layout]);
                string imagesPath = Path.Combine(folder, "t10k-images-idx3-ubyte" + (gzipImages ? ".gz" : ""));
                string labelsPath = Path.Combine(folder, "t10k-labels-idx1-ubyte" + (gzipLabels ? ".gz" : ""));
                var imageFile = gzipImages ? Damage(IdxErrorTests.Gzip(images), rng) : images;
                var labelFile = gzipLabels ? Damage(IdxErrorTests.Gzip(labels), rng) : labels;
                CsvFuzzTests.Overwrite(imagesPath, imageFile);
                CsvFuzzTests.Overwrite(labelsPath, labelFile);
                long budget = 16L * (Math.Max(imageFile.Length, images.Length) + Math.Max(labelFile.Length, labels.Length)) + 64 * 1024;
                long before = GC.GetAllocatedBytesForCurrentThread();
                try
                {
                    var data = FashionMnist.Load(folder, train: false);
                    long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
                    Assert.True(allocated <= budget, $"case {c}: a load allocated {allocated} bytes, more than {budget}");
                    worstRatio = Math.Max(worstRatio, (double)allocated / budget);
                    CheckLoaded(data, images, labels, c);
                    loaded++;
                }
                catch (Exception e) when (e is not Xunit.Sdk.XunitException)
                {
                    long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
                    Assert.True(allocated <= budget, $"case {c}: a refused load allocated {allocated} bytes, more than {budget} ({e.Message})");
                    worstRatio = Math.Max(worstRatio, (double)allocated / budget);
                    bool documented = e is InvalidDataException or FormatException || e.GetType() == typeof(ArgumentException);
                    bool named = e.Message.Contains(imagesPath, StringComparison.Ordinal) || e.Message.Contains(labelsPath, StringComparison.Ordinal);
                    Assert.True(documented && named, $"case {c}: {e.GetType().Name}: {e.Message}\n{e}");
                    refused++;
                }
            }
        });
        Assert.Same(run, await Task.WhenAny(run, Task.Delay(TimeSpan.FromSeconds(60))));   // else a case hangs
        await run;
        output.WriteLine($"{Cases} cases: {loaded} loaded, {refused} refused, worst allocation {worstRatio:P0} of the budget, {watch.Elapsed.TotalSeconds:F2} s");
        Assert.InRange(loaded, Cases / 50, Cases - Cases / 20);   // both outcomes are exercised
    }

    /// <summary>A loaded pair is exactly what the (uncompressed) files hold: shape from the header, pixels byte / 255, labels 0..9.</summary>
    private static void CheckLoaded(TensorDataset data, byte[] images, byte[] labels, int c)
    {
        int n = BinaryPrimitives.ReadInt32BigEndian(images.AsSpan(4));
        int h = BinaryPrimitives.ReadInt32BigEndian(images.AsSpan(8)), w = BinaryPrimitives.ReadInt32BigEndian(images.AsSpan(12));
        Assert.True(images.Length == 16L + (long)n * h * w && labels.Length == 8L + n, $"case {c}: loaded files whose lengths disagree with their headers");
        Assert.Equal([n, 1, h, w], data.Tensors[0].Shape);
        Assert.Equal(images.AsSpan(16).ToArray().Select(p => p / 255f), data.Tensors[0].ToArray());
        var ids = data.Tensors[1].ToArray<long>();
        Assert.Equal(labels.AsSpan(8).ToArray().Select(l => (long)l), ids);
        Assert.All(ids, l => Assert.InRange(l, 0, 9));
    }

    /// <summary>No edit (a third of the time), or one or two of: a header byte, a dimension size, a data byte, a truncation, appended bytes.</summary>
    private static byte[] Mutate(byte[] valid, System.Random rng, int headerLength)
    {
        var b = valid.ToList();
        for (int edits = rng.Next(3); edits > 0; edits--)
        {
            switch (rng.Next(6))
            {
                case 0:
                    int at = rng.Next(Math.Min(4, b.Count));
                    if (at < b.Count) b[at] = HeaderBytes[rng.Next(HeaderBytes.Length)];
                    break;
                case 1:
                case 2:
                    int dim = 4 * rng.Next(1, headerLength / 4);
                    if (dim + 4 > b.Count) break;
                    int size = rng.Next(3) == 0 ? rng.Next(int.MinValue, int.MaxValue) : Sizes[rng.Next(Sizes.Length)];
                    var word = new byte[4];
                    BinaryPrimitives.WriteInt32BigEndian(word, size);
                    for (int i = 0; i < 4; i++) b[dim + i] = word[i];
                    break;
                case 3:
                    if (b.Count > 0) b[rng.Next(b.Count)] = (byte)rng.Next(256);
                    break;
                case 4:
                    int cut = rng.Next(b.Count + 1);
                    b.RemoveRange(cut, b.Count - cut);
                    break;
                default:
                    for (int i = rng.Next(1, 20); i > 0; i--) b.Add((byte)rng.Next(256));
                    break;
            }
        }
        return [.. b];
    }

    /// <summary>A gzip stream left whole most of the time, else cut short or with a byte flipped.</summary>
    private static byte[] Damage(byte[] gzip, System.Random rng)
    {
        switch (rng.Next(8))
        {
            case 0: return gzip[..rng.Next(gzip.Length)];
            case 1: gzip[rng.Next(gzip.Length)] ^= (byte)rng.Next(1, 256); return gzip;
            default: return gzip;
        }
    }
}
