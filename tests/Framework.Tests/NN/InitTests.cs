using System.Text.Json;
using Framework.Autograd;
using Framework.NN;

namespace Tests.NN;

/// <summary>Init.TruncNormal_, XavierNormal_, KaimingNormal_, Orthogonal_ and Constant_ against torch.nn.init's values for the same seeds (Data/nninit/make_nninit.py).</summary>
public class InitTests
{
    private sealed record InitCase(string Name, string Fn, int[] Shape, long Seed, string DType, Dictionary<string, JsonElement> Args, double[] Values);
    private sealed record ErfinvCase(double Y, double Value, double Torch);
    private sealed record Cases(string Torch, InitCase[] Init, ErfinvCase[] Erfinv);

    private static readonly Cases Data = JsonSerializer.Deserialize<Cases>(
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Data", "nninit", "nninit_cases.json")),
        new JsonSerializerOptions { PropertyNameCaseInsensitive = true })!;

    private static readonly Dictionary<string, InitCase> InitCases = Data.Init.ToDictionary(c => c.Name);

    public static TheoryData<string> InitNames => new(InitCases.Keys);

    private static double Arg(InitCase c, string name, double fallback) => c.Args.TryGetValue(name, out var v) ? v.GetDouble() : fallback;
    private static string Arg(InitCase c, string name, string fallback) => c.Args.TryGetValue(name, out var v) ? v.GetString()! : fallback;

    /// <summary>Runs the case's initialiser on a fresh tensor with a generator seeded as torch.manual_seed(seed).</summary>
    private static Tensor Run(InitCase c)
    {
        var t = Tensor.Zeros(c.Shape, c.DType == "float64" ? DType.Float64 : DType.Float32);
        var g = new Generator(c.Seed);
        var result = c.Fn switch
        {
            "trunc_normal_" => Init.TruncNormal_(t, Arg(c, "mean", 0), Arg(c, "std", 1), Arg(c, "a", -2), Arg(c, "b", 2), g),
            "xavier_normal_" => Init.XavierNormal_(t, Arg(c, "gain", 1), g),
            "kaiming_normal_" => Init.KaimingNormal_(t, Arg(c, "a", 0), Arg(c, "mode", "fan_in"), Arg(c, "nonlinearity", "leaky_relu"), g),
            "orthogonal_" => Init.Orthogonal_(t, Arg(c, "gain", 1), g),
            "constant_" => Init.Constant_(t, Arg(c, "val", 0)),
            _ => throw new KeyNotFoundException(c.Fn),
        };
        Assert.Same(t, result);
        return t;
    }

    /// <summary>Allowed |ours − torch|: erfinv and QR are computed in double here where torch uses the tensor's dtype.</summary>
    private static double Tolerance(InitCase c) => (c.Fn, c.DType) switch
    {
        ("trunc_normal_", "float32") => 1e-6,
        ("trunc_normal_", _) => 1e-14,
        ("orthogonal_", "float32") => 1e-5,
        ("orthogonal_", _) => 1e-12,
        _ => 0,                                   // normal_ and fill_ draw exactly torch's values
    };

    [Theory]
    [MemberData(nameof(InitNames))]
    public void MatchesTorchNnInit(string name)
    {
        var c = InitCases[name];
        var t = Run(c);
        Assert.Equal(c.Shape, t.Shape);
        var actual = t.ToArray<double>();
        Assert.Equal(c.Values.Length, actual.Length);
        double tol = Tolerance(c), worst = 0;
        for (int i = 0; i < actual.Length; i++) worst = Math.Max(worst, Math.Abs(actual[i] - c.Values[i]));
        Assert.True(worst <= tol, $"{name}: max |ours − torch| = {worst:E3} > {tol:E0}");
    }

    [Fact]
    public void OrthogonalIsOrthogonalAndTruncNormalStaysInItsBounds()
    {
        var w = Init.Orthogonal_(Tensor.Zeros([6, 10], DType.Float64), gain: 3, generator: new Generator(5));
        var wwt = w.MatMul(w.T()).ToArray<double>();               // rows < cols: W·Wᵀ = gain²·I
        for (int i = 0; i < 6; i++)
            for (int j = 0; j < 6; j++) Assert.Equal(i == j ? 9.0 : 0.0, wwt[i * 6 + j], 12);

        var t = Init.TruncNormal_(Tensor.Zeros(2000), mean: 0.5, std: 2, a: -1, b: 1.5, generator: new Generator(7)).ToArray();
        Assert.All(t, v => Assert.InRange(v, -1f, 1.5f));
    }

    [Fact]
    public void InitialisersWriteParametersWithoutRecordingAGraph()
    {
        var p = new Parameter(Tensor.Zeros(4, 5));
        foreach (var init in new Func<Tensor, Tensor>[]
                 {
                     t => Init.TruncNormal_(t), t => Init.XavierNormal_(t), t => Init.KaimingNormal_(t),
                     t => Init.Orthogonal_(t), t => Init.Constant_(t, 0.25),
                 })
        {
            Assert.Same(p, init(p));
            Assert.Null(p.GradFn);
            Assert.True(p.RequiresGrad);
        }
        Assert.All(p.ToArray(), v => Assert.Equal(0.25f, v));
    }

