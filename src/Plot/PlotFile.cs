using ScottPlot;
using SkiaSharp;

namespace Framework.Plot;

/// <summary>Saves ScottPlot plots and multiplots as PNG or SVG atomically: a temporary file in the same directory, renamed over the target.</summary>
public static class PlotFile
{
    /// <summary>Writes plot as a width × height PNG to path; a failed write leaves the old file and no temporary file.</summary>
    public static void SavePngAtomic(this ScottPlot.Plot plot, string path, int width = 800, int height = 600)
    {
        ArgumentNullException.ThrowIfNull(plot);
        CheckSize(width, height);
        AtomicFile.WriteAllBytes(path, plot.GetImageBytes(width, height, ImageFormat.Png));
    }

    /// <summary>Writes plot as a width × height SVG document to path, atomically.</summary>
    public static void SaveSvgAtomic(this ScottPlot.Plot plot, string path, int width = 800, int height = 600)
    {
        ArgumentNullException.ThrowIfNull(plot);
        CheckSize(width, height);
        AtomicFile.WriteAllText(path, plot.GetSvgXml(width, height));
    }

    /// <summary>Writes every panel of multiplot into one width × height PNG at path, atomically.</summary>
    public static void SavePngAtomic(this Multiplot multiplot, string path, int width = 1000, int height = 420)
    {
        ArgumentNullException.ThrowIfNull(multiplot);
        CheckSize(width, height);
        using var image = multiplot.Render(width, height);
        AtomicFile.WriteAllBytes(path, image.GetImageBytes(ImageFormat.Png, 100));
    }

    /// <summary>Writes every panel of multiplot into one width × height SVG document at path, atomically.</summary>
    public static void SaveSvgAtomic(this Multiplot multiplot, string path, int width = 1000, int height = 420)
    {
        ArgumentNullException.ThrowIfNull(multiplot);
        CheckSize(width, height);
        AtomicFile.WriteAllText(path, GetSvgXml(multiplot, width, height));
    }

    /// <summary>Every panel of multiplot as one width × height SVG document.</summary>
    public static string GetSvgXml(this Multiplot multiplot, int width, int height)
    {
        ArgumentNullException.ThrowIfNull(multiplot);
        CheckSize(width, height);
        using var stream = new SKDynamicMemoryWStream();
        using (var canvas = SKSvgCanvas.Create(new SKRect(0, 0, width, height), stream))
            multiplot.Render(canvas, new PixelRect(0, width, height, 0));
        using var data = stream.DetachAsData();
        return System.Text.Encoding.UTF8.GetString(data.AsSpan());
    }

    internal static void CheckSize(int width, int height)
    {
        if (width < 1 || height < 1 || width > 100_000 || height > 100_000)
            throw new ArgumentException($"image size must be between 1 and 100000 pixels, got {width} × {height}");
    }
}
