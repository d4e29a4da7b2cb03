using FsCheck;
using FsCheck.Fluent;
using Framework.Autograd;
using static Tests.Reliability.PropertyHarness;

namespace Tests.Reliability;

/// <summary>
/// Property tests of MatMul, Cat/Stack, Reshape/View and the indexer over random shapes (0-size dims, views):
/// each matches a plain loop over Float64 reference arrays, or throws ArgumentException.
/// </summary>
public class ShapePropertyTests
{
    public sealed record MatMulCase(RefArray A, RefArray B, DType D, Layout LA, Layout LB)
    {
        public override string ToString() => $"matmul: a {A} {LA}, b {B} {LB}, {D}";
    }

    private static Gen<MatMulCase> MatMulCases { get; } =
        from ra in Gen.Choose(1, 4)
        from rb in Gen.Choose(1, 4)
        from nkm in Gen.ArrayOf(Dim, 3)
        from kb in Gen.Frequency((6, Gen.Constant(nkm[1])), (1, Gen.Choose(0, 4)))
        from batch in Shape(Math.Max(0, Math.Max(ra, rb) - 2), Math.Max(0, Math.Max(ra, rb) - 2))
        from ba in BroadcastableTo(batch)
        from bb0 in BroadcastableTo(batch)
        from bb in MaybeCorrupt(bb0, 10)
        let sa = ra == 1 ? new[] { nkm[1] } : [.. ba.TakeLast(ra - 2), nkm[0], nkm[1]]
        let sb = rb == 1 ? new[] { kb } : [.. bb.TakeLast(rb - 2), kb, nkm[2]]
        from d in FloatDType
        from a in Values(sa)
        from b in Values(sb)
        from la in AnyLayout
        from lb in AnyLayout
        select new MatMulCase(a, b, d, la, lb);

    [Fact]
    public void MatMul_follows_torch_matmul_broadcasting_or_names_the_mismatch()
    {
        ForAll(MatMulCases, 800, c =>
        {
            var a = RefTensor.Make(c.A, c.D, c.LA);
            var b = RefTensor.Make(c.B, c.D, c.LB);
            Expect(() => a.MatMul(b), MatMul(c.A, c.B), c.D, c.ToString(), scale: 16 * 4);
        });
    }

    /// <summary>torch.matmul: 1-d operands get a dim prepended (a) or appended (b) and removed after; batch dims broadcast.</summary>
    private static RefArray? MatMul(RefArray a, RefArray b)
    {
        var sa = a.Rank == 1 ? [1, a.Shape[0]] : a.Shape;
        var sb = b.Rank == 1 ? [b.Shape[0], 1] : b.Shape;
        int n = sa[^2], k = sa[^1], m = sb[^1];
        if (sb[^2] != k) return null;
        var batch = RefArray.Broadcast(sa[..^2], sb[..^2]);
        if (batch is null) return null;
        var A = a with { Shape = sa };
        var B = b with { Shape = sb };
        var full = RefArray.Build([.. batch, n, m], idx =>
        {
            double acc = 0;
            for (int j = 0; j < k; j++)
            {
                int[] ia = [.. idx[..^2], idx[^2], j], ib = [.. idx[..^2], j, idx[^1]];
                acc += A.AtBroadcast(ia) * B.AtBroadcast(ib);   // right-aligned: batch dims broadcast
            }
            return acc;
        });
        var shape = full.Shape.ToList();
        if (b.Rank == 1) shape.RemoveAt(shape.Count - 1);
        if (a.Rank == 1) shape.RemoveAt(shape.Count - (b.Rank == 1 ? 1 : 2));
        return full with { Shape = [.. shape] };
    }

    public sealed record CatCase(RefArray[] Parts, int Dim, bool Stack, DType D, Layout L)
    {
        public override string ToString() => $"{(Stack ? "stack" : "cat")}(dim {Dim}): {string.Join("; ", Parts.Select(p => p.ToString()))} {D} {L}";
    }

    private static Gen<CatCase> CatCases { get; } =
        from stack in Gen.Elements(false, true)
        from count in Gen.Frequency((1, Gen.Constant(0)), (12, Gen.Choose(1, 4)))
        from shape in Shape(stack ? 0 : 1, 3)
        from sizes in Gen.ArrayOf(Gen.Choose(0, 3), count)
        from dim in Gen.Choose(-(shape.Length + (stack ? 1 : 0)) - 1, shape.Length + (stack ? 1 : 0))
        from shapes in Gen.ArrayOf(MaybeCorrupt(shape, 6), count)
        from parts in Gen.CollectToArray(shapes.Select((s, i) => Values(stack ? s : WithDim(s, dim, sizes[i]))))
        from d in NumericDType
        from l in AnyLayout
        select new CatCase([.. parts.Select(p => d == DType.Int64 ? p with { Data = [.. p.Data.Select(v => Math.Round(v))] } : p)], dim, stack, d, l);

    private static int[] WithDim(int[] s, int dim, int size)
    {
        int r = s.Length;
        if (dim < -r || dim >= r) return s;
        var t = (int[])s.Clone();
        t[dim < 0 ? dim + r : dim] = size;
        return t;
    }

    [Fact]
    public void Cat_and_Stack_join_along_the_dim_or_name_the_bad_part()
    {
        ForAll(CatCases, 800, c =>
        {
            var parts = c.Parts.Select(p => RefTensor.Make(p, c.D, c.L)).ToArray();
            Expect(() => c.Stack ? Tensor.Stack(parts, c.Dim) : Tensor.Cat(parts, c.Dim), Join(c), c.D, c.ToString());
        });
    }

