namespace Framework.Plot;

/// <summary>The corner of the data area where the legend box sits.</summary>
public enum LegendLocation
{
    /// <summary>Top right corner (the default).</summary>
    UpperRight,
    /// <summary>Top left corner.</summary>
    UpperLeft,
    /// <summary>Bottom right corner.</summary>
    LowerRight,
    /// <summary>Bottom left corner.</summary>
    LowerLeft,
}
