using System.Text.Json;
using Framework.Autograd;
using Framework.NN;
using F = Framework.NN.Functional;

namespace Tests.NN;

/// <summary>Losses and layers against values computed by PyTorch (Data/nn/make_nn.py): outputs, input gradients and grad_fn names.</summary>
public class NNReferenceTests
{
    private sealed record Input(int[] Shape, JsonElement[] Values, string DType);
    private sealed record Output(int[] Shape, double[] Values);
    private sealed record Case(string Name, Input[] Inputs, Output Output, double[] Upstream, double[]?[] Grads, string Grad_fn,
                               double[]? Running_mean, double[]? Running_var);

    private static readonly Dictionary<string, Case> Cases = JsonSerializer.Deserialize<Case[]>(
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Data", "nn", "nn_cases.json")),
        new JsonSerializerOptions { PropertyNameCaseInsensitive = true })!.ToDictionary(c => c.Name);

    private static Reduction R(string name) => name.EndsWith(" sum") ? Reduction.Sum : name.EndsWith(" none") ? Reduction.None : Reduction.Mean;
    private static readonly Tensor Weights = Tensor.From(new[] { 0.5, 2.0, 1.0, 1.5 });

    private static Func<Tensor[], Tensor> Map(string name) => name switch
    {
        _ when name.StartsWith("mse ") => a => F.MseLoss(a[0], a[1], R(name)),
        _ when name.StartsWith("l1 ") => a => F.L1Loss(a[0], a[1], R(name)),
        _ when name.StartsWith("nll ") && name != "nll weight" => a => F.NllLoss(a[0], a[1], R(name)),
        _ when name.StartsWith("cross_entropy probs ") && !name.Contains("smoothing") => a => F.CrossEntropy(a[0], a[1], R(name)),
        _ when name.StartsWith("bce_logits ") && (name.EndsWith("mean") || name.EndsWith("sum") || name.EndsWith("none")) => a => F.BinaryCrossEntropyWithLogits(a[0], a[1], R(name)),
        _ when name.StartsWith("bce ") => a => F.BinaryCrossEntropy(a[0], a[1], R(name)),
        "cross_entropy mean" or "cross_entropy sum" or "cross_entropy none" => a => F.CrossEntropy(a[0], a[1], R(name)),
        "cross_entropy ignore_index" => a => F.CrossEntropy(a[0], a[1], ignoreIndex: 1),
        "cross_entropy label_smoothing" => a => F.CrossEntropy(a[0], a[1], labelSmoothing: 0.2),
        "cross_entropy label_smoothing sum" => a => F.CrossEntropy(a[0], a[1], Reduction.Sum, labelSmoothing: 0.2),
        "cross_entropy label_smoothing ignore" => a => F.CrossEntropy(a[0], a[1], labelSmoothing: 0.1, ignoreIndex: 3),
        "cross_entropy weight" => a => F.CrossEntropy(a[0], a[1], weight: Weights),
        "cross_entropy weight smoothing" => a => F.CrossEntropy(a[0], a[1], weight: Weights, labelSmoothing: 0.3),
        "cross_entropy probs smoothing" => a => F.CrossEntropy(a[0], a[1], labelSmoothing: 0.25),
        "cross_entropy 3d" or "cross_entropy unbatched" or "cross_entropy large logits" => a => F.CrossEntropy(a[0], a[1]),
        "nll weight" => a => F.NllLoss(a[0], a[1], weight: Weights),
        "bce_logits pos_weight" => a => F.BinaryCrossEntropyWithLogits(a[0], a[1], posWeight: Tensor.From(new[] { 1.0, 3.0, 0.5 })),
        "bce_logits large" => a => F.BinaryCrossEntropyWithLogits(a[0], a[1]),
        "linear" or "linear 3d input" => a => F.Linear(a[0], a[1], a[2]),
        "linear no bias" => a => F.Linear(a[0], a[1]),
        "embedding" => a => F.Embedding(a[0], a[1]),
        "batch_norm train 3d" => a => F.BatchNorm(a[0], null, null, training: true),
        "batch_norm eval" => a => F.BatchNorm(a[0], Tensor.From(new[] { 0.5, -1.0, 0.0 }), Tensor.From(new[] { 2.0, 0.5, 1.0 }), training: false),
        "conv2d" => a => F.Conv2d(a[0], a[1], a[2]),
        "conv2d stride 2 padding 1" => a => F.Conv2d(a[0], a[1], a[2], stride: 2, padding: 1),
        "conv2d no bias 1x1" => a => F.Conv2d(a[0], a[1]),
        "max_pool2d" => a => F.MaxPool2d(a[0], 2),
        "max_pool2d stride 1" => a => F.MaxPool2d(a[0], 3, stride: 1),
        "batch_norm 2d" => a => F.BatchNorm(a[0], null, null, training: true),
        "conv2d rect kernel stride padding dilation" => a => F.Conv2d(a[0], a[1], a[2], stride: (2, 1), padding: (1, 0), dilation: (2, 1)),
        "conv2d depthwise groups 3" => a => F.Conv2d(a[0], a[1], a[2], groups: 3),
        "conv2d groups 3 dilation 2 padding 2" => a => F.Conv2d(a[0], a[1], padding: 2, dilation: 2, groups: 3),
        "max_pool2d padding 1" => a => F.MaxPool2d(a[0], 3, stride: 2, padding: 1),
        "max_pool2d rect stride padding dilation" => a => F.MaxPool2d(a[0], (3, 2), stride: (2, 1), padding: (1, 1), dilation: (2, 2)),
        "max_pool2d ceil" => a => F.MaxPool2d(a[0], 2, ceilMode: true),
        "max_pool2d ceil stride 2 padding 1" => a => F.MaxPool2d(a[0], 3, stride: 2, padding: 1, ceilMode: true),
        "max_pool2d ceil rect" => a => F.MaxPool2d(a[0], (2, 4), stride: (3, 2), padding: (0, 0), dilation: (1, 1), ceilMode: true),
        "avg_pool2d" => a => F.AvgPool2d(a[0], 2),
        "avg_pool2d stride 2 padding 1" => a => F.AvgPool2d(a[0], 3, stride: 2, padding: 1),
        "avg_pool2d padding not counted" => a => F.AvgPool2d(a[0], 3, stride: 2, padding: 1, countIncludePad: false),
        "avg_pool2d ceil padding" => a => F.AvgPool2d(a[0], 3, stride: 2, padding: 1, ceilMode: true),
        "avg_pool2d ceil padding not counted" => a => F.AvgPool2d(a[0], 2, stride: 2, padding: 1, ceilMode: true, countIncludePad: false),
        "avg_pool2d rect divisor override" => a => F.AvgPool2d(a[0], (3, 2), stride: (2, 1), padding: (1, 1), divisorOverride: 5),
        "adaptive_avg_pool2d 1" => a => F.AdaptiveAvgPool2d(a[0], (1, 1)),
        "adaptive_avg_pool2d 2x4" => a => F.AdaptiveAvgPool2d(a[0], (2, 4)),
        "adaptive_avg_pool2d 3x4" => a => F.AdaptiveAvgPool2d(a[0], (3, 4)),
        "adaptive_avg_pool2d 5x3" => a => F.AdaptiveAvgPool2d(a[0], (5, 3)),
        _ => throw new KeyNotFoundException(name),
    };

