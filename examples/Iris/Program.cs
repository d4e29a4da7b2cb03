// Iris classification: the classic 150-row table (shipped as iris.csv), an MLP, cross-entropy and Adam,
// with a seeded 80/20 train/test split and features standardised on the training split only.
using Framework.Autograd;
using Framework.Data;
using Framework.NN;
using Framework.Optim;
using Framework.Plot;

Tensor.ManualSeed(0);
var csv = Path.Combine(AppContext.BaseDirectory, "iris.csv");
var data = CsvDataset.Load(csv, ["sepal_length", "sepal_width", "petal_length", "petal_width"], "species");
var (train, test) = Dataset.RandomSplit(data, [120, 30], seed: 42) is var s ? (s[0], s[1]) : default;
data.Standardize(fitOn: train);
Console.WriteLine($"{data.Count} flowers, classes: {string.Join(", ", data.Classes!)}; train {train.Count}, test {test.Count}");

var model = new Sequential(new Linear(4, 16), new ReLU(), new Linear(16, 3));
var lossFn = new CrossEntropyLoss();
var optimizer = new Adam(model.Parameters(), lr: 0.01);
var loader = new DataLoader(train, batchSize: 16, shuffle: true, seed: 0);
using var history = new History("iris_history.csv");   // each row appended as it is logged

for (int epoch = 1; epoch <= 30; epoch++)
{
    model.Train();
    double lossSum = 0;
    foreach (var batch in loader)
    {
        optimizer.ZeroGrad();
        var loss = lossFn.Forward(model.Call(batch[0]), batch[1]);
        loss.Backward();
        optimizer.Step();
        lossSum += loss.Item();
    }
    history.LogEpoch(epoch, "train loss", lossSum / loader.Count);
    history.LogEpoch(epoch, "test accuracy", Accuracy(model, test));
    if (epoch % 10 == 0)
        Console.WriteLine($"epoch {epoch,2}: loss {lossSum / loader.Count:F4}, test accuracy {Accuracy(model, test):P1}");
}

double accuracy = Accuracy(model, test);
Console.WriteLine($"test accuracy: {accuracy:P1} ({(int)Math.Round(accuracy * test.Count)}/{test.Count})");
history.SavePng("iris.png");
Console.WriteLine("wrote iris_history.csv and iris.png");
return accuracy >= 0.93 ? 0 : 1;

static double Accuracy(Module model, Dataset<Tensor[]> split)
{
    model.Eval();
    using var _ = new NoGrad();
    int correct = 0;
    foreach (var batch in new DataLoader(split, batchSize: 64))
        correct += (int)model.Call(batch[0]).Argmax(1).Eq(batch[1]).Sum().Item<long>();
    return (double)correct / split.Count;
}