    [Fact]
    public void InitialisersWriteThroughViews()
    {
        var w = Tensor.Zeros([5, 3], DType.Float64);
        var reference = Init.Orthogonal_(Tensor.Zeros([3, 5], DType.Float64), generator: new Generator(3)).ToArray<double>();
        Init.Orthogonal_(w.T(), generator: new Generator(3));
        Assert.Equal(reference, w.T().ToArray<double>());

        var x = Tensor.Zeros([4, 6], DType.Float64);
        var expected = Init.TruncNormal_(Tensor.Zeros([6, 4], DType.Float64), generator: new Generator(9)).ToArray<double>();
        Init.TruncNormal_(x.T(), generator: new Generator(9));
        Assert.Equal(expected, x.T().ToArray<double>());
    }

    [Fact]
    public void ZeroElementTensorsAreLeftAsTheyAre()
    {
        var g = new Generator(1);
        Assert.Equal([0, 3], Init.Orthogonal_(Tensor.Zeros(0, 3), generator: g).Shape);
        Assert.Equal([4, 0], Init.KaimingNormal_(Tensor.Zeros(4, 0), generator: g).Shape);
        Assert.Equal([4, 0], Init.KaimingUniform_(Tensor.Zeros(4, 0), generator: g).Shape);
        Assert.Equal(new Generator(1).RandomInt64(), g.RandomInt64());   // nothing was drawn
    }

    [Fact]
    public void BadArgumentsAreRefusedWithPyTorchsMessages()
    {
        Assert.Equal("Only tensors with 2 or more dimensions are supported",
                     Assert.Throws<ArgumentException>(() => Init.Orthogonal_(Tensor.Zeros(5))).Message);
        Assert.Equal("Fan in and fan out can not be computed for tensor with fewer than 2 dimensions",
                     Assert.Throws<ArgumentException>(() => Init.XavierNormal_(Tensor.Zeros(5))).Message);
        Assert.Equal("Fan in and fan out can not be computed for tensor with fewer than 2 dimensions",
                     Assert.Throws<ArgumentException>(() => Init.KaimingNormal_(Tensor.Zeros(5))).Message);
        Assert.Equal("Mode fan_avg not supported, please use one of ['fan_in', 'fan_out']",
                     Assert.Throws<ArgumentException>(() => Init.KaimingNormal_(Tensor.Zeros(3, 4), mode: "fan_avg")).Message);
        Assert.Equal("Mode fan_avg not supported, please use one of ['fan_in', 'fan_out']",
                     Assert.Throws<ArgumentException>(() => Init.KaimingUniform_(Tensor.Zeros(3, 4), mode: "fan_avg")).Message);
        Assert.Equal("Unsupported nonlinearity gelu",
                     Assert.Throws<ArgumentException>(() => Init.KaimingNormal_(Tensor.Zeros(3, 4), nonlinearity: "gelu")).Message);
        Assert.StartsWith("uniform_ expects to return a [from, to) range, but found from=",
                          Assert.Throws<ArgumentException>(() => Init.TruncNormal_(Tensor.Zeros(3), a: 2, b: -2)).Message);
        Assert.Throws<ArgumentException>(() => Init.TruncNormal_(Tensor.Zeros([3], DType.Int64)));
        // The mode is compared case-insensitively, as in PyTorch.
        var a = Init.KaimingNormal_(Tensor.Zeros(3, 4), mode: "FAN_OUT", generator: new Generator(2)).ToArray();
        Assert.Equal(Init.KaimingNormal_(Tensor.Zeros(3, 4), mode: "fan_out", generator: new Generator(2)).ToArray(), a);
    }

    public static TheoryData<int> ErfinvIndices => new(Enumerable.Range(0, Data.Erfinv.Length));

    [Theory]
    [MemberData(nameof(ErfinvIndices))]
    public void ErfinvIsAccurateInDouble(int i)
    {
        var (y, exact, torch) = (Data.Erfinv[i].Y, Data.Erfinv[i].Value, Data.Erfinv[i].Torch);
        double ours = InitMath.Erfinv(y);
        // A few ulps against the 40-digit value. Torch's float64 erfinv (two Newton steps on erf) loses digits as |y| → 1, where erf is flat.
        double ulp = Math.BitIncrement(Math.Abs(exact)) - Math.Abs(exact);
        Assert.True(Math.Abs(ours - exact) <= 2 * ulp,
                    $"erfinv({y:R}) = {ours:R}, exact {exact:R}");
        double torchTolerance = Math.Abs(y) <= 0.99 ? 1e-14 : Math.Abs(y) < 1 - 1e-12 ? 1e-5 : 1e-3;
        Assert.True(Math.Abs(torch - exact) <= torchTolerance * Math.Abs(exact), $"torch's erfinv({y:R}) = {torch:R}");
    }

    [Fact]
    public void ErfinvAtTheEndsOfItsDomain()
    {
        Assert.Equal(double.PositiveInfinity, InitMath.Erfinv(1));
        Assert.Equal(double.NegativeInfinity, InitMath.Erfinv(-1));
        Assert.True(double.IsNaN(InitMath.Erfinv(1.0000001)));
        Assert.True(double.IsNaN(InitMath.Erfinv(double.NaN)));
        Assert.Equal(0.0, InitMath.Erfinv(0.0));
        Assert.True(double.IsNegative(InitMath.Erfinv(-0.0)));
        var random = new System.Random(3);
        for (int k = 0; k < 1000; k++)
        {
            double y = random.NextDouble() * 2 - 1;
            Assert.Equal(y, InitMath.Erf(InitMath.Erfinv(y)), 1e-15);
        }
    }
}
