namespace Framework.Plot;

/// <summary>The data range shown: x from XMin (left) to XMax (right), y from YMin (bottom) to YMax (top).</summary>
public readonly record struct AxisLimits(double XMin, double XMax, double YMin, double YMax);
