using System.Text.Json;
using Framework.Autograd;

namespace Tests.Special;

/// <summary>Graph.ToDot against PyTorch 1.13's own graphs (Data/graphdot/make_graphdot.py), and the PNG/SVG pictures through Graphviz.</summary>
public class GraphDotTests
{
    /// <summary>Each case of make_graphdot.py built in our API: the tensor drawn and the names given.</summary>
    private static readonly Dictionary<string, Func<(Tensor Root, Dictionary<string, Tensor>? Names)>> Graphs = new()
    {
        ["wxb"] = () => { var (z, _, w, b, x) = Wxb(); return (z, new() { ["w"] = w, ["b"] = b, ["x"] = x }); },
        ["wxb_unnamed"] = () => (Wxb().Z, null),
        ["wxb_intermediate"] = () => { var (_, y, w, _, _) = Wxb(); return (y, new() { ["w"] = w }); },
        ["chain"] = () =>
        {
            var x = Tensor.Ones([5], requiresGrad: true);
            var w1 = Tensor.From(2.0f).RequiresGrad_();
            var w2 = Tensor.From(3.0f).RequiresGrad_();
            var b = Tensor.From(4.0f);
            var l1 = x * w1;
            var l2 = l1 + b;
            var l3 = l2 * w2;
            return (l3.Mean(), new() { ["x"] = x, ["w1"] = w1, ["w2"] = w2 });
        },
        ["shared"] = () =>
        {
            var (w, x) = (Tensor.Ones([2, 3], requiresGrad: true), Tensor.Full([2, 3], 0.5));
            var a = w * x;
            return ((a * a.Exp()).Sum(), new() { ["w"] = w });
        },
        ["square"] = () => { var w = Tensor.Ones([2, 3], requiresGrad: true); return (w * w, new() { ["w"] = w }); },
        ["leaf"] = () => { var w = Tensor.Ones([2, 3], requiresGrad: true); return (w, new() { ["w"] = w }); },
        ["constant"] = () => (Tensor.Full([2, 3], 0.5), null),
    };

    /// <summary>Seed 002: x = [2] (no grad), w and b random leaves, y = w·x, z = y + b.</summary>
    private static (Tensor Z, Tensor Y, Tensor W, Tensor B, Tensor X) Wxb()
    {
        var x = Tensor.From(new float[] { 2 });
        var w = Tensor.Randn([1], requiresGrad: true);
        var b = Tensor.Randn([1], requiresGrad: true);
        var y = Tensor.Mul(w, x);
        return (Tensor.Add(y, b), y, w, b, x);
    }

