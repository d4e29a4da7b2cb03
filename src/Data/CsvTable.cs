using System.Globalization;
using CsvHelper;

namespace Framework.Data;

/// <summary>Reads the chosen columns of a CSV file through CsvHelper: features as float32 rows, labels as strings; every error names the file, and for a bad cell its line and column.</summary>
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

    /// <summary>A column chosen by header name or by 0-based index.</summary>
    public readonly record struct Column(string? Name, int Index);

    /// <summary>Parses <paramref name="path"/>; columns given by name need <paramref name="hasHeader"/>.</summary>
    public static CsvTable Read(string path, Column[] featureColumns, Column labelColumn, bool hasHeader, char delimiter)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"CSV file '{path}' not found", path);
        var options = new CsvReaderOptions
        {
            HasHeader = hasHeader,
            Separator = delimiter,
            TrimWhitespace = true,
            SkipEmptyLines = true,
            TrackLineNumbers = true,
            FieldCountMismatch = CsvFieldCountHandling.Allow,   // checked here, to name the file and line
        };
        using var csv = CsvReader.FromFile(path, options);
        bool any = csv.Read();
        string[] names;
        if (hasHeader)
        {
            names = csv.Headers.ToArray();
            if (names.Length == 0) throw new InvalidDataException($"{path} is empty");
        }
        else
        {
            if (!any) throw new InvalidDataException($"{path} is empty");
            names = Enumerable.Range(0, csv.FieldCount).Select(i => i.ToString(CultureInfo.InvariantCulture)).ToArray();
        }
        int width = names.Length;
        int[] featureIdx = featureColumns.Select(c => Resolve(c, names, hasHeader, path)).ToArray();
        int labelIdx = Resolve(labelColumn, names, hasHeader, path);

        var features = new List<float>();
        var labels = new List<string>();
        var lines = new List<int>();
        for (; any; any = csv.Read())
        {
            int line = (int)csv.LineNumber;
            if (csv.FieldCount != width)
                throw new InvalidDataException($"{path} line {line} has {csv.FieldCount} fields, expected {width} ({(hasHeader ? "as in the header" : "as in the first line")})");
            for (int j = 0; j < featureIdx.Length; j++)
                features.Add(ParseNumber(csv.GetString(featureIdx[j]), path, line, names[featureIdx[j]]));
            labels.Add(csv.GetString(labelIdx));
            lines.Add(line);
        }
        if (labels.Count == 0) throw new InvalidDataException($"{path} has a header but no data rows");
        return new CsvTable
        {
            Features = features.ToArray(),
            FeatureCount = featureIdx.Length,
            Labels = labels.ToArray(),
            Lines = lines.ToArray(),
            FeatureNames = featureIdx.Select(i => names[i]).ToArray(),
            LabelName = names[labelIdx],
        };
    }

    /// <summary>A cell as float32, or an error naming file, line and column.</summary>
    public static float ParseNumber(string cell, string path, int line, string column)
    {
        if (double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out double v)) return (float)v;
        throw new InvalidDataException($"{path} line {line}, column '{column}': '{cell}' is not a number");
    }

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
