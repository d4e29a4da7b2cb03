using System.Globalization;
using System.Xml.Linq;

namespace Tests.Plot;

/// <summary>Parsing and querying the SVG a plot writes.</summary>
internal static class SvgTestUtil
{
    public static readonly XNamespace Ns = "http://www.w3.org/2000/svg";

    public static XDocument Parse(string svg) => XDocument.Parse(svg);

    public static IEnumerable<XElement> All(this XDocument doc, string name) => doc.Descendants(Ns + name);

    public static IEnumerable<XElement> WithClass(this XDocument doc, string cssClass) =>
        doc.Descendants().Where(e => ((string?)e.Attribute("class"))?.Split(' ').Contains(cssClass) == true);

    public static string[] Texts(this XDocument doc, string cssClass) =>
        doc.WithClass(cssClass).Select(e => e.Value).ToArray();

    public static double Num(this XElement e, string attribute) =>
        double.Parse((string)e.Attribute(attribute)!, CultureInfo.InvariantCulture);
}