    private static RefArray? Join(CatCase c)
    {
        if (c.Parts.Length == 0) return null;
        var first = c.Parts[0].Shape;
        int r = first.Length + (c.Stack ? 1 : 0);
        if (c.Dim < -r || c.Dim >= r) return null;
        int d = c.Dim < 0 ? c.Dim + r : c.Dim;
        var parts = c.Stack
            ? c.Parts.Select(p => p.Shape.SequenceEqual(first) ? p with { Shape = [.. first[..d], 1, .. first[d..]] } : null).ToArray()
            : c.Parts.Select(p => p.Rank == first.Length && Enumerable.Range(0, first.Length).All(i => i == d || p.Shape[i] == first[i]) ? p : null).ToArray();
        if (parts.Any(p => p is null)) return null;
        var outShape = (int[])parts[0]!.Shape.Clone();
        outShape[d] = parts.Sum(p => p!.Shape[d]);
        return RefArray.Build(outShape, idx =>
        {
            int i = idx[d], part = 0;
            while (i >= parts[part]!.Shape[d]) { i -= parts[part]!.Shape[d]; part++; }
            var k = (int[])idx.Clone(); k[d] = i;
            return parts[part]!.At(k);
        });
    }

    public sealed record ReshapeCase(RefArray X, int[] Target, bool View, DType D, Layout L)
    {
        public override string ToString() => $"{(View ? "view" : "reshape")}([{string.Join(", ", Target)}]): {X} {D} {L}";
    }

    /// <summary>A random shape with exactly <paramref name="numel"/> elements (rank 0..4).</summary>
    private static Gen<int[]> ShapeOfNumel(int numel) =>
        from rank in Gen.Choose(numel == 1 ? 0 : 1, 4)
        from picks in Gen.ArrayOf(Gen.Choose(0, 1000), rank)
        select Factor(numel, picks);

    private static int[] Factor(int numel, int[] picks)
    {
        var r = new int[picks.Length];
        int left = numel;
        for (int i = 0; i < r.Length - 1; i++)
        {
            if (numel == 0) { r[i] = picks[i] % 4; continue; }
            var divisors = Enumerable.Range(1, left).Where(v => left % v == 0).ToArray();
            r[i] = divisors[picks[i] % divisors.Length];
            left /= r[i];
        }
        if (r.Length > 0) r[^1] = numel == 0 ? 0 : left;
        return r;
    }

    private static Gen<ReshapeCase> ReshapeCases { get; } =
        from shape in Shape(0, 4)
        from target0 in ShapeOfNumel(RefArray.Numel(shape))
        from infer in Gen.Choose(-3, target0.Length - 1)
        from target1 in MaybeCorrupt(target0, 10)
        from twoInferred in Gen.Choose(1, 100)
        let target = Infer(target1, infer, twoInferred <= 4)
        from view in Gen.Elements(false, true)
        from d in NumericDType
        from x in Values(shape, integral: d == DType.Int64)
        from l in AnyLayout
        select new ReshapeCase(x, target, view, d, l);

    private static int[] Infer(int[] t, int at, bool twice)
    {
        if (at < 0) return t;
        var r = (int[])t.Clone();
        r[at] = -1;
        if (twice && r.Length > 1) r[(at + 1) % r.Length] = -1;
        return r;
    }

    [Fact]
    public void Reshape_and_View_keep_row_major_order_or_refuse_the_shape()
    {
        ForAll(ReshapeCases, 800, c =>
        {
            var x = RefTensor.Make(c.X, c.D, c.L);
            RefArray? expected = null;
            var shape = (int[])c.Target.Clone();
            int known = shape.Where(v => v != -1).Aggregate(1, (p, v) => p * v), inferred = shape.Count(v => v == -1);
            if (inferred == 1 && known != 0 && c.X.Data.Length % known == 0) shape[Array.IndexOf(shape, -1)] = c.X.Data.Length / known;
            if (shape.All(v => v >= 0) && RefArray.Numel(shape) == c.X.Data.Length) expected = c.X with { Shape = shape };
            // View may refuse a non-contiguous input whose strides cannot express the shape (InvalidOperationException).
            bool contiguous = x.IsContiguous;
            Expect(() => c.View ? x.View(c.Target) : x.Reshape(c.Target), expected, c.D, c.ToString(),
                alsoAllowed: e => c.View && !contiguous && expected is not null && e is InvalidOperationException && e.Message.Contains("view size is not compatible"));
        });
    }

    public sealed record IndexCase(RefArray X, int[] Index, DType D, Layout L)
    {
        public override string ToString() => $"x[{string.Join(", ", Index)}]: {X} {D} {L}";
    }

    private static Gen<IndexCase> IndexCases { get; } =
        from shape in Shape(0, 4)
        from n in Gen.Frequency((8, Gen.Choose(0, shape.Length)), (1, Gen.Constant(shape.Length + 1)))
        from raw in Gen.ArrayOf(Gen.Choose(-5, 4), n)
        from d in NumericDType
        from x in Values(shape, integral: d == DType.Int64)
        from l in AnyLayout
        select new IndexCase(x, raw, d, l);

    [Fact]
    public void The_indexer_selects_the_sub_tensor_or_refuses_the_index()
    {
        ForAll(IndexCases, 800, c =>
        {
            var x = RefTensor.Make(c.X, c.D, c.L);
            var s = c.X.Shape;
            RefArray? expected = null;
            if (c.Index.Length <= s.Length && c.Index.Select((v, i) => v >= -s[i] && v < s[i]).All(b => b))
            {
                var lead = c.Index.Select((v, i) => v < 0 ? v + s[i] : v).ToArray();
                var rest = s[c.Index.Length..];
                expected = RefArray.Build(rest, idx => c.X.At([.. lead, .. idx]));
            }
            Expect(() => x[c.Index], expected, c.D, c.ToString());
        });
    }
}
