using System.Globalization;
using CsvHelper;
using ScottPlot;

namespace Framework.Plot;

/// <summary>Per-step and per-epoch metrics of a training run: CSV rows "kind,index,metric,value" (appended to a file as they are logged when given a path), and ScottPlot pictures with one panel per metric.</summary>
public sealed class History : IDisposable
{
    /// <summary>The CSV header: kind (step or epoch), index (the step or epoch number), metric name, value.</summary>
    public const string CsvHeader = "kind,index,metric,value";

    private readonly List<(string Kind, long Index, string Name, double Value)> records = [];
    private readonly object sync = new();
    private FileStream? liveFile;
    private CsvWriter? liveCsv;
    private double? smoothing;

    /// <summary>A history kept in memory only (save it with SaveCsv).</summary>
    public History() { }

    /// <summary>A history that writes the header to csvPath now (replacing an old file) and appends and flushes each row as it is logged, so a crashed run keeps its metrics; Dispose closes the file.</summary>
    public History(string csvPath)
    {
        ArgumentException.ThrowIfNullOrEmpty(csvPath);
        CsvPath = Path.GetFullPath(csvPath);
        liveFile = new FileStream(CsvPath, FileMode.Create, FileAccess.Write, FileShare.Read);
        liveCsv = CsvWriter.Create(liveFile, WriterOptions, leaveOpen: true);
        liveCsv.WriteHeader(CsvHeader.Split(','));
        Flush();
    }

    /// <summary>The file rows are appended to as they are logged, or null for an in-memory history.</summary>
    public string? CsvPath { get; }

    /// <summary>TensorBoard's smoothing weight w in [0, 1) for the line drawn over per-step metrics: m_t = w·m_{t-1} + (1 - w)·v_t, s_t = m_t / (1 - w^t); 0 draws no smoothed line; null (the default) takes AutoSmoothing(points).</summary>
    public double? Smoothing
    {
        get => smoothing;
        set => smoothing = value is null or (>= 0 and < 1)
            ? value
            : throw new ArgumentOutOfRangeException(nameof(value), value, $"Smoothing must be in [0, 1), got {value.Value.ToString(CultureInfo.InvariantCulture)}");
    }

    /// <summary>The weight used when Smoothing is null: TensorBoard's default 0.6, raised for long runs so the average spans about 1% of the points, 1 - 100/points, at most 0.999.</summary>
    public static double AutoSmoothing(int points) => Math.Clamp(1 - 100.0 / Math.Max(points, 1), 0.6, 0.999);

    /// <summary>Records a metric at a training step.</summary>
    public void LogStep(long step, string name, double value) => Log("step", step, name, value);

    /// <summary>Records a metric at the end of an epoch.</summary>
    public void LogEpoch(long epoch, string name, double value) => Log("epoch", epoch, name, value);

