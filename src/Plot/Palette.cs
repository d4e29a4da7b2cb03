namespace Framework.Plot;

/// <summary>Categorical colour palettes; series added without a colour take the next one in turn.</summary>
public static class Palette
{
    /// <summary>Tableau's 10 categorical colours (matplotlib's "tab10", ScottPlot's Category10).</summary>
    public static IReadOnlyList<Color> Category10 { get; } =
    [
        Color.FromHex("#1f77b4"), Color.FromHex("#ff7f0e"), Color.FromHex("#2ca02c"),
        Color.FromHex("#d62728"), Color.FromHex("#9467bd"), Color.FromHex("#8c564b"),
        Color.FromHex("#e377c2"), Color.FromHex("#7f7f7f"), Color.FromHex("#bcbd22"),
        Color.FromHex("#17becf"),
    ];

    /// <summary>The i-th colour of Category10, wrapping around after 10.</summary>
    public static Color Get(int index) => Category10[((index % Category10.Count) + Category10.Count) % Category10.Count];
}
