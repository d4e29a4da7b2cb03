using System.Runtime.InteropServices;

namespace Framework.Distributed;

/// <summary>
/// The few MPI C functions the process group needs, bound at run time to Open MPI's libmpi.so.40 through function pointers.
/// Open MPI's handles (MPI_Comm, MPI_Datatype, MPI_Op) are addresses of predefined global objects, read with GetExport.
/// Calls go through <see cref="MpiGroup"/>, which makes them one at a time (MPI_THREAD_SERIALIZED).
/// </summary>
internal static unsafe class Mpi
{
    public const int Success = 0, ThreadSingle = 0, ThreadFunneled = 1, ThreadSerialized = 2, ThreadMultiple = 3;

    /// <summary>MPI_IN_PLACE as Open MPI defines it: ((void *) 1).</summary>
    public static readonly void* InPlace = (void*)1;

    private static readonly string[] LibraryNames = ["libmpi.so.40", "libmpi.so", "libmpi.dylib"];
    private static nint lib;

    public static delegate* unmanaged<int*, byte***, int, int*, int> Init_thread;
    public static delegate* unmanaged<int> Finalize;
    public static delegate* unmanaged<int*, int> Initialized;
    public static delegate* unmanaged<int*, int> Finalized;
    public static delegate* unmanaged<nint, int*, int> Comm_rank;
    public static delegate* unmanaged<nint, int*, int> Comm_size;
    public static delegate* unmanaged<nint, int> Barrier;
    public static delegate* unmanaged<void*, void*, int, nint, nint, nint, int> Allreduce;
    public static delegate* unmanaged<void*, void*, int, nint, nint, nint, nint*, int> Iallreduce;
    public static delegate* unmanaged<void*, int, nint, int, nint, int> Bcast;
    public static delegate* unmanaged<void*, int, nint, void*, int, nint, nint, int> Allgather;
    public static delegate* unmanaged<nint*, void*, int> Wait;
    public static delegate* unmanaged<nint*, int*, void*, int> Test;
    public static delegate* unmanaged<int, byte*, int*, int> Error_string;

    /// <summary>MPI_COMM_WORLD.</summary>
    public static nint CommWorld;

    /// <summary>MPI_FLOAT, MPI_DOUBLE, MPI_INT64_T.</summary>
    public static nint Float, Double, Int64;

    /// <summary>MPI_SUM, MPI_MAX, MPI_MIN.</summary>
    public static nint OpSum, OpMax, OpMin;

    /// <summary>Loads libmpi and resolves every function and handle once; throws naming the Debian packages when it is absent.</summary>
    public static void Load() => Load(LibraryNames);

    /// <summary>Load() trying <paramref name="names"/> in order (tests pass a name that does not exist).</summary>
    internal static void Load(IEnumerable<string> names)
    {
        if (lib != 0) return;
        nint handle = 0;
        foreach (var name in names)
            if (NativeLibrary.TryLoad(name, out handle)) break;
        if (handle == 0)
            throw new DllNotFoundException(
                "Open MPI's libmpi.so.40 could not be loaded; install it with `apt-get install openmpi-bin libopenmpi3` " +
                "(Debian/Ubuntu) and start the program with mpirun");
        Init_thread = (delegate* unmanaged<int*, byte***, int, int*, int>)Get(handle, "MPI_Init_thread");
        Finalize = (delegate* unmanaged<int>)Get(handle, "MPI_Finalize");
        Initialized = (delegate* unmanaged<int*, int>)Get(handle, "MPI_Initialized");
        Finalized = (delegate* unmanaged<int*, int>)Get(handle, "MPI_Finalized");
        Comm_rank = (delegate* unmanaged<nint, int*, int>)Get(handle, "MPI_Comm_rank");
        Comm_size = (delegate* unmanaged<nint, int*, int>)Get(handle, "MPI_Comm_size");
        Barrier = (delegate* unmanaged<nint, int>)Get(handle, "MPI_Barrier");
        Allreduce = (delegate* unmanaged<void*, void*, int, nint, nint, nint, int>)Get(handle, "MPI_Allreduce");
        Iallreduce = (delegate* unmanaged<void*, void*, int, nint, nint, nint, nint*, int>)Get(handle, "MPI_Iallreduce");
        Bcast = (delegate* unmanaged<void*, int, nint, int, nint, int>)Get(handle, "MPI_Bcast");
        Allgather = (delegate* unmanaged<void*, int, nint, void*, int, nint, nint, int>)Get(handle, "MPI_Allgather");
        Wait = (delegate* unmanaged<nint*, void*, int>)Get(handle, "MPI_Wait");
        Test = (delegate* unmanaged<nint*, int*, void*, int>)Get(handle, "MPI_Test");
        Error_string = (delegate* unmanaged<int, byte*, int*, int>)Get(handle, "MPI_Error_string");
        CommWorld = Get(handle, "ompi_mpi_comm_world");
        Float = Get(handle, "ompi_mpi_float");
        Double = Get(handle, "ompi_mpi_double");
        Int64 = Get(handle, "ompi_mpi_int64_t");
        OpSum = Get(handle, "ompi_mpi_op_sum");
        OpMax = Get(handle, "ompi_mpi_op_max");
        OpMin = Get(handle, "ompi_mpi_op_min");
        lib = handle;
    }

    /// <summary>
    /// Sets OMPI_MCA_mpi_yield_when_idle=1 in the native environment (unless the user set it) before MPI_Init, so Open MPI's
    /// blocking calls yield the core while they poll; .NET's Environment.SetEnvironmentVariable would not reach libc's copy.
    /// </summary>
    public static void YieldWhenIdle()
    {
        const string name = "OMPI_MCA_mpi_yield_when_idle";
        if (Environment.GetEnvironmentVariable(name) is not null) return;
        try { SetEnv(name, "1", 0); }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException) { }   // not glibc: Open MPI's default then
    }

    [DllImport("libc", EntryPoint = "setenv")]
    private static extern int SetEnv([MarshalAs(UnmanagedType.LPUTF8Str)] string name, [MarshalAs(UnmanagedType.LPUTF8Str)] string value, int overwrite);

    private static nint Get(nint handle, string symbol) =>
        NativeLibrary.TryGetExport(handle, symbol, out nint address) ? address
        : throw new EntryPointNotFoundException($"libmpi exports no '{symbol}': this binding needs Open MPI 4.x (Debian's libopenmpi3)");

    /// <summary>Throws MPI's own message when <paramref name="code"/> is not MPI_SUCCESS.</summary>
    public static void Check(int code, string call)
    {
        if (code == Success) return;
        var text = stackalloc byte[512];   // MPI_MAX_ERROR_STRING is 256 in Open MPI
        int length = 0;
        string message = Error_string(code, text, &length) == Success ? Marshal.PtrToStringAnsi((nint)text, length) : $"error code {code}";
        throw new InvalidOperationException($"{call} failed: {message}");
    }
}
