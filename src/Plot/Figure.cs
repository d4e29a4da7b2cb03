namespace Framework.Plot;

/// <summary>A grid of plots in one image (<c>fig[row, col]</c> is a Plot), e.g. loss and accuracy side by side.</summary>
public sealed class Figure
{
    private readonly Plot[,] _plots;
    private string? _title;

    /// <summary>Creates rows × cols empty plots.</summary>
    public Figure(int rows = 1, int cols = 1)
    {
        if (rows < 1 || cols < 1 || rows > 100 || cols > 100)
            throw new ArgumentException($"a figure needs 1 to 100 rows and columns, got rows={rows}, cols={cols}");
        _plots = new Plot[rows, cols];
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < cols; c++)
                _plots[r, c] = new Plot();
    }

    /// <summary>Number of rows of plots.</summary>
    public int Rows => _plots.GetLength(0);

    /// <summary>Number of columns of plots.</summary>
    public int Cols => _plots.GetLength(1);

    /// <summary>The plot in the given row and column (0-based, row 0 at the top).</summary>
    public Plot this[int row, int col]
    {
        get
        {
            if ((uint)row >= (uint)Rows || (uint)col >= (uint)Cols)
                throw new ArgumentOutOfRangeException(nameof(row),
                    $"index [{row}, {col}] is outside a figure of {Rows} rows and {Cols} columns");
            return _plots[row, col];
        }
    }

    /// <summary>Sets a title drawn above all the plots (null or "" removes it).</summary>
    public void Title(string? text) => _title = text;

    /// <summary>The figure as a standalone SVG document of width × height pixels, the cells sharing it equally.</summary>
    public string ToSvg(int width = 1200, int height = 500)
    {
        Plot.CheckSize(width, height);
        var svg = new SvgBuilder(width, height);
        double top = 0;
        if (!string.IsNullOrEmpty(_title))
        {
            top = 32;
            svg.Text(_title, width / 2.0, 22, 18, "middle", bold: true, cssClass: "figure-title");
        }
        double cw = (double)width / Cols, ch = (height - top) / Rows;
        for (int r = 0; r < Rows; r++)
            for (int c = 0; c < Cols; c++)
                PlotRenderer.Render(_plots[r, c], svg, c * cw, top + r * ch, cw, ch, $"p{r}_{c}");
        return svg.Finish();
    }

    /// <summary>Writes ToSvg(width, height) to path atomically (a temporary file renamed over the target).</summary>
    public void SaveSvg(string path, int width = 1200, int height = 500) =>
        AtomicFile.WriteAllText(path, ToSvg(width, height));
}
