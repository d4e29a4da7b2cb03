using System.Text;
using Framework.Autograd;
using Framework.Data;

namespace Tests.Reliability;

/// <summary>CsvDataset refuses bad files with the file, line and column (name and 1-based index) in the message, and reads the documented non-finite literals.</summary>
public sealed class CsvErrorTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("framework-csv-errors-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    private string Write(string name, string text) => WriteBytes(name, Encoding.UTF8.GetBytes(text));

    private string WriteBytes(string name, byte[] bytes)
    {
        string path = Path.Combine(dir, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private static InvalidDataException Refused(string path, string[] features, string label, CsvLabel kind = CsvLabel.Class, IReadOnlyList<string>? classes = null) =>
        Assert.Throws<InvalidDataException>(() => CsvDataset.Load(path, features, label, label: kind, classes: classes));

    [Theory]
    [InlineData("1e39")]
    [InlineData("-1e39")]
    [InlineData("1e400")]
    [InlineData("3.5e38")]
    public void FiniteLiteralBeyondFloat32IsRefused(string cell)
    {
        string path = Write("big.csv", $"x,w,y\n1,2,a\n{cell},3,b\n");
        var e = Refused(path, ["x", "w"], "y");
        Assert.Equal($"{path} line 3, column 'x' (1): '{cell}' overflows Float32 (largest magnitude 3.4028235E+38)", e.Message);
        e = Refused(Write("bigtarget.csv", $"w,x\n1,2\n3,{cell}\n"), ["w"], "x", CsvLabel.Regression);
        Assert.Contains($"line 3, column 'x' (2): '{cell}' overflows Float32", e.Message);
    }

    [Fact]
    public void LargestFloat32AndUnderflowAreRead()
    {
        var data = CsvDataset.Load(Write("edge.csv", "x,y\n3.4028235e38,a\n-3.4028235e38,a\n1e-50,b\n"), ["x"], "y");
        Assert.Equal(new[] { float.MaxValue, float.MinValue, 0f }, data.Features.ToArray());
    }

    [Fact]
    public void NanAndInfinityLiteralsAreReadInAnyCase()
    {
        string path = Write("special.csv", "x,y\nnan,a\nNaN,a\n-nan,a\ninf,a\n-inf,a\n+INF,a\nInfinity,a\n-infinity,a\n");
        var x = CsvDataset.Load(path, ["x"], "y").Features.ToArray();
        Assert.All(x[..3], v => Assert.True(float.IsNaN(v)));
        Assert.Equal(new[] { float.PositiveInfinity, float.NegativeInfinity, float.PositiveInfinity, float.PositiveInfinity, float.NegativeInfinity }, x[3..]);
    }

    [Theory]
    [InlineData("NA", "'NA' is not a number")]
    [InlineData("1,5", null)]
    [InlineData("", "empty cell where a number is expected (write nan for a missing value)")]
    [InlineData("\"\"", "empty cell where a number is expected (write nan for a missing value)")]
    [InlineData("4\"5", "'4\"5' is not a number")]
    public void OtherCellsAreNotNumbers(string cell, string? message)
    {
        string path = Write("nan.csv", $"x,y\n1,a\n{cell},b\n");
        if (message is null)
        {
            var ragged = Refused(path, ["x"], "y");
            Assert.Equal($"{path} line 3 has 3 fields, expected 2 (as in the header)", ragged.Message);
            return;
        }
        Assert.Equal($"{path} line 3, column 'x' (1): {message}", Refused(path, ["x"], "y").Message);
    }

    [Theory]
    [InlineData("nan")]
    [InlineData("inf")]
    public void StandardizeRefusesAColumnWithNonFiniteValues(string cell)
    {
        var data = CsvDataset.Load(Write("std.csv", $"a,b,y\n1,2,p\n3,{cell},q\n5,6,p\n"), ["a", "b"], "y");
        var before = data.Features.ToArray();
        var e = Assert.Throws<ArgumentException>(() => data.Standardize());
        string value = cell == "nan" ? "NaN" : "Infinity";
        Assert.Equal($"Normalizer.Fit: feature 'b' (column 2) has the non-finite value {value} in sample 1 of the data it is fitted on, " +
                     "so its mean and std would be NaN; drop or fill such samples first", e.Message);
        Assert.Equal(before, data.Features.ToArray());   // nothing was changed
        var norm = data.Standardize(fitOn: new Subset<Tensor[]>(data, [0, 2]));   // rows without the bad value fit fine
        Assert.Equal(new float[] { 3, 4 }, norm.Mean.ToArray());
        var plain = Assert.Throws<ArgumentException>(() => Normalizer.Fit(Tensor.FromArray(new float[] { 1, float.NaN }, [1, 2])));
        Assert.StartsWith("Normalizer.Fit: feature 1 has the non-finite value NaN in sample 0", plain.Message);
    }

    [Fact]
    public void ClassesFromTheTrainingSplitGiveTheTestSplitTheSameIndices()
    {
        string train = Write("train.csv", "x,y\n1,a\n2,b\n3,c\n4,a\n");
        string test = Write("test.csv", "x,y\n5,c\n6,a\n");
        var trainData = CsvDataset.Load(train, ["x"], "y");
        Assert.Equal(new long[] { 1, 0 }, CsvDataset.Load(test, ["x"], "y").Labels.ToArray<long>());   // c is 1 when only the file is seen
        var testData = CsvDataset.Load(test, ["x"], "y", classes: trainData.Classes);
        Assert.Equal(["a", "b", "c"], testData.Classes!);
        Assert.Equal(new long[] { 2, 0 }, testData.Labels.ToArray<long>());
        var ordered = CsvDataset.Load(test, ["x"], "y", classes: ["c", "b", "a"]);
        Assert.Equal(new long[] { 0, 2 }, ordered.Labels.ToArray<long>());   // the list's order is the index
    }

    [Fact]
    public void UnseenLabelIsRefusedWhenClassesAreGiven()
    {
        string test = Write("test.csv", "x,y\n5,c\n6,d\n");
        var e = Refused(test, ["x"], "y", classes: ["a", "b", "c"]);
        Assert.Equal($"{test} line 3, column 'y' (2): label 'd' is not one of the 3 known classes (a, b, c)", e.Message);
        var many = Enumerable.Range(0, 25).Select(i => $"k{i}").ToArray();
        e = Refused(test, ["x"], "y", classes: many);
        Assert.EndsWith("label 'c' is not one of the 25 known classes (k0, k1, k2, k3, k4, k5, k6, k7, k8, k9, k10, k11, k12, k13, k14, k15, k16, k17, k18, k19, ... (5 more))", e.Message);
    }

    [Fact]
    public void BadClassListsAreArgumentErrors()
    {
        string path = Write("c.csv", "x,y\n1,a\n");
        var e = Assert.Throws<ArgumentException>(() => CsvDataset.Load(path, ["x"], "y", classes: ["a", "b", "a"]));
        Assert.StartsWith("classes names 'a' twice, at 0 and 2", e.Message);
        e = Assert.Throws<ArgumentException>(() => CsvDataset.Load(path, ["x"], "y", classes: ["a", ""]));
        Assert.StartsWith("classes[1] is empty", e.Message);
        e = Assert.Throws<ArgumentException>(() => CsvDataset.Load(path, ["x"], "y", label: CsvLabel.Regression, classes: ["a"]));
        Assert.StartsWith("classes: names the classes of CsvLabel.Class labels", e.Message);
    }

    [Theory]
    [InlineData("x,y\n1,a\n2,\n")]
    [InlineData("x,y\n1,a\n2,\"\"\n")]
    [InlineData("x,y\n1,a\n2,   \n")]
    public void EmptyLabelIsRefused(string text)
    {
        string path = Write("empty-label.csv", text);
        Assert.Equal($"{path} line 3, column 'y' (2): empty label", Refused(path, ["x"], "y").Message);
        Assert.Equal($"{path} line 3, column 'y' (2): empty label", Refused(path, ["x"], "y", CsvLabel.Regression).Message);
        Assert.Equal($"{path} line 3, column 'y' (2): empty label", Refused(path, ["x"], "y", classes: ["a"]).Message);
    }

    [Fact]
    public void NonIntegerNumericLabelsAreRefusedForClassesAndReadForRegression()
    {
        string path = Write("float-labels.csv", "x,y\n1,1\n2,1.0\n3,2.0\n");
        var e = Refused(path, ["x"], "y");
        Assert.Equal($"{path} line 3, column 'y' (2): label '1.0' is a number but not an integer class index; load numeric targets with label: CsvLabel.Regression", e.Message);
        Assert.Equal(new float[] { 1, 1, 2 }, CsvDataset.Load(path, ["x"], "y", label: CsvLabel.Regression).Labels.ToArray());
        var named = CsvDataset.Load(path, ["x"], "y", classes: ["1", "1.0", "2.0"]);   // named explicitly, they are just names
        Assert.Equal(new long[] { 0, 1, 2 }, named.Labels.ToArray<long>());
    }

    [Fact]
    public void IntegerLabelsStayClassIndicesButNotNegativeOnes()
    {
        string path = Write("ints.csv", "x,y\n1,3\n2,0\n3,+1\n");
        var data = CsvDataset.Load(path, ["x"], "y");
        Assert.Null(data.Classes);
        Assert.Equal(new long[] { 3, 0, 1 }, data.Labels.ToArray<long>());
        string negative = Write("neg.csv", "x,y\n1,3\n2,-1\n");
        Assert.Equal($"{negative} line 3, column 'y' (2): label -1 is negative; integer labels are class indices 0, 1, 2, ...", Refused(negative, ["x"], "y").Message);
    }

    [Fact]
    public void LabelsMixingNumbersAndTextAreRefused()
    {
        string path = Write("mixed.csv", "x,y\n1,1\n2,2\n3,x\n4,2\n");
        var e = Refused(path, ["x"], "y");
        Assert.Equal($"{path}: label column 'y' (2) mixes numbers and text: line 2 has the number '1', line 4 the text 'x'; pass classes: to name every class", e.Message);
        var named = CsvDataset.Load(path, ["x"], "y", classes: ["x", "1", "2"]);
        Assert.Equal(new long[] { 1, 2, 0, 2 }, named.Labels.ToArray<long>());
    }

    [Fact]
    public void DuplicateHeaderNameIsRefused()
    {
        string path = Write("dup.csv", "a,b,a,y\n1,2,3,p\n");
        var e = Refused(path, ["b"], "y");
        Assert.Equal($"{path}: the header names column 'a' twice, as columns 1 and 3; column names must be distinct", e.Message);
    }

    [Theory]
    [InlineData("a,b,y\n1,2,x\n3,\"4,z\n5,6,w\n", 3, "column 'b' (2)")]
    [InlineData("a,b,y\n1,2,x\n3,4,\"z\n5,6,w\n7,8,q\n", 3, "column 'y' (3)")]
    [InlineData("a,b,y\n1,\"2\n2\",\"x\n5,6,w\n", 3, "column 'y' (3)")]
    [InlineData("a,b,y\r\n1,2,x\r\n\r\n3,4,\"x\r\n", 4, "column 'y' (3)")]
    public void UnterminatedQuoteNamesTheLineWhereItOpened(string text, int line, string column)
    {
        string path = Write("quote.csv", text);
        var e = Refused(path, ["a", "b"], "y");
        Assert.Equal($"{path} line {line}, {column}: unterminated quote: the quoted field opened on line {line} never closes (it runs to the end of the file)", e.Message);
    }

    [Fact]
    public void UnterminatedQuoteInTheHeader()
    {
        string path = Write("quote.csv", "a,\"b,y\n1,2,x\n");
        Assert.Equal($"{path} line 1, field 2: unterminated quote: the quoted field opened on line 1 never closes (it runs to the end of the file)", Refused(path, ["a"], "y").Message);
    }

    [Fact]
    public void TextAfterAClosingQuoteIsRefused()
    {
        string path = Write("after.csv", "a,b,y\n1,2,x\n3,\"4\"5,z\n");
        var e = Refused(path, ["a", "b"], "y");
        Assert.Equal($"{path} line 3, column 'b' (2): text after the closing quote of a quoted field ('\"4\"5'); quote the whole field and double the quotes inside it", e.Message);
    }

    [Fact]
    public void StrayQuoteInsideAnUnquotedLabelIsText()
    {
        var data = CsvDataset.Load(Write("stray.csv", "a,y\n1,5'6\"\n2,\"say \"\"hi\"\"\"\n"), ["a"], "y");
        Assert.Equal(["5'6\"", "say \"hi\""], data.Classes!);
    }

    [Fact]
    public void DirectoryIsNotAFile()
    {
        var e = Assert.Throws<ArgumentException>(() => CsvDataset.Load(dir, ["a"], "b"));
        Assert.Equal($"'{dir}' is a directory, not a file", e.Message);
    }

    [Fact]
    public void MissingFileIsNamed()
    {
        string path = Path.Combine(dir, "absent.csv");
        var e = Assert.Throws<FileNotFoundException>(() => CsvDataset.Load(path, ["a"], "b"));
        Assert.Equal($"CSV file '{path}' not found", e.Message);
        Assert.Equal(path, e.FileName);
    }

    [Fact]
    public void BinaryFileIsNotTextCsv()
    {
        string nul = WriteBytes("nul.csv", [.. "a,b,y\n1,2,x\n3,4,"u8, 0, .. "z\n"u8]);
        Assert.Equal($"{nul} is not a text CSV file (byte 0x00 at offset 16); save it as UTF-8 text", Refused(nul, ["a"], "y").Message);
        string latin1 = WriteBytes("latin1.csv", [.. "a,y\n1,caf"u8, 0xE9, .. "\n"u8]);
        Assert.Equal($"{latin1} is not a text CSV file (byte 0xE9 at offset 9 is not valid UTF-8); save it as UTF-8 text", Refused(latin1, ["a"], "y").Message);
        string png = WriteBytes("image.csv", [0x89, .. "PNG\r\n"u8, 0x1A, 0x0A, 0, 0, 0, 0x0D]);
        Assert.Equal($"{png} is not a text CSV file (byte 0x89 at offset 0 is not valid UTF-8); save it as UTF-8 text", Refused(png, ["a"], "y").Message);
    }

    [Fact]
    public void BinaryBytesPastTheFirstKilobyteAreCaughtInTheCell()
    {
        var text = new StringBuilder("x,y\n");
        for (int i = 0; i < 200; i++) text.Append(i).Append(",a\n");
        string path = WriteBytes("late.csv", [.. Encoding.UTF8.GetBytes(text.ToString()), .. "7,b"u8, 0xFF, .. "\n"u8]);
        var e = Refused(path, ["x"], "y");
        Assert.Equal($"{path} line 202, column 'y' (2): 'b\uFFFD' holds bytes that are not valid UTF-8 (read as U+FFFD), so this is not a text CSV file; save it as UTF-8 text", e.Message);
        string nul = WriteBytes("latenul.csv", [.. Encoding.UTF8.GetBytes(text.ToString()), .. "7,b"u8, 0, .. "\n"u8]);
        Assert.Contains("line 202, column 'y' (2): 'b\\u0000' holds a NUL byte", Refused(nul, ["x"], "y").Message);
    }

    [Fact]
    public void ByteOrderMarksAreText()
    {
        string utf8 = WriteBytes("bom8.csv", [0xEF, 0xBB, 0xBF, .. "x,y\n1,é\n"u8]);
        Assert.Equal(["é"], CsvDataset.Load(utf8, ["x"], "y").Classes!);
        string utf16 = WriteBytes("bom16.csv", [.. Encoding.Unicode.GetPreamble(), .. Encoding.Unicode.GetBytes("x,y\n1,é\n2,a\n")]);
        var data = CsvDataset.Load(utf16, ["x"], "y");
        Assert.Equal(["a", "é"], data.Classes!);
        Assert.Equal(new float[] { 1, 2 }, data.Features.ToArray());
    }

    [Theory]
    [InlineData('"')]
    [InlineData('\n')]
    [InlineData('é')]
    public void UnusableDelimiterIsAnArgumentError(char delimiter)
    {
        string path = Write("d.csv", "x,y\n1,a\n");
        var e = Assert.Throws<ArgumentException>(() => CsvDataset.Load(path, ["x"], "y", delimiter: delimiter));
        Assert.Equal($"Delimiter '{delimiter}' (U+{(int)delimiter:X4}) cannot separate fields of {path}: it must be an ASCII character other than the quote, CR, LF and NUL", e.Message);
    }
}
