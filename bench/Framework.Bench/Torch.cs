using System.Diagnostics;
using System.Globalization;

namespace Framework.Bench;

/// <summary>One side's figures for one workload: per case the median over its fresh runs under the faster environment, and which one that was.</summary>
internal sealed class TorchFigures
{
    /// <summary>The kept figure per case.</summary>
    public Dictionary<string, double> Values { get; } = [];

    /// <summary>The environment label that gave the kept figure, per case.</summary>
    public Dictionary<string, string> Variant { get; } = [];

    /// <summary>Every run's figure per case under the kept environment (for the spread).</summary>
    public Dictionary<string, List<double>> Runs { get; } = [];

    /// <summary>Non-numeric "key text" lines the program printed (e.g. "data fashion-mnist").</summary>
    public Dictionary<string, string> Info { get; } = [];

    /// <summary>Why the side gave no figures (not built, failed to load, script missing), or null.</summary>
    public string? Error { get; set; }

    /// <summary>The kept figure for <paramref name="case"/>, or null when the side gave none.</summary>
    public double? this[string @case] => Values.TryGetValue(@case, out var v) ? v : null;

    /// <summary>The winning environment for <paramref name="case"/>, or null.</summary>
    public string? VariantOf(string @case) => Variant.GetValueOrDefault(@case);
}

/// <summary>An environment a program runs under: a label and variables to set (a null value removes the variable).</summary>
internal sealed record EnvVariant(string Label, (string Name, string? Value)[] Env);

/// <summary>
/// A program started in fresh processes, once per <see cref="RunAll"/> under each of its environment variants; the driver
/// alternates the sides' runs so that a change in the machine's load hits all of them alike.
/// </summary>
internal sealed class FreshRuns(string who, string file, string[] args, EnvVariant[] variants, Func<string, (string Key, string Value)?> parse)
{
    private readonly List<Dictionary<string, double>>[] runs = variants.Select(_ => new List<Dictionary<string, double>>()).ToArray();
    private readonly bool[] failed = new bool[variants.Length];
    private readonly Dictionary<string, string> info = [];
    private string? error;

    /// <summary>Who runs ("ours", "PyTorch", "TorchSharp").</summary>
    public string Who => who;

    /// <summary>One more fresh run under every variant that has not failed yet.</summary>
    public void RunAll()
    {
        for (int k = 0; k < variants.Length; k++)
        {
            if (failed[k]) continue;
            var one = Runner.RunOnce(file, args, variants[k].Env, parse, info, out var e);
            if (e is not null)
            {
                failed[k] = true;
                error ??= e;
                Console.WriteLine($"  ({who}{(variants.Length > 1 ? " under " + variants[k].Label : "")} failed: {e})");
            }
            else runs[k].Add(one);
        }
    }

    /// <summary>Per variant the median of each case over its runs; per case the faster variant's median (the higher one when <paramref name="higherIsBetter"/>).</summary>
    public TorchFigures Figures(bool higherIsBetter)
    {
        var result = new TorchFigures();
        foreach (var (k, v) in info) result.Info[k] = v;
        var medians = runs.Select(r => r.SelectMany(d => d.Keys).Distinct()
                                        .ToDictionary(c => c, c => Measure.Median(r.Where(d => d.ContainsKey(c)).Select(d => d[c]))))
                          .ToArray();
        for (int k = 0; k < variants.Length; k++)
            foreach (var (c, v) in medians[k])
                if (!result.Values.TryGetValue(c, out var best) || (higherIsBetter ? v > best : v < best))
                {
                    result.Values[c] = v;
                    result.Variant[c] = variants[k].Label;
                    result.Runs[c] = runs[k].Where(d => d.ContainsKey(c)).Select(d => d[c]).ToList();
                }
        if (result.Values.Count == 0) result.Error = error ?? "no figures";
        if (result.Values.Count > 0 && variants.Length > 1)
            Console.WriteLine($"  {who} medians of {runs.Max(r => r.Count)} runs ({string.Join(" vs ", variants.Select(v => v.Label))}, {(higherIsBetter ? "higher" : "lower")} kept): " +
                string.Join("; ", result.Values.Keys.Select(c =>
                    $"{c} -> {result.Variant[c]} ({string.Join(" vs ", medians.Select(d => d.TryGetValue(c, out var v) ? v.ToString("G4", CultureInfo.InvariantCulture) : "n/a"))})")));
        return result;
    }
}

/// <summary>Starts programs in fresh processes and reads their result lines.</summary>
internal static class Runner
{
    /// <summary>Parses a twin's "case value" line (the value after the last space); a non-numeric value is returned too (an info line).</summary>
    public static (string Key, string Value)? CaseValue(string line)
    {
        int sp = line.LastIndexOf(' ');
        return sp <= 0 ? null : (line[..sp].Trim(), line[(sp + 1)..].Trim());
    }

