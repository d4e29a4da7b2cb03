using System.Globalization;
using Framework.Autograd;

namespace Framework.Data;

/// <summary>A table read from a CSV file: samples (features Float32 [F], label) over two whole tensors, <see cref="Features"/> [N, F] and <see cref="Labels"/> [N].</summary>
public sealed class CsvDataset : TensorDataset
{
    private CsvDataset(Tensor features, Tensor labels, string[] featureNames, string labelName, string[]? classes)
        : base(features, labels)
    {
        Features = features;
        Labels = labels;
        FeatureNames = featureNames;
        LabelName = labelName;
        Classes = classes;
    }

    /// <summary>All features, Float32 [N, F], in file order.</summary>
    public Tensor Features { get; }

    /// <summary>All labels: Int64 class indices [N], or Float32 targets [N] for <see cref="CsvLabel.Regression"/>.</summary>
    public Tensor Labels { get; }

    /// <summary>Names of the feature columns (header names, or "0", "1", ... without a header).</summary>
    public IReadOnlyList<string> FeatureNames { get; }

    /// <summary>Name of the label column.</summary>
    public string LabelName { get; }

    /// <summary>Class names by index when labels were text (ordinal-sorted distinct values); null when integer labels were kept or for regression.</summary>
    public IReadOnlyList<string>? Classes { get; }

    /// <summary>Loads <paramref name="path"/> choosing columns by header name (or, without a header, by their index written as text).</summary>
    public static CsvDataset Load(string path, string[] featureColumns, string labelColumn, bool hasHeader = true,
                                  CsvLabel label = CsvLabel.Class, char delimiter = ',')
    {
        ArgumentNullException.ThrowIfNull(featureColumns);
        ArgumentNullException.ThrowIfNull(labelColumn);
        return Load(path, featureColumns.Select(c => ByName(c, hasHeader)).ToArray(), ByName(labelColumn, hasHeader), hasHeader, label, delimiter);
    }

    /// <summary>Loads <paramref name="path"/> choosing columns by 0-based index.</summary>
    public static CsvDataset Load(string path, int[] featureColumns, int labelColumn, bool hasHeader = true,
                                  CsvLabel label = CsvLabel.Class, char delimiter = ',')
    {
        ArgumentNullException.ThrowIfNull(featureColumns);
        return Load(path, featureColumns.Select(i => new CsvTable.Column(null, i)).ToArray(), new CsvTable.Column(null, labelColumn), hasHeader, label, delimiter);
    }

    /// <summary>Fits a <see cref="Normalizer"/> on <paramref name="fitOn"/> (e.g. the training Subset; this whole dataset when null), standardises every row of <see cref="Features"/> in place with it, and returns it.</summary>
    public Normalizer Standardize(Dataset<Tensor[]>? fitOn = null)
    {
        var normalizer = Normalizer.Fit(fitOn ?? this);
        Normalize(normalizer);
        return normalizer;
    }

    /// <summary>Replaces <see cref="Features"/> in place by normalizer.Apply(Features), e.g. the test set with the training set's statistics.</summary>
    public void Normalize(Normalizer normalizer)
    {
        ArgumentNullException.ThrowIfNull(normalizer);
        using var _ = new NoGrad();
        Features.CopyFrom(normalizer.Apply(Features));
    }

    /// <summary>Reads the table and builds the two tensors.</summary>
    private static CsvDataset Load(string path, CsvTable.Column[] features, CsvTable.Column labelColumn, bool hasHeader, CsvLabel label, char delimiter)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (features.Length == 0) throw new ArgumentException("CsvDataset.Load needs at least one feature column", nameof(features));
        var table = CsvTable.Read(path, features, labelColumn, hasHeader, delimiter);
        int n = table.Labels.Length;
        var x = Tensor.FromArray(table.Features, [n, table.FeatureCount]);
        string[]? classes = null;
        Tensor y;
        if (label == CsvLabel.Regression)
        {
            var targets = new float[n];
            for (int i = 0; i < n; i++) targets[i] = CsvTable.ParseNumber(table.Labels[i], path, table.Lines[i], table.LabelName);
            y = Tensor.From(targets);
        }
        else
        {
            var ids = new long[n];
            bool integers = true;
            for (int i = 0; i < n && integers; i++)
                integers = long.TryParse(table.Labels[i], NumberStyles.Integer, CultureInfo.InvariantCulture, out ids[i]);
            if (!integers)
            {
                classes = table.Labels.Distinct().Order(StringComparer.Ordinal).ToArray();
                var index = new Dictionary<string, long>(StringComparer.Ordinal);
                for (int c = 0; c < classes.Length; c++) index[classes[c]] = c;
                for (int i = 0; i < n; i++) ids[i] = index[table.Labels[i]];
            }
            y = Tensor.From(ids);
        }
        return new CsvDataset(x, y, table.FeatureNames, table.LabelName, classes);
    }

    /// <summary>A column by header name; without a header, a name that is a non-negative integer means that index.</summary>
    private static CsvTable.Column ByName(string name, bool hasHeader) =>
        !hasHeader && int.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out int i) ? new CsvTable.Column(null, i) : new CsvTable.Column(name, -1);
}
