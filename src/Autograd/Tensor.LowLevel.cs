namespace Framework.Autograd;

// The low-level surface for code that writes its own layer, optimizer or dataset: uninitialised tensors, typed spans over
// a contiguous tensor's elements, and the version bump that tells autograd those elements were changed. Pair a span with
// DTypeDispatch to write one generic kernel for every dtype:
//
//     struct Scale(Tensor t, double s) : IFloatingKernel
//     {
//         public void Invoke<T>() where T : unmanaged, IFloatingPointIeee754<T>
//             => TensorPrimitives.Multiply(t.AsSpan<T>(), T.CreateChecked(s), t.AsSpan<T>());
//     }
//     var k = new Scale(p, 0.5); DTypeDispatch.Floating(p.DType, ref k); p.MarkModified();
public partial class Tensor
{
    /// <summary>A new contiguous tensor of the given shape and dtype whose elements are not initialised (torch.empty).</summary>
    public static Tensor Empty(int[] shape, DType dtype = DType.Float32) => new(CheckShape(shape), dtype, clear: false);

    /// <summary>The elements of this contiguous tensor in row-major order, writable; T must be the dtype's element type.</summary>
    /// <remarks>Writing through the span bypasses autograd: call <see cref="MarkModified"/> afterwards, as an in-place op would.</remarks>
    public Span<T> AsSpan<T>() where T : unmanaged
    {
        CheckSpan<T>();
        return Span<T>();
    }

    /// <summary>The elements of this contiguous tensor in row-major order, read-only; T must be the dtype's element type.</summary>
    public ReadOnlySpan<T> AsReadOnlySpan<T>() where T : unmanaged
    {
        CheckSpan<T>();
        return Span<T>();
    }

    /// <summary>Bumps the version counter shared with this tensor's views, as an in-place op does (a backward that saved the old value then fails).</summary>
    public void MarkModified() => version.Value++;

    /// <summary>Makes this tensor view <paramref name="source"/>'s storage, shape and strides, keeping its own autograd state, and bumps the version (param.data = source; torch.Tensor.set_).</summary>
    /// <remarks>A gradient whose shape or dtype no longer matches is dropped.</remarks>
    public Tensor Set_(Tensor source)
    {
        ArgumentNullException.ThrowIfNull(source);
        SetData(source);
        return this;
    }

    private void CheckSpan<T>() where T : unmanaged
    {
        if (DTypeDispatch.Find<T>() != DType)
            throw new InvalidOperationException(DTypeDispatch.Find<T>() is { } want
                ? $"AsSpan<{typeof(T).Name}>() reads {want.TorchName()} elements, but this tensor is {DType.TorchName()}; use the element type of its dtype or convert it with To({want})"
                : $"AsSpan<{typeof(T).Name}>(): {typeof(T).Name} is the element type of no dtype, and this tensor is {DType.TorchName()}");
        if (!isContiguous)
            throw new InvalidOperationException(
                $"AsSpan<{typeof(T).Name}>() needs a contiguous tensor, but this one has shape {ShapeUtil.Format(shape)} and strides {ShapeUtil.Format(strides)}; call Contiguous() first");
    }
}
