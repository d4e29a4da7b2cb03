// Fashion-MNIST with an MLP 784-256-10 or a small CNN (Debian's dataset-fashion-mnist):
//   dotnet run -c Release --project examples/FashionMnist -- [--model mlp|cnn] [--optimizer sgd|adam] [--epochs 5] [--batch-size 64] [--lr X]
// Data parallel over Open MPI (each rank trains on its shard; --batch-size stays the global batch, split over the ranks):
//   dotnet build -c Release examples/FashionMnist && mpirun -np 2 dotnet run --no-build -c Release --project examples/FashionMnist -- --distributed
// mpirun binds each rank to one core when there are enough: add -x DOTNET_PROCESSOR_COUNT=1 (cores per rank) so a rank
// starts no more compute threads than it has cores.
using Framework.Autograd;
using Framework.Data;
using Framework.Distributed;
using Framework.Examples;
using Framework.NN;
using Framework.Optim;
using Framework.Plot;

string modelName = Arg("--model", "mlp");
string optimizerName = Arg("--optimizer", "adam");
int epochs = int.Parse(Arg("--epochs", "5"));
int batchSize = int.Parse(Arg("--batch-size", "64"));
double lr = double.Parse(Arg("--lr", optimizerName == "sgd" ? "0.01" : "0.001"), System.Globalization.CultureInfo.InvariantCulture);

bool distributed = args.Contains("--distributed");
int rank = 0, world = 1;
if (distributed)
{
    Dist.InitProcessGroup("mpi");
    (rank, world) = (Dist.Rank, Dist.WorldSize);
    if (batchSize % world != 0) throw new ArgumentException($"--batch-size {batchSize} (the global batch) must be a multiple of the {world} ranks");
    if (rank != 0) Console.SetOut(TextWriter.Null);   // rank 0 prints, plots and saves
}

Tensor.ManualSeed(0);
var train = FashionMnist.Load(train: true);
var test = FashionMnist.Load(train: false);
Console.WriteLine($"Fashion-MNIST: {train.Count} training and {test.Count} test images; model {modelName}, optimizer {optimizerName}, lr {lr}, batch {batchSize}, {epochs} epochs" +
                  (distributed ? $"; {world} ranks × batch {batchSize / world}" : ""));

var model = modelName switch
{
    "mlp" => new Sequential(new Flatten(), new Linear(784, 256), new ReLU(), new Linear(256, 10)),
    "cnn" => new Sequential(
        new Conv2d(1, 16, 3, padding: 1), new ReLU(), new MaxPool2d(2),    // 16×14×14
        new Conv2d(16, 32, 3, padding: 1), new ReLU(), new MaxPool2d(2),   // 32×7×7
        new Flatten(), new Linear(32 * 7 * 7, 10)),
    _ => throw new ArgumentException($"--model must be mlp or cnn, got '{modelName}'"),
};
Optimizer optimizer = optimizerName switch
{
    "sgd" => new SGD(model.Parameters(), lr, momentum: 0.9),
    "adam" => new Adam(model.Parameters(), lr),
    _ => throw new ArgumentException($"--optimizer must be sgd or adam, got '{optimizerName}'"),
};
var lossFn = new CrossEntropyLoss();
// Distributed: DDP averages the gradients over the ranks (it broadcast rank 0's initial weights), and each rank reads its
// shard of every epoch's permutation.
Module net = distributed ? new DistributedDataParallel(model) : model;
var sampler = distributed ? new DistributedSampler(train, shuffle: true, seed: 0) : null;
var loader = distributed ? new DataLoader(train, batchSize / world, sampler: sampler) : new DataLoader(train, batchSize, shuffle: true);
string output = (modelName == "mlp" ? $"fashion_mnist_{optimizerName}" : $"fashion_mnist_{modelName}_{optimizerName}") + (distributed ? $"_ddp{world}" : "");
using var history = rank == 0 ? new History(output + ".csv") : null;   // each row appended as it is logged: a crashed run keeps its history
int step = 0;
for (int epoch = 1; epoch <= epochs; epoch++)
{
    model.Train();
    sampler?.SetEpoch(epoch);
    var (meanLoss, samplesPerSecond, seconds) = TrainingProgress.Epoch($"epoch {epoch}/{epochs}", loader.Count, report =>
    {
        foreach (var batch in loader)
        {
            optimizer.ZeroGrad();
            var loss = lossFn.Forward(net.Call(batch[0]), batch[1]);
            loss.Backward();
            optimizer.Step();
            double l = loss.Item();
            history?.LogStep(++step, "batch loss", l);
            report(l, batch[0].Shape[0] * world);   // rank 0's loss; samples of all ranks
        }
    });
    if (rank != 0) continue;   // the replicas are identical: rank 0 alone evaluates
    double accuracy = Accuracy(model, test);
    history!.LogEpoch(epoch, "train loss", meanLoss);
    history.LogEpoch(epoch, "test accuracy", accuracy);
    Console.WriteLine($"epoch {epoch}: loss {meanLoss:F4}, test accuracy {accuracy:P2}, {seconds:F1} s, {samplesPerSecond:F0} samples/s");
}

if (rank == 0)
{
    model.Save(output + ".safetensors");   // the inner model's keys (fc…), loadable without DDP
    history!.SavePng(output + ".png");
    Console.WriteLine($"saved {output}.safetensors, .csv and .png");
}
if (distributed) Dist.DestroyProcessGroup();

string Arg(string name, string fallback)
{
    int i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
}

static double Accuracy(Module model, Dataset<Tensor[]> split)
{
    model.Eval();
    using var _ = new NoGrad();
    int correct = 0;
    foreach (var batch in new DataLoader(split, batchSize: 1000))
        correct += (int)model.Call(batch[0]).Argmax(1).Eq(batch[1]).Sum().Item<long>();
    return (double)correct / split.Count;
}
