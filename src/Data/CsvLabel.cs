namespace Framework.Data;

/// <summary>How <see cref="CsvDataset.Load(string, string[], string, bool, CsvLabel, char, IReadOnlyList{string})"/> turns the label column into a tensor; an empty label is refused either way.</summary>
public enum CsvLabel
{
    /// <summary>
    /// Int64 class indices. With <c>classes:</c> given, a label is its index in that list and any other label is refused.
    /// Otherwise integer labels are the indices as they are (a negative one is refused); text labels are numbered by their ordinal-sorted distinct
    /// values (see <see cref="CsvDataset.Classes"/>); a non-integer number (<c>1.0</c>) and a column mixing numbers and text are refused.
    /// </summary>
    Class,
    /// <summary>Float32 regression targets: every label must be a number, read as CSV features are.</summary>
    Regression,
}
