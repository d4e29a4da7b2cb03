namespace Framework.Distributed;

/// <summary>A collective started without waiting (torch.distributed's Work): Wait blocks until it is done (MPI_Wait), Test tells whether it is (MPI_Test).</summary>
/// <remarks>The tensor it works on must not be read or written until Wait has returned (or Test returned true).</remarks>
public sealed class Work
{
    private readonly MpiGroup group;
    private Action? after;
    private Exception? error;

    internal Work(MpiGroup group, Action? after)
    {
        this.group = group;
        this.after = after;
    }

    /// <summary>The MPI_Request while the operation runs.</summary>
    internal nint Request;

    /// <summary>Whether the operation has finished (successfully or not).</summary>
    internal bool IsDone { get; private set; }

    /// <summary>True once the collective has finished; rethrows its error if it failed.</summary>
    public bool Test()
    {
        if (!IsDone) group.Test(this);
        if (error is not null) throw new InvalidOperationException(error.Message, error);
        return IsDone;
    }

    /// <summary>Blocks until the collective has finished; rethrows its error if it failed.</summary>
    public void Wait()
    {
        if (!IsDone) group.Wait(this);
        if (error is not null) throw new InvalidOperationException(error.Message, error);
    }

    /// <summary>Runs the completion step (copy out, divide for Avg) once.</summary>
    internal void RunAfter()
    {
        var a = after;
        after = null;
        a?.Invoke();
    }

    /// <summary>Marks the collective finished, with the error it failed with if any.</summary>
    internal void Complete(Exception? failure = null)
    {
        error = failure;
        IsDone = true;
    }
}
