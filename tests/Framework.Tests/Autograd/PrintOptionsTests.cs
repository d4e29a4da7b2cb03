using System.Globalization;
using System.Text.Json;
using Framework.Autograd;

namespace Tests.Formatting;

/// <summary>Tensor.SetPrintOptions against torch 1.13's str(t) after torch.set_printoptions, recorded by Data/format/make_printoptions.py.</summary>
public class PrintOptionsTests : IDisposable
{
    public void Dispose() => Tensor.SetPrintOptions(profile: PrintProfile.Default);

    private sealed record Case(string Name, JsonElement Options, DType DType, int[] Shape, string[] Values, string[] Suffixes, string Expected);

    private static readonly Lazy<Dictionary<string, Case>> Cases = new(() =>
    {
        string path = Path.Combine(AppContext.BaseDirectory, "Data", "format", "printoptions_cases.json");
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        return doc.RootElement.GetProperty("cases").EnumerateArray().Select(c => new Case(
            c.GetProperty("name").GetString()!,
            c.GetProperty("options").Clone(),
            Enum.Parse<DType>(c.GetProperty("dtype").GetString()!),
            c.GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()).ToArray(),
            c.GetProperty("values").EnumerateArray().Select(e => e.GetString()!).ToArray(),
            c.GetProperty("suffixes").EnumerateArray().Select(e => e.GetString()!).ToArray(),
            c.GetProperty("expected").GetString()!)).ToDictionary(c => c.Name);
    });

    public static TheoryData<string> Names => new(Cases.Value.Keys);

    /// <summary>The keyword arguments given to torch.set_printoptions, applied through our API.</summary>
    private static void Apply(JsonElement o)
    {
        int? Int(string key) => o.TryGetProperty(key, out var v) ? v.GetInt32() : null;
        PrintProfile? profile = o.TryGetProperty("profile", out var p)
            ? Enum.Parse<PrintProfile>(p.GetString()!, ignoreCase: true) : null;
        bool? sci = o.TryGetProperty("sci_mode", out var s) ? s.GetBoolean() : null;
        Tensor.SetPrintOptions(Int("precision"), Int("threshold"), Int("edgeitems"), Int("linewidth"), profile, sci);
    }

    private static double ParsePyFloat(string s) => s switch
    {
        "nan" => double.NaN,
        "inf" => double.PositiveInfinity,
        "-inf" => double.NegativeInfinity,
        _ => double.Parse(s, NumberStyles.Float, CultureInfo.InvariantCulture),
    };

    [Theory]
    [MemberData(nameof(Names))]
    public void MatchesTorch(string name)
    {
        var c = Cases.Value[name];
        Tensor.SetPrintOptions(profile: PrintProfile.Default);
        Apply(c.Options);
        string got = c.DType == DType.Int64
            ? TensorFormatter.Format(c.Values.Select(v => long.Parse(v, CultureInfo.InvariantCulture)).ToArray(), c.Shape, c.Suffixes)
            : TensorFormatter.Format(c.Values.Select(ParsePyFloat).ToArray(), c.Shape, c.DType, c.Suffixes);
        Assert.Equal(c.Expected, got);
    }

    [Fact]
    public void ATensorPrintsWithTheOptionsAndTheDefaultProfileRestoresThem()
    {
        var t = Tensor.From(new[] { 1.5f, -2.25f, 3.125f });
        Tensor.SetPrintOptions(precision: 2);
        Assert.Equal("tensor([ 1.50, -2.25,  3.12])", t.ToString());
        Assert.Equal(new PrintOptions(Precision: 2), PrintOptions.Current);
        Tensor.SetPrintOptions(sciMode: true);
        Assert.Equal("tensor([1.50e+00, -2.25e+00, 3.12e+00])", t.ToString());   // the width stays the fixed-point one, as in torch
        Tensor.SetPrintOptions(edgeItems: 1);   // like torch: sci_mode goes back to automatic when not given
        Assert.Null(PrintOptions.Current.SciMode);
        Tensor.SetPrintOptions(profile: PrintProfile.Default);
        Assert.Equal("tensor([ 1.5000, -2.2500,  3.1250])", t.ToString());
        Assert.Equal(new PrintOptions(), PrintOptions.Current);
    }
}
