using System.Diagnostics;
using System.Globalization;

namespace Framework.Bench;

/// <summary>
/// Data parallel over Open MPI: an epoch of the MLP 784-256-10 on Fashion-MNIST at a global batch of 128 (SGD with
/// momentum), one process × 1 thread against mpirun -np 2 × 1 thread (DistributedDataParallel, DistributedSampler).
/// Both run bench/DistributedEpoch (built here when missing) with DOTNET_PROCESSOR_COUNT=1, which makes the library's
/// kernels and OpenBLAS use one thread per process; each run times 3 epochs after 2 untimed ones and gives their median,
/// and each time is the median of 3 runs.
/// </summary>
internal static class DistributedBench
{
    private const int Runs = 3;

    /// <summary>The rows: both epoch times, the time ratio (target ≤ 1/1.6, i.e. a speed-up of 1.6×) with scaling efficiency and communication wait.</summary>
    public static List<Row> Run()
    {
        string? mpirun = Which("mpirun");
        if (mpirun is null)
        {
            Console.Error.WriteLine("distributed: mpirun not found (apt-get install openmpi-bin); skipped");
            return [];
        }
        string project = Path.Combine(Torch.BenchDir(), "DistributedEpoch");
        string dll = Path.Combine(project, "bin", "Release", "net10.0", "DistributedEpoch.dll");
        if (Start("dotnet", ["build", "-c", "Release", project, "-v", "q", "-nologo"]).ExitCode != 0 || !File.Exists(dll))
        {
            Console.Error.WriteLine($"distributed: could not build {project}; skipped");
            return [];
        }
        var single = new List<(double Epoch, double Wait)>();
        var ranks = new List<(double Epoch, double Wait)>();
        for (int r = 0; r < Runs; r++)   // alternated, so a change in the machine's load hits both alike
        {
            single.Add(Result(Start("dotnet", [dll, "--single"])));
            ranks.Add(Result(Start(mpirun, ["--allow-run-as-root", "--oversubscribe", "-np", "2", "-x", "DOTNET_PROCESSOR_COUNT=1", "dotnet", dll])));
        }
        double t1 = Median(single.Select(s => s.Epoch)), t2 = Median(ranks.Select(s => s.Epoch)), wait = Median(ranks.Select(s => s.Wait));
        double speedup = t1 / t2;
        string spread = $"runs: 1 process {string.Join(" ", single.Select(s => s.Epoch.ToString("F2", CultureInfo.InvariantCulture)))} s, " +
                        $"2 ranks {string.Join(" ", ranks.Select(s => s.Epoch.ToString("F2", CultureInfo.InvariantCulture)))} s";
        return
        [
            new("distributed", "mlp epoch b128, 1 process × 1 thread", t1, null, "s", false),
            new("distributed", "mlp epoch b128, 2 ranks × 1 thread", t2, null, "s", false,
                Note: $"waiting on allreduce {wait:F2} s ({wait / t2:P0} of the epoch)"),
            new("distributed", "2 ranks / 1 process epoch time", t2 / t1, null, "x", false, Target: 1 / 1.6, Absolute: true,
                Note: $"speed-up {speedup:F2}x, scaling efficiency {speedup / 2:P0}; {spread}"),
        ];
    }

    /// <summary>(epoch seconds, seconds waiting on communication) from the "RESULT …" line of rank 0.</summary>
    private static (double, double) Result((int ExitCode, string Output) run)
    {
        var line = run.Output.Split('\n').Select(l => l.IndexOf("RESULT ", StringComparison.Ordinal) is int i and >= 0 ? l[i..] : null)
                             .LastOrDefault(l => l is not null)
                   ?? throw new InvalidOperationException($"DistributedEpoch printed no result (exit code {run.ExitCode}):\n{run.Output}");
        double Field(string name) => double.Parse(line.Split(' ').First(f => f.StartsWith(name + "=", StringComparison.Ordinal))[(name.Length + 1)..], CultureInfo.InvariantCulture);
        return (Field("epoch_seconds"), Field("wait_seconds"));
    }

    private static (int ExitCode, string Output) Start(string file, string[] arguments)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in arguments) start.ArgumentList.Add(a);
        start.Environment["DOTNET_PROCESSOR_COUNT"] = "1";
        start.Environment["TERM"] = "dumb";
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        string stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, stdout + stderr.Result);
    }

    private static double Median(IEnumerable<double> xs)
    {
        var s = xs.Order().ToArray();
        return s[s.Length / 2];
    }

    private static string? Which(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Select(d => Path.Combine(d, name)).FirstOrDefault(File.Exists);
}
