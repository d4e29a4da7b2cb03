using System.Diagnostics;
using System.Text;
using Framework.Autograd;
using Framework.Data;
using Xunit.Abstractions;

namespace Tests.Reliability;

/// <summary>
/// Random edits of a valid CSV file (fixed seed, bounded count): every case either loads a consistent dataset or throws one of the documented
/// exception types with the file's path in the message; nothing else, and no hang.
/// </summary>
public sealed class CsvFuzzTests(ITestOutputHelper output) : IDisposable
{
    private const int Cases = 2000;
    private readonly string dir = Directory.CreateTempSubdirectory("framework-csv-fuzz-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    private static readonly string[] Species = ["setosa", "versicolor", "virginica"];

    private const string Valid =
        "sepal_length,sepal_width,petal,species\n" +
        "5.1,3.5,1.4,setosa\n" +
        "7.0,3.2,4.7,versicolor\n" +
        "6.3,3.3,6.0,virginica\n" +
        "4.9,3.0,1.4,setosa\n" +
        "3.4e38,-2.5e-3,0,versicolor\n" +
        "\"6.4\",\"3.2\",4.5,\"virginica\"\n" +
        " 5.0 , 3.6 ,1.4, setosa\n" +
        "5.5,2.3,4.0,versicolor\r\n" +
        "6.5,3.0,5.8,virginica\n" +
        "-1e-30,+2.9,1E2,setosa\n";

    /// <summary>What an edit may insert: CSV syntax, number syntax, special literals, non-ASCII and non-text bytes.</summary>
    private static readonly byte[][] Tokens =
    [
        .. new[] { "\"", ",", "\n", "\r\n", "\r", "\"\"", " ", ";", "9", "0", "e", "E", "-", "+", ".", "1e39", "-1e400", "nan", "Inf", "x", "é", "→", "setosa", "\t" }
            .Select(Encoding.UTF8.GetBytes),
        [0], [0xFF], [0xC3], [0xEF, 0xBB, 0xBF], [0xFF, 0xFE],
    ];

    [Fact]
    public async Task RandomEditsLoadConsistentlyOrFailClearly()
    {
        var path = Path.Combine(dir, "fuzz.csv");
        var rng = new System.Random(20251);
        int loaded = 0, refused = 0;
        var watch = Stopwatch.StartNew();
        var run = Task.Run(() =>
        {
            for (int c = 0; c < Cases; c++)
            {
                var bytes = Mutate(Encoding.UTF8.GetBytes(Valid), rng);
                Overwrite(path, bytes);
                int mode = c % 3;
                try
                {
                    CheckLoaded(Load(path, mode), bytes, mode, c);
                    loaded++;
                }
                catch (Exception e) when (e is not Xunit.Sdk.XunitException)
                {
                    bool documented = e is InvalidDataException or FormatException || e.GetType() == typeof(ArgumentException);
                    Assert.True(documented && e.Message.Contains(path, StringComparison.Ordinal),
                                $"case {c}: {e.GetType().Name}: {e.Message}\n{Escape(bytes)}\n{e}");
                    refused++;
                }
            }
        });
        Assert.Same(run, await Task.WhenAny(run, Task.Delay(TimeSpan.FromSeconds(60))));   // else a case hangs
        await run;
        output.WriteLine($"{Cases} cases: {loaded} loaded, {refused} refused, {watch.Elapsed.TotalSeconds:F2} s");
        Assert.InRange(loaded, Cases / 20, Cases - Cases / 20);   // both outcomes are exercised
    }

    /// <summary>
    /// Writes <paramref name="bytes"/> over the file without first truncating it to zero: ext4 flushes a file that is truncated to zero and
    /// rewritten (its auto_da_alloc), which makes File.WriteAllBytes on an existing file cost about a millisecond.
    /// </summary>
    internal static void Overwrite(string path, byte[] bytes)
    {
        using var file = new FileStream(path, FileMode.OpenOrCreate, FileAccess.Write);
        file.Write(bytes);
        file.SetLength(bytes.Length);
    }

    /// <summary>Mode 0: named classes from the file; 1: the classes given; 2: a regression target.</summary>
    private static CsvDataset Load(string path, int mode) => mode switch
    {
        0 => CsvDataset.Load(path, ["sepal_length", "sepal_width", "petal"], "species"),
        1 => CsvDataset.Load(path, ["sepal_length", "sepal_width", "petal"], "species", classes: Species),
        _ => CsvDataset.Load(path, ["sepal_length", "sepal_width"], "petal", label: CsvLabel.Regression),
    };

    /// <summary>A loaded dataset matches its header, has only the non-finite values the file spells out, and labels within its classes.</summary>
    private static void CheckLoaded(CsvDataset data, byte[] bytes, int mode, int c)
    {
        string text = Encoding.UTF8.GetString(bytes);
        int features = mode == 2 ? 2 : 3;
        int n = data.Count;
        Assert.True(n >= 1 && n <= text.Count(ch => ch is '\n' or '\r') + 1, $"case {c}: {n} rows");
        Assert.Equal([n, features], data.Features.Shape);
        Assert.Equal([n], data.Labels.Shape);
        Assert.Equal(features, data.FeatureNames.Count);
        bool literal = text.Contains("nan", StringComparison.OrdinalIgnoreCase) || text.Contains("inf", StringComparison.OrdinalIgnoreCase);
        var values = data.Features.ToArray();
        Assert.True(literal || values.All(float.IsFinite), $"case {c}: a non-finite feature without a nan/inf literal\n{Escape(bytes)}");
        if (mode == 2)
        {
            Assert.Equal(DType.Float32, data.Labels.DType);
            Assert.True(literal || data.Labels.ToArray().All(float.IsFinite), $"case {c}: a non-finite target without a nan/inf literal");
            Assert.Null(data.Classes);
            return;
        }
        var labels = data.Labels.ToArray<long>();
        if (mode == 1) Assert.Equal(Species, data.Classes!);
        if (data.Classes is { } classes)
        {
            Assert.Equal(classes.Count, classes.Distinct().Count());
            Assert.All(labels, l => Assert.InRange(l, 0, classes.Count - 1));
        }
        else Assert.All(labels, l => Assert.True(l >= 0));
    }

    /// <summary>One to three random edits: delete, insert or replace bytes, drop or duplicate a line, truncate.</summary>
    private static byte[] Mutate(byte[] valid, System.Random rng)
    {
        var b = new List<byte>(valid);
        for (int edits = rng.Next(1, 4); edits > 0; edits--)
        {
            int at = rng.Next(b.Count + 1);
            switch (rng.Next(6))
            {
                case 0 when b.Count > 0:
                    b.RemoveRange(Math.Min(at, b.Count - 1), Math.Min(rng.Next(1, 4), b.Count - Math.Min(at, b.Count - 1)));
                    break;
                case 1:
                    b.InsertRange(at, Tokens[rng.Next(Tokens.Length)]);
                    break;
                case 2 when at < b.Count:
                    b.RemoveAt(at);
                    b.InsertRange(at, Tokens[rng.Next(Tokens.Length)]);
                    break;
                case 3:
                case 4:
                    var lines = SplitLines(b);
                    int i = rng.Next(lines.Count);
                    if (rng.Next(2) == 0 && lines.Count > 1) lines.RemoveAt(i);
                    else lines.Insert(i, lines[rng.Next(lines.Count)]);
                    b = lines.SelectMany(l => l).ToList();
                    break;
                default:
                    if (rng.Next(4) == 0) b.RemoveRange(at, b.Count - at);
                    break;
            }
        }
        return [.. b];
    }

    /// <summary>The lines of <paramref name="b"/>, each with its LF.</summary>
    private static List<byte[]> SplitLines(List<byte> b)
    {
        var lines = new List<byte[]>();
        int start = 0;
        for (int i = 0; i < b.Count; i++)
            if (b[i] == '\n') { lines.Add(b.GetRange(start, i + 1 - start).ToArray()); start = i + 1; }
        if (start < b.Count || lines.Count == 0) lines.Add(b.GetRange(start, b.Count - start).ToArray());
        return lines;
    }

    /// <summary>The case's bytes as a C# string literal would show them, for a failure message.</summary>
    private static string Escape(byte[] bytes) =>
        string.Concat(bytes.Select(x => x is >= 0x20 and < 0x7F and not (byte)'\\' ? ((char)x).ToString() : x == '\n' ? "\\n\n" : $"\\x{x:X2}"));
}
