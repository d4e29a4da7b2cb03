using System.Runtime.CompilerServices;

namespace Framework.Autograd;

// In-place ops: the new value is computed out of place (recording the op as usual), written into this
// tensor's storage, and the version counter bumped. A recorded op makes this tensor its output; on a view,
// the base's grad_fn becomes CopySlices, which routes the gradient of the written region through the op.
public partial class Tensor
{
    /// <summary>Fills with zeros in place; returns this.</summary>
    public Tensor Zero_() => Fill_(0);

    /// <summary>Fills with <paramref name="value"/> in place; returns this.</summary>
    public Tensor Fill_(double value)
        => ApplyInPlace(t => Graph.Record("FillBackward0", Full(t.shape, value, t.DType), [t], static (ctx, g) => [ZerosLike(g)]));

    /// <summary>Copies src (broadcast, converted to this dtype) into this tensor in place, like copy_; returns this.</summary>
    public Tensor CopyFrom(Tensor src)
    {
        if (!ShapeUtil.IsExpandableTo(src.shape, shape))
            throw new ArgumentException($"CopyFrom: the source of shape {ShapeUtil.Format(src.shape)} cannot be broadcast to the destination's shape {ShapeUtil.Format(shape)}");
        return ApplyInPlace(t =>
        {
            var y = new Tensor(t.shape, t.DType, clear: false).WriteRaw(src);
            return Graph.Record("CopyBackwards", y, [t, src], static (ctx, g) => [ctx.NeedsInputGrad(0) ? ZerosLike(g) : null, g]);
        });
    }

    /// <summary>this ← this + alpha·other in place (add_); returns this.</summary>
    public Tensor Add_(Tensor other, double alpha = 1) => ApplyInPlace(t => alpha == 1 ? t + other : t + other * alpha);
    /// <summary>this ← this + s in place; returns this.</summary>
    public Tensor Add_(double s) => ApplyInPlace(t => t + s);
    /// <summary>this ← this + n in place (an integer keeps an Int64 tensor Int64); returns this.</summary>
    public Tensor Add_(long n) => ApplyInPlace(t => t + n);
    /// <summary>this ← this − other in place; returns this.</summary>
    public Tensor Sub_(Tensor other) => ApplyInPlace(t => t - other);
    /// <summary>this ← this − s in place; returns this.</summary>
    public Tensor Sub_(double s) => ApplyInPlace(t => t - s);
    /// <summary>this ← this · other in place; returns this.</summary>
    public Tensor Mul_(Tensor other) => ApplyInPlace(t => t * other, needsSelf: other.requiresGrad);
    /// <summary>this ← this · s in place; returns this.</summary>
    public Tensor Mul_(double s) => ApplyInPlace(t => t * s);
    /// <summary>this ← this / other in place; returns this.</summary>
    public Tensor Div_(Tensor other) => ApplyInPlace(t => t / other, needsSelf: other.requiresGrad);
    /// <summary>this ← this / s in place; returns this.</summary>
    public Tensor Div_(double s) => ApplyInPlace(t => t / s);

    /// <summary>this ← this + other, in place.</summary>
    public void operator +=(Tensor other) => Add_(other);
    /// <summary>this ← this − other, in place.</summary>
    public void operator -=(Tensor other) => Sub_(other);
    /// <summary>this ← this · other, in place.</summary>
    public void operator *=(Tensor other) => Mul_(other);
    /// <summary>this ← this / other, in place.</summary>
    public void operator /=(Tensor other) => Div_(other);
    /// <summary>this ← this + s, in place.</summary>
    public void operator +=(double s) => Add_(s);
    /// <summary>this ← this − s, in place.</summary>
    public void operator -=(double s) => Sub_(s);
    /// <summary>this ← this · s, in place.</summary>
    public void operator *=(double s) => Mul_(s);
    /// <summary>this ← this / s, in place.</summary>
    public void operator /=(double s) => Div_(s);

    /// <summary>Get: the element or sub-tensor at the leading indices (a differentiable view). Set: copies a value into it in place.</summary>
    [IndexerName("At")]
    public Tensor this[params int[] index]
    {
        get
        {
            ArgumentNullException.ThrowIfNull(index);
            if (index.Length > shape.Length)
                throw new ArgumentException($"too many indices for tensor of dimension {shape.Length} (got {index.Length} indices for a tensor of shape {ShapeUtil.Format(shape)})");
            var t = this;
            for (int k = 0; k < index.Length; k++)
            {
                // Each Select removes a dimension, so index k picks along this tensor's dimension k: check it here to name that dim.
                if (index[k] < -shape[k] || index[k] >= shape[k])
                    throw new ArgumentOutOfRangeException(nameof(index), $"index {index[k]} is out of bounds for dimension {k} with size {shape[k]}");
                t = t.Select(0, index[k]);
            }
            return t;
        }
        set
        {
            Tensor view;
            using (new NoGrad()) view = this[index];
            // As in PyTorch's setitem, leading size-1 dims of the value are dropped (J[0] = x.grad with x.grad of shape [1, 2]).
            while (value.Dim > view.Dim && value.shape[0] == 1) value = value.Squeeze(0);
            view.CopyFrom(value);
        }
    }

