namespace Framework.Autograd;

/// <summary>One entry of <c>x[...]</c>: an integer, a slice, an Int64 index or Bool mask tensor, <see cref="None"/> (a new axis) or <see cref="Ellipsis"/>.</summary>
public readonly struct TensorIndex
{
    internal enum Kinds : byte { Unset, Integer, FromEnd, Slice, Tensor, None, Ellipsis }

    internal readonly Kinds Kind;
    /// <summary>Integer: the position (negative counts from the end, as in Python); FromEnd: k of ^k.</summary>
    internal readonly int Value;
    internal readonly Index Start, Stop;
    internal readonly int Step;
    internal readonly Tensor? Indices;

    private TensorIndex(Kinds kind, int value = 0, Index start = default, Index stop = default, int step = 1, Tensor? indices = null)
    {
        Kind = kind; Value = value; Start = start; Stop = stop; Step = step; Indices = indices;
    }

    /// <summary>A new axis of size 1 (Python's None in x[None]).</summary>
    public static TensorIndex None => new(Kinds.None);

    /// <summary>As many whole dims as the other entries leave (Python's ... in x[..., 0]).</summary>
    public static TensorIndex Ellipsis => new(Kinds.Ellipsis);

    /// <summary>The Python slice start:stop:step; null bounds mean the ends, negative ones count from the end.</summary>
    public static TensorIndex Slice(int? start = null, int? stop = null, int step = 1)
    {
        if (step <= 0) throw new ArgumentException($"step must be greater than zero (got step {step})");
        return new(Kinds.Slice, start: Python(start, Index.Start), stop: Python(stop, Index.End), step: step);
    }

    private static Index Python(int? bound, Index missing) => bound switch
    {
        null => missing,
        < 0 => Index.FromEnd(bound == int.MinValue ? int.MaxValue : -bound.Value),
        _ => Index.FromStart(bound.Value),
    };

    /// <summary>The element at position i of the dim (negative counts from the end); the dim is removed.</summary>
    public static implicit operator TensorIndex(int i) => new(Kinds.Integer, i);

    /// <summary>The element at position i of the dim (negative counts from the end); the dim is removed.</summary>
    public static implicit operator TensorIndex(long i) => i is >= int.MinValue and <= int.MaxValue
        ? new(Kinds.Integer, (int)i)
        : throw new ArgumentOutOfRangeException(nameof(i), $"index {i} is out of bounds: a dimension has at most {int.MaxValue} elements");

    /// <summary>The element at a System.Index (^1 is the last); the dim is removed.</summary>
    public static implicit operator TensorIndex(Index i) => i.IsFromEnd ? new(Kinds.FromEnd, i.Value) : new(Kinds.Integer, i.Value);

    /// <summary>The elements of a System.Range (1..3, ..^1, ..): a view.</summary>
    public static implicit operator TensorIndex(Range r) => new(Kinds.Slice, start: r.Start, stop: r.End, step: 1);

    /// <summary>An Int64 tensor of positions or a Bool mask: advanced indexing (a gathered copy).</summary>
    public static implicit operator TensorIndex(Tensor t) => new(Kinds.Tensor, indices: t ?? throw new ArgumentNullException(nameof(t), "an index tensor is null"));

    /// <summary>Python's spelling of this entry: 2, ^1, 1:3, ::2, None, ..., or the index tensor's dtype and shape.</summary>
    public override string ToString() => Kind switch
    {
        Kinds.Integer => Value.ToString(System.Globalization.CultureInfo.InvariantCulture),
        Kinds.FromEnd => $"^{Value}",
        Kinds.Slice => $"{Bound(Start, Index.Start)}:{Bound(Stop, Index.End)}{(Step == 1 ? "" : $":{Step}")}",
        Kinds.Tensor => $"a {Indices!.DType.TorchName()} tensor of shape {ShapeUtil.Format(Indices.shape)}",
        Kinds.None => "None",
        Kinds.Ellipsis => "...",
        _ => "default(TensorIndex)",
    };

    private static string Bound(Index i, Index missing) => i.Equals(missing) ? "" : i.IsFromEnd ? $"-{i.Value}" : $"{i.Value}";

    /// <summary>How many dims of the indexed tensor this entry consumes.</summary>
    internal int ConsumedDims => Kind switch
    {
        Kinds.Integer or Kinds.FromEnd or Kinds.Slice => 1,
        Kinds.Tensor => Indices!.DType == DType.Bool ? Indices.shape.Length : 1,
        _ => 0,
    };
}
