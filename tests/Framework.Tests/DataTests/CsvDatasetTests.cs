using Framework.Autograd;
using Framework.Data;

namespace Tests.DataTests;

/// <summary>CsvDataset: columns by name and index, labels, standardisation, and the exact error messages.</summary>
public sealed class CsvDatasetTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("framework-csv-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    private string Write(string name, string text)
    {
        string path = Path.Combine(dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    private const string Iris =
        "sepal_length,sepal_width,species\n" +
        "5.1,3.5,setosa\n" +
        "7.0,3.2,versicolor\n" +
        "6.3,3.3,virginica\n" +
        "4.9,3.0,setosa\n";

    [Fact]
    public void StringLabelsGetSortedClassIndices()
    {
        var data = CsvDataset.Load(Write("iris.csv", Iris), ["sepal_length", "sepal_width"], "species");
        Assert.Equal(4, data.Count);
        Assert.Equal(["setosa", "versicolor", "virginica"], data.Classes!);
        Assert.Equal(new long[] { 0, 1, 2, 0 }, data.Labels.ToArray<long>());
        Assert.Equal([4, 2], data.Features.Shape);
        Assert.Equal(new float[] { 7.0f, 3.2f }, data[1][0].ToArray());
        Assert.Equal(["sepal_length", "sepal_width"], data.FeatureNames);
        Assert.Equal("species", data.LabelName);
    }

    [Fact]
    public void ColumnsByIndexWithoutHeader()
    {
        string path = Write("plain.csv", "1,2,3\n4,5,6\n\n7,8,9\n");
        var data = CsvDataset.Load(path, [2, 0], 1, hasHeader: false);
        Assert.Equal(3, data.Count);
        Assert.Equal(new float[] { 3, 1, 6, 4, 9, 7 }, data.Features.ToArray());
        Assert.Equal(new long[] { 2, 5, 8 }, data.Labels.ToArray<long>());
        Assert.Null(data.Classes);
        var byText = CsvDataset.Load(path, ["2", "0"], "1", hasHeader: false);
        Assert.Equal(data.Features.ToArray(), byText.Features.ToArray());
    }

    [Fact]
    public void RegressionTargetsAreFloat32()
    {
        string path = Write("reg.csv", "x;y\n1;0.5\n2;1.5\n");
        var data = CsvDataset.Load(path, ["x"], "y", label: CsvLabel.Regression, delimiter: ';');
        Assert.Equal(DType.Float32, data.Labels.DType);
        Assert.Equal(new float[] { 0.5f, 1.5f }, data.Labels.ToArray());
    }

    [Fact]
    public void StandardizeFitsOnTheTrainingSplitOnly()
    {
        string path = Write("std.csv", "a,b,label\n1,10,0\n3,10,1\n100,10,0\n");
        var data = CsvDataset.Load(path, ["a", "b"], "label");
        var train = new Subset<Tensor[]>(data, [0, 1]);
        var norm = data.Standardize(fitOn: train);
        Assert.Equal(new float[] { 2, 10 }, norm.Mean.ToArray());
        Assert.Equal(new float[] { 1, 1 }, norm.Std.ToArray());   // b is constant: std 1 so it maps to 0
        Assert.Equal(new float[] { -1, 0, 1, 0, 98, 0 }, data.Features.ToArray());
        Assert.Equal(new float[] { 1, 0 }, train[1][0].ToArray());

        var other = CsvDataset.Load(path, ["a", "b"], "label");
        other.Normalize(norm);
        Assert.Equal(data.Features.ToArray(), other.Features.ToArray());
    }

    [Fact]
    public void MissingColumnListsTheColumnsPresent()
    {
        string path = Write("iris.csv", Iris);
        var e = Assert.Throws<ArgumentException>(() => CsvDataset.Load(path, ["sepal_length", "petal_width"], "species"));
        Assert.Equal($"Column 'petal_width' not found in {path}; columns present: sepal_length, sepal_width, species", e.Message);
        e = Assert.Throws<ArgumentException>(() => CsvDataset.Load(path, [0], 5));
        Assert.Equal($"Column index 5 is out of range in {path}; columns present: sepal_length, sepal_width, species", e.Message);
    }

    [Fact]
    public void NonNumericCellNamesFileLineAndColumn()
    {
        string path = Write("bad.csv", "a,b,label\n1,2,0\n3,oops,1\n");
        var e = Assert.Throws<InvalidDataException>(() => CsvDataset.Load(path, ["a", "b"], "label"));
        Assert.Equal($"{path} line 3, column 'b' (2): 'oops' is not a number", e.Message);
        e = Assert.Throws<InvalidDataException>(() => CsvDataset.Load(path, ["a"], "b", label: CsvLabel.Regression));
        Assert.Equal($"{path} line 3, column 'b' (2): 'oops' is not a number", e.Message);
    }

    [Fact]
    public void RaggedRowIsReported()
    {
        string path = Write("ragged.csv", "a,b,label\n1,2,0\n3,1\n");
        var e = Assert.Throws<InvalidDataException>(() => CsvDataset.Load(path, ["a", "b"], "label"));
        Assert.Equal($"{path} line 3 has 2 fields, expected 3 (as in the header)", e.Message);
    }

    [Fact]
    public void EmptyFileAndHeaderOnly()
    {
        string empty = Write("empty.csv", "");
        var e = Assert.Throws<InvalidDataException>(() => CsvDataset.Load(empty, ["a"], "b"));
        Assert.Equal($"{empty} is empty", e.Message);
        e = Assert.Throws<InvalidDataException>(() => CsvDataset.Load(empty, [0], 1, hasHeader: false));
        Assert.Equal($"{empty} is empty", e.Message);
        string header = Write("header.csv", "a,b\n");
        e = Assert.Throws<InvalidDataException>(() => CsvDataset.Load(header, ["a"], "b"));
        Assert.Equal($"{header} has a header but no data rows", e.Message);
    }

    [Fact]
    public void MissingFile()
    {
        Assert.Throws<FileNotFoundException>(() => CsvDataset.Load(Path.Combine(dir, "nope.csv"), ["a"], "b"));
    }
}
