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
        bool previous = !disabledHere;                  // the mirror always holds the flow's value
        if (previous != enabled) disabled.Value = !enabled;   // an unchanged mode costs no write (a new execution context)
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

/// <summary>A scope that sets whether ops are recorded, follows the flow across await, and on Dispose puts back exactly the mode it replaced.</summary>
public abstract class GradModeScope : IDisposable
{
    private readonly bool previous;
    private bool disposed;

    /// <summary>Sets recording to <paramref name="enabled"/> until Dispose.</summary>
    private protected GradModeScope(bool enabled) => previous = GradMode.Set(enabled);

    /// <summary>Puts back the mode that was in force when the scope was created, in the flow that disposes it.</summary>
    public void Dispose()
    {
        if (disposed) return;
        disposed = true;
        GradMode.Set(previous);
    }
}

/// <summary>A scope in which no operation is recorded for autograd (torch.no_grad); nests, and follows the flow across await.</summary>
public sealed class NoGrad : GradModeScope
{
    /// <summary>Turns recording off until Dispose.</summary>
    public NoGrad() : base(false) { }
}

/// <summary>A scope in which operations are recorded even inside NoGrad or a backward rule (torch.enable_grad), e.g. for a backward started inside a custom Function's Backward.</summary>
public sealed class EnableGrad : GradModeScope
{
    /// <summary>Turns recording on until Dispose.</summary>
    public EnableGrad() : base(true) { }
}
