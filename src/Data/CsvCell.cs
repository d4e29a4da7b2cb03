using System.Globalization;

namespace Framework.Data;

/// <summary>Where a cell of a CSV file is, as error messages name it: "path line 3, column 'x' (2)" (the column's header name and its 1-based index).</summary>
internal readonly record struct CsvCell(string Path, int Line, string Column, int Index)
{
    /// <summary>"path line L, column 'name' (index + 1)".</summary>
    public override string ToString() => $"{Path} line {Line}, column '{Column}' ({Index + 1})";

    /// <summary>The cell as Float32 under the documented rule (see <see cref="CsvDataset"/>), or an <see cref="InvalidDataException"/> naming this cell.</summary>
    public float ParseFloat32(string text)
    {
        if (TryParseFloat32(text, out float value, out string? error)) return value;
        throw new InvalidDataException($"{this}: {error}");
    }

    /// <summary>
    /// Parses with the invariant culture; <c>nan</c>, <c>inf</c> and <c>infinity</c>, signed or not and in any case (as numpy reads them),
    /// are the non-finite values; a finite literal beyond Float32's range is an error, not infinity.
    /// </summary>
    public static bool TryParseFloat32(string text, out float value, out string? error)
    {
        value = 0;
        error = null;
        if (text.Length == 0)
        {
            error = "empty cell where a number is expected (write nan for a missing value)";
            return false;
        }
        if (NonFinite(text) is float special)
        {
            value = special;
            return true;
        }
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double wide))
        {
            error = $"{Show(text)} is not a number";
            return false;
        }
        value = (float)wide;
        if (float.IsFinite(value)) return true;
        error = $"{Show(text)} overflows Float32 (largest magnitude {float.MaxValue.ToString(CultureInfo.InvariantCulture)})";
        return false;
    }

    /// <summary>NaN or ±∞ when <paramref name="text"/> is [+|-](nan|inf|infinity) in any case; null otherwise.</summary>
    private static float? NonFinite(string text)
    {
        var s = text.AsSpan();
        bool negative = s[0] == '-';
        if (s[0] is '-' or '+') s = s[1..];
        if (s.Equals("nan", StringComparison.OrdinalIgnoreCase)) return float.NaN;
        if (s.Equals("inf", StringComparison.OrdinalIgnoreCase) || s.Equals("infinity", StringComparison.OrdinalIgnoreCase))
            return negative ? float.NegativeInfinity : float.PositiveInfinity;
        return null;
    }

    /// <summary>A cell's text quoted for a message, cut to 40 characters and with control characters escaped, so garbage stays readable.</summary>
    public static string Show(string text)
    {
        const int max = 40;
        var shown = new System.Text.StringBuilder("'");
        foreach (char c in text.Length > max ? text[..max] : text)
        {
            if (char.IsControl(c)) shown.Append($"\\u{(int)c:X4}");
            else shown.Append(c);
        }
        return shown.Append(text.Length > max ? "'…" : "'").ToString();
    }
}
