using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using Framework.Autograd;
using Microsoft.Win32.SafeHandles;

namespace Framework.NN;

/// <summary>One tensor of a safetensors file: its dtype, shape and byte range [Begin, End) within the data section.</summary>
internal readonly record struct SafeTensorsEntry(string Name, DType DType, int[] Shape, long Begin, long End);

/// <summary>
/// The header of a safetensors file, read and checked as a whole before any tensor is allocated: the length field, the JSON
/// (one object; no key twice), each entry's dtype, shape and data_offsets, and that the entries tile the data section exactly.
/// Every fault is an InvalidDataException that starts with the file's path and names the entry.
/// </summary>
internal sealed class SafeTensorsHeader
{
    /// <summary>The largest header accepted, as in the reference implementation (a larger length field means a damaged file).</summary>
    public const long MaxHeaderBytes = 100_000_000;

    private readonly string path;

    /// <summary>The tensors in the header's order.</summary>
    public List<SafeTensorsEntry> Entries { get; } = [];

    /// <summary>The __metadata__ map (empty when the file has none).</summary>
    public Dictionary<string, string> Metadata { get; } = [];

    /// <summary>Where the data section starts in the file: 8 + the header length.</summary>
    public long DataStart { get; private set; }

    private SafeTensorsHeader(string path) => this.path = path;

    /// <summary>Reads and checks the header of the open file <paramref name="file"/>, whose name <paramref name="path"/> is put in every message.</summary>
    public static SafeTensorsHeader Read(SafeFileHandle file, string path)
    {
        var h = new SafeTensorsHeader(path);
        long length = RandomAccess.GetLength(file);
        if (length < 8) throw h.Bad($"{length} bytes is too short for the 8-byte header length");
        Span<byte> field = stackalloc byte[8];
        SafeTensors.ReadExactly(file, field, 0, path);
        ulong n = System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(field);
        if (n > MaxHeaderBytes) throw h.Bad($"header length {n} is over the {MaxHeaderBytes} bytes a safetensors header may have (damaged length field?)");
        if ((long)n > length - 8) throw h.Bad($"header length {n} runs past the end of the file ({length} bytes; truncated?)");
        var json = new byte[n];
        SafeTensors.ReadExactly(file, json, 8, path);
        h.DataStart = 8 + (long)n;
        h.Parse(json, length - h.DataStart);
        return h;
    }

