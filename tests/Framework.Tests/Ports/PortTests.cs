using System.Text.Json;
using Framework.Autograd;
using Framework.Data;
using Framework.NN;
using Framework.Optim;

namespace Tests.Ports;

/// <summary>
/// Two public PyTorch programs ported line by line in the PyTorch user's idiom, reproducing PyTorch 1.13's numbers on a slice
/// of Fashion-MNIST (Data/ports/make_ports.py runs the originals).
/// </summary>
public class PortTests
{
    private static readonly Lazy<JsonElement> Expected = new(() =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Data", "ports", "ports_cases.json"))).RootElement);

    /// <summary>The Quickstart's model, as the tutorial writes it.</summary>
    private sealed class NeuralNetwork : Module
    {
        private readonly Flatten flatten = new();
        private readonly Sequential linear_relu_stack = new(
            new Linear(28 * 28, 512), new ReLU(),
            new Linear(512, 512), new ReLU(),
            new Linear(512, 10));

        public override Tensor Forward(Tensor x)
        {
            x = flatten.Call(x);
            return linear_relu_stack.Call(x);
        }
    }

    [SkippableFact]
    public void Quickstart_ReproducesPyTorch()
    {
        Skip.IfNot(Directory.Exists(FashionMnist.DefaultDirectory), "dataset-fashion-mnist is not installed");
        var expected = Expected.Value.GetProperty("quickstart");
        var (train, test) = (FashionMnist.Load(train: true), FashionMnist.Load(train: false));
        var trainDataloader = new DataLoader(new TensorDataset(train.Tensors[0][..640], train.Tensors[1][..640]), batchSize: 64);
        var testDataloader = new DataLoader(new TensorDataset(test.Tensors[0][..1000], test.Tensors[1][..1000]), batchSize: 64);

        Tensor.ManualSeed(0);
        var model = new NeuralNetwork();
        var lossFn = new CrossEntropyLoss();
        var optimizer = new SGD(model.Parameters(), lr: 1e-3);

        model.Train();
        var losses = new List<double>();
        foreach (var (X, y) in trainDataloader)
        {
            var pred = model.Call(X);
            var loss = lossFn.Forward(pred, y);
            loss.Backward();
            optimizer.Step();
            optimizer.ZeroGrad();
            losses.Add(loss.Item());
        }

        model.Eval();
        double testLoss = 0, correct = 0;
        int numBatches = 0;
        using (new NoGrad())
            foreach (var (X, y) in testDataloader)
            {
                var pred = model.Call(X);
                testLoss += lossFn.Forward(pred, y).Item();
                correct += (pred.Argmax(1) == y).Float().Sum().Item();
                numBatches++;
            }
        testLoss /= numBatches;
        correct /= 1000;

        var batchLosses = expected.GetProperty("batch_losses").EnumerateArray().Select(v => v.GetDouble()).ToArray();
        Assert.Equal(batchLosses.Length, losses.Count);
        for (int i = 0; i < losses.Count; i++) Assert.True(Math.Abs(losses[i] - batchLosses[i]) < 2e-6, $"batch {i}: {losses[i]} vs PyTorch {batchLosses[i]}");
        Assert.Equal(expected.GetProperty("test_loss").GetDouble(), testLoss, 5e-6);
        Assert.Equal(expected.GetProperty("test_accuracy").GetDouble(), correct, 1e-12);
    }

    [SkippableFact]
    public void SoftmaxRegressionFromScratch_ReproducesPyTorch()
    {
        Skip.IfNot(Directory.Exists(FashionMnist.DefaultDirectory), "dataset-fashion-mnist is not installed");
        var expected = Expected.Value.GetProperty("softmax");
        var (train, test) = (FashionMnist.Load(train: true), FashionMnist.Load(train: false));
        var trainIter = new DataLoader(new TensorDataset(train.Tensors[0][..2560], train.Tensors[1][..2560]), batchSize: 256);
        var (XTest, yTest) = (test.Tensors[0][..1000], test.Tensors[1][..1000]);

        Tensor.ManualSeed(0);
        int numInputs = 784, numOutputs = 10;
        var W = Tensor.Normal(0, 0.01, [numInputs, numOutputs], requiresGrad: true);
        var b = Tensor.Zeros([numOutputs], requiresGrad: true);

        Tensor Softmax(Tensor X)
        {
            var XExp = X.Exp();
            var partition = XExp.Sum(1, keepDim: true);
            return XExp / partition;
        }
        Tensor Net(Tensor X) => Softmax(X.Reshape(-1, W.Shape[0]).MatMul(W) + b);
        Tensor CrossEntropy(Tensor yHat, Tensor y) => -yHat[Tensor.Arange(yHat.Size(0)), y].Log();
        double Accuracy(Tensor yHat, Tensor y) => (yHat.Argmax(1) == y).Sum().Item<long>();
        void Sgd(Tensor[] parameters, double lr, int batchSize)
        {
            using var _ = new NoGrad();
            foreach (var param in parameters)
            {
                param.Sub_(lr * param.Grad! / batchSize);     // C#: a foreach variable cannot be the target of -=
                param.Grad!.Zero_();
            }
        }

        var epochLosses = new List<double>();
        var epochAccuracies = new List<double>();
        for (int epoch = 0; epoch < 2; epoch++)
        {
            double totalLoss = 0, totalCorrect = 0;
            foreach (var (X, y) in trainIter)
            {
                var yHat = Net(X);
                var l = CrossEntropy(yHat, y);
                l.Sum().Backward();
                Sgd([W, b], 0.1, X.Size(0));
                totalLoss += l.Sum().Item();
                totalCorrect += Accuracy(yHat, y);
            }
            epochLosses.Add(totalLoss / 2560);
            epochAccuracies.Add(totalCorrect / 2560);
        }
        double testAccuracy;
        using (new NoGrad()) testAccuracy = Accuracy(Net(XTest), yTest) / 1000;

        var losses = expected.GetProperty("epoch_losses").EnumerateArray().Select(v => v.GetDouble()).ToArray();
        var accuracies = expected.GetProperty("epoch_train_accuracies").EnumerateArray().Select(v => v.GetDouble()).ToArray();
        for (int e = 0; e < 2; e++)
        {
            Assert.True(Math.Abs(epochLosses[e] - losses[e]) < 1e-5, $"epoch {e} loss {epochLosses[e]} vs PyTorch {losses[e]}");
            Assert.Equal(accuracies[e], epochAccuracies[e], 1e-12);
        }
        Assert.Equal(expected.GetProperty("test_accuracy").GetDouble(), testAccuracy, 1e-12);
        Assert.Equal(expected.GetProperty("w_sum").GetDouble(), W.Sum().Item(), 1e-4);
        var bExpected = expected.GetProperty("b").EnumerateArray().Select(v => v.GetDouble()).ToArray();
        var bGot = b.ToArray();
        for (int i = 0; i < 10; i++) Assert.True(Math.Abs(bGot[i] - bExpected[i]) < 1e-6, $"b[{i}] {bGot[i]} vs PyTorch {bExpected[i]}");
    }
}
