using System.Globalization;
using Framework.Autograd;

namespace Framework.Data;

/// <summary>Turns the label cells of a <see cref="CsvTable"/> into the label tensor, by the rules documented on <see cref="CsvLabel"/>.</summary>
internal static class CsvLabelReader
{
    /// <summary>How many class names an error message lists before it says how many more there are.</summary>
    private const int ListedClasses = 20;

    /// <summary>Float32 targets [N] for <see cref="CsvLabel.Regression"/>; otherwise Int64 class indices [N] and, for named classes, their names.</summary>
    public static Tensor Read(CsvTable table, CsvLabel kind, IReadOnlyList<string>? classes, out string[]? classNames)
    {
        classNames = null;
        int n = table.Labels.Length;
        for (int i = 0; i < n; i++)
            if (table.Labels[i].Length == 0) throw new InvalidDataException($"{table.LabelCell(i)}: empty label");
        if (kind == CsvLabel.Regression)
        {
            var targets = new float[n];
            for (int i = 0; i < n; i++) targets[i] = table.LabelCell(i).ParseFloat32(table.Labels[i]);
            return Tensor.From(targets);
        }
        if (classes is not null)
        {
            classNames = [.. classes];
            return Tensor.From(ByName(table, classNames));
        }
        var ids = new long[n];
        int firstNumber = -1, firstText = -1, firstNonInteger = -1;
        for (int i = 0; i < n; i++)
        {
            bool integer = long.TryParse(table.Labels[i], NumberStyles.Integer, CultureInfo.InvariantCulture, out ids[i]);
            bool number = integer || CsvCell.TryParseFloat32(table.Labels[i], out _, out _)
                                  || double.TryParse(table.Labels[i], NumberStyles.Float, CultureInfo.InvariantCulture, out _);
            if (number && firstNumber < 0) firstNumber = i;
            if (!number && firstText < 0) firstText = i;
            if (number && !integer && firstNonInteger < 0) firstNonInteger = i;
        }
        if (firstNumber >= 0 && firstText >= 0)
            throw new InvalidDataException(
                $"{table.Path}: label column '{table.LabelName}' ({table.LabelIndex + 1}) mixes numbers and text: line {table.Lines[firstNumber]} has the number " +
                $"{CsvCell.Show(table.Labels[firstNumber])}, line {table.Lines[firstText]} the text {CsvCell.Show(table.Labels[firstText])}; pass classes: to name every class");
        if (firstText >= 0)
        {
            classNames = table.Labels.Distinct().Order(StringComparer.Ordinal).ToArray();
            return Tensor.From(ByName(table, classNames));
        }
        if (firstNonInteger >= 0)
            throw new InvalidDataException(
                $"{table.LabelCell(firstNonInteger)}: label {CsvCell.Show(table.Labels[firstNonInteger])} is a number but not an integer class index; " +
                "load numeric targets with label: CsvLabel.Regression");
        for (int i = 0; i < n; i++)
            if (ids[i] < 0) throw new InvalidDataException($"{table.LabelCell(i)}: label {ids[i]} is negative; integer labels are class indices 0, 1, 2, ...");
        return Tensor.From(ids);
    }

    /// <summary>Checks a user's class list: no null, empty or repeated name.</summary>
    public static void CheckClasses(IReadOnlyList<string> classes)
    {
        var first = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int c = 0; c < classes.Count; c++)
        {
            if (string.IsNullOrEmpty(classes[c])) throw new ArgumentException($"classes[{c}] is {(classes[c] is null ? "null" : "empty")}; every class needs a name", nameof(classes));
            if (!first.TryAdd(classes[c], c)) throw new ArgumentException($"classes names '{classes[c]}' twice, at {first[classes[c]]} and {c}", nameof(classes));
        }
    }

    /// <summary>Each label's index in <paramref name="classes"/>; a label not among them is an error naming it, its cell and the known classes.</summary>
    private static long[] ByName(CsvTable table, string[] classes)
    {
        var index = new Dictionary<string, long>(StringComparer.Ordinal);
        for (int c = 0; c < classes.Length; c++) index[classes[c]] = c;
        var ids = new long[table.Labels.Length];
        for (int i = 0; i < ids.Length; i++)
        {
            if (!index.TryGetValue(table.Labels[i], out ids[i]))
            {
                string known = string.Join(", ", classes.Take(ListedClasses)) + (classes.Length > ListedClasses ? $", ... ({classes.Length - ListedClasses} more)" : "");
                throw new InvalidDataException($"{table.LabelCell(i)}: label {CsvCell.Show(table.Labels[i])} is not one of the {classes.Length} known classes ({known})");
            }
        }
        return ids;
    }
}
