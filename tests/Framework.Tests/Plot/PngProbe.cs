using ScottPlot;
using SkiaSharp;

namespace Tests.Plot;

/// <summary>A PNG decoded by SkiaSharp, with counts of pixels of a colour or off the background inside a rectangle.</summary>
internal sealed class PngProbe : IDisposable
{
    private readonly SKBitmap bitmap;

    public PngProbe(byte[] png)
    {
        Assert.True(png.AsSpan(0, 8).SequenceEqual(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }), "not a PNG file");
        bitmap = SKBitmap.Decode(png) ?? throw new InvalidDataException("SkiaSharp could not decode the PNG");
    }

    public static PngProbe Load(string path) => new(File.ReadAllBytes(path));

    public int Width => bitmap.Width;

    public int Height => bitmap.Height;

    /// <summary>The rectangle shrunk by margin pixels on every side (to stay off frame lines), clipped to the image.</summary>
    public (int X0, int Y0, int X1, int Y1) Inside(PixelRect r, int margin = 3) =>
        (Math.Max(0, (int)Math.Ceiling(r.Left) + margin), Math.Max(0, (int)Math.Ceiling(r.Top) + margin),
         Math.Min(Width - 1, (int)Math.Floor(r.Right) - margin), Math.Min(Height - 1, (int)Math.Floor(r.Bottom) - margin));

    /// <summary>Pixels whose RGB is within tolerance (sum of absolute differences) of c.</summary>
    public int CountNear(PixelRect r, Color c, int tolerance = 40)
    {
        var (x0, y0, x1, y1) = Inside(r);
        int n = 0;
        for (int y = y0; y <= y1; y++)
            for (int x = x0; x <= x1; x++)
            {
                var p = bitmap.GetPixel(x, y);
                if (Math.Abs(p.Red - c.R) + Math.Abs(p.Green - c.G) + Math.Abs(p.Blue - c.B) <= tolerance) n++;
            }
        return n;
    }

    /// <summary>Pixels that are clearly not white (data, grid lines are light grey and mostly do not count).</summary>
    public int CountNonBackground(PixelRect r)
    {
        var (x0, y0, x1, y1) = Inside(r);
        int n = 0;
        for (int y = y0; y <= y1; y++)
            for (int x = x0; x <= x1; x++)
                if (bitmap.GetPixel(x, y) is var p && (p.Red < 200 || p.Green < 200 || p.Blue < 200)) n++;
        return n;
    }

    /// <summary>The colour c drawn with opacity alpha over white.</summary>
    public static Color OverWhite(Color c, double alpha) => new(
        (byte)Math.Round(alpha * c.R + (1 - alpha) * 255), (byte)Math.Round(alpha * c.G + (1 - alpha) * 255), (byte)Math.Round(alpha * c.B + (1 - alpha) * 255));

    public SKColor this[int x, int y] => bitmap.GetPixel(x, y);

    public void Dispose() => bitmap.Dispose();
}
