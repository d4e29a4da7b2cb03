using System.Globalization;
using System.Text;

namespace Framework.Autograd;

/// <summary>Prints tensors exactly as PyTorch's default print options do (precision 4, threshold 1000, edge items 3, line width 80).</summary>
internal static class TensorFormatter
{
    private const int Precision = 4, Threshold = 1000, EdgeItems = 3, LineWidth = 80;
    private const string Prefix = "tensor(";

    /// <summary>Formats float or bool values (bools as 0/1) of the given shape and dtype, then PyTorch's suffixes.</summary>
    public static string Format(ReadOnlySpan<double> values, int[] shape, DType dtype, IReadOnlyList<string> suffixes)
    {
        var v = values.ToArray();
        Func<int, string> raw = dtype == DType.Bool ? i => v[i] != 0 ? "True" : "False" : null!;
        return Compose(shape, dtype, suffixes, v.Length, idx =>
            dtype == DType.Bool ? new Cells(idx, raw) : FloatCells(idx, v));
    }

    /// <summary>Formats Int64 values of the given shape, then PyTorch's suffixes.</summary>
    public static string Format(ReadOnlySpan<long> values, int[] shape, IReadOnlyList<string> suffixes)
    {
        var v = values.ToArray();
        return Compose(shape, DType.Int64, suffixes, v.Length, idx => new Cells(idx, i => v[i].ToString(CultureInfo.InvariantCulture)));
    }

    private static string Compose(int[] shape, DType dtype, IReadOnlyList<string> given, int numel, Func<List<int>, Cells> makeCells)
    {
        var suffixes = new List<string>();
        string body;
        bool defaultDType = dtype is DType.Float32 or DType.Int64 or DType.Bool;
        if (numel == 0)
        {
            if (shape.Length != 1) suffixes.Add("size=(" + string.Join(", ", shape) + (shape.Length == 1 ? ",)" : ")"));
            if (dtype != DType.Float32) suffixes.Add("dtype=" + dtype.TorchName());
            body = "[]";
        }
        else
        {
            if (!defaultDType) suffixes.Add("dtype=" + dtype.TorchName());
            bool summarize = numel > Threshold;
            var strides = ShapeUtil.ContiguousStrides(shape);
            var statIndices = new List<int>();
            CollectSummarized(shape, strides, 0, 0, summarize, statIndices);
            var cells = makeCells(statIndices);
            body = TensorStr(shape, strides, 0, 0, Prefix.Length, summarize, cells);
        }
        suffixes.AddRange(given);
        return AddSuffixes(Prefix + body, suffixes, Prefix.Length);
    }

    /// <summary>Flat indices of the elements PyTorch's get_summarized_data keeps (all of them unless summarising).</summary>
    private static void CollectSummarized(int[] shape, int[] strides, int dim, int offset, bool summarize, List<int> into)
    {
        if (dim == shape.Length) { into.Add(offset); return; }
        int n = shape[dim];
        foreach (var i in EdgeIndices(n, summarize)) CollectSummarized(shape, strides, dim + 1, offset + i * strides[dim], summarize, into);
    }

    private static IEnumerable<int> EdgeIndices(int n, bool summarize)
    {
        if (summarize && n > 2 * EdgeItems)
        {
            for (int i = 0; i < EdgeItems; i++) yield return i;
            for (int i = n - EdgeItems; i < n; i++) yield return i;
        }
        else for (int i = 0; i < n; i++) yield return i;
    }

    private static string TensorStr(int[] shape, int[] strides, int dim, int offset, int indent, bool summarize, Cells cells)
    {
        int rank = shape.Length - dim;
        if (rank == 0) return cells.Format(offset);
        int n = shape[dim];
        if (rank == 1)
        {
            int elementLength = cells.Width + 2;
            int perLine = Math.Max(1, (LineWidth - indent) / elementLength);
            var data = new List<string>();
            if (summarize && n > 2 * EdgeItems)
            {
                for (int i = 0; i < EdgeItems; i++) data.Add(cells.Format(offset + i * strides[dim]));
                data.Add(" ...");
                for (int i = n - EdgeItems; i < n; i++) data.Add(cells.Format(offset + i * strides[dim]));
            }
            else for (int i = 0; i < n; i++) data.Add(cells.Format(offset + i * strides[dim]));
            var lines = new List<string>();
            for (int i = 0; i < data.Count; i += perLine) lines.Add(string.Join(", ", data.Skip(i).Take(perLine)));
            return "[" + string.Join(",\n" + new string(' ', indent + 1), lines) + "]";
        }
        var slices = new List<string>();
        if (summarize && n > 2 * EdgeItems)
        {
            for (int i = 0; i < EdgeItems; i++) slices.Add(TensorStr(shape, strides, dim + 1, offset + i * strides[dim], indent + 1, summarize, cells));
            slices.Add("...");
            for (int i = n - EdgeItems; i < n; i++) slices.Add(TensorStr(shape, strides, dim + 1, offset + i * strides[dim], indent + 1, summarize, cells));
        }
        else for (int i = 0; i < n; i++) slices.Add(TensorStr(shape, strides, dim + 1, offset + i * strides[dim], indent + 1, summarize, cells));
        return "[" + string.Join("," + new string('\n', rank - 1) + new string(' ', indent + 1), slices) + "]";
    }

