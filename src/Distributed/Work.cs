namespace Framework.Distributed;

/// <summary>A collective started without waiting (torch.distributed's Work): Wait blocks until it is done, Test tells whether it is.</summary>
/// <remarks>The tensor it works on must not be read or written until Wait has returned (or Test returned true).</remarks>
public sealed class Work
{
    private readonly ManualResetEventSlim done = new(false);
    private Exception? error;

    /// <summary>True once the collective has finished (rethrows its error if it failed).</summary>
    public bool Test()
    {
        if (!done.IsSet) return false;
        if (error is not null) throw new InvalidOperationException(error.Message, error);
        return true;
    }

    /// <summary>Blocks until the collective has finished; rethrows its error if it failed.</summary>
    public void Wait()
    {
        done.Wait();
        if (error is not null) throw new InvalidOperationException(error.Message, error);
    }

    /// <summary>Marks the collective finished, with the error it failed with if any (called by the communication thread).</summary>
    internal void Complete(Exception? failure = null)
    {
        error = failure;
        done.Set();
    }
}
