namespace Framework.Distributed;

/// <summary>
/// The MPI side of the process group. MPI is initialised with MPI_THREAD_SERIALIZED on a thread of its own, which stays
/// parked until it finalises (MPI wants both done by one thread, and ProcessExit runs elsewhere). Every other call comes
/// straight from the caller's thread under one lock, which is what SERIALIZED allows: no two calls at once, from any
/// thread. (Handing each call to a dedicated thread instead, as PyTorch's MPI backend does, cost 0.3–0.5 ms of thread
/// wake-ups per collective on a loaded 2-core machine, more than the allreduce itself.)
/// </summary>
internal sealed unsafe class MpiGroup
{
    private readonly Lock gate = new();
    private readonly Thread owner;
    private readonly ManualResetEventSlim started = new(false), stop = new(false);
    private Exception? startError;

    /// <summary>This process's rank in MPI_COMM_WORLD.</summary>
    public int Rank { get; private set; }

    /// <summary>The number of processes in MPI_COMM_WORLD.</summary>
    public int Size { get; private set; }

    /// <summary>The thread support level MPI granted (MPI_THREAD_*).</summary>
    public int Provided { get; private set; }

    /// <summary>Initialises MPI on the owner thread and waits until it is (or has failed to be).</summary>
    public MpiGroup()
    {
        owner = new Thread(Own) { IsBackground = true, Name = "mpi" };
        owner.Start();
        started.Wait();
        if (startError is not null)
        {
            owner.Join();
            throw startError;
        }
    }

    /// <summary>Runs <paramref name="action"/> (MPI calls) on the calling thread, serialised with every other call.</summary>
    public void Invoke(Action action)
    {
        lock (gate) action();
    }

    /// <summary>Posts an in-place MPI_Iallreduce of <paramref name="count"/> elements at <paramref name="buffer"/> (valid until the Work completes); <paramref name="after"/> runs once it is done, on the thread that completes it.</summary>
    public Work AllReduceAsync(nint buffer, int count, nint datatype, nint reduce, Action? after)
    {
        var work = new Work(this, after);
        lock (gate)
        {
            nint request;
            Mpi.Check(Mpi.Iallreduce(Mpi.InPlace, (void*)buffer, count, datatype, reduce, Mpi.CommWorld, &request), "MPI_Iallreduce");
            work.Request = request;
        }
        return work;
    }

    /// <summary>An in-place MPI_Allreduce of <paramref name="count"/> elements at <paramref name="buffer"/>, returned as finished work.</summary>
    /// <remarks>For a bucket with nothing left to overlap: Open MPI's blocking allreduce took half the time of its non-blocking one (libnbc) on 800 KB.</remarks>
    public Work AllReduceNow(nint buffer, int count, nint datatype, nint reduce)
    {
        var work = new Work(this, null);
        int code;
        lock (gate) code = Mpi.Allreduce(Mpi.InPlace, (void*)buffer, count, datatype, reduce, Mpi.CommWorld);
        Finish(work, code, "MPI_Allreduce");
        return work;
    }

    /// <summary>MPI_Test on the work's request (which also moves every posted operation forward); completes it when done.</summary>
    public void Test(Work work)
    {
        lock (gate)
        {
            if (work.IsDone) return;
            int flag;
            nint request = work.Request;
            int code = Mpi.Test(&request, &flag, null);
            work.Request = request;
            if (code != Mpi.Success || flag != 0) Finish(work, code);
        }
    }

    /// <summary>Completes the work: MPI_Test until it is done, yielding the core between tests (and releasing the lock, so other threads may call MPI).</summary>
    /// <remarks>
    /// Not MPI_Wait, which polls without pause: on a machine with more runnable threads than cores, a rank spinning
    /// there keeps the core from the very rank it waits for (an MLP epoch on 2 loaded cores took 7.1–7.7 s that way,
    /// 1.8–5.1 s yielding).
    /// </remarks>
    public void Wait(Work work)
    {
        while (true)
        {
            Test(work);
            if (work.IsDone) return;
            Thread.Yield();
        }
    }

    /// <summary>Finalises MPI on the owner thread (after which no call may be made) and ends it.</summary>
    public void Stop()
    {
        lock (gate) stop.Set();
        owner.Join();
    }

    private static void Finish(Work work, int code, string call = "MPI_Iallreduce")
    {
        try
        {
            Mpi.Check(code, call);
            work.RunAfter();
            work.Complete();
        }
        catch (Exception e) { work.Complete(e); }
    }

    private void Own()
    {
        try
        {
            Mpi.Load();
            int flag;
            Mpi.Check(Mpi.Initialized(&flag), "MPI_Initialized");
            if (flag != 0) throw new InvalidOperationException("MPI was already initialised in this process by other code");
            Mpi.Check(Mpi.Finalized(&flag), "MPI_Finalized");
            if (flag != 0) throw new InvalidOperationException("MPI was finalised (DestroyProcessGroup) and cannot be initialised again in the same process");
            Mpi.YieldWhenIdle();
            int provided;
            Mpi.Check(Mpi.Init_thread(null, null, Mpi.ThreadSerialized, &provided), "MPI_Init_thread");
            if (provided < Mpi.ThreadSerialized)
            {
                Mpi.Finalize();
                throw new InvalidOperationException(
                    $"MPI granted thread level {provided}, but the process group needs MPI_THREAD_SERIALIZED (2): it calls MPI from whichever thread runs a collective or a backward pass, one call at a time");
            }
            int rank, size;
            Mpi.Check(Mpi.Comm_rank(Mpi.CommWorld, &rank), "MPI_Comm_rank");
            Mpi.Check(Mpi.Comm_size(Mpi.CommWorld, &size), "MPI_Comm_size");
            (Rank, Size, Provided) = (rank, size, provided);
        }
        catch (Exception e)
        {
            startError = e;
            started.Set();
            return;
        }
        started.Set();
        stop.Wait();
        Mpi.Finalize();
    }
}