    private static string AddSuffixes(string tensorStr, List<string> suffixes, int indent)
    {
        var sb = new StringBuilder(tensorStr);
        int lastLineLen = tensorStr.Length - tensorStr.LastIndexOf('\n') + 1;
        if (tensorStr.LastIndexOf('\n') < 0) lastLineLen = tensorStr.Length + 2;   // Python's rfind returns -1
        foreach (var suffix in suffixes)
        {
            if (lastLineLen + suffix.Length + 2 > LineWidth)
            {
                sb.Append(",\n").Append(' ', indent).Append(suffix);
                lastLineLen = indent + suffix.Length;
            }
            else
            {
                sb.Append(", ").Append(suffix);
                lastLineLen += suffix.Length + 2;
            }
        }
        return sb.Append(')').ToString();
    }

    /// <summary>PyTorch's _Formatter for floats: integer mode, scientific mode or fixed 4 decimals, padded to a common width.</summary>
    private static Cells FloatCells(List<int> statIndices, double[] v)
    {
        bool intMode = true, sciMode = false;
        int maxWidth = 1;
        var vals = new List<double>();
        foreach (var i in statIndices) if (double.IsFinite(v[i]) && v[i] != 0) vals.Add(v[i]);
        if (vals.Count > 0)
        {
            double min = double.MaxValue, max = 0;
            foreach (var x in vals) { double a = Math.Abs(x); min = Math.Min(min, a); max = Math.Max(max, a); }
            foreach (var x in vals) if (x != Math.Ceiling(x)) { intMode = false; break; }
            if (intMode)
            {
                if (max / min > 1000.0 || max > 1.0e8)
                {
                    sciMode = true;
                    foreach (var x in vals) maxWidth = Math.Max(maxWidth, Sci(x).Length);
                }
                else foreach (var x in vals) maxWidth = Math.Max(maxWidth, Fixed(x, 0).Length + 1);
            }
            else if (max / min > 1000.0 || max > 1.0e8 || min < 1.0e-4)
            {
                sciMode = true;
                foreach (var x in vals) maxWidth = Math.Max(maxWidth, Sci(x).Length);
            }
            else foreach (var x in vals) maxWidth = Math.Max(maxWidth, Fixed(x, Precision).Length);
        }
        int width = maxWidth;
        return new Cells(null, i =>
        {
            double x = v[i];
            string s;
            if (sciMode) s = Sci(x);
            else if (intMode) { s = Fixed(x, 0); if (double.IsFinite(x)) s += "."; }
            else s = Fixed(x, Precision);
            return s;
        }, width);
    }

    /// <summary>Python's '{:.Nf}'.</summary>
    private static string Fixed(double x, int decimals)
    {
        if (double.IsNaN(x)) return "nan";
        if (double.IsInfinity(x)) return x > 0 ? "inf" : "-inf";
        return x.ToString("F" + decimals, CultureInfo.InvariantCulture);
    }

    /// <summary>Python's '{:.4e}': 4 decimals, exponent sign and at least two digits.</summary>
    private static string Sci(double x)
    {
        if (double.IsNaN(x)) return "nan";
        if (double.IsInfinity(x)) return x > 0 ? "inf" : "-inf";
        var s = x.ToString("E" + Precision, CultureInfo.InvariantCulture);   // 5.1200E+001
        int e = s.IndexOf('E');
        int exp = int.Parse(s[(e + 1)..], CultureInfo.InvariantCulture);
        return s[..e] + "e" + (exp < 0 ? "-" : "+") + Math.Abs(exp).ToString("00", CultureInfo.InvariantCulture);
    }

    /// <summary>Formats one element by flat index, right-aligned to the common width.</summary>
    private sealed class Cells
    {
        private readonly Func<int, string> format;
        public readonly int Width;

        public Cells(List<int>? statIndices, Func<int, string> format, int width = -1)
        {
            this.format = format;
            if (width < 0)
            {
                width = 1;
                foreach (var i in statIndices!) width = Math.Max(width, format(i).Length);
            }
            Width = width;
        }

        public string Format(int i)
        {
            var s = format(i);
            return s.Length >= Width ? s : new string(' ', Width - s.Length) + s;
        }
    }
}
