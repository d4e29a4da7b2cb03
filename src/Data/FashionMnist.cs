using Framework.Autograd;

namespace Framework.Data;

/// <summary>Zalando's Fashion-MNIST (70,000 28×28 grey images of 10 kinds of clothing), read from the IDX files of Debian's <c>dataset-fashion-mnist</c>.</summary>
public static class FashionMnist
{
    /// <summary>Where Debian's <c>dataset-fashion-mnist</c> installs the files.</summary>
    public const string DefaultDirectory = "/usr/share/datasets/fashion-mnist";

    /// <summary>Class names by label index, as torchvision's <c>FashionMNIST.classes</c>.</summary>
    public static IReadOnlyList<string> Classes { get; } =
        ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];

    /// <summary>The training (60,000) or test (10,000) split: samples (image Float32 [1, 28, 28] = byte / 255, label Int64 in 0..9), views into two whole tensors; a damaged or mismatched file is an InvalidDataException naming it.</summary>
    public static TensorDataset Load(string directory = DefaultDirectory, bool train = true)
    {
        ArgumentNullException.ThrowIfNull(directory);
        if (File.Exists(directory))
            throw new ArgumentException($"'{directory}' is a file, not a directory; FashionMnist.Load takes the directory that holds the IDX files");
        if (!Directory.Exists(directory))
            throw new DirectoryNotFoundException(
                $"Fashion-MNIST directory '{directory}' not found; install the data with: apt-get install dataset-fashion-mnist (it goes to {DefaultDirectory})");
        string prefix = train ? "train" : "t10k";
        string imagesPath = Find(directory, $"{prefix}-images-idx3-ubyte");
        string labelsPath = Find(directory, $"{prefix}-labels-idx1-ubyte");

        var pixels = Idx.Read(imagesPath, Idx.ImagesMagic, out var imageDims);
        var labelBytes = Idx.Read(labelsPath, Idx.LabelsMagic, out var labelDims);
        if (imageDims[0] != labelDims[0])
            throw new InvalidDataException($"{imagesPath} has {imageDims[0]} images but {labelsPath} has {labelDims[0]} labels");

        var imageTensor = Tensor.Empty([imageDims[0], 1, imageDims[1], imageDims[2]]);
        var images = imageTensor.AsSpan<float>();
        for (int i = 0; i < pixels.Length; i++) images[i] = pixels[i] / 255f;   // torchvision's ToTensor: float(byte) / 255 in float32
        var labelTensor = Tensor.Empty([labelBytes.Length], DType.Int64);
        var labels = labelTensor.AsSpan<long>();
        for (int i = 0; i < labels.Length; i++)
        {
            if (labelBytes[i] >= Classes.Count) throw new InvalidDataException($"{labelsPath}: label {labelBytes[i]} at index {i} is outside 0..{Classes.Count - 1}");
            labels[i] = labelBytes[i];
        }
        return new TensorDataset(imageTensor, labelTensor);
    }

    /// <summary>The path of <paramref name="name"/>.gz, or of the uncompressed <paramref name="name"/>, in <paramref name="directory"/>.</summary>
    private static string Find(string directory, string name)
    {
        foreach (var candidate in new[] { name + ".gz", name })
        {
            string path = Path.Combine(directory, candidate);
            if (File.Exists(path)) return path;
            if (Directory.Exists(path)) throw new ArgumentException($"'{path}' is a directory, not a file");
        }
        throw new FileNotFoundException($"Fashion-MNIST file {name}.gz (or {name}) not found in '{directory}'", Path.Combine(directory, name + ".gz"));
    }
}
