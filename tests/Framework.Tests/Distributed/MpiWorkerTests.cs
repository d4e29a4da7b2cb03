using System.Diagnostics;

namespace Tests.Distributed;

/// <summary>
/// Runs tests/DistributedWorker under `mpirun -np 2` once (about 6 s) and checks the PASS/FAIL lines each rank printed
/// for each scenario; skipped with a message when mpirun is not installed.
/// </summary>
public class MpiWorkerTests
{
    private const int Ranks = 2;

    /// <summary>The worker's output, run on first use and shared by every test of this class.</summary>
    private static readonly Lazy<(string? Skip, string Output, int ExitCode)> Run = new(Launch);

    [SkippableTheory]
    [InlineData("collectives", 33)]
    [InlineData("errors", 10)]
    [InlineData("ddp", 10)]
    [InlineData("tail", 6)]
    [InlineData("nosync", 3)]
    [InlineData("unused", 2)]
    [InlineData("sampler", 6)]
    public void Scenario(string scenario, int checks)
    {
        var (skip, output, exitCode) = Run.Value;
        Skip.If(skip is not null, skip);
        // A line may start with terminal escape codes .NET writes when stdout is not a terminal of its own: read from the verdict on.
        var lines = output.Split('\n').Select(l => Math.Max(l.IndexOf("PASS "), l.IndexOf("FAIL ")) is int i and >= 0 ? l[i..].Trim() : l).ToArray();
        var failures = lines.Where(l => l.StartsWith("FAIL ") && l.Contains($" {scenario}")).ToArray();
        Assert.True(failures.Length == 0, string.Join("\n", failures));
        for (int rank = 0; rank < Ranks; rank++)
        {
            int passed = lines.Count(l => l.StartsWith($"PASS {rank} {scenario}/"));
            Assert.True(passed == checks, $"rank {rank}: {passed} of {checks} checks of '{scenario}' passed; exit code {exitCode}; output:\n{output}");
        }
    }

    [SkippableFact]
    public void WorkerExitsCleanly()
    {
        var (skip, output, exitCode) = Run.Value;
        Skip.If(skip is not null, skip);
        Assert.True(exitCode == 0, $"mpirun exited with {exitCode}:\n{output}");
    }

    private static (string?, string, int) Launch()
    {
        string? mpirun = Which("mpirun");
        if (mpirun is null) return ("mpirun not found: install Open MPI (apt-get install openmpi-bin) to run the MPI tests", "", 0);
        string worker = Path.Combine(AppContext.BaseDirectory, "DistributedWorker.dll");
        if (!File.Exists(worker)) return ($"{worker} was not built", "", 0);
        var start = new ProcessStartInfo(mpirun)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["TERM"] = "dumb";
        foreach (var a in (string[])["--allow-run-as-root", "--oversubscribe", "-np", Ranks.ToString(), "dotnet", worker]) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(120)))
        {
            process.Kill(entireProcessTree: true);
            return (null, "mpirun did not finish within 120 s\n" + stdout.Result + stderr.Result, -1);
        }
        return (null, stdout.Result + "\n" + stderr.Result, process.ExitCode);
    }

    private static string? Which(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Select(d => Path.Combine(d, name)).FirstOrDefault(File.Exists);
}
