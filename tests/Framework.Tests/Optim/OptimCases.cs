using System.Text.Json;
using Framework.Autograd;
using Framework.NN;
using Framework.Optim;

namespace Tests.Optim;

/// <summary>The reference cases made by PyTorch (Data/optim/make_optim.py) and the tiny least-squares problem they run on.</summary>
internal static class OptimCases
{
    public static readonly JsonElement Root = JsonDocument.Parse(
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Data", "optim", "optim_cases.json"))).RootElement;

    public static JsonElement Problem => Root.GetProperty("problem");

    public static JsonElement Optimizer(string name) => Find("optimizers", name);

    public static JsonElement Scheduler(string name) => Find("schedulers", name);

    public static IEnumerable<string> Names(string section) => Root.GetProperty(section).EnumerateArray().Select(c => c.GetProperty("name").GetString()!);

    private static JsonElement Find(string section, string name)
        => Root.GetProperty(section).EnumerateArray().Single(c => c.GetProperty("name").GetString() == name);

    public static double[,] Matrix(JsonElement e)
    {
        var rows = e.EnumerateArray().Select(r => r.EnumerateArray().Select(v => v.GetDouble()).ToArray()).ToArray();
        var m = new double[rows.Length, rows[0].Length];
        for (int i = 0; i < rows.Length; i++)
            for (int j = 0; j < rows[i].Length; j++) m[i, j] = rows[i][j];
        return m;
    }

    public static double[] Vector(JsonElement e) => e.EnumerateArray().Select(v => v.GetDouble()).ToArray();

    /// <summary>The problem's X, Y and fresh parameters W (3×2), b (2) at their initial values, in <paramref name="dtype"/>.</summary>
    public static (Tensor X, Tensor Y, Parameter W, Parameter B) Fresh(DType dtype = DType.Float64)
    {
        var p = Problem;
        return (Tensor.From(Matrix(p.GetProperty("X"))).To(dtype), Tensor.From(Matrix(p.GetProperty("Y"))).To(dtype),
                new Parameter(Tensor.From(Matrix(p.GetProperty("W0"))).To(dtype)),
                new Parameter(Tensor.From(Vector(p.GetProperty("b0"))).To(dtype)));
    }

    /// <summary>loss = mean((X·W + b − Y)²).</summary>
    public static Tensor Loss(Tensor x, Tensor y, Tensor w, Tensor b) => (x.MatMul(w) + b - y).Pow(2).Mean();

    /// <summary>One training step: ZeroGrad, loss, Backward, Step.</summary>
    public static void TrainStep(Optimizer opt, Tensor x, Tensor y, Tensor w, Tensor b)
    {
        opt.ZeroGrad();
        Loss(x, y, w, b).Backward();
        opt.Step();
    }

    private static double D(JsonElement o, string k, double def) => o.TryGetProperty(k, out var v) ? v.GetDouble() : def;
    private static bool B(JsonElement o, string k) => o.TryGetProperty(k, out var v) && v.GetBoolean();
    private static (double, double)? Betas(JsonElement o)
        => o.TryGetProperty("betas", out var v) ? (v[0].GetDouble(), v[1].GetDouble()) : null;

    /// <summary>The optimizer named in a case, built with the parameter constructor and the case's options (PyTorch's defaults otherwise).</summary>
    public static Optimizer Make(string kind, JsonElement o, IEnumerable<Parameter> ps) => kind switch
    {
        "SGD" => new SGD(ps, D(o, "lr", double.NaN), D(o, "momentum", 0), D(o, "dampening", 0), D(o, "weight_decay", 0), B(o, "nesterov"), B(o, "maximize")),
        "Adam" => new Adam(ps, D(o, "lr", 1e-3), Betas(o), D(o, "eps", 1e-8), D(o, "weight_decay", 0), B(o, "amsgrad"), B(o, "maximize")),
        "AdamW" => new AdamW(ps, D(o, "lr", 1e-3), Betas(o), D(o, "eps", 1e-8), D(o, "weight_decay", 1e-2), B(o, "amsgrad"), B(o, "maximize")),
        "RMSprop" => new RMSprop(ps, D(o, "lr", 1e-2), D(o, "alpha", 0.99), D(o, "eps", 1e-8), D(o, "weight_decay", 0), D(o, "momentum", 0), B(o, "centered"), B(o, "maximize")),
        _ => throw new ArgumentException(kind),
    };

    /// <summary>The same with the parameter-group constructor.</summary>
    public static Optimizer Make(string kind, JsonElement o, IEnumerable<ParamGroup> gs) => kind switch
    {
        "SGD" => new SGD(gs, D(o, "lr", double.NaN), D(o, "momentum", 0), D(o, "dampening", 0), D(o, "weight_decay", 0), B(o, "nesterov"), B(o, "maximize")),
        "Adam" => new Adam(gs, D(o, "lr", 1e-3), Betas(o), D(o, "eps", 1e-8), D(o, "weight_decay", 0), B(o, "amsgrad"), B(o, "maximize")),
        "AdamW" => new AdamW(gs, D(o, "lr", 1e-3), Betas(o), D(o, "eps", 1e-8), D(o, "weight_decay", 1e-2), B(o, "amsgrad"), B(o, "maximize")),
        "RMSprop" => new RMSprop(gs, D(o, "lr", 1e-2), D(o, "alpha", 0.99), D(o, "eps", 1e-8), D(o, "weight_decay", 0), D(o, "momentum", 0), B(o, "centered"), B(o, "maximize")),
        _ => throw new ArgumentException(kind),
    };

    /// <summary>A group over <paramref name="ps"/> with the options present in <paramref name="o"/> (PyTorch's keys).</summary>
    public static ParamGroup Group(IEnumerable<Parameter> ps, JsonElement o)
    {
        var g = new ParamGroup(ps, o.TryGetProperty("lr", out var lr) ? lr.GetDouble() : null);
        if (o.TryGetProperty("momentum", out var v)) g.Momentum = v.GetDouble();
        if (o.TryGetProperty("dampening", out v)) g.Dampening = v.GetDouble();
        if (o.TryGetProperty("weight_decay", out v)) g.WeightDecay = v.GetDouble();
        if (o.TryGetProperty("nesterov", out v)) g.Nesterov = v.GetBoolean();
        if (o.TryGetProperty("eps", out v)) g.Eps = v.GetDouble();
        if (o.TryGetProperty("amsgrad", out v)) g.Amsgrad = v.GetBoolean();
        if (o.TryGetProperty("alpha", out v)) g.Alpha = v.GetDouble();
        if (o.TryGetProperty("centered", out v)) g.Centered = v.GetBoolean();
        if (o.TryGetProperty("maximize", out v)) g.Maximize = v.GetBoolean();
        g.Betas = Betas(o);
        return g;
    }
}