    private void Log(string kind, long index, string name, double value)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        lock (sync)
        {
            records.Add((kind, index, name, value));
            if (liveCsv is not null)
            {
                WriteRecord(liveCsv, kind, index, name, value);
                Flush();
            }
        }
    }

    /// <summary>The (step, value) points of one per-step metric, in logging order (empty if never logged).</summary>
    public (double[] X, double[] Y) StepSeries(string name) => Series("step", name);

    /// <summary>The (epoch, value) points of one per-epoch metric, in logging order (empty if never logged).</summary>
    public (double[] X, double[] Y) EpochSeries(string name) => Series("epoch", name);

    private (double[] X, double[] Y) Series(string kind, string name)
    {
        lock (sync)
        {
            var points = records.Where(r => r.Kind == kind && r.Name == name).ToList();
            return (points.Select(p => (double)p.Index).ToArray(), points.Select(p => p.Value).ToArray());
        }
    }

    /// <summary>Names of the per-step metrics and of the per-epoch metrics, each in first-logged order.</summary>
    public (string[] Steps, string[] Epochs) Metrics
    {
        get
        {
            lock (sync)
                return (records.Where(r => r.Kind == "step").Select(r => r.Name).Distinct().ToArray(),
                        records.Where(r => r.Kind == "epoch").Select(r => r.Name).Distinct().ToArray());
        }
    }

    /// <summary>TensorBoard's debiased exponential moving average of values with weight w; a NaN or ±∞ value is passed through and left out of the average.</summary>
    public static double[] Smooth(IReadOnlyList<double> values, double weight)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (weight is not (>= 0 and < 1))
            throw new ArgumentOutOfRangeException(nameof(weight), weight, $"weight must be in [0, 1), got {weight.ToString(CultureInfo.InvariantCulture)}");
        var smoothed = new double[values.Count];
        double last = 0;
        int count = 0;
        for (int i = 0; i < smoothed.Length; i++)
        {
            double v = values[i];
            if (!double.IsFinite(v)) { smoothed[i] = v; continue; }
            last = last * weight + (1 - weight) * v;
            count++;
            smoothed[i] = last / (1 - Math.Pow(weight, count));
        }
        return smoothed;
    }

    /// <summary>Writes every row logged so far as CSV to path, atomically (a temporary file renamed over the target); the open CsvPath itself is left as it is, already complete.</summary>
    public void SaveCsv(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        List<(string Kind, long Index, string Name, double Value)> rows;
        lock (sync)
        {
            if (liveCsv is not null && Path.GetFullPath(path) == CsvPath) return;   // the live file already holds every row (and replacing it would cut the rows to come)
            rows = [.. records];
        }
        AtomicFile.Write(path, tmp =>
        {
            using var csv = CsvWriter.ToFile(tmp, WriterOptions);
            csv.WriteHeader(CsvHeader.Split(','));
            foreach (var (kind, index, name, value) in rows)
                WriteRecord(csv, kind, index, name, value);
        });
    }

    /// <summary>Reads a history written by SaveCsv or by a History(csvPath) (also one whose run crashed); the result is in memory only.</summary>
    public static History LoadCsv(string path)
    {
        using var csv = CsvReader.FromFile(path, new CsvReaderOptions { HasHeader = true, TrackLineNumbers = true });
        bool any = csv.Read();
        if (string.Join(',', csv.Headers.ToArray()) != CsvHeader)
            throw new InvalidDataException($"{path} is not a History CSV: its first line must be '{CsvHeader}'");
        var history = new History();
        for (; any; any = csv.Read())
        {
            string kind = csv.GetString(0);
            if (kind is not ("step" or "epoch"))
                throw new InvalidDataException($"{path} line {csv.LineNumber}: kind must be 'step' or 'epoch', got '{kind}'");
            if (!long.TryParse(csv.GetString(1), NumberStyles.Integer, CultureInfo.InvariantCulture, out long index)
                || !double.TryParse(csv.GetString(3), NumberStyles.Float, CultureInfo.InvariantCulture, out double value))
                throw new InvalidDataException($"{path} line {csv.LineNumber}: index must be an integer and value a number, got '{csv.GetString(1)}' and '{csv.GetString(3)}'");
            history.records.Add((kind, index, csv.GetString(2), value));
        }
        return history;
    }

    /// <summary>One panel per metric side by side (see ToPlot), in first-logged order, per-step metrics first.</summary>
    public Multiplot ToMultiplot()
    {
        var names = PanelNames();
        if (names.Count == 0) throw new InvalidOperationException("History has nothing to plot: no metric has been logged");
        var multiplot = new Multiplot();
        int color = 0;
        for (int i = 0; i < names.Count; i++)
        {
            var plot = Panel(names[i], ref color);
            if (i == 0) multiplot.Reset(plot);
            else multiplot.AddPlot(plot);
        }
        multiplot.Layout = new ScottPlot.MultiplotLayouts.Columns();
        return multiplot;
    }

    /// <summary>The panel of one metric: per-step values against the step (bottom axis) with a smoothed line over them; per-epoch values against the epoch (on the top axis when the metric also has per-step values).</summary>
    public ScottPlot.Plot ToPlot(string metric)
    {
        ArgumentException.ThrowIfNullOrEmpty(metric);
        if (!PanelNames().Contains(metric))
            throw new ArgumentException($"History has no metric '{metric}'; logged: {string.Join(", ", PanelNames().Select(n => $"'{n}'"))}", nameof(metric));
        int color = 0;
        return Panel(metric, ref color);
    }

    /// <summary>Writes ToMultiplot() as a width × height PNG to path, atomically.</summary>
    public void SavePng(string path, int width = 1000, int height = 420) => ToMultiplot().SavePngAtomic(path, width, height);

    /// <summary>Writes ToMultiplot() as a width × height SVG document to path, atomically.</summary>
    public void SaveSvg(string path, int width = 1000, int height = 420) => ToMultiplot().SaveSvgAtomic(path, width, height);

    /// <summary>Closes the CSV file of a History(csvPath); every logged row is already in it.</summary>
    public void Dispose()
    {
        lock (sync)
        {
            liveCsv?.Dispose();
            liveFile?.Dispose();
            liveCsv = null;
            liveFile = null;
        }
    }

    private List<string> PanelNames()
    {
        var (steps, epochs) = Metrics;
        return [.. steps.Concat(epochs).Distinct()];
    }

    private ScottPlot.Plot Panel(string name, ref int color)
    {
        var palette = new ScottPlot.Palettes.Category10();
        var plot = PlotFont.NewPlot();
        plot.Title(name);
        var (sx, sy) = StepSeries(name);
        var (ex, ey) = EpochSeries(name);
        int series = 0;
        if (sx.Length > 0)
        {
            var c = palette.GetColor(color++);
            double weight = smoothing ?? AutoSmoothing(sx.Length);
            bool smooth = weight > 0 && sx.Length > 1;
            var raw = plot.Add.ScatterLine(sx, sy, smooth ? c.WithAlpha(0.2) : c);   // the noisy values faint, the average dark on top
            raw.LineWidth = smooth ? 1 : 2;
            raw.LegendText = name;
            series++;
            if (smooth)
            {
                var line = plot.Add.ScatterLine(sx, Smooth(sy, weight), c.Darken(0.4));
                line.LineWidth = 2.5f;
                line.LegendText = $"{name}, smoothed ({weight.ToString("0.###", CultureInfo.InvariantCulture)})";
                series++;
            }
            plot.XLabel("step");
        }
        if (ex.Length > 0)
        {
            var s = plot.Add.Scatter(ex, ey, palette.GetColor(color++));
            s.LineWidth = 2;
            s.MarkerSize = 6;
            s.LegendText = sx.Length > 0 ? $"{name} per epoch" : name;
            series++;
            var integerTicks = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
            if (sx.Length > 0)
            {
                s.Axes.XAxis = plot.Axes.Top;
                plot.Axes.Top.TickGenerator = integerTicks;
                plot.Axes.Top.Label.Text = "epoch";
                plot.Axes.Top.Label.FontName = plot.Axes.Bottom.Label.FontName;
            }
            else
            {
                plot.XLabel("epoch");
                plot.Axes.Bottom.TickGenerator = integerTicks;
            }
        }
        if (series > 1) plot.ShowLegend(Alignment.UpperRight);
        else plot.HideLegend();                 // the title names a lone series
        return plot;
    }

    private static CsvWriterOptions WriterOptions => CsvWriterOptions.Default with { NewLine = "\n" };

    private void Flush()
    {
        liveCsv!.Flush();
        liveFile!.Flush();
    }

    private static void WriteRecord(CsvWriter csv, string kind, long index, string name, double value)
    {
        csv.WriteRecord([kind, index.ToString(CultureInfo.InvariantCulture), name, value.ToString("R", CultureInfo.InvariantCulture)]);
    }
}
