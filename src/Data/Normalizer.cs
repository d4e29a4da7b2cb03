using Framework.Autograd;

namespace Framework.Data;

/// <summary>Per-feature standardisation y = (x − mean) / std, fitted on one dataset (the training split) and applied to any (like scikit-learn's StandardScaler).</summary>
public sealed class Normalizer
{
    /// <summary>A normalizer with the given per-feature mean and std (1-d, equal lengths, std &gt; 0).</summary>
    public Normalizer(Tensor mean, Tensor std)
    {
        ArgumentNullException.ThrowIfNull(mean);
        ArgumentNullException.ThrowIfNull(std);
        if (mean.Dim != 1 || std.Dim != 1 || mean.Size(0) != std.Size(0))
            throw new ArgumentException($"Normalizer expects 1-d mean and std of one length, got [{string.Join(", ", mean.Shape)}] and [{string.Join(", ", std.Shape)}]");
        Mean = mean.Detach();
        Std = std.Detach();
    }

    /// <summary>Per-feature means of the fitted data.</summary>
    public Tensor Mean { get; }

    /// <summary>Per-feature population standard deviations (ddof = 0) of the fitted data; a constant feature gets 1 so it maps to 0.</summary>
    public Tensor Std { get; }

    /// <summary>Fits on the rows of <paramref name="x"/> [N, F]: mean and population std of each column, accumulated in float64; a column with a NaN or infinite value is refused, named by <paramref name="featureNames"/> when given.</summary>
    public static Normalizer Fit(Tensor x, IReadOnlyList<string>? featureNames = null)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.Dim != 2 || x.Size(0) == 0) throw new ArgumentException($"Normalizer.Fit expects a non-empty [N, F] tensor, got [{string.Join(", ", x.Shape)}]");
        int n = x.Size(0), f = x.Size(1);
        if (featureNames is not null && featureNames.Count != f)
            throw new ArgumentException($"Normalizer.Fit got {featureNames.Count} feature names for {f} features", nameof(featureNames));
        double[] values;
        using (new NoGrad()) values = x.To(DType.Float64).ToArray<double>();
        CheckFinite(values, f, featureNames);
        var mean = new double[f];
        var std = new double[f];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < f; j++) mean[j] += values[i * f + j];
        for (int j = 0; j < f; j++) mean[j] /= n;
        for (int i = 0; i < n; i++)
            for (int j = 0; j < f; j++) { double d = values[i * f + j] - mean[j]; std[j] += d * d; }
        for (int j = 0; j < f; j++)
        {
            std[j] = Math.Sqrt(std[j] / n);
            if (std[j] == 0) std[j] = 1;
        }
        var dtype = x.DType.IsFloatingPoint() ? x.DType : DType.Float32;
        return new Normalizer(Tensor.From(mean).To(dtype), Tensor.From(std).To(dtype));
    }

    /// <summary>Fits on field <paramref name="field"/> (features [F] per sample) of every sample of <paramref name="data"/>, e.g. a training Subset; see <see cref="Fit(Tensor, IReadOnlyList{string})"/>.</summary>
    public static Normalizer Fit(Dataset<Tensor[]> data, int field = 0, IReadOnlyList<string>? featureNames = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.Count == 0) throw new ArgumentException("Normalizer.Fit needs at least one sample");
        var all = Enumerable.Range(0, data.Count).ToArray();
        return Fit(RowGather.Collate(data, all)[field], featureNames);
    }

    /// <summary>Throws for the first column of the row-major [N, F] <paramref name="values"/> that holds a NaN or an infinity: its mean and std would be NaN, and so would every value standardised with them.</summary>
    private static void CheckFinite(double[] values, int f, IReadOnlyList<string>? featureNames)
    {
        int bad = Array.FindIndex(values, v => !double.IsFinite(v));
        if (bad < 0) return;
        int row = bad / f, column = bad % f;
        string name = featureNames is null ? $"feature {column}" : $"feature '{featureNames[column]}' (column {column + 1})";
        throw new ArgumentException(
            $"Normalizer.Fit: {name} has the non-finite value {values[bad]} in sample {row} of the data it is fitted on, so its mean and std would be NaN; drop or fill such samples first");
    }

    /// <summary>(x − Mean) / Std, broadcast over the last dimension.</summary>
    public Tensor Apply(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.Dim == 0 || x.Size(-1) != Mean.Size(0))
            throw new ArgumentException($"Normalizer fitted on {Mean.Size(0)} features cannot apply to shape [{string.Join(", ", x.Shape)}]");
        return (x - Mean.To(x.DType)) / Std.To(x.DType);
    }
}
