using System.Globalization;
using System.Text;
using Embeddings.Core.IO;

namespace Embeddings.Core.Plotting;

/// <summary>
/// A standalone SVG 1.1 document written as text: numbers in the invariant culture with two decimals at most, and
/// every caller-given string escaped, so the output is well-formed XML whatever the labels hold.
/// </summary>
internal sealed class SvgDocument
{
    /// <summary>The font size of tick labels, legends and point labels, in pixels.</summary>
    public const double FontSize = 12;

    // Rules shared by both charts; series colours go on the elements themselves.
    private const string Style = """
        text { fill: #222; }
        .title { font-size: 16px; font-weight: bold; }
        .axis-title { font-size: 13px; }
        .gridline { stroke: #e3e3e3; stroke-width: 1; }
        .frame { fill: none; stroke: #555; stroke-width: 1; }
        .tick { stroke: #555; stroke-width: 1; }
        .line { fill: none; stroke-width: 2; stroke-linejoin: round; stroke-linecap: round; }
        .marker { stroke: #fff; stroke-width: 1; }
        .point { fill: #1f77b4; fill-opacity: 0.75; }
        .label { font-size: 11px; }
        .crowded { fill-opacity: 0.5; }
        """;

    private readonly StringBuilder _text = new();

    public SvgDocument(int width, int height)
    {
        _text.Append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
            .Append(CultureInfo.InvariantCulture,
                $"<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" ")
            .Append("font-family=\"DejaVu Sans, Helvetica, Arial, sans-serif\" font-size=\"12\">\n")
            .Append("<style type=\"text/css\"><![CDATA[\n").Append(Style).Append("\n]]></style>\n")
            .Append(CultureInfo.InvariantCulture, $"<rect class=\"background\" x=\"0\" y=\"0\" width=\"{width}\" height=\"{height}\" fill=\"#fff\"/>\n");
    }

    /// <summary>A rough width of <paramref name="text"/> in a sans-serif font, enough to lay out margins and labels.</summary>
    public static double TextWidth(string text, double fontSize = FontSize) => text.Length * fontSize * 0.6;

    public void BeginGroup(string cssClass, string? title = null)
    {
        _text.Append("<g class=\"").Append(cssClass).Append("\">");
        if (title is not null)
        {
            _text.Append("<title>");
            AppendEscaped(title);
            _text.Append("</title>");
        }

        _text.Append('\n');
    }

    public void EndGroup() => _text.Append("</g>\n");

    public void Line(double x1, double y1, double x2, double y2, string cssClass, string? stroke = null)
    {
        _text.Append(CultureInfo.InvariantCulture,
            $"<line class=\"{cssClass}\" x1=\"{x1:0.##}\" y1=\"{y1:0.##}\" x2=\"{x2:0.##}\" y2=\"{y2:0.##}\"");
        AppendPaint("stroke", stroke);
        _text.Append("/>\n");
    }

    public void Rect(double x, double y, double width, double height, string cssClass)
    {
        _text.Append(CultureInfo.InvariantCulture,
            $"<rect class=\"{cssClass}\" x=\"{x:0.##}\" y=\"{y:0.##}\" width=\"{width:0.##}\" height=\"{height:0.##}\"/>\n");
    }

    public void Circle(double cx, double cy, double radius, string cssClass, string? fill = null, string? title = null)
    {
        _text.Append(CultureInfo.InvariantCulture, $"<circle class=\"{cssClass}\" cx=\"{cx:0.##}\" cy=\"{cy:0.##}\" r=\"{radius:0.##}\"");
        AppendPaint("fill", fill);
        if (title is null)
        {
            _text.Append("/>\n");
            return;
        }

        _text.Append("><title>");
        AppendEscaped(title);
        _text.Append("</title></circle>\n");
    }

    public void Polyline(IReadOnlyList<(double X, double Y)> points, string cssClass, string stroke)
    {
        _text.Append("<polyline class=\"").Append(cssClass).Append("\" points=\"");
        for (int i = 0; i < points.Count; i++)
        {
            _text.Append(CultureInfo.InvariantCulture, $"{(i == 0 ? "" : " ")}{points[i].X:0.##},{points[i].Y:0.##}");
        }

        _text.Append('"');
        AppendPaint("stroke", stroke);
        _text.Append("/>\n");
    }

    /// <summary>Text with its baseline at <paramref name="y"/>; <paramref name="anchor"/> is start, middle or end; <paramref name="rotate"/> turns it about (x, y).</summary>
    public void Text(double x, double y, string text, string cssClass, string anchor = "start", double rotate = 0)
    {
        _text.Append(CultureInfo.InvariantCulture, $"<text class=\"{cssClass}\" x=\"{x:0.##}\" y=\"{y:0.##}\" text-anchor=\"{anchor}\"");
        if (rotate != 0)
        {
            _text.Append(CultureInfo.InvariantCulture, $" transform=\"rotate({rotate:0.##} {x:0.##} {y:0.##})\"");
        }

        _text.Append('>');
        AppendEscaped(text);
        _text.Append("</text>\n");
    }

    public override string ToString() => _text.ToString() + "</svg>\n";

    /// <summary>Writes <paramref name="svg"/> as UTF-8 without a byte-order mark, atomically.</summary>
    public static void Save(string path, string svg) =>
        AtomicFile.Write(path, svg, static (stream, text) => stream.Write(Encoding.UTF8.GetBytes(text)));

    private void AppendPaint(string attribute, string? colour)
    {
        if (colour is not null)
        {
            _text.Append(' ').Append(attribute).Append("=\"").Append(colour).Append('"');
        }
    }

    /// <summary>
    /// Escapes the XML specials and replaces what XML 1.0 cannot hold at all (control characters, lone surrogates)
    /// with U+FFFD, so that a vocabulary's odd tokens still give a well-formed file.
    /// </summary>
    private void AppendEscaped(string text)
    {
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            switch (c)
            {
                case '&': _text.Append("&amp;"); break;
                case '<': _text.Append("&lt;"); break;
                case '>': _text.Append("&gt;"); break;
                case '"': _text.Append("&quot;"); break;
                case '\t' or '\n' or '\r': _text.Append(' '); break;
                case < ' ' or '\uFFFE' or '\uFFFF': _text.Append('\uFFFD'); break;
                default:
                    if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
                    {
                        _text.Append(c).Append(text[++i]);
                    }
                    else
                    {
                        _text.Append(char.IsSurrogate(c) ? '\uFFFD' : c);
                    }

                    break;
            }
        }
    }
}
