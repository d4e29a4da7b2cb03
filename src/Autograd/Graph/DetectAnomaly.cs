namespace Framework.Autograd;

/// <summary>Anomaly mode: after each backward node runs, its gradients are checked for NaN and infinity.</summary>
internal static class DetectAnomalyMode
{
    [ThreadStatic] private static int depth;

    public static bool Enabled => depth > 0;

    public static IDisposable Enter()
    {
        depth++;
        return new Scope();
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

    private sealed class Scope : IDisposable
    {
        private bool done;
        public void Dispose() { if (!done) { done = true; depth--; } }
    }
}
