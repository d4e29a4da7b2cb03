using System.Diagnostics;
using Framework.Autograd;
using Framework.Distributed;

namespace DistributedWorker;

internal static partial class Scenarios
{
    /// <summary>Not a check (run by name only): the time of blocking and non-blocking allreduces of the MLP's gradient size.</summary>
    public static IEnumerable<(string, string?)> AllReduceTiming()
    {
        var t = Tensor.Zeros(203_530);
        Dist.CheckShapes = false;
        foreach (bool async in (bool[])[false, true, false, true])
        {
            for (int i = 0; i < 50; i++) Step(t, async);
            var clock = Stopwatch.StartNew();
            for (int i = 0; i < 500; i++) Step(t, async);
            Console.WriteLine($"rank {Dist.Rank}: {(async ? "AllReduceAsync+Wait" : "AllReduce")} of 203530 floats: {clock.Elapsed.TotalMilliseconds / 500:F3} ms");
        }
        Dist.CheckShapes = true;
        yield break;
    }

    private static void Step(Tensor t, bool async)
    {
        if (async) Dist.AllReduceAsync(t, ReduceOp.Sum).Wait();
        else Dist.AllReduce(t, ReduceOp.Avg);
    }
}
