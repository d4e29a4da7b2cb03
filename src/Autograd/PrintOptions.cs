namespace Framework.Autograd;

/// <summary>A named set of print options, as torch.set_printoptions(profile=...).</summary>
public enum PrintProfile
{
    /// <summary>Precision 4, threshold 1000, 3 edge items, 80 columns.</summary>
    Default,
    /// <summary>Precision 2, threshold 1000, 2 edge items, 80 columns.</summary>
    Short,
    /// <summary>Precision 4, never summarised, 3 edge items, 80 columns.</summary>
    Full,
}

/// <summary>How tensors print (torch's PRINT_OPTS): process-wide, changed with <see cref="Tensor.SetPrintOptions"/>.</summary>
/// <param name="Precision">Digits after the decimal point.</param>
/// <param name="Threshold">Element count above which a tensor is summarised with "...".</param>
/// <param name="EdgeItems">Items shown at each end of a summarised dimension.</param>
/// <param name="LineWidth">Characters per line before wrapping.</param>
/// <param name="SciMode">Scientific notation always (true), never (false), or chosen per tensor (null).</param>
public sealed record PrintOptions(int Precision = 4, long Threshold = 1000, int EdgeItems = 3, int LineWidth = 80, bool? SciMode = null)
{
    private static volatile PrintOptions current = new();

    /// <summary>The options in effect.</summary>
    public static PrintOptions Current => current;

    internal static void Set(PrintOptions options) => current = options;
}

public partial class Tensor
{
    /// <summary>
    /// Changes how tensors print, like torch.set_printoptions: a profile first, then each given option; sciMode is always
    /// set (null restores the automatic choice), as in PyTorch.
    /// </summary>
    public static void SetPrintOptions(int? precision = null, long? threshold = null, int? edgeItems = null, int? lineWidth = null,
                                       PrintProfile? profile = null, bool? sciMode = null)
    {
        if (precision < 0) throw new ArgumentOutOfRangeException(nameof(precision), precision, "precision must be non-negative");
        if (edgeItems < 0) throw new ArgumentOutOfRangeException(nameof(edgeItems), edgeItems, "edgeItems must be non-negative");
        var o = PrintOptions.Current;
        o = profile switch
        {
            PrintProfile.Default => o with { Precision = 4, Threshold = 1000, EdgeItems = 3, LineWidth = 80 },
            PrintProfile.Short => o with { Precision = 2, Threshold = 1000, EdgeItems = 2, LineWidth = 80 },
            PrintProfile.Full => o with { Precision = 4, Threshold = long.MaxValue, EdgeItems = 3, LineWidth = 80 },
            _ => o,
        };
        PrintOptions.Set(o with
        {
            Precision = precision ?? o.Precision,
            Threshold = threshold ?? o.Threshold,
            EdgeItems = edgeItems ?? o.EdgeItems,
            LineWidth = lineWidth ?? o.LineWidth,
            SciMode = sciMode,
        });
    }
}
