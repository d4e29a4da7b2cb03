using System.Runtime.InteropServices;
using Framework.Autograd;

namespace Framework.Distributed;

/// <summary>
/// A flat buffer (native memory, so MPI may keep its address while the allreduce runs) holding the gradients of some
/// parameters of one dtype end to end; it is allreduced as one message once all of them are ready.
/// </summary>
internal sealed unsafe class Bucket : IDisposable
{
    /// <summary>The parameters (indices into DDP's list) in this bucket, in slot order, and each one's first element.</summary>
    public readonly int[] Params;
    public readonly int[] Offsets;
    public readonly DType DType;
    public readonly int Count;
    public readonly nint Buffer;

    /// <summary>Parameters of this bucket whose gradient has not arrived in this iteration.</summary>
    public int Pending;

    /// <summary>The running allreduce of this iteration, once launched.</summary>
    public Work? Work;

    public Bucket(int[] parameters, Tensor[] all)
    {
        Params = parameters;
        Offsets = new int[parameters.Length];
        DType = all[parameters[0]].DType;
        long count = 0;
        for (int k = 0; k < parameters.Length; k++)
        {
            Offsets[k] = (int)count;
            count += all[parameters[k]].Numel;
        }
        if (count > int.MaxValue) throw new ArgumentException($"a gradient bucket of {count} elements exceeds MPI's int count; lower bucketCapMb");
        Count = (int)count;
        Buffer = (nint)NativeMemory.AllocZeroed((nuint)Math.Max(1, count * DType.ElementSize()));
    }

    /// <summary>The bytes of slot <paramref name="k"/> (numel elements of this bucket's dtype).</summary>
    public Span<byte> Slot(int k, long numel)
    {
        int size = DType.ElementSize();
        return new Span<byte>((byte*)Buffer + (long)Offsets[k] * size, (int)(numel * size));
    }

    public void Dispose() => NativeMemory.Free((void*)Buffer);
}
