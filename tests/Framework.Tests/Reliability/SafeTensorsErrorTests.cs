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
        Assert.Contains(path, e.Message);
        Assert.Contains("'e'", e.Message);
        Assert.Contains("shape [0, 65536, 65536] is too large: its non-zero sizes multiply to more than 2147483591 elements", e.Message);
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
}
