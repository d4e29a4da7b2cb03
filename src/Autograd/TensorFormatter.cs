using System.Globalization;
using System.Text;

namespace Framework.Autograd;

/// <summary>Renders raw tensor values exactly like PyTorch 1.13's str(t) (torch/_tensor_str.py) under the current <see cref="PrintOptions"/>.</summary>
internal static class TensorFormatter
{
    /// <summary>Digits after the decimal point (PRINT_OPTS.precision).</summary>
    private static int Precision => PrintOptions.Current.Precision;

    /// <summary>Element count above which output is summarised (PRINT_OPTS.threshold).</summary>
    private static long Threshold => PrintOptions.Current.Threshold;

    /// <summary>Items kept at each end of a summarised dimension (PRINT_OPTS.edgeitems).</summary>
    private static int EdgeItems => PrintOptions.Current.EdgeItems;

    /// <summary>Characters per line before wrapping (PRINT_OPTS.linewidth).</summary>
    private static int LineWidth => PrintOptions.Current.LineWidth;

    /// <summary>The "tensor(" prefix; its length is the base indent.</summary>
    private const string Prefix = "tensor(";

    /// <summary>Formats Float32/Float64/Bool (0/1) values; suffixes are the grad ones (grad_fn=&lt;..&gt; or requires_grad=True), size/dtype are added here.</summary>
    public static string Format(ReadOnlySpan<double> values, int[] shape, DType dtype, IReadOnlyList<string> suffixes)
    {
        if (dtype == DType.Int64)
        {
            var longs = new long[values.Length];
            for (int i = 0; i < longs.Length; i++) longs[i] = (long)values[i];
            return Format(longs, shape, suffixes);
        }
        long numel = CheckShape(values.Length, shape);
        if (numel == 0) return Finish("[]", shape, dtype, true, suffixes);
        bool summarize = numel > Threshold;
        long[] shown = ShownIndices(shape, summarize);
        var picked = new double[shown.Length];
        for (int i = 0; i < shown.Length; i++) picked[i] = values[(int)shown[i]];
        string[] cells;
        int width;
        if (dtype == DType.Bool)
        {
            cells = new string[picked.Length];
            for (int i = 0; i < picked.Length; i++) cells[i] = picked[i] != 0 ? "True" : "False";
            width = PadCells(cells);
        }
        else
        {
            var formatter = new FloatFormatter(picked);
            width = formatter.Width;
            cells = new string[picked.Length];
            for (int i = 0; i < picked.Length; i++) cells[i] = formatter.Format(picked[i]);
        }
        return Finish(Body(cells, width, shape, summarize), shape, dtype, false, suffixes);
    }

    /// <summary>Formats Int64 values; suffixes are the grad ones, size/dtype are added here.</summary>
    public static string Format(ReadOnlySpan<long> values, int[] shape, IReadOnlyList<string> suffixes)
    {
        long numel = CheckShape(values.Length, shape);
        if (numel == 0) return Finish("[]", shape, DType.Int64, true, suffixes);
        bool summarize = numel > Threshold;
        long[] shown = ShownIndices(shape, summarize);
        var cells = new string[shown.Length];
        for (int i = 0; i < shown.Length; i++) cells[i] = values[(int)shown[i]].ToString(CultureInfo.InvariantCulture);
        int width = PadCells(cells);
        return Finish(Body(cells, width, shape, summarize), shape, DType.Int64, false, suffixes);
    }

    /// <summary>Validates that the shape matches the value count and returns numel.</summary>
    private static long CheckShape(int length, int[] shape)
    {
        long numel = 1;
        foreach (int d in shape)
        {
            if (d < 0) throw new ArgumentException("Negative dimension in shape.", nameof(shape));
            numel *= d;
        }
        if (numel != length) throw new ArgumentException($"Shape holds {numel} elements but {length} values were given.", nameof(shape));
        return numel;
    }

    /// <summary>Right-aligns integer/bool cells to the widest one (max_width starts at 1) and returns that width.</summary>
    private static int PadCells(string[] cells)
    {
        int width = 1;
        foreach (string c in cells) width = Math.Max(width, c.Length);
        for (int i = 0; i < cells.Length; i++) cells[i] = cells[i].PadLeft(width);
        return width;
    }

    /// <summary>Adds PyTorch's size/dtype suffixes in front of the caller's, then applies _add_suffixes.</summary>
    private static string Finish(string body, int[] shape, DType dtype, bool empty, IReadOnlyList<string> suffixes)
    {
        var all = new List<string>(suffixes.Count + 2);
        if (empty)
        {
            if (shape.Length != 1) all.Add("size=" + TupleString(shape));
            if (dtype != DType.Float32) all.Add("dtype=" + dtype.TorchName());
        }
        else if (dtype == DType.Float64)
        {
            all.Add("dtype=" + dtype.TorchName());
        }
        all.AddRange(suffixes);
        return AddSuffixes(Prefix + body, all, Prefix.Length);
    }

    /// <summary>Python's str(tuple(shape)), e.g. "(0, 3)" or "(0,)".</summary>
    private static string TupleString(int[] shape)
    {
        var sb = new StringBuilder("(");
        for (int i = 0; i < shape.Length; i++)
        {
            if (i > 0) sb.Append(", ");
            sb.Append(shape[i].ToString(CultureInfo.InvariantCulture));
        }
        if (shape.Length == 1) sb.Append(',');
        return sb.Append(')').ToString();
    }

