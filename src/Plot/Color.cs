using System.Globalization;

namespace Framework.Plot;

/// <summary>An sRGB colour with 8-bit channels and alpha (255 = opaque).</summary>
public readonly record struct Color(byte R, byte G, byte B, byte A = 255)
{
    /// <summary>Parses "#rrggbb", "#rrggbbaa" or "#rgb" (the leading '#' is optional).</summary>
    public static Color FromHex(string hex)
    {
        ArgumentNullException.ThrowIfNull(hex);
        var s = hex.StartsWith('#') ? hex[1..] : hex;
        if (s.Length == 3)
            s = string.Concat(s[0], s[0], s[1], s[1], s[2], s[2]);
        if ((s.Length != 6 && s.Length != 8) || !s.All(Uri.IsHexDigit))
            throw new ArgumentException($"'{hex}' is not a colour of the form #rrggbb or #rrggbbaa", nameof(hex));
        byte At(int i) => byte.Parse(s.AsSpan(i, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        return new Color(At(0), At(2), At(4), s.Length == 8 ? At(6) : (byte)255);
    }

    /// <summary>The colour as "#rrggbb" (alpha is written separately, as an SVG opacity).</summary>
    public string ToHex() => $"#{R:x2}{G:x2}{B:x2}";

    /// <summary>Alpha as a fraction in [0, 1].</summary>
    public double Opacity => A / 255.0;

    /// <summary>The same colour with alpha replaced: a = 0 transparent, 1 opaque.</summary>
    public Color WithOpacity(double a) => this with { A = (byte)Math.Round(Math.Clamp(a, 0, 1) * 255) };

    /// <summary>Opaque black.</summary>
    public static Color Black => new(0, 0, 0);

    /// <summary>Opaque white.</summary>
    public static Color White => new(255, 255, 255);

    /// <summary>Opaque mid grey.</summary>
    public static Color Gray => new(128, 128, 128);
}
