namespace Framework.Autograd;

/// <summary>Whether operations are recorded for autograd in the current logical flow (it follows <c>await</c>, as an AsyncLocal does).</summary>
public static class GradMode
{
    /// <summary>The mode of the logical flow; its handler mirrors every change, including execution-context switches, into <see cref="disabledHere"/>.</summary>
    private static readonly AsyncLocal<bool> disabled = new(change => disabledHere = change.CurrentValue);

    /// <summary>The current thread's copy of <see cref="disabled"/>: every op reads this (one thread-static load), never the AsyncLocal.</summary>
    [ThreadStatic] private static bool disabledHere;

    /// <summary>True unless inside a NoGrad scope in this flow.</summary>
    public static bool IsEnabled => !disabledHere;

    /// <summary>Sets the flow's mode to recording on (true) or off; returns the mode it replaced.</summary>
    internal static bool Set(bool enabled)
    {
        bool previous = !disabled.Value;
        disabled.Value = !enabled;
        return previous;
    }

    /// <summary>Runs with recording set to <paramref name="enabled"/>, restoring the previous mode after.</summary>
    internal static T With<T>(bool enabled, Func<T> f)
    {
        bool previous = Set(enabled);
        try { return f(); }
        finally { Set(previous); }
    }
}

/// <summary>A scope in which no operation is recorded for autograd (torch.no_grad); nests, and follows the flow across await.</summary>
public sealed class NoGrad : IDisposable
{
    private readonly bool previous;
    private bool disposed;

    /// <summary>Turns recording off until Dispose.</summary>
    public NoGrad() => previous = GradMode.Set(false);

    /// <summary>Puts back the mode that was in force when the scope was created, in the flow that disposes it.</summary>
    public void Dispose()
    {
        if (disposed) return;
        disposed = true;
        GradMode.Set(previous);
    }
}