    /// <summary>Writes op(this) into this tensor; with <paramref name="needsSelf"/> the op reads a copy of the old value.</summary>
    private Tensor ApplyInPlace(Func<Tensor, Tensor> op, bool needsSelf = false)
    {
        CheckInPlace();
        var input = needsSelf && GradMode.IsEnabled ? Clone() : this;
        var result = op(input);
        if (!Dispatch.CanCast(result.DType, DType))
            throw new InvalidOperationException($"result type {result.DType.TorchName()} can't be cast to the desired output type {DType.TorchName()}");
        if (result.DType != DType && result.gradFn is not null)
        {
            // As in PyTorch, a Float64 result is written into a Float32 tensor; the cast is part of the graph.
            if (viewBase is not null)
                throw new InvalidOperationException($"an in-place op on a view that casts its {result.DType.TorchName()} result to {DType.TorchName()} is not supported under autograd; cast the other operand first");
            result = result.To(DType);
        }
        if (!ShapeUtil.Same(result.shape, shape))
            throw new ArgumentException($"output with shape {ShapeUtil.Format(shape)} doesn't match the broadcast shape {ShapeUtil.Format(result.shape)}");
        WriteRaw(result);
        version.Value++;
        if (result.gradFn is not null)
        {
            if (viewBase is null)
            {
                gradFn = result.gradFn;
                requiresGrad = true;
            }
            else RebaseView(result.gradFn);
        }
        return this;
    }

    private void CheckInPlace()
    {
        CheckNoInternalOverlap();
        if (!GradMode.IsEnabled) return;
        if (requiresGrad && gradFn is null)      // a leaf, even when it looks into another tensor's storage
            throw new InvalidOperationException("a leaf Variable that requires grad is being used in an in-place operation.");
        if (viewBase is { requiresGrad: true, gradFn: null })
            throw new InvalidOperationException("a view of a leaf Variable that requires grad is being used in an in-place operation.");
    }

    /// <summary>Refuses to write into a tensor where several elements share one memory location (a stride 0 on a dim of size &gt; 1, as after Expand), as PyTorch's assert_no_internal_overlap.</summary>
    internal void CheckNoInternalOverlap()
    {
        for (int i = 0; i < shape.Length; i++)
            if (strides[i] == 0 && shape[i] > 1)
                throw new InvalidOperationException(
                    $"unsupported operation: more than one element of the written-to tensor refers to a single memory location. Please clone() the tensor before performing the operation. (shape {ShapeUtil.Format(shape)}, strides {ShapeUtil.Format(strides)})");
    }

    /// <summary>After an in-place op on this view: base.grad_fn = CopySlices(op), and this view reads its gradient from the base.</summary>
    private void RebaseView(Node fn)
    {
        var b = viewBase!;
        if (!b.isContiguous)
            throw new NotSupportedException($"in-place operation with autograd on a view of a non-contiguous tensor (shape {ShapeUtil.Format(b.shape)}) is not supported; call Contiguous() first");
        var region = new StridedRegion(shape, strides, offset - b.offset);
        b.gradFn = new CopySlices(b, region, fn);
        b.requiresGrad = true;
        gradFn = null;
        Graph.Record("AsStridedBackward0", this, [b], [], (b.shape, region),
            static (ctx, g, s) => [ScatterInto(g, s.shape, s.region, "AsStridedScatterBackward0")]);
    }

    /// <summary>Copies src's values (broadcast, converted) into this tensor's elements: no graph, no version bump.</summary>
    internal Tensor WriteRaw(Tensor src)
    {
        if (ReferenceEquals(src, this)) return this;
        var s = Dispatch.As(src, DType);
        return Dispatch.CopyStrided(s, ShapeUtil.BroadcastStrides(s.shape, s.strides, shape), this);
    }
}

/// <summary>The grad_fn of a tensor after an in-place op on one of its views: the op's backward applied to that region.</summary>
internal sealed class CopySlices : Node
{
    private readonly StridedRegion region;
    private readonly Node fn;

    public CopySlices(Tensor b, StridedRegion region, Node fn)
        : base([b.gradFn, .. fn.next.AsSpan(1)], [(b.shape, b.DType), .. fn.inputMeta.AsSpan(1)])
    {
        this.region = region;
        this.fn = fn;
    }

    public override string Name => "CopySlices";

    internal override Tensor?[] Apply(Tensor gradOutput)
    {
        if (GradMode.IsEnabled) return ApplyDifferentiably(gradOutput);
        var result = gradOutput.Clone();
        var slice = region.Of(result);
        var fnGrads = fn.Apply(slice.Clone());
        using (new NoGrad())
        {
            var own = fnGrads[0];
            if (own is null) slice.WriteRaw(Tensor.ZerosLike(slice));
            else slice.WriteRaw(own.Expand(slice.shape));
        }
        var grads = new Tensor?[fnGrads.Length];
        grads[0] = result;
        for (int i = 1; i < fnGrads.Length; i++) grads[i] = fnGrads[i];
        return grads;
    }

    /// <summary>The same gradients built from recorded ops (a backward with createGraph), so that they can be differentiated again.</summary>
    private Tensor?[] ApplyDifferentiably(Tensor gradOutput)
    {
        var g = gradOutput.Contiguous();             // the base's layout, which the region's strides describe
        var slice = Graph.Record("AsStridedBackward0", region.Of(g), [g], [], (g.shape, region),
            static (ctx, gg, s) => [Tensor.ScatterInto(gg, s.shape, s.region, "AsStridedScatterBackward0")]);
        var fnGrads = fn.Apply(slice);
        var outside = Tensor.Ones(g.shape, g.DType);
        using (new NoGrad()) region.Of(outside).WriteRaw(Tensor.Zeros(slice.shape, g.DType));
        var result = g * outside;
        var own = fnGrads[0];
        if (own is not null) result = result + Tensor.ScatterInto(own.Expand(slice.shape), g.shape, region, "AsStridedScatterBackward0");
        var grads = new Tensor?[fnGrads.Length];
        grads[0] = result;
        for (int i = 1; i < fnGrads.Length; i++) grads[i] = fnGrads[i];
        return grads;
    }

    internal override void Release() => fn.Release();
}
