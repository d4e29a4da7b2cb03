using System.Globalization;

namespace Framework.Optim;

/// <summary>Typed reads from a state dict, with an error naming the key that is missing or of the wrong type.</summary>
internal static class StateValues
{
    private static object Get(IReadOnlyDictionary<string, object> state, string key)
        => state.TryGetValue(key, out var v) && v is not null ? v : throw new KeyNotFoundException($"the state dict has no \"{key}\"");

    /// <summary>A number under <paramref name="key"/> as a double.</summary>
    public static double Double(IReadOnlyDictionary<string, object> state, string key)
        => Get(state, key) is IConvertible c ? c.ToDouble(CultureInfo.InvariantCulture) : throw new ArgumentException($"state dict entry \"{key}\" is not a number");

    /// <summary>A whole number under <paramref name="key"/>.</summary>
    public static int Int(IReadOnlyDictionary<string, object> state, string key)
        => Get(state, key) is IConvertible c ? c.ToInt32(CultureInfo.InvariantCulture) : throw new ArgumentException($"state dict entry \"{key}\" is not a number");

    /// <summary>A string under <paramref name="key"/>.</summary>
    public static string String(IReadOnlyDictionary<string, object> state, string key)
        => Get(state, key) as string ?? throw new ArgumentException($"state dict entry \"{key}\" is not a string");

    /// <summary>A list of numbers under <paramref name="key"/>.</summary>
    public static double[] Doubles(IReadOnlyDictionary<string, object> state, string key)
        => Get(state, key) is System.Collections.IEnumerable e and not string
            ? [.. e.Cast<object>().Select(v => Convert.ToDouble(v, CultureInfo.InvariantCulture))]
            : throw new ArgumentException($"state dict entry \"{key}\" is not a list of numbers");
}
