using System.Globalization;
using System.Text;

namespace Framework.Examples;

/// <summary>Per-step and per-epoch metrics of a training run, saved as CSV.</summary>
public sealed class History
{
    private readonly List<(int Step, string Name, double Value)> steps = [];
    private readonly List<(int Epoch, string Name, double Value)> epochs = [];

    /// <summary>Records a metric at a training step.</summary>
    public void LogStep(int step, string name, double value) => steps.Add((step, name, value));

    /// <summary>Records a metric at the end of an epoch.</summary>
    public void LogEpoch(int epoch, string name, double value) => epochs.Add((epoch, name, value));

    /// <summary>The (step, value) series of one step metric.</summary>
    public (double[] X, double[] Y) StepSeries(string name) => Series(steps.Where(s => s.Name == name).Select(s => (s.Step, s.Value)));

    /// <summary>The (epoch, value) series of one epoch metric.</summary>
    public (double[] X, double[] Y) EpochSeries(string name) => Series(epochs.Where(s => s.Name == name).Select(s => (s.Epoch, s.Value)));

    private static (double[], double[]) Series(IEnumerable<(int, double)> points)
    {
        var list = points.ToList();
        return (list.Select(p => (double)p.Item1).ToArray(), list.Select(p => p.Item2).ToArray());
    }

    /// <summary>Names of the recorded step metrics, then of the epoch metrics, in first-seen order.</summary>
    public (string[] Steps, string[] Epochs) Metrics =>
        (steps.Select(s => s.Name).Distinct().ToArray(), epochs.Select(e => e.Name).Distinct().ToArray());

    /// <summary>Writes an SVG with one panel per metric (step metrics against the step, epoch metrics against the epoch), side by side.</summary>
    public void SavePlot(string path, int width = 1000, int height = 420)
    {
        var (stepNames, epochNames) = Metrics;
        var panels = stepNames.Select(n => (Name: n, Axis: "step", Series: StepSeries(n)))
                              .Concat(epochNames.Select(n => (Name: n, Axis: "epoch", Series: EpochSeries(n)))).ToList();
        if (panels.Count == 0) throw new InvalidOperationException("History.SavePlot: nothing has been logged");
        var fig = new Framework.Plot.Figure(rows: 1, cols: panels.Count);
        for (int i = 0; i < panels.Count; i++)
        {
            var plt = fig[0, i];
            plt.Add.Line(panels[i].Series.X, panels[i].Series.Y, label: panels[i].Name);
            plt.Title(panels[i].Name);
            plt.XLabel(panels[i].Axis);
        }
        fig.SaveSvg(path, width, height);
    }

    /// <summary>Writes "kind,index,metric,value" rows (kind = step or epoch) to <paramref name="path"/>, atomically.</summary>
    public void SaveCsv(string path)
    {
        var sb = new StringBuilder("kind,index,metric,value\n");
        foreach (var (i, n, v) in steps) sb.Append("step,").Append(i).Append(',').Append(n).Append(',').Append(v.ToString("R", CultureInfo.InvariantCulture)).Append('\n');
        foreach (var (i, n, v) in epochs) sb.Append("epoch,").Append(i).Append(',').Append(n).Append(',').Append(v.ToString("R", CultureInfo.InvariantCulture)).Append('\n');
        var tmp = path + ".tmp";
        File.WriteAllText(tmp, sb.ToString());
        File.Move(tmp, path, overwrite: true);
    }
}
