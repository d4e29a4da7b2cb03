// Times epochs of the MLP 784-256-10 on Fashion-MNIST at a global batch of 128 (SGD, momentum 0.9), the first two untimed
// warm-ups (the JIT's tier-1 compiles still run in the second), the others timed:
//   dotnet DistributedEpoch.dll --single                      one process, no MPI
//   mpirun -np 2 dotnet DistributedEpoch.dll                  DDP, each rank batch 128 / 2 of its DistributedSampler shard
// Rank 0 prints "RESULT world=… epoch_seconds=… wait_seconds=… steps=… accuracy=…", the median timed epoch and its wait; both runs see the
// same samples in each global batch, so their test accuracies agree up to rounding.
using System.Diagnostics;
using Framework.Autograd;
using Framework.Data;
using Framework.Distributed;
using Framework.NN;
using Framework.Optim;

bool single = args.Contains("--single");
const int WarmEpochs = 2;
int epochs = args.SkipWhile(a => a != "--epochs").Skip(1).Select(int.Parse).FirstOrDefault(WarmEpochs + 3);
if (epochs <= WarmEpochs) throw new ArgumentException($"--epochs must exceed the {WarmEpochs} warm-up epochs, but got {epochs}");
const int GlobalBatch = 128;
int rank = 0, world = 1;
if (!single)
{
    Dist.InitProcessGroup("mpi");
    (rank, world) = (Dist.Rank, Dist.WorldSize);
}
Tensor.ManualSeed(0);
var train = FashionMnist.Load(train: true);
var model = new Sequential(new Flatten(), new Linear(784, 256), new ReLU(), new Linear(256, 10));
var ddp = single ? null : new DistributedDataParallel(model);
Module net = ddp is null ? model : ddp;
// One process reads the same permutation whole (1 replica): its batch k holds exactly the samples of the ranks' batches k.
var sampler = single ? new DistributedSampler(train, numReplicas: 1, rank: 0, shuffle: true, seed: 0)
                     : new DistributedSampler(train, shuffle: true, seed: 0);
var loader = new DataLoader(train, GlobalBatch / world, sampler: sampler, numWorkers: 0);
var optimizer = new SGD(model.Parameters(), 0.01, momentum: 0.9);
var lossFn = new CrossEntropyLoss();
var timed = new List<(double Seconds, double Wait)>();
int steps = 0;
for (int epoch = 0; epoch < epochs; epoch++)
{
    sampler.SetEpoch(epoch);
    double waitBefore = ddp?.CommunicationWaitSeconds ?? 0;
    if (!single) Dist.Barrier();
    var clock = Stopwatch.StartNew();
    steps = 0;
    foreach (var batch in loader)
    {
        optimizer.ZeroGrad();
        lossFn.Forward(net.Call(batch[0]), batch[1]).Backward();
        optimizer.Step();
        steps++;
    }
    if (!single) Dist.Barrier();
    if (epoch >= WarmEpochs) timed.Add((clock.Elapsed.TotalSeconds, (ddp?.CommunicationWaitSeconds ?? 0) - waitBefore));
}
var (seconds, wait) = timed.OrderBy(t => t.Seconds).ElementAt(timed.Count / 2);
var test = FashionMnist.Load(train: false);
double accuracy;
using (new NoGrad())
{
    model.Eval();
    var (x, y) = (test.Tensors[0], test.Tensors[1]);
    accuracy = model.Call(x).Argmax(1).Eq(y).Sum().Item<long>() / (double)test.Count;
}
if (rank == 0)
    Console.WriteLine(FormattableString.Invariant($"RESULT world={world} epoch_seconds={seconds:F4} wait_seconds={wait:F4} steps={steps} accuracy={accuracy:F4}"));
if (!single) Dist.DestroyProcessGroup();
