using System.Globalization;
using Framework.Autograd;

namespace Framework.Data;

/// <summary>A table read from a CSV file: samples (features Float32 [F], label) over two whole tensors, <see cref="Features"/> [N, F] and <see cref="Labels"/> [N].</summary>
/// <remarks>
/// The file must be UTF-8 text (a NUL byte or invalid UTF-8 makes it "not a text CSV file"), fields are separated by the delimiter and quoted by RFC 4180,
/// blanks around fields are trimmed, empty lines skipped, and every row has the header's number of fields. Header names must be distinct.
/// Numbers are read with the invariant culture (<c>1.5</c>, <c>-2e-3</c>); <c>nan</c>, <c>inf</c> and <c>infinity</c>, signed or not and in any case
/// (as numpy reads them), are the non-finite values; a finite literal beyond Float32's range (<c>1e39</c>) and an empty cell are refused.
/// A quote that never closes, or text after a closing quote (<c>"4"5</c>), is refused; a stray quote inside an unquoted field is kept as text.
/// Every error is an <see cref="InvalidDataException"/> (an <see cref="ArgumentException"/> for a bad argument, a <see cref="FileNotFoundException"/>
/// for a missing file) naming the file and, for a cell, its line and column: <c>data.csv line 3, column 'x' (2): '1e39' overflows Float32 ...</c>.
/// Labels follow <see cref="CsvLabel"/>.
/// </remarks>
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

    /// <summary>Class names by index: those passed as <c>classes:</c>, else the ordinal-sorted distinct labels when they were text; null when integer labels were kept or for regression. Pass the training split's to the test split's Load so a class has one index in both.</summary>
    public IReadOnlyList<string>? Classes { get; }

    /// <summary>Loads <paramref name="path"/> choosing columns by header name (or, without a header, by their index written as text).</summary>
    public static CsvDataset Load(string path, string[] featureColumns, string labelColumn, bool hasHeader = true,
                                  CsvLabel label = CsvLabel.Class, char delimiter = ',', IReadOnlyList<string>? classes = null)
    {
        ArgumentNullException.ThrowIfNull(featureColumns);
        ArgumentNullException.ThrowIfNull(labelColumn);
        return Load(path, featureColumns.Select(c => ByName(c, hasHeader)).ToArray(), ByName(labelColumn, hasHeader), hasHeader, label, delimiter, classes);
    }

    /// <summary>Loads <paramref name="path"/> choosing columns by 0-based index.</summary>
    public static CsvDataset Load(string path, int[] featureColumns, int labelColumn, bool hasHeader = true,
                                  CsvLabel label = CsvLabel.Class, char delimiter = ',', IReadOnlyList<string>? classes = null)
    {
        ArgumentNullException.ThrowIfNull(featureColumns);
        return Load(path, featureColumns.Select(i => new CsvTable.Column(null, i)).ToArray(), new CsvTable.Column(null, labelColumn), hasHeader, label, delimiter, classes);
    }

    /// <summary>Fits a <see cref="Normalizer"/> on <paramref name="fitOn"/> (e.g. the training Subset; this whole dataset when null), standardises every row of <see cref="Features"/> in place with it, and returns it; a feature with a NaN or infinite value among the fitted rows is refused, by name.</summary>
    public Normalizer Standardize(Dataset<Tensor[]>? fitOn = null)
    {
        var normalizer = Normalizer.Fit(fitOn ?? this, featureNames: FeatureNames);
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
    private static CsvDataset Load(string path, CsvTable.Column[] features, CsvTable.Column labelColumn, bool hasHeader, CsvLabel label, char delimiter,
                                   IReadOnlyList<string>? classes)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (features.Length == 0) throw new ArgumentException("CsvDataset.Load needs at least one feature column", nameof(features));
        if (classes is not null)
        {
            if (label == CsvLabel.Regression) throw new ArgumentException("classes: names the classes of CsvLabel.Class labels; regression targets have none", nameof(classes));
            CsvLabelReader.CheckClasses(classes);
        }
        var table = CsvTable.Read(path, features, labelColumn, hasHeader, delimiter);
        var x = Tensor.FromArray(table.Features, [table.Labels.Length, table.FeatureCount]);
        var y = CsvLabelReader.Read(table, label, classes, out var classNames);
        return new CsvDataset(x, y, table.FeatureNames, table.LabelName, classNames);
    }

    /// <summary>A column by header name; without a header, a name that is a non-negative integer means that index.</summary>
    private static CsvTable.Column ByName(string name, bool hasHeader) =>
        !hasHeader && int.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out int i) ? new CsvTable.Column(null, i) : new CsvTable.Column(name, -1);
}
