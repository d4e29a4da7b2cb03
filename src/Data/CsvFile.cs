using System.Buffers;
using System.Text;
using System.Text.Unicode;
using CsvHelper;

namespace Framework.Data;

/// <summary>The checks on a CSV file as a whole: that it is a file, that it is text, and where its quoting goes wrong.</summary>
internal static class CsvFile
{
    /// <summary>How many bytes at the start of a file are looked at to tell text from binary.</summary>
    private const int SniffBytes = 1024;

    /// <summary>Throws unless <paramref name="path"/> is an existing file whose first KB is text: no NUL byte and valid UTF-8 (a UTF-16 or UTF-32 byte order mark is let through; CsvHelper transcodes those).</summary>
    public static void CheckIsTextFile(string path)
    {
        if (Directory.Exists(path)) throw new ArgumentException($"'{path}' is a directory, not a file");
        if (!File.Exists(path)) throw new FileNotFoundException($"CSV file '{path}' not found", path);
        var head = new byte[SniffBytes];
        int length;
        using (var file = File.OpenRead(path)) length = file.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        var bytes = head.AsSpan(0, length);
        if (bytes is [0xFF, 0xFE, ..] or [0xFE, 0xFF, ..] or [0, 0, 0xFE, 0xFF, ..]) return;   // UTF-16 or UTF-32 byte order mark
        int nul = bytes.IndexOf((byte)0);
        var chars = new char[length];
        var status = Utf8.ToUtf16(nul < 0 ? bytes : bytes[..nul], chars, out int valid, out _,
                                  replaceInvalidSequences: false, isFinalBlock: length < SniffBytes || nul >= 0);
        int bad = status == OperationStatus.InvalidData ? valid : nul;
        if (bad >= 0)
            throw new InvalidDataException(
                $"{path} is not a text CSV file (byte 0x{bytes[bad]:X2} at offset {bad}{(bytes[bad] == 0 ? "" : " is not valid UTF-8")}); save it as UTF-8 text");
    }

    /// <summary>Throws if a name or label cell holds what a text file cannot: a NUL, or U+FFFD (what CsvHelper reads bytes that are not UTF-8 as).</summary>
    public static void CheckIsText(string text, string where)
    {
        int i = text.AsSpan().IndexOfAny('\0', '\uFFFD');
        if (i >= 0)
            throw new InvalidDataException(
                $"{where}: {CsvCell.Show(text)} holds {(text[i] == 0 ? "a NUL byte" : "bytes that are not valid UTF-8 (read as U+FFFD)")}, so this is not a text CSV file; save it as UTF-8 text");
    }

    /// <summary>
    /// The error for a record whose quoting CsvHelper had to repair: a quote that never closes (the field runs to the end of the file)
    /// or text after a closing quote (<c>"4"5</c>, which would read as 45). A stray quote inside an unquoted field is kept as text and is not an error.
    /// </summary>
    public static InvalidDataException QuoteError(string path, CsvMalformedRecord record, char delimiter, IReadOnlyList<string>? names)
    {
        var (field, lineBreaks, text) = FindQuoteProblem(record.RawRecord, delimiter, record.Reason == CsvMalformedReason.UnterminatedQuote);
        int line = (int)record.LineNumber + lineBreaks;
        string where = field < 0 ? $"{path} line {line}"
                     : names is not null && field < names.Count ? new CsvCell(path, line, names[field], field).ToString()
                     : $"{path} line {line}, field {field + 1}";
        return record.Reason == CsvMalformedReason.UnterminatedQuote
            ? new InvalidDataException($"{where}: unterminated quote: the quoted field opened on line {line} never closes (it runs to the end of the file)")
            : new InvalidDataException($"{where}: text after the closing quote of a quoted field{(text is null ? "" : $" ({CsvCell.Show(text)})")}; quote the whole field and double the quotes inside it");
    }

    /// <summary>
    /// Walks a raw record by RFC 4180 (fields split by <paramref name="delimiter"/>, a field quoted when its first non-blank character is a quote,
    /// <c>""</c> an escaped quote) to the first quoted field that never closes (<paramref name="unterminated"/>) or that has text after its closing quote:
    /// its 0-based field index, the line breaks before its opening quote, and its raw text; field -1 when no such field is found.
    /// </summary>
    private static (int Field, int LineBreaks, string? Text) FindQuoteProblem(string raw, char delimiter, bool unterminated)
    {
        int field = 0, i = 0;
        while (i <= raw.Length)
        {
            int start = i;
            while (i < raw.Length && raw[i] is ' ' or '\t' && raw[i] != delimiter) i++;
            if (i < raw.Length && raw[i] == '"')
            {
                int open = i++;
                while (i < raw.Length && !(raw[i] == '"' && (i + 1 >= raw.Length || raw[i + 1] != '"'))) i += raw[i] == '"' ? 2 : 1;
                if (i >= raw.Length)
                    return unterminated ? (field, LineBreaks(raw.AsSpan(0, open)), null) : (-1, 0, null);
                i++;                                                        // the closing quote
                int end = raw.IndexOf(delimiter, i);
                if (end < 0) end = raw.Length;
                if (!unterminated && raw.AsSpan(i, end - i).Trim(" \t").Length > 0)
                    return (field, LineBreaks(raw.AsSpan(0, open)), raw[start..end]);
                i = end;
            }
            else
            {
                int end = raw.IndexOf(delimiter, i);
                i = end < 0 ? raw.Length : end;
            }
            i++;                                                            // the delimiter, or past the end
            field++;
        }
        return (-1, 0, null);
    }

    /// <summary>The number of line breaks in <paramref name="s"/>, CR LF counted once.</summary>
    private static int LineBreaks(ReadOnlySpan<char> s)
    {
        int n = 0;
        for (int i = 0; i < s.Length; i++)
        {
            if (s[i] == '\n') n++;
            else if (s[i] == '\r' && (i + 1 >= s.Length || s[i + 1] != '\n')) n++;
        }
        return n;
    }
}
