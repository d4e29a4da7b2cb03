using Framework.Plot;
using ScottPlot;

namespace Tests.Plot;

/// <summary>Atomic PNG and SVG writes of plots and multiplots: the target is replaced whole or left as it was, and no temporary file remains.</summary>
public class PlotFileTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("framework-plotfile-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    private static ScottPlot.Plot Sample()
    {
        var plt = PlotFont.NewPlot();
        plt.Add.ScatterLine(new double[] { 1, 2, 3 }, new double[] { 3, 1, 2 });
        plt.Title("sample");
        return plt;
    }

    [Fact]
    public void SavePngAtomic_ReplacesTheFileWhole()
    {
        var path = Path.Combine(dir, "p.png");
        File.WriteAllText(path, "old");
        Sample().SavePngAtomic(path, 320, 240);
        using (var png = PngProbe.Load(path))
            Assert.Equal((320, 240), (png.Width, png.Height));
        Sample().SaveSvgAtomic(Path.Combine(dir, "p.svg"), 320, 240);
        Assert.Contains("width=\"320\"", File.ReadAllText(Path.Combine(dir, "p.svg")));
        Assert.Equal(["p.png", "p.svg"], Directory.GetFiles(dir).Select(Path.GetFileName).Order());
    }

    [Fact]
    public void AFailedWrite_LeavesTheOldFileAndNoTemporaryFile()
    {
        var path = Path.Combine(dir, "keep.png");
        File.WriteAllText(path, "old");
        Assert.Throws<IOException>(() => AtomicFile.Write(path, tmp =>
        {
            File.WriteAllText(tmp, "half a pic");
            throw new IOException("disk full");
        }));
        Assert.Equal("old", File.ReadAllText(path));
        Assert.Equal(["keep.png"], Directory.GetFiles(dir).Select(Path.GetFileName));

        var target = Path.Combine(dir, "a directory.png");   // the rename itself fails
        Directory.CreateDirectory(target);
        Assert.ThrowsAny<IOException>(() => Sample().SavePngAtomic(target, 100, 100));
        Assert.True(Directory.Exists(target));
        Assert.Equal(["keep.png"], Directory.GetFiles(dir).Select(Path.GetFileName));

        Assert.ThrowsAny<IOException>(() => Sample().SavePngAtomic(Path.Combine(dir, "missing", "p.png"), 100, 100));
        Assert.Equal(["keep.png"], Directory.GetFiles(dir).Select(Path.GetFileName));
    }

    [Fact]
    public void BadSizes_AreRefusedBeforeAnythingIsWritten()
    {
        var e = Assert.Throws<ArgumentException>(() => Sample().SavePngAtomic(Path.Combine(dir, "z.png"), 0, 100));
        Assert.Equal("image size must be between 1 and 100000 pixels, got 0 × 100", e.Message);
        var multiplot = new Multiplot();
        e = Assert.Throws<ArgumentException>(() => multiplot.SaveSvgAtomic(Path.Combine(dir, "z.svg"), 100, -1));
        Assert.Equal("image size must be between 1 and 100000 pixels, got 100 × -1", e.Message);
        Assert.Empty(Directory.GetFiles(dir));
    }

    [Fact]
    public void Multiplot_SavesAsPngAndSvg()
    {
        var multiplot = new Multiplot();
        multiplot.Reset(Sample());
        multiplot.AddPlot(Sample());
        multiplot.Layout = new ScottPlot.MultiplotLayouts.Columns();
        var png = Path.Combine(dir, "m.png");
        multiplot.SavePngAtomic(png, 600, 200);
        using (var image = PngProbe.Load(png))
            Assert.Equal((600, 200), (image.Width, image.Height));
        var svg = multiplot.GetSvgXml(600, 200);
        Assert.Contains("<svg", svg);
        Assert.Contains("width=\"600\"", svg);
        Assert.True(System.Text.RegularExpressions.Regex.Matches(svg, "<text").Count >= 2, "both panels' titles are text in the SVG");
    }
}
