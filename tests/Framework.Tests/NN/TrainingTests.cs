using Framework.Autograd;
using Framework.NN;
using Framework.Optim;

namespace Tests.NN;

/// <summary>The zero_grad → forward → loss → backward → step loop trains real models.</summary>
public class TrainingTests
{
    [Fact]
    public void SeedRegression_ThroughLinearMseAndSgd_FindsThreeAndTwo()
    {
        Tensor.ManualSeed(100);
        var x = Tensor.Linspace(-1, 1, 100).Unsqueeze(1);
        var y = 3 * x.Pow(2) + 2 + 0.2 * Tensor.Rand(x.Shape);
        var features = x.Pow(2);
        var model = new Linear(1, 1);
        var lossFn = new MSELoss();
        var optimizer = new SGD(model.Parameters(), lr: 0.1);
        Tensor loss = null!;
        for (int i = 0; i < 1000; i++)
        {
            optimizer.ZeroGrad();
            loss = lossFn.Forward(model.Forward(features), y);
            loss.Backward();
            optimizer.Step();
        }
        Assert.Equal(3.0, model.Weight.Item(), 1);
        Assert.Equal(2.1, model.Bias!.Item(), 1);
        Assert.Equal("MseLossBackward0", loss.GradFn!.Name);
        Assert.True(loss.Item() < 0.01);
    }

    [Fact]
    public void TwoLayerMlp_ReachesFullTrainingAccuracy_OnSeparableData()
    {
        Tensor.ManualSeed(3);
        // Two interleaved classes on concentric rings: not linearly separable, easy for a hidden layer.
        int n = 200;
        var angle = Tensor.Rand(n) * (2 * Math.PI);
        var labels = Tensor.Arange((long)n).Ge(n / 2.0).Long();
        var radius = labels.Double().Float() * 2 + 1 + 0.2 * Tensor.Rand(n);
        var x = Tensor.Stack([radius * angle.Cos(), radius * angle.Sin()], 1);
        var model = new Sequential(new Linear(2, 32), new ReLU(), new Linear(32, 2));
        var optimizer = new Adam(model.Parameters(), lr: 0.05);
        var lossFn = new CrossEntropyLoss();
        for (int epoch = 0; epoch < 300; epoch++)
        {
            optimizer.ZeroGrad();
            var loss = lossFn.Forward(model.Forward(x), labels);
            loss.Backward();
            optimizer.Step();
        }
        Tensor predictions;
        using (new NoGrad()) predictions = model.Forward(x).Argmax(1);
        Assert.Equal(n, predictions.Eq(labels).Sum().Item<long>());
    }
}
