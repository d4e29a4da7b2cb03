using System.Diagnostics;
using System.Globalization;

namespace Framework.Bench;

/// <summary>Runs the PyTorch twin of a workload (bench/pytorch/&lt;name&gt;.py with Debian's python3-torch) and reads its "case value" lines.</summary>
internal static class Torch
{
    private const string Python = "/usr/bin/python3";

    /// <summary>Figures printed by the script, keyed by case; empty (with a message) when torch is unavailable.</summary>
    public static Dictionary<string, double> Run(string workload)
    {
        var result = new Dictionary<string, double>();
        var script = Path.Combine(BenchDir(), "pytorch", workload + ".py");
        if (!File.Exists(Python) || !File.Exists(script)) { Console.WriteLine($"  (PyTorch comparison skipped: {Python} or {script} missing)"); return result; }
        var psi = new ProcessStartInfo(Python, script) { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.Environment["OMP_WAIT_POLICY"] = "PASSIVE";   // torch at its best on 2 cores (see issue 5)
        using var p = Process.Start(psi)!;
        string stdout = p.StandardOutput.ReadToEnd();
        string stderr = p.StandardError.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0)
        {
            Console.WriteLine($"  (PyTorch comparison skipped: {stderr.Trim().Split('\n').LastOrDefault()})");
            return result;
        }
        foreach (var line in stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            int sp = line.LastIndexOf(' ');
            if (sp > 0 && double.TryParse(line[(sp + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture, out var v))
                result[line[..sp].Trim()] = v;
        }
        return result;
    }

    /// <summary>The bench/ folder, found upwards from the executable or the working directory.</summary>
    public static string BenchDir()
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
        {
            var d = new DirectoryInfo(start);
            while (d != null)
            {
                if (Directory.Exists(Path.Combine(d.FullName, "bench", "pytorch"))) return Path.Combine(d.FullName, "bench");
                if (d.Name == "bench" && Directory.Exists(Path.Combine(d.FullName, "pytorch"))) return d.FullName;
                d = d.Parent;
            }
        }
        return "bench";
    }
}
