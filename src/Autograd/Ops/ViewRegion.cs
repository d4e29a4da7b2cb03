namespace Framework.Autograd;

/// <summary>A sub-tensor picked by a view op (select, slice, a strided view), replayed on other tensors of the same shape.</summary>
internal interface IViewRegion
{
    /// <summary>The region of <paramref name="t"/>.</summary>
    Tensor Of(Tensor t);
}

/// <summary>t.Select(Dim, Index).</summary>
internal readonly record struct SelectRegion(int Dim, int Index) : IViewRegion
{
    public Tensor Of(Tensor t) => t.Select(Dim, Index);
}

/// <summary>t.Slice(Dim, Start, End, Step).</summary>
internal readonly record struct SliceRegion(int Dim, int Start, int End, int Step) : IViewRegion
{
    public Tensor Of(Tensor t) => t.Slice(Dim, Start, End, Step);
}

/// <summary>The view of t with this geometry, its offset counted from t's (no graph).</summary>
internal readonly record struct StridedRegion(int[] Shape, int[] Strides, int Offset) : IViewRegion
{
    public Tensor Of(Tensor t) => t.MakeView(Shape, Strides, t.offset + Offset);
}
