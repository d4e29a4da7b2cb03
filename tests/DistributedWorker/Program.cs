// Runs under `mpirun -np 2 dotnet DistributedWorker.dll [scenario ...]`: each scenario prints, on every rank,
// "PASS <rank> <name>" or "FAIL <rank> <name>: <detail>"; the test reads these lines. Exit code 0 unless a scenario threw.
using Framework.Autograd;
using Framework.Distributed;
using DistributedWorker;

Dist.InitProcessGroup("mpi");
var scenarios = args.Length > 0 ? args : Scenarios.All.Keys.ToArray();
int failures = 0;
foreach (var name in scenarios)
{
    try
    {
        foreach (var (check, detail) in name == "timing" ? Scenarios.AllReduceTiming() : Scenarios.All[name]())
            Report($"{name}/{check}", detail);
    }
    catch (Exception e)
    {
        failures++;
        Report($"{name}", $"threw {e.GetType().Name}: {e.Message}");
    }
}
Dist.Barrier();
Dist.DestroyProcessGroup();
return failures == 0 ? 0 : 1;

static void Report(string check, string? detail) =>
    Console.WriteLine(detail is null ? $"PASS {Dist.Rank} {check}" : $"FAIL {Dist.Rank} {check}: {detail}");