    public static TheoryData<string> Names => new(Cases.Keys.Where(n => n != "batch_norm train"));

    [Theory]
    [MemberData(nameof(Names))]
    public void MatchesPyTorch(string name)
    {
        var c = Cases[name];
        var inputs = c.Inputs.Select(MakeInput).ToArray();
        Check(c, inputs, Map(name)(inputs));
    }

    [Fact]
    public void BatchNormTraining_UpdatesRunningStatistics()
    {
        var c = Cases["batch_norm train"];
        var inputs = c.Inputs.Select(MakeInput).ToArray();
        var rm = Tensor.Zeros([3], DType.Float64);
        var rv = Tensor.Ones([3], DType.Float64);
        var y = F.BatchNorm(inputs[0], rm, rv, inputs[1], inputs[2], training: true);
        Check(c, inputs, y);
        AssertClose(c.Running_mean!, rm.ToArray<double>(), "running_mean");
        AssertClose(c.Running_var!, rv.ToArray<double>(), "running_var");
    }

    private static Tensor MakeInput(Input i) => i.DType == "Int64"
        ? Tensor.FromArray(i.Values.Select(v => v.GetInt64()).ToArray(), i.Shape)
        : Tensor.FromArray(i.Values.Select(v => v.GetDouble()).ToArray(), i.Shape, requiresGrad: true);

    private static void Check(Case c, Tensor[] inputs, Tensor output)
    {
        Assert.Equal(c.Output.Shape, output.Shape);
        AssertClose(c.Output.Values, output.ToArray<double>(), "output");
        if (c.Grad_fn != "NoneType") Assert.Equal(c.Grad_fn, output.GradFn?.Name);
        output.Backward(Tensor.FromArray(c.Upstream, c.Output.Shape));
        for (int k = 0; k < inputs.Length; k++)
            if (c.Grads[k] is { } expected) AssertClose(expected, inputs[k].Grad!.ToArray<double>(), $"grad of input {k}");
    }

    private static void AssertClose(double[] expected, double[] actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-9 * (1 + Math.Abs(expected[i])),
                $"{what}[{i}]: PyTorch {expected[i]:R}, ours {actual[i]:R}");
    }
}