    /// <summary>Parses our child's <c>RESULT case\tvalue\tunit</c> and <c>INFO key\ttext</c> lines; null for any other line.</summary>
    public static (string Key, string Value)? ResultLine(string line)
    {
        if (!line.StartsWith("RESULT ", StringComparison.Ordinal) && !line.StartsWith("INFO ", StringComparison.Ordinal)) return null;
        var f = line[(line.IndexOf(' ') + 1)..].Split('\t');
        return f.Length >= 2 ? (f[0], f[1]) : null;
    }

    /// <summary>
    /// The variables that make a .NET child run with the runtime's defaults: every DOTNET_* and COMPlus_* setting of this
    /// process removed (DOTNET_ROOT*, which only locates the runtime, kept).
    /// </summary>
    public static (string Name, string? Value)[] DefaultRuntimeEnv() =>
        Environment.GetEnvironmentVariables().Keys.Cast<string>()
            .Where(k => (k.StartsWith("DOTNET_", StringComparison.OrdinalIgnoreCase) || k.StartsWith("COMPlus_", StringComparison.OrdinalIgnoreCase))
                        && !k.StartsWith("DOTNET_ROOT", StringComparison.OrdinalIgnoreCase))
            .Order().Select(k => (k, (string?)null)).ToArray();

    /// <summary>One run of <paramref name="file"/> <paramref name="args"/> with <paramref name="env"/> applied: its numeric figures; text values go to <paramref name="info"/>; <paramref name="error"/> is set when it failed.</summary>
    public static Dictionary<string, double> RunOnce(string file, string[] args, (string Name, string? Value)[] env,
                                                     Func<string, (string Key, string Value)?> parse, Dictionary<string, string> info, out string? error)
    {
        var result = new Dictionary<string, double>();
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) psi.ArgumentList.Add(a);
        foreach (var (name, value) in env)
        {
            if (value is null) psi.Environment.Remove(name);
            else psi.Environment[name] = value;
        }
        Process p;
        try { p = Process.Start(psi)!; }
        catch (Exception e) { error = $"{file} could not start: {e.Message}"; return result; }
        using (p)
        {
            var stderrTask = p.StandardError.ReadToEndAsync();
            string stdout = p.StandardOutput.ReadToEnd();
            string stderr = stderrTask.Result;
            p.WaitForExit();
            if (p.ExitCode != 0)
            {
                var lines = stderr.Trim().Split('\n');
                error = (lines.FirstOrDefault(l => l.Contains("Exception", StringComparison.Ordinal) || l.Contains("Error", StringComparison.Ordinal))
                         ?? lines.LastOrDefault() ?? "").Trim() + $" (exit code {p.ExitCode})";
                return result;
            }
            error = null;
            foreach (var line in stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                if (parse(line.TrimEnd('\r')) is not var (key, value)) continue;
                if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var v)) result[key] = v;
                else info[key] = value;
            }
            if (result.Count == 0) error = $"printed no figures (exit code 0): {stdout.Trim().Split('\n').LastOrDefault()}";
        }
        return result;
    }

    /// <summary>Runs <paramref name="file"/> <paramref name="args"/> to its end; (exit code, stdout + stderr).</summary>
    public static (int ExitCode, string Output) Run(string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var errTask = p.StandardError.ReadToEndAsync();
        string output = p.StandardOutput.ReadToEnd();
        output += errTask.Result;
        p.WaitForExit();
        return (p.ExitCode, output);
    }
}

/// <summary>Our side: this very program (<c>dotnet Framework.Bench.dll --one …</c>) in fresh processes with the runtime's default settings.</summary>
internal static class Ours
{
    /// <summary>Framework.Bench.dll, the entry assembly.</summary>
    public static string Dll => System.Reflection.Assembly.GetEntryAssembly()!.Location;

    /// <summary>The fresh runs of <c>--one <paramref name="args"/></c>.</summary>
    public static FreshRuns Runs(string[] args) =>
        new("ours", "dotnet", [Dll, "--one", .. args], [new EnvVariant("default", Runner.DefaultRuntimeEnv())], Runner.ResultLine);

    /// <summary>The runtime settings Framework.Bench.runtimeconfig.json sets (configProperties), which would change JIT or GC behaviour; empty when none.</summary>
    public static List<string> RuntimeConfigSettings()
    {
        string path = Path.ChangeExtension(Dll, ".runtimeconfig.json");
        if (!File.Exists(path)) return [$"{path} missing"];
        using var doc = System.Text.Json.JsonDocument.Parse(File.ReadAllText(path));
        if (!doc.RootElement.TryGetProperty("runtimeOptions", out var options) || !options.TryGetProperty("configProperties", out var props)) return [];
        // The SDK's defaults that change neither JIT nor GC.
        string[] harmless = ["System.Globalization.Invariant", "System.Reflection.Metadata.MetadataUpdater.IsSupported",
                             "System.Runtime.Serialization.EnableUnsafeBinaryFormatterSerialization", "System.Globalization.PredefinedCulturesOnly"];
        return props.EnumerateObject().Where(p => !harmless.Contains(p.Name)).Select(p => $"{p.Name}={p.Value}").ToList();
    }
}

