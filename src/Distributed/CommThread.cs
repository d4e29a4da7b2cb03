using System.Collections.Concurrent;

namespace Framework.Distributed;

/// <summary>
/// The one thread that talks to MPI (PyTorch's ProcessGroupMPI does the same): it initialises MPI with
/// MPI_THREAD_FUNNELED, runs the operations other threads queue in their order, and finalises. Blocking collectives run
/// as they come; a non-blocking allreduce is posted (MPI_Iallreduce) and completed by MPI_Test between later operations
/// or by MPI_Wait when the queue is empty, so it progresses while the caller's thread computes.
/// </summary>
internal sealed unsafe class CommThread
{
    /// <summary>A queued operation: a blocking action, or a non-blocking allreduce of <c>Count</c> elements at <c>Buffer</c>.</summary>
    private sealed record Op(Work Work, Action? Run, nint Buffer = 0, int Count = 0, nint Datatype = 0, nint Reduce = 0, Action? After = null);

    /// <summary>A posted non-blocking operation.</summary>
    private sealed class Posted(Op op)
    {
        public readonly Op Op = op;
        public nint Request;
    }

    private readonly BlockingCollection<Op?> queue = new();   // null asks the thread to finalise and stop
    private readonly Thread thread;
    private readonly ManualResetEventSlim started = new(false);
    private Exception? startError;

    /// <summary>This process's rank and the number of processes in MPI_COMM_WORLD.</summary>
    public int Rank { get; private set; }

    /// <summary>The number of processes in MPI_COMM_WORLD.</summary>
    public int Size { get; private set; }

    /// <summary>The thread support level MPI granted (MPI_THREAD_*).</summary>
    public int Provided { get; private set; }

    /// <summary>Starts the thread and waits until MPI is initialised (or has failed to be).</summary>
    public CommThread()
    {
        thread = new Thread(Loop) { IsBackground = true, Name = "mpi" };
        thread.Start();
        started.Wait();
        if (startError is not null)
        {
            thread.Join();
            throw startError;
        }
    }

    /// <summary>Runs <paramref name="action"/> on the MPI thread and waits for it; its exception is rethrown here.</summary>
    public void Invoke(Action action)
    {
        var work = new Work();
        queue.Add(new Op(work, action));
        work.Wait();
    }

    /// <summary>Posts an in-place allreduce of <paramref name="count"/> elements at <paramref name="buffer"/> (which must stay valid until the Work completes); <paramref name="after"/> runs on the MPI thread once it is done.</summary>
    public Work AllReduceAsync(nint buffer, int count, nint datatype, nint reduce, Action? after)
    {
        var work = new Work();
        queue.Add(new Op(work, null, buffer, count, datatype, reduce, after));
        return work;
    }

    /// <summary>Completes what is queued, finalises MPI and ends the thread.</summary>
    public void Stop()
    {
        queue.Add(null);
        thread.Join();
    }

    private void Loop()
    {
        try
        {
            Mpi.Load();
            int flag;
            Mpi.Check(Mpi.Initialized(&flag), "MPI_Initialized");
            if (flag != 0) throw new InvalidOperationException("MPI was already initialised in this process by other code");
            Mpi.Check(Mpi.Finalized(&flag), "MPI_Finalized");
            if (flag != 0) throw new InvalidOperationException("MPI was finalised (DestroyProcessGroup) and cannot be initialised again in the same process");
            int provided;
            Mpi.Check(Mpi.Init_thread(null, null, Mpi.ThreadFunneled, &provided), "MPI_Init_thread");
            if (provided < Mpi.ThreadFunneled)
            {
                Mpi.Finalize();
                throw new InvalidOperationException($"MPI granted thread level {provided}, but the process group needs MPI_THREAD_FUNNELED (1): calls come from one thread of a multi-threaded process");
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

        var pending = new List<Posted>();
        while (true)
        {
            Op? op;
            if (pending.Count == 0) op = queue.Take();
            else if (queue.TryTake(out op)) TestAll(pending);
            else
            {
                WaitOldest(pending);
                continue;
            }
            if (op is null) break;
            if (op.Run is { } run)
            {
                try
                {
                    run();
                    op.Work.Complete();
                }
                catch (Exception e) { op.Work.Complete(e); }
            }
            else Post(op, pending);
        }
        while (pending.Count > 0) WaitOldest(pending);
        Mpi.Finalize();
    }

    private static void Post(Op op, List<Posted> pending)
    {
        var posted = new Posted(op);
        try
        {
            nint request;
            Mpi.Check(Mpi.Iallreduce(Mpi.InPlace, (void*)op.Buffer, op.Count, op.Datatype, op.Reduce, Mpi.CommWorld, &request), "MPI_Iallreduce");
            posted.Request = request;
            pending.Add(posted);
        }
        catch (Exception e) { op.Work.Complete(e); }
    }

    /// <summary>MPI_Test on every posted operation (this also drives their progress); completes those that are done.</summary>
    private static void TestAll(List<Posted> pending)
    {
        for (int i = 0; i < pending.Count; i++)
        {
            var p = pending[i];
            int flag;
            nint request = p.Request;
            int code = Mpi.Test(&request, &flag, null);
            p.Request = request;
            if (code != Mpi.Success || flag != 0)
            {
                Finish(p, code);
                pending.RemoveAt(i--);
            }
        }
    }

    private static void WaitOldest(List<Posted> pending)
    {
        var p = pending[0];
        nint request = p.Request;
        int code = Mpi.Wait(&request, null);
        pending.RemoveAt(0);
        Finish(p, code);
    }

    private static void Finish(Posted p, int code)
    {
        try
        {
            Mpi.Check(code, "MPI_Iallreduce");
            p.Op.After?.Invoke();
            p.Op.Work.Complete();
        }
        catch (Exception e) { p.Op.Work.Complete(e); }
    }
}
