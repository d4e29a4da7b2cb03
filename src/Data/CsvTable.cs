using System.Globalization;
using CsvHelper;

namespace Framework.Data;

/// <summary>Reads the chosen columns of a CSV file through CsvHelper: features as float32 rows, labels as strings; every error names the file, and for a bad cell its line and column (name and 1-based index).</summary>
internal sealed class CsvTable
{
    /// <summary>Row-major features, <see cref="FeatureCount"/> per row.</summary>
    public required float[] Features { get; init; }
    /// <summary>Number of feature columns.</summary>
    public required int FeatureCount { get; init; }
    /// <summary>The label cell of each row (trimmed).</summary>
    public required string[] Labels { get; init; }
    /// <summary>The file line of each row (1-based; the header is line 1).</summary>
    public required int[] Lines { get; init; }
    /// <summary>Names of the feature columns (header names, or indices when there is no header).</summary>
    public required string[] FeatureNames { get; init; }
    /// <summary>Name of the label column.</summary>
    public required string LabelName { get; init; }
    /// <summary>0-based index of the label column in the file.</summary>
    public required int LabelIndex { get; init; }
    /// <summary>The file read.</summary>
    public required string Path { get; init; }

    /// <summary>A column chosen by header name or by 0-based index.</summary>
    public readonly record struct Column(string? Name, int Index);

    /// <summary>Parses <paramref name="path"/>; columns given by name need <paramref name="hasHeader"/>.</summary>
    public static CsvTable Read(string path, Column[] featureColumns, Column labelColumn, bool hasHeader, char delimiter)
    {
        if (delimiter is '"' or '\r' or '\n' or '\0' || delimiter > 0x7F)
            throw new ArgumentException($"Delimiter '{delimiter}' (U+{(int)delimiter:X4}) cannot separate fields of {path}: it must be an ASCII character other than the quote, CR, LF and NUL");
        CsvFile.CheckIsTextFile(path);
        CsvMalformedRecord? malformed = null;
        var options = new CsvReaderOptions
        {
            HasHeader = hasHeader,
            Separator = delimiter,
            TrimWhitespace = true,
            SkipEmptyLines = true,
            TrackLineNumbers = true,
            FieldCountMismatch = CsvFieldCountHandling.Allow,   // checked here, to name the file and line
            OnMalformedRecord = m => malformed ??= m.Reason is CsvMalformedReason.UnterminatedQuote or CsvMalformedReason.TextAfterClosingQuote ? m : null,
        };
        using var csv = CsvReader.FromFile(path, options);
        try
        {
            return Read(csv, path, featureColumns, labelColumn, hasHeader, delimiter, () => malformed);
        }
        catch (CsvFormatException e)
        {
            throw new InvalidDataException($"{path}{(e.LineNumber > 0 ? $" line {e.LineNumber}" : "")}: {e.Message}", e);
        }
    }

    /// <summary>The body of <see cref="Read(string, Column[], Column, bool, char)"/>; <paramref name="malformed"/> is the first record whose quoting had to be repaired, once seen.</summary>
    private static CsvTable Read(CsvReader csv, string path, Column[] featureColumns, Column labelColumn, bool hasHeader, char delimiter, Func<CsvMalformedRecord?> malformed)
    {
        string[] names = [];
        void CheckQuotes()
        {
            if (malformed() is { } m)
                throw CsvFile.QuoteError(path, m, delimiter, hasHeader && m.RecordNumber == 1 ? null : names);   // the header's own fields have no names yet
        }
        bool any = csv.Read();
        if (hasHeader)
        {
            names = csv.Headers.ToArray();
            CheckQuotes();
            if (names.Length == 0) throw new InvalidDataException($"{path} is empty");
            CheckHeader(names, path);
        }
        else
        {
            if (!any) throw new InvalidDataException($"{path} is empty");
            names = Enumerable.Range(0, csv.FieldCount).Select(i => i.ToString(CultureInfo.InvariantCulture)).ToArray();
            CheckQuotes();
        }
        int width = names.Length;
        int[] featureIdx = featureColumns.Select(c => Resolve(c, names, hasHeader, path)).ToArray();
        int labelIdx = Resolve(labelColumn, names, hasHeader, path);

        var features = new List<float>();
        var labels = new List<string>();
        var lines = new List<int>();
        for (; any; any = csv.Read())
        {
            CheckQuotes();
            int line = (int)csv.LineNumber;
            if (csv.FieldCount != width)
                throw new InvalidDataException($"{path} line {line} has {csv.FieldCount} fields, expected {width} ({(hasHeader ? "as in the header" : "as in the first line")})");
            for (int j = 0; j < featureIdx.Length; j++)
                features.Add(new CsvCell(path, line, names[featureIdx[j]], featureIdx[j]).ParseFloat32(csv.GetString(featureIdx[j])));
            string label = csv.GetString(labelIdx);
            CsvFile.CheckIsText(label, new CsvCell(path, line, names[labelIdx], labelIdx).ToString());
            labels.Add(label);
            lines.Add(line);
        }
        CheckQuotes();
        if (labels.Count == 0) throw new InvalidDataException($"{path} has a header but no data rows");
        return new CsvTable
        {
            Features = features.ToArray(),
            FeatureCount = featureIdx.Length,
            Labels = labels.ToArray(),
            Lines = lines.ToArray(),
            FeatureNames = featureIdx.Select(i => names[i]).ToArray(),
            LabelName = names[labelIdx],
            LabelIndex = labelIdx,
            Path = path,
        };
    }

    /// <summary>Header names must be text and distinct: a repeated name would make a column by name ambiguous.</summary>
    private static void CheckHeader(string[] names, string path)
    {
        var first = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < names.Length; i++)
        {
            CsvFile.CheckIsText(names[i], $"{path} header, column {i + 1}");
            if (first.TryGetValue(names[i], out int j))
                throw new InvalidDataException($"{path}: the header names column '{names[i]}' twice, as columns {j + 1} and {i + 1}; column names must be distinct");
            first[names[i]] = i;
        }
    }

    /// <summary>The cell of row <paramref name="row"/> in the label column, as error messages name it.</summary>
    public CsvCell LabelCell(int row) => new(Path, Lines[row], LabelName, LabelIndex);

    /// <summary>The 0-based index of a column, or an error listing the columns present.</summary>
    private static int Resolve(Column column, string[] names, bool hasHeader, string path)
    {
        string present = hasHeader ? string.Join(", ", names) : $"{names.Length} unnamed columns (indices 0..{names.Length - 1})";
        if (column.Name is string name)
        {
            int i = Array.IndexOf(names, name);
            if (i >= 0) return i;
            if (!hasHeader)
                throw new ArgumentException($"Column '{name}' not found in {path}: the file has no header, so name columns by index; it has {present}");
            throw new ArgumentException($"Column '{name}' not found in {path}; columns present: {present}");
        }
        if (column.Index < 0 || column.Index >= names.Length)
            throw new ArgumentException($"Column index {column.Index} is out of range in {path}; columns present: {present}");
        return column.Index;
    }
}
