namespace Framework.Autograd;

/// <summary>Which implementation matrix products use for float and double (see <see cref="Backends.Gemm"/>).</summary>
public enum GemmBackend
{
    /// <summary>OpenBLAS when it is loaded with kernels for this CPU, else managed.</summary>
    Auto,
    /// <summary>Always OpenBLAS.</summary>
    OpenBlas,
    /// <summary>Always the managed blocked kernel.</summary>
    Managed,
}