    /// <summary>The padded JSON header describing <paramref name="tensors"/> in order, their data packed from offset 0; checks every name, tensor and metadata value first.</summary>
    public static byte[] Write(string path, IReadOnlyDictionary<string, Tensor> tensors, IReadOnlyDictionary<string, string>? metadata)
    {
        foreach (var (name, t) in tensors)
        {
            if (t is null) throw new ArgumentException($"{path}: tensor '{name}' is null", nameof(tensors));
            if (name == "__metadata__") throw new ArgumentException($"{path}: '__metadata__' is the metadata key and cannot name a tensor", nameof(tensors));
            CheckText(path, name, "tensor name", nameof(tensors));
            if (SafeTensors.Code(t.DType) is null)
                throw new ArgumentException($"{path}: tensor '{name}' has dtype {t.DType}, which safetensors files cannot hold", nameof(tensors));
        }
        foreach (var (k, v) in metadata ?? new Dictionary<string, string>())
        {
            CheckText(path, k, "metadata key", nameof(metadata));
            if (v is null) throw new ArgumentException($"{path}: metadata key '{k}' has a null value", nameof(metadata));
            CheckText(path, v, $"value of metadata key '{k}'", nameof(metadata));
        }

        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream))
        {
            w.WriteStartObject();
            if (metadata is { Count: > 0 })
            {
                w.WriteStartObject("__metadata__");
                foreach (var (k, v) in metadata) w.WriteString(k, v);
                w.WriteEndObject();
            }
            long at = 0;
            foreach (var (name, t) in tensors)
            {
                long bytes = t.Numel * t.DType.ElementSize();
                w.WriteStartObject(name);
                w.WriteString("dtype", SafeTensors.Code(t.DType));
                w.WriteStartArray("shape");
                foreach (var d in t.Shape) w.WriteNumberValue(d);
                w.WriteEndArray();
                w.WriteStartArray("data_offsets");
                w.WriteNumberValue(at);
                w.WriteNumberValue(at + bytes);
                w.WriteEndArray();
                w.WriteEndObject();
                at += bytes;
            }
            w.WriteEndObject();
        }
        while (stream.Length % 8 != 0) stream.WriteByte((byte)' ');   // aligns the data, as the reference writer does
        return stream.ToArray();
    }

    /// <summary>Throws unless <paramref name="s"/> is valid UTF-16 (no lone surrogate), which JSON needs.</summary>
    private static void CheckText(string path, string s, string what, string param)
    {
        for (int i = 0; i < s.Length; i++)
        {
            if (!char.IsSurrogate(s[i])) continue;
            if (char.IsHighSurrogate(s[i]) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1])) { i++; continue; }
            throw new ArgumentException($"{path}: {what} '{s}' holds a lone UTF-16 surrogate at index {i}, which a JSON header cannot store", param);
        }
    }

    /// <summary>The fault <paramref name="why"/> of this file.</summary>
    private InvalidDataException Bad(string why) => new($"{path}: not a valid safetensors file: {why}");

    /// <summary>The fault <paramref name="why"/> of the entry <paramref name="name"/>.</summary>
    private InvalidDataException Bad(string name, string why) => new($"{path}: entry '{name}': {why}");

    private void Parse(byte[] json, long dataLength)
    {
        if (!Utf8.IsValid(json)) throw Bad($"header is not UTF-8 text (byte {FirstInvalidUtf8(json)} of the header)");
        JsonDocument doc;
        try { doc = JsonDocument.Parse(json); }
        catch (JsonException e) { throw Bad($"header is not JSON (byte {Offset(json, e)} of the header): {e.Message}"); }
        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object) throw Bad($"header is {Kind(doc.RootElement)}, not a JSON object");
            var seen = new HashSet<string>();
            foreach (var p in doc.RootElement.EnumerateObject())
            {
                string name = Text(p, null);
                if (!seen.Add(name)) throw Bad($"the header has the key '{name}' twice");
                if (name == "__metadata__") ReadMetadata(p.Value);
                else Entries.Add(ReadEntry(name, p.Value, dataLength));
            }
        }
        CheckTiling(dataLength);
    }

    private void ReadMetadata(JsonElement m)
    {
        if (m.ValueKind != JsonValueKind.Object) throw Bad("__metadata__", $"must be an object of strings, not {Kind(m)}");
        foreach (var p in m.EnumerateObject())
        {
            string key = Text(p, "__metadata__");
            if (p.Value.ValueKind != JsonValueKind.String) throw Bad("__metadata__", $"key '{key}' must have a string value, not {Kind(p.Value)}");
            if (!Metadata.TryAdd(key, Text(p.Value, "__metadata__"))) throw Bad("__metadata__", $"has the key '{key}' twice");
        }
    }

    private SafeTensorsEntry ReadEntry(string name, JsonElement e, long dataLength)
    {
        if (e.ValueKind != JsonValueKind.Object) throw Bad(name, $"must be an object with dtype, shape and data_offsets, not {Kind(e)}");
        var fields = new Dictionary<string, JsonElement>(3);
        foreach (var p in e.EnumerateObject())
        {
            string key = Text(p, name);
            if (key is not ("dtype" or "shape" or "data_offsets")) continue;   // other keys are ignored, as the reference reader does
            if (!fields.TryAdd(key, p.Value)) throw Bad(name, $"has the key '{key}' twice");
        }
        if (!fields.TryGetValue("dtype", out var dt)) throw Bad(name, "lacks dtype");
        if (!fields.TryGetValue("shape", out var sh)) throw Bad(name, "lacks shape");
        if (!fields.TryGetValue("data_offsets", out var off)) throw Bad(name, "lacks data_offsets");

        if (dt.ValueKind != JsonValueKind.String) throw Bad(name, $"dtype must be a string such as \"F32\", not {Kind(dt)}");
        string code = Text(dt, name);
        var dtype = SafeTensors.ParseCode(code) ?? throw Bad(name, $"dtype \"{code}\" is not supported (F32, F64, I64, BOOL)");

        var shape = ReadShape(name, sh);
        long numel = 1, span = 1;
        foreach (int d in shape)
        {
            numel = Math.Min(numel * d, Array.MaxLength + 1L);              // saturates, so never overflows: each product < 2^62
            span = Math.Min(span * Math.Max(d, 1), Array.MaxLength + 1L);   // what the strides must reach, even with a 0-size dim
        }
        if (span > Array.MaxLength)
            throw Bad(name, $"shape {Format(shape)} is too large: {(numel == 0 ? "its non-zero sizes multiply to" : "it has")} more than {Array.MaxLength} elements");
        long bytes = numel * dtype.ElementSize();

        if (off.ValueKind != JsonValueKind.Array || off.GetArrayLength() != 2 || !Integer(off[0], out long begin) || !Integer(off[1], out long end) || begin < 0 || end < 0)
            throw Bad(name, $"data_offsets must be two non-negative integers, not {Show(off)}");
        if (end < begin) throw Bad(name, $"data_offsets [{begin}, {end}] end before they begin");
        if (end > dataLength) throw Bad(name, $"data_offsets [{begin}, {end}] run past the {dataLength} data bytes of the file (truncated?)");
        if (end - begin != bytes)
            throw Bad(name, $"shape {Format(shape)} and dtype {code} need {bytes} bytes but data_offsets [{begin}, {end}] span {end - begin}");
        return new SafeTensorsEntry(name, dtype, shape, begin, end);
    }

    /// <summary>The dimensions, each an integer in [0, int.MaxValue].</summary>
    private int[] ReadShape(string name, JsonElement sh)
    {
        if (sh.ValueKind != JsonValueKind.Array) throw Bad(name, $"shape must be an array of non-negative integers, not {Kind(sh)}");
        var dims = new long[sh.GetArrayLength()];
        int i = 0;
        foreach (var d in sh.EnumerateArray())
            if (!Integer(d, out dims[i++]))
                throw Bad(name, $"shape must be an array of non-negative integers, but holds {Show(d)}");
        if (dims.Any(d => d < 0)) throw Bad(name, $"shape {Format(dims)} has a negative dimension");
        if (dims.Any(d => d > int.MaxValue)) throw Bad(name, $"shape {Format(dims)} is too large: a dimension is over {int.MaxValue}");
        return Array.ConvertAll(dims, d => (int)d);
    }

    /// <summary>The entries, sorted by offset, must cover the data section from its first byte to its last, without overlap or gap.</summary>
    private void CheckTiling(long dataLength)
    {
        var spans = Entries.Select(e => (e.Begin, e.End, e.Name)).ToList();
        spans.Sort();
        long expect = 0;
        foreach (var (begin, end, name) in spans)
        {
            if (begin != expect)
                throw Bad(name, $"data_offsets start at byte {begin} but the previous tensor's data ends at {expect} ({(begin < expect ? "overlap" : "gap")})");
            expect = end;
        }
        if (expect != dataLength) throw Bad($"{dataLength - expect} trailing bytes after the last tensor's data (the tensors cover {expect} of {dataLength} data bytes)");
    }

    /// <summary>A property's name; an escape that makes no valid UTF-16 is a fault of <paramref name="entry"/> (or of the header when null).</summary>
    private string Text(JsonProperty p, string? entry)
    {
        try { return p.Name; }
        catch (InvalidOperationException e) { throw entry is null ? Bad($"a key is not valid text ({e.Message})") : Bad(entry, $"a key is not valid text ({e.Message})"); }
    }

    private string Text(JsonElement s, string entry)
    {
        try { return s.GetString()!; }
        catch (InvalidOperationException e) { throw Bad(entry, $"a string is not valid text ({e.Message})"); }
    }

    /// <summary>True when <paramref name="e"/> is a JSON integer that fits a long (1.0 and 1e3 are not).</summary>
    private static bool Integer(JsonElement e, out long value)
    {
        value = 0;
        return e.ValueKind == JsonValueKind.Number && e.TryGetInt64(out value);
    }

    private static string Kind(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Object => "an object", JsonValueKind.Array => "an array", JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number", JsonValueKind.True or JsonValueKind.False => "a boolean", _ => "null",
    };

    /// <summary>The element's JSON text, cut to 40 bytes.</summary>
    private static string Show(JsonElement e)
    {
        var raw = System.Runtime.InteropServices.JsonMarshal.GetRawUtf8Value(e);
        return raw.Length <= 40 ? Encoding.UTF8.GetString(raw) : Encoding.UTF8.GetString(raw[..40]) + "...";
    }

    private static string Format<T>(T[] shape) => $"[{string.Join(", ", shape)}]";

    /// <summary>The byte of the header where the JSON reader stopped (its line and byte-in-line made absolute).</summary>
    private static long Offset(byte[] json, JsonException e)
    {
        long line = e.LineNumber ?? 0, at = 0;
        for (; line > 0 && at < json.Length; at++) if (json[at] == (byte)'\n') line--;
        return at + (e.BytePositionInLine ?? 0);
    }

    private static int FirstInvalidUtf8(ReadOnlySpan<byte> bytes)
    {
        for (int i = 0; i < bytes.Length;)
        {
            if (System.Text.Rune.DecodeFromUtf8(bytes[i..], out _, out int used) != System.Buffers.OperationStatus.Done) return i;
            i += used;
        }
        return bytes.Length;
    }
}
