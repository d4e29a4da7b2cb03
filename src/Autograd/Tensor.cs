using System.Runtime.CompilerServices;

namespace Framework.Autograd;

/// <summary>An n-dimensional array of one dtype that records the operations applied to it for autograd.</summary>
public partial class Tensor
{
    internal Storage storage;
    internal int offset;
    internal int[] shape;
    internal int[] strides;
    internal VersionCounter version;
    /// <summary>The tensor whose storage this view looks into (null when this is not a view).</summary>
    internal Tensor? viewBase;
    internal bool isContiguous;

    internal bool requiresGrad;
    internal Node? gradFn;
    internal AccumulateGrad? accumulator;
    internal Tensor? grad;

    /// <summary>A tensor over existing storage; views pass the source's version counter and base.</summary>
    internal Tensor(Storage storage, int[] shape, int[] strides, int offset = 0, VersionCounter? version = null, Tensor? viewBase = null)
    {
        this.storage = storage;
        this.shape = shape;
        this.strides = strides;
        // A view with no elements reads nothing; offset 0 keeps kernels' span arithmetic inside an empty storage.
        this.offset = Array.IndexOf(shape, 0) >= 0 ? 0 : offset;
        this.version = version ?? new VersionCounter();
        this.viewBase = viewBase;
        ShapeUtil.Numel(shape);              // refuses a negative or oversized shape however a view made it
        isContiguous = ShapeUtil.IsContiguous(shape, strides);
    }

    /// <summary>A new contiguous tensor of the given shape and dtype, zero-filled (with undefined contents when <paramref name="clear"/> is false: the caller writes every element).</summary>
    internal Tensor(int[] shape, DType dtype, bool clear = true)
    {
        storage = Storage.Allocate(dtype, ShapeUtil.Numel(shape), clear);
        this.shape = shape;
        strides = shape.Length == 0 ? [] : ShapeUtil.ContiguousStrides(shape);
        version = new VersionCounter();
        isContiguous = true;
    }

    /// <summary>An alias of <paramref name="data"/>'s storage with its own autograd state (used by Parameter).</summary>
    protected Tensor(Tensor data, bool requiresGrad)
        : this(data.storage, data.shape, data.strides, data.offset)
    {
        RequiresGrad = requiresGrad;
    }

    /// <summary>Makes this tensor object look at <paramref name="src"/>'s storage and geometry (like assigning .data); autograd state is kept.</summary>
    internal void SetData(Tensor src)
    {
        storage = src.storage;
        shape = src.shape;
        strides = src.strides;
        offset = src.offset;
        isContiguous = src.isContiguous;
        version.Value++;
        if (grad is not null && (grad.DType != DType || !ShapeUtil.Same(grad.shape, shape))) grad = null;
    }

    /// <summary>Sizes of the dimensions (a copy).</summary>
    public int[] Shape => (int[])shape.Clone();

    /// <summary>Number of dimensions.</summary>
    public int Dim => shape.Length;

    /// <summary>Number of elements.</summary>
    public long Numel => ShapeUtil.Numel(shape);

    /// <summary>Element type.</summary>
    public DType DType => storage.DType;

    /// <summary>Element steps between neighbours along each dimension (a copy).</summary>
    public int[] Strides => (int[])strides.Clone();

    /// <summary>True when the elements lie in row-major order without gaps.</summary>
    public bool IsContiguous => isContiguous;

    /// <summary>Size of one dimension (negative counts from the end).</summary>
    public int Size(int dim) => shape[ShapeUtil.WrapDim(dim, shape.Length)];

    /// <summary>The shape as a value (torch.Size): <c>x.Size() == new Size(2, 3)</c>, printed as torch.Size([2, 3]).</summary>
    public Size Size() => new(shape);

    /// <summary>Whether gradients flow to this tensor; settable only on leaves, and true only for float dtypes.</summary>
    public bool RequiresGrad
    {
        get => requiresGrad;
        set
        {
            if (gradFn is not null)
            {
                if (!value)
                    throw new InvalidOperationException(
                        "you can only change requires_grad flags of leaf variables. If you want to use a computed variable in a subgraph that doesn't require differentiation use varNoGrad = var.Detach().");
                return;
            }
            if (value && !DType.IsFloatingPoint())
                throw new InvalidOperationException($"only Tensors of floating point dtype can require gradients (got {DType.TorchName()})");
            requiresGrad = value;
        }
    }

    /// <summary>Sets RequiresGrad and returns this tensor, like requires_grad_().</summary>
    public Tensor RequiresGrad_(bool requiresGrad = true)
    {
        RequiresGrad = requiresGrad;
        return this;
    }

    /// <summary>The accumulated gradient (leaves, or non-leaves after RetainGrad); null until a backward reaches it.</summary>
    public Tensor? Grad
    {
        get => grad;
        set
        {
            if (value is not null)
            {
                if (!ShapeUtil.Same(value.shape, shape))
                    throw new ArgumentException($"assigned grad has data of a different size: grad has shape {ShapeUtil.Format(value.shape)} but the tensor has shape {ShapeUtil.Format(shape)}");
                if (value.DType != DType)
                    throw new ArgumentException($"assigned grad has data of a different type: {value.DType.TorchName()} for a tensor of {DType.TorchName()}");
            }
            grad = value;
        }
    }

    /// <summary>True for tensors created by the user (or not requiring grad); false for results of recorded ops.</summary>
    public bool IsLeaf => gradFn is null;

    /// <summary>The node that computes this tensor's gradient inputs; null for leaves.</summary>
    public Node? GradFn => gradFn;

    /// <summary>Counter bumped by every in-place change; shared by views and Detach().</summary>
    public int Version => version.Value;

    /// <summary>Same storage, not tracked by autograd, with its own version counter (like .data).</summary>
    public Tensor Data => new(storage, shape, strides, offset);

    /// <summary>Same storage and version counter, cut from the graph, requires_grad=False.</summary>
    public Tensor Detach() => new(storage, shape, strides, offset, version);

    /// <summary>The edge a consumer of this tensor records: its grad_fn, its gradient accumulator, or null.</summary>
    internal Node? GradEdge => gradFn ?? (requiresGrad ? accumulator ?? Accumulator() : null);

    /// <summary>This leaf's one AccumulateGrad, made once even when threads race to record ops on it.</summary>
    private AccumulateGrad Accumulator()
    {
        Interlocked.CompareExchange(ref accumulator, new AccumulateGrad(this), null);
        return accumulator!;
    }

    /// <summary>The elements of T[] behind this tensor (unchecked cast).</summary>
    internal T[] Elems<T>() where T : unmanaged => Unsafe.As<Storage<T>>(storage).Data;

    /// <summary>The elements of a contiguous tensor as a span.</summary>
    internal Span<T> Span<T>() where T : unmanaged => new(Elems<T>(), offset, (int)Numel);

    /// <summary>PyTorch's text form, e.g. tensor([[2., 3.]], requires_grad=True).</summary>
    public override string ToString()
    {
        var suffixes = new List<string>();
        if (gradFn is not null) suffixes.Add($"grad_fn=<{gradFn.Name}>");
        else if (requiresGrad) suffixes.Add("requires_grad=True");
        using var _ = new NoGrad();
        var c = Contiguous();
        if (DType == DType.Int64) return TensorFormatter.Format(c.Span<long>(), shape, suffixes);
        return TensorFormatter.Format(c.To(DType.Float64).Span<double>(), shape, DType, suffixes);
    }
}
