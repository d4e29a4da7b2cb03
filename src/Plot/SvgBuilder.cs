using System.Globalization;
using System.Text;

namespace Framework.Plot;

/// <summary>Writes SVG elements as text: numbers in invariant culture, text escaped for XML, only features librsvg renders.</summary>
internal sealed class SvgBuilder
{
    private readonly StringBuilder _sb = new();

    public SvgBuilder(int width, int height)
    {
        _sb.Append($"<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"{width}\" height=\"{height}\" ")
           .Append($"viewBox=\"0 0 {width} {height}\" font-family=\"sans-serif\">\n");
        Rect(0, 0, width, height, fill: Color.White, stroke: null, cssClass: "background");
    }

    /// <summary>A number with at most two decimals, no exponent, no "-0".</summary>
    public static string N(double v)
    {
        v = Math.Round(v, 2);
        return v == 0 ? "0" : v.ToString("0.##", CultureInfo.InvariantCulture);
    }

    /// <summary>Escapes &amp; &lt; &gt; " ' and drops characters XML 1.0 does not allow.</summary>
    public static string Escape(string text)
    {
        var sb = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            switch (c)
            {
                case '&': sb.Append("&amp;"); break;
                case '<': sb.Append("&lt;"); break;
                case '>': sb.Append("&gt;"); break;
                case '"': sb.Append("&quot;"); break;
                case '\'': sb.Append("&apos;"); break;
                default:
                    if (c is '\t' or '\n' or '\r' || c >= 0x20 && c is not ('\uFFFE' or '\uFFFF'))
                        sb.Append(c);
                    break; // other control characters are not allowed in XML 1.0
            }
        }
        return sb.ToString();
    }

    public void Raw(string text) => _sb.Append(text);

    public void OpenGroup(string? cssClass = null, string? clipId = null)
    {
        _sb.Append("<g");
        if (cssClass is not null) _sb.Append($" class=\"{Escape(cssClass)}\"");
        if (clipId is not null) _sb.Append($" clip-path=\"url(#{clipId})\"");
        _sb.Append(">\n");
    }

    public void CloseGroup() => _sb.Append("</g>\n");

    public void ClipRect(string id, double x, double y, double w, double h) =>
        _sb.Append($"<defs><clipPath id=\"{id}\"><rect x=\"{N(x)}\" y=\"{N(y)}\" width=\"{N(w)}\" height=\"{N(h)}\"/></clipPath></defs>\n");

    public void Rect(double x, double y, double w, double h, Color? fill, Color? stroke, double strokeWidth = 1,
        string? cssClass = null)
    {
        _sb.Append($"<rect x=\"{N(x)}\" y=\"{N(y)}\" width=\"{N(Math.Max(0, w))}\" height=\"{N(Math.Max(0, h))}\"");
        if (cssClass is not null) _sb.Append($" class=\"{cssClass}\"");
        Paint("fill", fill);
        Paint("stroke", stroke);
        if (stroke is not null) _sb.Append($" stroke-width=\"{N(strokeWidth)}\"");
        _sb.Append("/>\n");
    }

    public void Line(double x1, double y1, double x2, double y2, Color stroke, double width = 1)
    {
        _sb.Append($"<line x1=\"{N(x1)}\" y1=\"{N(y1)}\" x2=\"{N(x2)}\" y2=\"{N(y2)}\"");
        Paint("stroke", stroke);
        _sb.Append($" stroke-width=\"{N(width)}\"/>\n");
    }

    /// <summary>A stroked, unfilled path; d is a list of "M x y L x y ..." commands.</summary>
    public void Path(string d, Color stroke, double width, string? cssClass = null)
    {
        _sb.Append("<path");
        if (cssClass is not null) _sb.Append($" class=\"{cssClass}\"");
        _sb.Append($" d=\"{d}\" fill=\"none\"");
        Paint("stroke", stroke);
        _sb.Append($" stroke-width=\"{N(width)}\" stroke-linejoin=\"round\" stroke-linecap=\"round\"/>\n");
    }

    public void Circle(double cx, double cy, double r, Color fill)
    {
        _sb.Append($"<circle cx=\"{N(cx)}\" cy=\"{N(cy)}\" r=\"{N(r)}\"");
        Paint("fill", fill);
        _sb.Append("/>\n");
    }

    /// <summary>Text anchored at (x, y): anchor is start/middle/end; baseline "middle" centres it vertically; rotate in degrees about (x, y).</summary>
    public void Text(string text, double x, double y, double size, string anchor = "start", bool bold = false,
        bool middle = false, double rotate = 0, Color? fill = null, string? cssClass = null)
    {
        // dominant-baseline is patchy across renderers; shifting by about 0.35 em centres digits and capitals
        if (middle)
            y += 0.35 * size * (rotate == 0 ? 1 : 0);
        if (middle && rotate != 0)
            x += 0.35 * size;
        _sb.Append($"<text x=\"{N(x)}\" y=\"{N(y)}\" font-size=\"{N(size)}\"");
        if (anchor != "start") _sb.Append($" text-anchor=\"{anchor}\"");
        if (bold) _sb.Append(" font-weight=\"bold\"");
        if (rotate != 0) _sb.Append($" transform=\"rotate({N(rotate)} {N(x)} {N(y)})\"");
        if (cssClass is not null) _sb.Append($" class=\"{cssClass}\"");
        Paint("fill", fill ?? new Color(34, 34, 34));
        _sb.Append($">{Escape(text)}</text>\n");
    }

    /// <summary>Estimated width of text in pixels, from DejaVu Sans's advance widths by character class (in em).</summary>
    public static double TextWidth(string text, double size)
    {
        double em = 0;
        foreach (var c in text)
            em += c switch
            {
                'i' or 'l' or 'j' or '.' or ',' or ':' or ';' or '!' or '\'' or '|' => 0.3,
                ' ' => 0.32,
                'f' or 't' or 'r' or '(' or ')' or '[' or ']' or '-' => 0.4,
                'm' or 'w' or 'M' or 'W' => 0.95,
                >= '0' and <= '9' => 0.64,
                >= 'A' and <= 'Z' => 0.72,
                _ => 0.6,
            };
        return em * size;
    }

    public string Finish() => _sb.Append("</svg>\n").ToString();

    private void Paint(string attribute, Color? color)
    {
        if (color is not Color c)
        {
            _sb.Append($" {attribute}=\"none\"");
            return;
        }
        _sb.Append($" {attribute}=\"{c.ToHex()}\"");
        if (c.A != 255)
            _sb.Append($" {attribute}-opacity=\"{N(c.Opacity)}\"");
    }
}
