using System.Globalization;

namespace Framework.Optim;

/// <summary>Formats numbers in error messages as Python's str(float) does for the usual ranges ("0.1", "-1", "1e-08").</summary>
internal static class PyFormat
{
    /// <summary>Shortest round-trip form with a lower-case exponent, e.g. -1e-08.</summary>
    public static string Num(double x) => x.ToString("R", CultureInfo.InvariantCulture).Replace('E', 'e');

    /// <summary>An ArgumentException "{what}: {x}", e.g. "Invalid learning rate: -1".</summary>
    public static ArgumentException Invalid(string what, double x) => new($"{what}: {Num(x)}");
}
