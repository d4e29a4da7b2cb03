using System.Buffers.Binary;
using System.Text;
using Framework.Autograd;
using Framework.NN;

namespace Tests.Reliability;

/// <summary>SafeTensors refuses every damaged header, shape, offset, path and argument with the file and the entry in the message, and never leaves a half-written file.</summary>
public sealed class SafeTensorsErrorTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("framework-st-errors-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    /// <summary>A file of the 8-byte length, <paramref name="json"/> and <paramref name="data"/> bytes (0, 1, 2, ...).</summary>
    private string Write(string json, int data = 16, string name = "e.safetensors") => WriteBytes(Encoding.UTF8.GetBytes(json), data, name);

    private string WriteBytes(byte[] json, int data = 16, string name = "e.safetensors")
    {
        var bytes = new byte[8 + json.Length + data];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, (ulong)json.Length);
        json.CopyTo(bytes, 8);
        for (int i = 0; i < data; i++) bytes[8 + json.Length + i] = (byte)i;
        string path = Path.Combine(dir, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private static string Message(string path) => Assert.Throws<InvalidDataException>(() => SafeTensors.Load(path)).Message;

    private const string Good = """{"dtype":"F32","shape":[2,2],"data_offsets":[0,16]}""";

    [Theory]
    [InlineData("5", "must be an object with dtype, shape and data_offsets, not a number")]
    [InlineData("[1,2]", "must be an object with dtype, shape and data_offsets, not an array")]
    [InlineData("""{"dtype":"F32","shape":[2,2],"data_offsets":[0.0,16.0]}""", "data_offsets must be two non-negative integers, not [0.0,16.0]")]
    [InlineData("""{"dtype":"F32","shape":[2,2],"data_offsets":["0","16"]}""", "data_offsets must be two non-negative integers, not [\"0\",\"16\"]")]
    [InlineData("""{"dtype":"F32","shape":[2,2],"data_offsets":16}""", "data_offsets must be two non-negative integers, not 16")]
    [InlineData("""{"dtype":"F32","shape":[2,2],"data_offsets":[0,8,16]}""", "data_offsets must be two non-negative integers, not [0,8,16]")]
    [InlineData("""{"dtype":"F32","shape":[2,2],"data_offsets":[-16,0]}""", "data_offsets must be two non-negative integers, not [-16,0]")]
    [InlineData("""{"dtype":"F32","shape":[2,2],"data_offsets":[0,99999999999999999999]}""", "data_offsets must be two non-negative integers, not [0,99999999999999999999]")]
    [InlineData("""{"dtype":"F32","shape":"4","data_offsets":[0,16]}""", "shape must be an array of non-negative integers, not a string")]
    [InlineData("""{"dtype":"F32","shape":[4.0],"data_offsets":[0,16]}""", "shape must be an array of non-negative integers, but holds 4.0")]
    [InlineData("""{"dtype":"F32","shape":[2,null],"data_offsets":[0,16]}""", "shape must be an array of non-negative integers, but holds null")]
    [InlineData("""{"dtype":"F32","shape":[1e30],"data_offsets":[0,16]}""", "shape must be an array of non-negative integers, but holds 1e30")]
    [InlineData("""{"dtype":5,"shape":[2,2],"data_offsets":[0,16]}""", "dtype must be a string such as \"F32\", not a number")]
    [InlineData("""{"dtype":"F32","shape":[4294967296],"data_offsets":[0,16]}""", "shape [4294967296] is too large: a dimension is over 2147483647")]
    [InlineData("""{"dtype":"F32","shape":[-3,-4],"data_offsets":[0,16]}""", "shape [-3, -4] has a negative dimension")]
    [InlineData("""{"dtype":"F32","shape":[65536,65536,65536],"data_offsets":[0,16]}""", "shape [65536, 65536, 65536] is too large: it has more than 2147483591 elements")]
    [InlineData("""{"dtype":"I64","shape":[2147483647,2147483647,2147483647,2147483647],"data_offsets":[0,16]}""", "shape [2147483647, 2147483647, 2147483647, 2147483647] is too large: it has more than 2147483591 elements")]
    [InlineData("""{"dtype":"F16","shape":[2,2],"data_offsets":[0,8]}""", "dtype \"F16\" is not supported (F32, F64, I64, BOOL)")]
    [InlineData("""{"shape":[2,2],"data_offsets":[0,16]}""", "lacks dtype")]
    [InlineData("""{"dtype":"F32","data_offsets":[0,16]}""", "lacks shape")]
    [InlineData("""{"dtype":"F32","shape":[2,2]}""", "lacks data_offsets")]
    [InlineData("""{"dtype":"F32","dtype":"F64","shape":[2,2],"data_offsets":[0,16]}""", "has the key 'dtype' twice")]
    [InlineData("""{"dtype":"F32","shape":[2,2],"data_offsets":[16,0]}""", "data_offsets [16, 0] end before they begin")]
    [InlineData("""{"dtype":"F32","shape":[2,2],"data_offsets":[0,20]}""", "data_offsets [0, 20] run past the 16 data bytes of the file (truncated?)")]
    [InlineData("""{"dtype":"F64","shape":[2,2],"data_offsets":[0,16]}""", "shape [2, 2] and dtype F64 need 32 bytes but data_offsets [0, 16] span 16")]
    [InlineData("""{"dtype":"F32","shape":[2],"data_offsets":[8,16]}""", "data_offsets start at byte 8 but the previous tensor's data ends at 0 (gap)")]
    public void AnEntryOfTheWrongFormIsRefusedNamingTheFileAndTheEntry(string entry, string why)
    {
        string path = Write($$"""{"fc1.weight":{{entry}}}""");
        Assert.Equal($"{path}: entry 'fc1.weight': {why}", Message(path));
    }

    [Fact]
    public void OverlappingEntriesAreRefused()
    {
        string path = Write("""{"a":{"dtype":"F32","shape":[3],"data_offsets":[0,12]},"b":{"dtype":"F32","shape":[2],"data_offsets":[8,16]}}""");
        Assert.Equal($"{path}: entry 'b': data_offsets start at byte 8 but the previous tensor's data ends at 12 (overlap)", Message(path));
    }

    [Theory]
    [InlineData("""{"w":""" + Good + ""","w":""" + Good + "}", "the header has the key 'w' twice")]
    [InlineData("""{"w":""" + Good + ""","\u0077":""" + Good + "}", "the header has the key 'w' twice")]
    [InlineData("""[1,2]""", "header is an array, not a JSON object")]
    [InlineData("""{"w":""" + Good + """,}""", "header is not JSON (byte 57 of the header): The JSON object contains a trailing comma")]
    [InlineData("""{"w":""" + Good, "header is not JSON (byte 56 of the header): Expected depth to be zero")]
    [InlineData("""{"w":""" + Good + "}\n\n{", "header is not JSON (byte 59 of the header): '{' is invalid after a single JSON value")]
    [InlineData("", "header is not JSON (byte 0 of the header): ")]
    public void AHeaderThatIsNotOneObjectOfDistinctKeysIsRefused(string json, string why)
    {
        string path = Write(json);
        Assert.StartsWith($"{path}: not a valid safetensors file: {why}", Message(path));
    }

    [Fact]
    public void TrailingBytesAfterTheLastTensorAreRefused()
    {
        string path = Write($$"""{"w":{{Good}}}""", data: 28);
        Assert.Equal($"{path}: not a valid safetensors file: 12 trailing bytes after the last tensor's data (the tensors cover 16 of 28 data bytes)", Message(path));
    }

    [Fact]
    public void AHeaderThatIsNotUtf8IsRefusedWithTheBytePosition()
    {
        var json = Encoding.UTF8.GetBytes("""{"wX":""" + Good + "}");
        json[3] = 0xFF;
        string path = WriteBytes(json);
        Assert.Equal($"{path}: not a valid safetensors file: header is not UTF-8 text (byte 3 of the header)", Message(path));
    }

    [Fact]
    public void AnEscapedLoneSurrogateInAKeyIsRefused()
    {
        string path = Write("""{"w\ud800":""" + Good + "}");
        Assert.StartsWith($"{path}: not a valid safetensors file: a key is not valid text (", Message(path));
    }

    [Theory]
    [InlineData("5", "entry '__metadata__': must be an object of strings, not a number")]
    [InlineData("""{"format":5}""", "entry '__metadata__': key 'format' must have a string value, not a number")]
    [InlineData("""{"format":null}""", "entry '__metadata__': key 'format' must have a string value, not null")]
    [InlineData("""{"format":"pt","format":"np"}""", "entry '__metadata__': has the key 'format' twice")]
    public void MetadataMustBeAMapOfStrings(string metadata, string why)
    {
        string path = Write($$"""{"__metadata__":{{metadata}},"w":{{Good}}}""");
        Assert.Equal($"{path}: {why}", Message(path));
        Assert.Equal($"{path}: {why}", Assert.Throws<InvalidDataException>(() => SafeTensors.LoadMetadata(path)).Message);
    }

    [Fact]
    public void MetadataRoundTrips()
    {
        string path = Path.Combine(dir, "m.safetensors");
        SafeTensors.Save(path, new Dictionary<string, Tensor> { ["w"] = Tensor.Ones(2) }, new Dictionary<string, string> { ["format"] = "pt", ["é"] = "\"q\"" });
        Assert.Equal(new Dictionary<string, string> { ["format"] = "pt", ["é"] = "\"q\"" }, SafeTensors.LoadMetadata(path));
        Assert.Empty(SafeTensors.LoadMetadata(Write($$"""{"w":{{Good}}}""")));
    }

    [Theory]
    [InlineData(0, "0 bytes is too short for the 8-byte header length")]
    [InlineData(7, "7 bytes is too short for the 8-byte header length")]
    public void AFileShorterThanTheLengthFieldIsRefused(int length, string why)
    {
        string path = Path.Combine(dir, "short.safetensors");
        File.WriteAllBytes(path, new byte[length]);
        Assert.Equal($"{path}: not a valid safetensors file: {why}", Message(path));
    }

    [Theory]
    [InlineData(1000UL, "header length 1000 runs past the end of the file (24 bytes; truncated?)")]
    [InlineData(100_000_001UL, "header length 100000001 is over the 100000000 bytes a safetensors header may have (damaged length field?)")]
    [InlineData(ulong.MaxValue, "header length 18446744073709551615 is over the 100000000 bytes a safetensors header may have (damaged length field?)")]
    public void AHeaderLengthPastTheFileOrAbsurdIsRefused(ulong length, string why)
    {
        string path = Write("{}", data: 14);
        var bytes = File.ReadAllBytes(path);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, length);
        File.WriteAllBytes(path, bytes);
        Assert.Equal($"{path}: not a valid safetensors file: {why}", Message(path));
    }

    [Fact]
    public void AnEntryLargerThanTheFileIsRefusedBeforeAnythingIsAllocated()
    {
        string path = Write("""{"w":{"dtype":"F64","shape":[268435455],"data_offsets":[0,2147483640]}}""");
        SafeTensors.Load(Write($$"""{"w":{{Good}}}""", name: "warm.safetensors"));   // JIT and type loading out of the measurement
        long before = GC.GetAllocatedBytesForCurrentThread();
        Assert.Equal($"{path}: entry 'w': data_offsets [0, 2147483640] run past the 16 data bytes of the file (truncated?)", Message(path));
        Assert.InRange(GC.GetAllocatedBytesForCurrentThread() - before, 0, 64 * 1024);
    }

    [Fact]
    public void ZeroSizedAndEmptyShapesLoad()
    {
        string path = Write("""{"e":{"dtype":"F32","shape":[0,65536],"data_offsets":[0,0]},"s":{"dtype":"F32","shape":[],"data_offsets":[0,4]}}""", data: 4);
        var all = SafeTensors.Load(path);
        Assert.Equal([0, 65536], all["e"].Shape);
        Assert.Equal(0, all["e"].Numel);
        Assert.Equal(BitConverter.ToSingle([0, 1, 2, 3]), all["s"].Item());
    }

    [Fact]
    public void AnEmptyShapeWhoseOtherSizesOverflowTheStridesIsRefused()
    {
        string path = Write("""{"e":{"dtype":"F32","shape":[0,65536,65536],"data_offsets":[0,0]}}""", data: 0);
        var e = Assert.Throws<InvalidDataException>(() => SafeTensors.Load(path));
        Assert.Equal($"{path}: entry 'e': shape [0, 65536, 65536] is too large: its non-zero sizes multiply to more than 2147483591 elements", e.Message);
    }

    [Fact]
    public void ADirectoryIsRefusedForLoadAndSave()
    {
        Assert.Equal($"'{dir}' is a directory, not a file", Assert.Throws<ArgumentException>(() => SafeTensors.Load(dir)).Message);
        Assert.Equal($"'{dir}' is a directory, not a file",
            Assert.Throws<ArgumentException>(() => SafeTensors.Save(dir, new Dictionary<string, Tensor> { ["w"] = Tensor.Ones(2) })).Message);
    }

    [Fact]
    public void AMissingFileOrDirectoryIsFileNotFoundNamingThePath()
    {
        foreach (var path in new[] { Path.Combine(dir, "none.safetensors"), Path.Combine(dir, "no", "such.safetensors") })
        {
            var e = Assert.Throws<FileNotFoundException>(() => SafeTensors.Load(path));
            Assert.Equal($"safetensors file '{path}' not found", e.Message);
            Assert.Equal(path, e.FileName);
        }
        var save = Path.Combine(dir, "no", "such.safetensors");
        Assert.Equal($"cannot save '{save}': the directory '{Path.Combine(dir, "no")}' does not exist",
            Assert.Throws<DirectoryNotFoundException>(() => SafeTensors.Save(save, new Dictionary<string, Tensor>())).Message);
    }

    [Fact]
    public void AskingForATensorTheFileLacksIsRefused()
    {
        string path = Write($$"""{"w":{{Good}}}""");
        var only = SafeTensors.Load(path, ["w"]);
        Assert.Equal([2, 2], Assert.Single(only).Value.Shape);
        Assert.StartsWith($"{path} has no tensor 'b'", Assert.Throws<ArgumentException>(() => SafeTensors.Load(path, ["w", "b"])).Message);
    }

    [SkippableFact]
    public void ATensorPastTheTwoGiBOffsetOfASparseFileLoads()
    {
        const long pad = 1L << 30;
        Skip.If(new DriveInfo(dir).AvailableFreeSpace < 6 * pad, "less than 6 GiB free for the 2 GiB sparse file");
        static string Entry(string name, string dtype, long n, long begin, long end) =>
            $"\"{name}\":{{\"dtype\":\"{dtype}\",\"shape\":[{n}],\"data_offsets\":[{begin},{end}]}}";
        var json = Encoding.UTF8.GetBytes($"{{{Entry("pad0", "BOOL", pad, 0, pad)},{Entry("pad1", "BOOL", pad, pad, 2 * pad)},{Entry("last", "F32", 4, 2 * pad, 2 * pad + 16)}}}");
        float[] values = [1.5f, -2f, 3.25f, 1e30f];
        string path = Path.Combine(dir, "big.safetensors");
        using (var f = new FileStream(path, FileMode.CreateNew, FileAccess.Write))
        {
            var len = new byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(len, (ulong)json.Length);
            f.Write(len);
            f.Write(json);
            f.SetLength(8 + json.Length + 2 * pad + 16);   // a hole: takes no disk space on ext4 and overlayfs
            f.Position = 8 + json.Length + 2 * pad;
            f.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()));
        }
        Assert.True(new FileInfo(path).Length > 2 * pad);
        var last = Assert.Single(SafeTensors.Load(path, ["last"])).Value;
        Assert.Equal([4], last.Shape);
        Assert.Equal(values, last.ToArray());
    }

    private static readonly Dictionary<string, Tensor> Two = new() { ["a"] = Tensor.Ones(2), ["b"] = Tensor.Zeros(3) };

    public static TheoryData<string, Dictionary<string, Tensor>?, Dictionary<string, string>?, string> BadSaves() => new()
    {
        { "a null tensor", new() { ["a"] = Tensor.Ones(2), ["b"] = null! }, null, "tensor 'b' is null" },
        { "the metadata key as a tensor name", new() { ["__metadata__"] = Tensor.Ones(2) }, null, "'__metadata__' is the metadata key and cannot name a tensor" },
        { "a lone surrogate in a name", new() { ["w\ud800"] = Tensor.Ones(2) }, null, "tensor name 'w\ud800' holds a lone UTF-16 surrogate at index 1, which a JSON header cannot store" },
        { "a null metadata value", Two, new() { ["format"] = null! }, "metadata key 'format' has a null value" },
    };

    [Theory]
    [MemberData(nameof(BadSaves))]
    public void ABadSaveIsRefusedBeforeAnythingIsWritten(string what, Dictionary<string, Tensor>? tensors, Dictionary<string, string>? metadata, string why)
    {
        string path = Path.Combine(dir, "s.safetensors");
        var e = Assert.Throws<ArgumentException>(() => SafeTensors.Save(path, tensors!, metadata));
        Assert.StartsWith($"{path}: {why}", e.Message);
        Assert.False(File.Exists(path), what);
        SafeTensors.Save(path, Two);
        var before = File.ReadAllBytes(path);
        Assert.Throws<ArgumentException>(() => SafeTensors.Save(path, tensors!, metadata));
        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.Single(Directory.GetFiles(dir));
    }

    /// <summary>Tensors whose values fail after the first one: Save writes the data from Values, so the failure comes mid-file.</summary>
    private sealed class FailingValues(Dictionary<string, Tensor> inner) : IReadOnlyDictionary<string, Tensor>
    {
        public IEnumerable<Tensor> Values { get { yield return inner.Values.First(); throw new IOException("disk full (simulated)"); } }
        public Tensor this[string key] => inner[key];
        public IEnumerable<string> Keys => inner.Keys;
        public int Count => inner.Count;
        public bool ContainsKey(string key) => inner.ContainsKey(key);
        public bool TryGetValue(string key, [System.Diagnostics.CodeAnalysis.MaybeNullWhen(false)] out Tensor value) => inner.TryGetValue(key, out value);
        public IEnumerator<KeyValuePair<string, Tensor>> GetEnumerator() => inner.GetEnumerator();
        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }

    [Fact]
    public void AFailureWhileWritingLeavesTheOldFileAndNoTemporaryFile()
    {
        string path = Path.Combine(dir, "w.safetensors");
        SafeTensors.Save(path, Two);
        var before = File.ReadAllBytes(path);
        Assert.Equal("disk full (simulated)", Assert.Throws<IOException>(() => SafeTensors.Save(path, new FailingValues(Two))).Message);
        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.Equal([path], Directory.GetFiles(dir));
    }

    [Fact]
    public void ANonContiguousTensorIsSavedAsItsValues()
    {
        string path = Path.Combine(dir, "t.safetensors");
        var t = Tensor.From(new float[,] { { 1, 2, 3 }, { 4, 5, 6 } }).T();
        Assert.False(t.IsContiguous);
        SafeTensors.Save(path, new Dictionary<string, Tensor> { ["t"] = t });
        var back = SafeTensors.Load(path)["t"];
        Assert.Equal([3, 2], back.Shape);
        Assert.Equal([1f, 4, 2, 5, 3, 6], back.ToArray());
    }

    [Theory]
    [InlineData("""{"0.weight":{"dtype":"F32","shape":[2,3],"data_offsets":[0,24]},"0.weight":{"dtype":"F32","shape":[2,3],"data_offsets":[0,24]}}""", 24, "the header has the key '0.weight' twice")]
    [InlineData("""{"0.weight":{"dtype":"F32","shape":[-2,-3],"data_offsets":[0,24]}}""", 24, "entry '0.weight': shape [-2, -3] has a negative dimension")]
    [InlineData("""{"0.weight":{"dtype":"F32","shape":[2,3],"data_offsets":[0,24]},"0.bias":{"dtype":6,"shape":[2],"data_offsets":[24,32]}}""", 32, "entry '0.bias': dtype must be a string")]
    public void ModuleLoadOfABadFileLeavesTheModuleUnchanged(string json, int data, string why)
    {
        var m = new Sequential(new Linear(3, 2), new ReLU(), new Linear(2, 1));
        var before = m.StateDict().ToDictionary(kv => kv.Key, kv => kv.Value.ToArray());
        string path = Write(json, data);
        Assert.Contains($"{path}: ", Assert.Throws<InvalidDataException>(() => m.Load(path)).Message);
        Assert.Contains(why, Assert.Throws<InvalidDataException>(() => m.Load(path)).Message);
        foreach (var (k, v) in m.StateDict()) Assert.Equal(before[k], v.ToArray());
    }
}
