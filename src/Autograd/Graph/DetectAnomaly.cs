namespace Framework.Autograd;

/// <summary>Anomaly mode: after each backward node runs, its gradients are checked for NaN and infinity.</summary>
internal static class DetectAnomalyMode
{
    /// <summary>The mode of the logical flow (follows await). Read once per backward node, so unlike GradMode it needs no thread-static mirror.</summary>
    private static readonly AsyncLocal<bool> enabled = new();

    /// <summary>Whether backward checks gradients in this flow.</summary>
    public static bool Enabled => enabled.Value;

    /// <summary>Turns the checks on until the returned scope is disposed, which puts back the mode it found.</summary>
    public static IDisposable Enter()
    {
        var scope = new Scope(enabled.Value);
        enabled.Value = true;
        return scope;
    }

    /// <summary>Throws naming the op whose backward produced a non-finite gradient.</summary>
    public static void Check(Node node, Tensor?[] grads)
    {
        for (int i = 0; i < grads.Length; i++)
        {
            var g = grads[i];
            if (g is null || !g.DType.IsFloatingPoint()) continue;
            foreach (var v in g.ToArray<double>())
                if (!double.IsFinite(v))
                    throw new InvalidOperationException(
                        $"Function '{node.Name}' returned {(double.IsNaN(v) ? "nan" : "inf")} values in its {i}th output.");
        }
    }

    /// <summary>Restores, in the flow that disposes it, the mode in force when it was entered.</summary>
    private sealed class Scope(bool previous) : IDisposable
    {
        private bool done;
        public void Dispose() { if (!done) { done = true; enabled.Value = previous; } }
    }
}
