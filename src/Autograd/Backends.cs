namespace Framework.Autograd;

/// <summary>Switches and facts about the compute backends, like torch.backends.</summary>
public static class Backends
{
    /// <summary>The GEMM implementation of the calling thread's matrix products (Auto by default); OpenBlas throws when libopenblas is not loaded.</summary>
    public static GemmBackend Gemm
    {
        get => Kernels.Gemm.Backend;
        set => Kernels.Gemm.Backend = value;
    }

    /// <summary>Whether the OpenBLAS library was found and loaded.</summary>
    public static bool OpenBlasAvailable => Kernels.Gemm.OpenBlasAvailable;
}