/// <summary>Runs the PyTorch twin of a workload (bench/pytorch/&lt;name&gt;.py with Debian's python3-torch 1.13) in fresh processes.</summary>
internal static class Torch
{
    private const string Python = "/usr/bin/python3";

    /// <summary>The environments each script runs under; on 2 cores torch's OpenMP threads and OpenBLAS's own oversubscribe by default (issue 5).</summary>
    public static readonly EnvVariant[] Variants =
    [
        new("PASSIVE", [("OMP_WAIT_POLICY", "PASSIVE")]),
        new("PASSIVE+OPENBLAS_NUM_THREADS=1", [("OMP_WAIT_POLICY", "PASSIVE"), ("OPENBLAS_NUM_THREADS", "1")]),
    ];

    /// <summary>The fresh runs of <c>bench/pytorch/<paramref name="script"/>.py <paramref name="args"/></c> under every <see cref="Variants"/> entry; null (with <paramref name="error"/>) when python or the script is missing.</summary>
    public static FreshRuns? Runs(string script, string[] args, out string? error)
    {
        var path = Path.Combine(BenchDir(), "pytorch", script + ".py");
        error = !File.Exists(Python) ? $"{Python} missing" : !File.Exists(path) ? $"{path} missing" : null;
        return error is null ? new FreshRuns("PyTorch", Python, [path, .. args], Variants, Runner.CaseValue) : null;
    }

    /// <summary>The bench/ folder, found upwards from the executable or the working directory.</summary>
    public static string BenchDir()
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
        {
            var d = new DirectoryInfo(start);
            while (d is not null)
            {
                if (Directory.Exists(Path.Combine(d.FullName, "bench", "pytorch"))) return Path.Combine(d.FullName, "bench");
                if (d.Name == "bench" && Directory.Exists(Path.Combine(d.FullName, "pytorch"))) return d.FullName;
                d = d.Parent;
            }
        }
        return "bench";
    }
}

/// <summary>Builds (once) and runs the TorchSharp 0.107 / libtorch 2.10 twin, bench/TorchSharp, in fresh processes.</summary>
internal static class TorchSharpTwin
{
    /// <summary>Default OpenMP settings and OMP_WAIT_POLICY=PASSIVE (both with the .NET runtime's defaults); the faster median is kept.</summary>
    public static readonly EnvVariant[] Variants =
    [
        new("default", [("OMP_WAIT_POLICY", null), .. Runner.DefaultRuntimeEnv()]),
        new("PASSIVE", [("OMP_WAIT_POLICY", "PASSIVE"), .. Runner.DefaultRuntimeEnv()]),
    ];

    private static string? dll;

    /// <summary>Why the twin is unavailable (build failed, libtorch does not load), or null.</summary>
    public static string? Error { get; private set; } = "not built";

    /// <summary>Builds bench/TorchSharp in Release and checks that it starts (loads libtorch); afterwards <see cref="Runs"/> uses it, or <see cref="Error"/> says why not.</summary>
    public static void Build()
    {
        string project = Path.Combine(Torch.BenchDir(), "TorchSharp");
        var clock = Stopwatch.StartNew();
        try
        {
            var (code, output) = Runner.Run("dotnet", "build", "-c", "Release", project, "-nologo", "-v", "q");
            if (code != 0)
            {
                Error = "build failed: " + (output.Split('\n').FirstOrDefault(l => l.Contains("error", StringComparison.OrdinalIgnoreCase))?.Trim() ?? $"exit code {code}");
                return;
            }
        }
        catch (Exception e) { Error = "dotnet build could not start: " + e.Message; return; }
        var bin = Path.Combine(project, "bin", "Release");
        dll = Directory.Exists(bin) ? Directory.GetFiles(bin, "TorchSharp.Bench.dll", SearchOption.AllDirectories).FirstOrDefault() : null;
        if (dll is null) { Error = "TorchSharp.Bench.dll not found after the build"; return; }
        // A quick call that loads libtorch: a load failure is reported once here, not per workload.
        var probe = Runner.RunOnce("dotnet", [dll, "probe"], Variants[1].Env, Runner.CaseValue, [], out var error);
        if (error is not null || !probe.ContainsKey("threads")) { Error = "does not load: " + (error ?? "no answer"); dll = null; return; }
        Error = null;
        Console.WriteLine($"TorchSharp twin: {dll} (built in {clock.Elapsed.TotalSeconds:F0} s; libtorch loads, {probe["threads"]} threads)");
    }

    /// <summary>The fresh runs of <c>TorchSharp.Bench <paramref name="args"/></c> under both <see cref="Variants"/>; null when the twin is unavailable (<see cref="Error"/>).</summary>
    public static FreshRuns? Runs(string[] args) =>
        dll is null ? null : new FreshRuns("TorchSharp", "dotnet", [dll, .. args], Variants, Runner.CaseValue);
}