    /// <summary>Port of _add_suffixes: appends ", suffix", breaking onto an indented line when it would pass the line width.</summary>
    private static string AddSuffixes(string tensorStr, IReadOnlyList<string> suffixes, int indent)
    {
        var sb = new StringBuilder(tensorStr);
        int lastLineLen = tensorStr.Length - tensorStr.LastIndexOf('\n') + 1;
        foreach (string suffix in suffixes)
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

    /// <summary>Flat row-major indices of the printed elements, in print order (get_summarized_data).</summary>
    private static long[] ShownIndices(int[] shape, bool summarize)
    {
        var strides = new long[shape.Length];
        long stride = 1;
        for (int d = shape.Length - 1; d >= 0; d--) { strides[d] = stride; stride *= shape[d]; }
        var acc = new List<long>();
        Collect(shape, strides, 0, 0, summarize, acc);
        return acc.ToArray();
    }

    /// <summary>Recursively gathers the flat indices shown along dimension dim.</summary>
    private static void Collect(int[] shape, long[] strides, int dim, long offset, bool summarize, List<long> acc)
    {
        if (dim == shape.Length) { acc.Add(offset); return; }
        foreach (int i in ShownPositions(shape[dim], summarize))
            if (i >= 0) Collect(shape, strides, dim + 1, offset + i * strides[dim], summarize, acc);
    }

    /// <summary>Positions printed along a dimension of the given size; -1 marks the "..." placeholder.</summary>
    private static IEnumerable<int> ShownPositions(int size, bool summarize)
    {
        if (summarize && size > 2 * EdgeItems)
        {
            for (int i = 0; i < EdgeItems; i++) yield return i;
            yield return -1;
            for (int i = size - EdgeItems; i < size; i++) yield return i;
        }
        else
        {
            for (int i = 0; i < size; i++) yield return i;
        }
    }

    /// <summary>Port of _tensor_str_with_formatter: nests the formatted cells into brackets.</summary>
    private static string Body(string[] cells, int width, int[] shape, bool summarize)
    {
        var sb = new StringBuilder();
        int cursor = 0;
        WriteTensor(sb, cells, ref cursor, width, shape, 0, Prefix.Length, summarize);
        return sb.ToString();
    }

    /// <summary>Writes the sub-tensor starting at dimension dim, consuming cells in print order.</summary>
    private static void WriteTensor(StringBuilder sb, string[] cells, ref int cursor, int width, int[] shape, int dim, int indent, bool summarize)
    {
        int rank = shape.Length - dim;
        if (rank == 0) { sb.Append(cells[cursor++]); return; }
        if (rank == 1) { WriteVector(sb, cells, ref cursor, width, shape[dim], indent, summarize); return; }
        sb.Append('[');
        bool first = true;
        foreach (int i in ShownPositions(shape[dim], summarize))
        {
            if (!first) sb.Append(',').Append('\n', rank - 1).Append(' ', indent + 1);
            first = false;
            if (i < 0) sb.Append("...");
            else WriteTensor(sb, cells, ref cursor, width, shape, dim + 1, indent + 1, summarize);
        }
        sb.Append(']');
    }

    /// <summary>Port of _vector_str: one row, wrapped to the line width.</summary>
    private static void WriteVector(StringBuilder sb, string[] cells, ref int cursor, int width, int size, int indent, bool summarize)
    {
        int elementLength = width + 2;
        int perLine = Math.Max(1, (int)Math.Floor((LineWidth - indent) / (double)elementLength));
        sb.Append('[');
        int n = 0;
        foreach (int i in ShownPositions(size, summarize))
        {
            if (n > 0)
            {
                if (n % perLine == 0) sb.Append(",\n").Append(' ', indent + 1);
                else sb.Append(", ");
            }
            sb.Append(i < 0 ? " ..." : cells[cursor++]);
            n++;
        }
        sb.Append(']');
    }

    /// <summary>Port of _Formatter for floating dtypes: picks int/fixed/scientific mode and the common width.</summary>
    private sealed class FloatFormatter
    {
        /// <summary>All nonzero finite values are integers.</summary>
        private readonly bool _intMode = true;

        /// <summary>Scientific notation is used.</summary>
        private readonly bool _sciMode;

        /// <summary>Width every element is right-aligned to.</summary>
        public int Width { get; } = 1;

        /// <summary>Inspects the (summarised) values the way _Formatter.__init__ does.</summary>
        public FloatFormatter(double[] values)
        {
            var nonzero = new List<double>();
            foreach (double v in values)
                if (double.IsFinite(v) && v != 0) nonzero.Add(v);
            if (nonzero.Count == 0) return;
            double min = double.PositiveInfinity, max = 0;
            foreach (double v in nonzero)
            {
                double a = Math.Abs(v);
                min = Math.Min(min, a);
                max = Math.Max(max, a);
                if (v != Math.Ceiling(v)) _intMode = false;
            }
            bool wide = max / min > 1000.0 || max > 1.0e8;
            _sciMode = _intMode ? wide : wide || min < 1.0e-4;
            int width = 1;
            foreach (double v in nonzero)
            {
                int len = _sciMode ? PyFloatFormat.Scientific(v, Precision).Length
                    : _intMode ? PyFloatFormat.Fixed(v, 0).Length + 1
                    : PyFloatFormat.Fixed(v, Precision).Length;
                width = Math.Max(width, len);
            }
            Width = width;
            if (PrintOptions.Current.SciMode is { } forced) _sciMode = forced;   // after the width, as torch does
        }

        /// <summary>Port of _Formatter.format: formats one value and right-aligns it to Width.</summary>
        public string Format(double value)
        {
            string s;
            if (_sciMode) s = PyFloatFormat.Scientific(value, Precision);
            else if (_intMode) s = PyFloatFormat.Fixed(value, 0) + (double.IsFinite(value) ? "." : "");
            else s = PyFloatFormat.Fixed(value, Precision);
            return s.PadLeft(Width);
        }
    }
}
