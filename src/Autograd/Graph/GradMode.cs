namespace Framework.Autograd;

/// <summary>Whether operations are recorded for autograd on the current thread.</summary>
public static class GradMode
{
    [ThreadStatic] private static int disabledDepth;
    [ThreadStatic] private static bool forcedOn;

    /// <summary>True unless inside a NoGrad scope on this thread.</summary>
    public static bool IsEnabled => disabledDepth == 0 || forcedOn;

    internal static void Disable() => disabledDepth++;
    internal static void Restore() => disabledDepth--;

    /// <summary>Runs with recording set to <paramref name="enabled"/>, restoring the previous mode after.</summary>
    internal static T With<T>(bool enabled, Func<T> f)
    {
        int savedDepth = disabledDepth;
        bool savedForced = forcedOn;
        disabledDepth = enabled ? 0 : 1;
        forcedOn = false;
        try { return f(); }
        finally { disabledDepth = savedDepth; forcedOn = savedForced; }
    }
}

/// <summary>A scope in which no operation is recorded for autograd (torch.no_grad); nests; per thread.</summary>
public sealed class NoGrad : IDisposable
{
    private bool disposed;

    /// <summary>Turns recording off until Dispose.</summary>
    public NoGrad() => GradMode.Disable();

    /// <summary>Restores the previous mode.</summary>
    public void Dispose()
    {
        if (disposed) return;
        disposed = true;
        GradMode.Restore();
    }
}
