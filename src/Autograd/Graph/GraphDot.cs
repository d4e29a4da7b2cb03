using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Framework.Autograd;

// Pictures of the backward graph, as torchviz's make_dot draws them (and as the seeds draw a graph: tensors round, ops
// square): the output in green, op nodes by name, one AccumulateGrad per leaf that requires grad with the leaf in blue
// above it, and one edge per entry of each node's NextFunctions (a null entry, a constant, has none). Text is in DejaVu
// Sans Mono (Debian's fonts-dejavu-core), so that a picture is the same on every machine.
public static partial class Graph
{
    /// <summary>The Graphviz dot executable SavePng/SaveSvg run: a name looked up on PATH (default "dot") or a full path.</summary>
    public static string DotExecutable { get; set; } = "dot";

    /// <summary>
    /// Graphviz DOT of t's backward graph: t, its grad_fn and every node the engine reaches from it (breadth first, ids n0, n1 …
    /// in that order), each edge written the way the engine walks it (t → grad_fn → next function → … → AccumulateGrad → leaf)
    /// and drawn pointing back, so the picture reads as torchviz's: leaves on top, arrows down to t. Tensors show their name
    /// from <paramref name="names"/> (as torchviz's params), shape and requires_grad.
    /// </summary>
    public static string ToDot(Tensor t, IReadOnlyDictionary<string, Tensor>? names = null)
    {
        ArgumentNullException.ThrowIfNull(t);
        var nameOf = new Dictionary<Tensor, string>(ReferenceEqualityComparer.Instance);
        if (names is not null)
            foreach (var (name, tensor) in names) nameOf.TryAdd(tensor, name);

        var nodes = new StringBuilder();
        var edges = new StringBuilder();
        nodes.Append(CultureInfo.InvariantCulture, $"\tn0 [label=\"{TensorLabel(t, nameOf)}\" fillcolor=darkolivegreen1 shape=ellipse]\n");
        var ids = new Dictionary<Node, int>(ReferenceEqualityComparer.Instance);
        var queue = new Queue<Node>();
        int Id(Node node)
        {
            if (ids.TryGetValue(node, out int id)) return id;
            ids.Add(node, id = ids.Count + 1);
            nodes.Append(CultureInfo.InvariantCulture, $"\tn{id} [label=\"{Escape(node.Name)}\"]\n");
            queue.Enqueue(node);
            return id;
        }
        if (t.gradFn is { } root) edges.Append(CultureInfo.InvariantCulture, $"\tn0 -> n{Id(root)}\n");
        int leaves = 0;
        while (queue.TryDequeue(out var node))
        {
            int from = ids[node];
            if (node is AccumulateGrad acc)
            {
                string leaf = $"l{leaves++}";
                nodes.Append(CultureInfo.InvariantCulture, $"\t{leaf} [label=\"{TensorLabel(acc.variable, nameOf)}\" fillcolor=lightblue shape=ellipse]\n");
                edges.Append(CultureInfo.InvariantCulture, $"\tn{from} -> {leaf}\n");
            }
            foreach (var next in node.next)
                if (next is not null) edges.Append(CultureInfo.InvariantCulture, $"\tn{from} -> n{Id(next)}\n");
        }
        return "digraph {\n" +
               "\tgraph [rankdir=BT]\n" +
               "\tnode [fontname=\"DejaVu Sans Mono\" fontsize=10 height=0.2 shape=box style=filled]\n" +
               "\tedge [dir=back]\n" +
               nodes + edges + "}\n";
    }

    /// <summary>Writes the picture of t's backward graph (<see cref="ToDot"/>) as PNG, through Graphviz's dot; atomic (a temporary file, then a rename).</summary>
    public static void SavePng(Tensor t, string path, IReadOnlyDictionary<string, Tensor>? names = null) => Render(t, path, "png", names);

    /// <summary>Writes the picture of t's backward graph (<see cref="ToDot"/>) as SVG, through Graphviz's dot; atomic (a temporary file, then a rename).</summary>
    public static void SaveSvg(Tensor t, string path, IReadOnlyDictionary<string, Tensor>? names = null) => Render(t, path, "svg", names);

    /// <summary>name (when given), shape as torch.Size prints it without the word, requires_grad.</summary>
    private static string TensorLabel(Tensor t, Dictionary<Tensor, string> nameOf)
    {
        string shape = "(" + string.Join(", ", t.shape) + ")";
        string grad = t.requiresGrad ? "requires_grad=True" : "requires_grad=False";
        return nameOf.TryGetValue(t, out var name) ? $"{Escape(name)}\\n{shape}\\n{grad}" : $"{shape}\\n{grad}";
    }

    /// <summary>A DOT double-quoted string's contents: backslashes and quotes escaped, line breaks as \n.</summary>
    private static string Escape(string s) => s.Replace("\\", "\\\\").Replace("\"", "\\\"").Replace("\n", "\\n");

    private static void Render(Tensor t, string path, string format, IReadOnlyDictionary<string, Tensor>? names)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string dot = ToDot(t, names);
        string full = Path.GetFullPath(path);
        string temp = Path.Combine(Path.GetDirectoryName(full)!, $".{Path.GetFileName(full)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        var start = new ProcessStartInfo(DotExecutable) { UseShellExecute = false, RedirectStandardInput = true, RedirectStandardError = true };
        start.ArgumentList.Add("-T" + format);
        start.ArgumentList.Add("-o");
        start.ArgumentList.Add(temp);
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new Win32Exception();
        }
        catch (Win32Exception)
        {
            string exe = DotExecutable;
            string what = exe.Contains(Path.DirectorySeparatorChar) || exe.Contains(Path.AltDirectorySeparatorChar) ? $"dot was not found at {exe}" : $"{exe} was not found on PATH";
            throw new InvalidOperationException($"Graphviz's {what}; install it with: apt-get install graphviz");
        }
        using (process)
        {
            var stderr = process.StandardError.ReadToEndAsync();
            try
            {
                process.StandardInput.Write(dot);
                process.StandardInput.Close();
            }
            catch (IOException) { }   // dot exited early; its exit code and stderr say why
            process.WaitForExit();
            string error = stderr.Result.Trim();
            if (process.ExitCode != 0 || !File.Exists(temp))
            {
                File.Delete(temp);
                throw new InvalidOperationException($"Graphviz's dot failed (exit code {process.ExitCode}) rendering {path}: {error}");
            }
        }
        File.Move(temp, full, overwrite: true);
    }
}