    private static readonly Lazy<Dictionary<string, string>> Expected = new(() =>
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Data", "graphdot", "graphdot_cases.json");
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        return doc.RootElement.GetProperty("cases").EnumerateArray()
                  .ToDictionary(c => c.GetProperty("name").GetString()!, c => c.GetProperty("dot").GetString()!);
    });

    public static TheoryData<string> CaseNames => new(Expected.Value.Keys);

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void DrawsPyTorchsGraph(string name)
    {
        var (root, names) = Graphs[name]();
        Assert.Equal(Expected.Value[name], Graph.ToDot(root, names));
    }

    [Fact]
    public void EveryCaseIsBuilt() => Assert.Equal(Expected.Value.Keys.Order(), Graphs.Keys.Order());

    [Fact]
    public void WxbHasAddThenMulThenTwoAccumulateGrads()
    {
        var (z, _, w, b, x) = Wxb();
        var dot = Graph.ToDot(z, new Dictionary<string, Tensor> { ["w"] = w, ["b"] = b, ["x"] = x });
        Assert.Equal("""
            digraph {
            	graph [rankdir=BT]
            	node [fontname="DejaVu Sans Mono" fontsize=10 height=0.2 shape=box style=filled]
            	edge [dir=back]
            	n0 [label="(1)\nrequires_grad=True" fillcolor=darkolivegreen1 shape=ellipse]
            	n1 [label="AddBackward0"]
            	n2 [label="MulBackward0"]
            	n3 [label="AccumulateGrad"]
            	n4 [label="AccumulateGrad"]
            	l0 [label="b\n(1)\nrequires_grad=True" fillcolor=lightblue shape=ellipse]
            	l1 [label="w\n(1)\nrequires_grad=True" fillcolor=lightblue shape=ellipse]
            	n0 -> n1
            	n1 -> n2
            	n1 -> n3
            	n2 -> n4
            	n3 -> l0
            	n4 -> l1
            }

            """, dot);
        Assert.DoesNotContain("x\\n", dot);   // x needs no gradient: no node
    }

    [Fact]
    public void DeepGraphsNeedNoRecursion()
    {
        var x = Tensor.Ones([1], requiresGrad: true);
        var y = x;
        for (int i = 0; i < 20000; i++) y = y * 1.0;
        var dot = Graph.ToDot(y);
        Assert.Contains("n20001 [label=\"AccumulateGrad\"]", dot);
    }

    [Fact]
    public void NamesAreEscaped()
    {
        var w = Tensor.Ones([2], requiresGrad: true);
        var dot = Graph.ToDot(w * 2, new Dictionary<string, Tensor> { ["say \"hi\"\\"] = w });
        Assert.Contains("label=\"say \\\"hi\\\"\\\\\\n(2)\\nrequires_grad=True\"", dot);
    }

    private static bool HasDot() => Environment.GetEnvironmentVariable("PATH")!.Split(Path.PathSeparator)
        .Any(dir => File.Exists(Path.Combine(dir, "dot")));

    [SkippableFact]
    public void WritesPngAndSvg()
    {
        Skip.IfNot(HasDot(), "Graphviz's dot is not installed");
        var dir = Directory.CreateTempSubdirectory("graphdot");
        try
        {
            var (z, _, w, b, _) = Wxb();
            var names = new Dictionary<string, Tensor> { ["w"] = w, ["b"] = b };
            var png = Path.Combine(dir.FullName, "wxb.png");
            Graph.SavePng(z, png, names);
            var bytes = File.ReadAllBytes(png);
            Assert.True(bytes.Length > 1000);
            Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, bytes[..4]);
            var svg = Path.Combine(dir.FullName, "wxb.svg");
            Graph.SaveSvg(z, svg, names);
            var text = File.ReadAllText(svg);
            Assert.Contains("<svg", text);
            Assert.Contains("AddBackward0", text);
            Assert.Equal(2, Directory.GetFiles(dir.FullName).Length);   // no temporary file left behind
        }
        finally { dir.Delete(recursive: true); }
    }

    [Fact]
    public void MissingDotNamesThePackage()
    {
        var saved = Graph.DotExecutable;
        var dir = Directory.CreateTempSubdirectory("graphdot");
        try
        {
            Graph.DotExecutable = Path.Combine(dir.FullName, "no-such-dot");
            var e = Assert.Throws<InvalidOperationException>(() => Graph.SavePng(Tensor.Ones([1], requiresGrad: true) * 2, Path.Combine(dir.FullName, "g.png")));
            Assert.Equal($"Graphviz's dot was not found at {Graph.DotExecutable}; install it with: apt-get install graphviz", e.Message);
            Assert.Empty(Directory.GetFiles(dir.FullName));
        }
        finally
        {
            Graph.DotExecutable = saved;
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public void DotOnPathMissingNamesThePackage()
    {
        // A bare name is looked up on PATH, as the default "dot" is (whose message reads "Graphviz's dot was not found on
        // PATH; ..."); changing this process's PATH would disturb tests running beside this one, so a name no PATH has.
        Assert.Equal("dot", Graph.DotExecutable);
        var saved = Graph.DotExecutable;
        try
        {
            Graph.DotExecutable = "framework-test-no-such-dot";
            var e = Assert.Throws<InvalidOperationException>(() => Graph.SaveSvg(Tensor.Ones([1], requiresGrad: true) * 2, Path.Combine(Path.GetTempPath(), "never.svg")));
            Assert.Equal("Graphviz's framework-test-no-such-dot was not found on PATH; install it with: apt-get install graphviz", e.Message);
        }
        finally { Graph.DotExecutable = saved; }
    }

    [Fact]
    public void FailingDotReportsItsStderr()
    {
        Skip.If(OperatingSystem.IsWindows());
        var saved = Graph.DotExecutable;
        var dir = Directory.CreateTempSubdirectory("graphdot");
        try
        {
            var script = Path.Combine(dir.FullName, "fake-dot");
            File.WriteAllText(script, "#!/bin/sh\necho 'Error: <stdin>: syntax error in line 1' >&2\nexit 3\n");
            File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            Graph.DotExecutable = script;
            var target = Path.Combine(dir.FullName, "g.png");
            var e = Assert.Throws<InvalidOperationException>(() => Graph.SavePng(Tensor.Ones([1], requiresGrad: true) * 2, target));
            Assert.Equal($"Graphviz's dot failed (exit code 3) rendering {target}: Error: <stdin>: syntax error in line 1", e.Message);
            Assert.Single(Directory.GetFiles(dir.FullName));   // only the script: no picture, no temporary file
        }
        finally
        {
            Graph.DotExecutable = saved;
            dir.Delete(recursive: true);
        }
    }
}
