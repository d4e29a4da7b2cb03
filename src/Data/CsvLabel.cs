namespace Framework.Data;

/// <summary>How <see cref="CsvDataset.Load(string, string[], string, bool, CsvLabel, char)"/> turns the label column into a tensor.</summary>
public enum CsvLabel
{
    /// <summary>Int64 class indices: integer labels kept as they are; any other labels numbered by their ordinal-sorted distinct values (see <see cref="CsvDataset.Classes"/>).</summary>
    Class,
    /// <summary>Float32 regression targets: every label must be a number.</summary>
    Regression,
}
