using FsCheck;
using FsCheck.Fluent;
using Framework.Autograd;
using static Tests.Reliability.PropertyHarness;

namespace Tests.Reliability;

/// <summary>
/// Property tests over random shapes (0-size dims, broadcasting, views) and dtypes: an elementwise op matches a
/// plain Float64 loop, or the shapes do not broadcast and it throws ArgumentException.
/// </summary>
public class ElementwisePropertyTests
{
    public sealed record BinaryCase(string Op, RefArray A, DType DA, Layout LA, RefArray B, DType DB, Layout LB)
    {
        public override string ToString() => $"{Op}: a {A} {DA} {LA}, b {B} {DB} {LB}";
    }

    private static readonly string[] Ops = ["add", "sub", "mul", "div", "pow", "gt", "where"];

    private static Gen<BinaryCase> Cases { get; } =
        from op in Gen.Elements(Ops)
        from outShape in Shape(0, 4)
        from sa in BroadcastableTo(outShape)
        from sb0 in BroadcastableTo(outShape)
        from sb in MaybeCorrupt(sb0, 15)
        from da in op == "pow" ? FloatDType : NumericDType
        from db in op == "pow" ? FloatDType : NumericDType
        from a in op == "pow" ? Values(sa, 0.25, 4) : Values(sa, integral: da == DType.Int64, specialsPercent: da == DType.Int64 ? 0 : 5)
        from b in op == "pow" ? Values(sb, -2, 2) : Values(sb, integral: db == DType.Int64, nonZero: op == "div")
        from la in AnyLayout
        from lb in AnyLayout
        select new BinaryCase(op, a, da, la, b, db, lb);

    [Fact]
    public void Binary_ops_match_a_Float64_loop_or_refuse_shapes_that_do_not_broadcast()
    {
        ForAll(Cases, 1500, c =>
        {
            var a = RefTensor.Make(c.A, c.DA, c.LA);
            var b = RefTensor.Make(c.B, c.DB, c.LB);
            var outShape = RefArray.Broadcast(c.A.Shape, c.B.Shape);
            var dtype = c.Op switch
            {
                "gt" => DType.Bool,
                "div" when c.DA == DType.Int64 && c.DB == DType.Int64 => DType.Float32,
                _ => Promote(c.DA, c.A.Rank, c.DB, c.B.Rank),
            };
            Func<double, double, double> f = c.Op switch
            {
                "add" => (x, y) => x + y,
                "sub" => (x, y) => x - y,
                "mul" => (x, y) => x * y,
                "div" => (x, y) => x / y,
                "pow" => Math.Pow,
                "gt" => (x, y) => x > y ? 1 : 0,
                _ => (x, y) => x > 0 ? x : y,   // where(a > 0, a, b)
            };
            RefArray? expected = outShape is null ? null
                : RefArray.Build(outShape, idx => f(c.A.AtBroadcast(idx), c.B.AtBroadcast(idx)));
            Func<Tensor> op = c.Op switch
            {
                "add" => () => a + b,
                "sub" => () => a - b,
                "mul" => () => a * b,
                "div" => () => a / b,
                "pow" => () => a.Pow(b),
                "gt" => () => a.Gt(b),
                _ => () => Tensor.Where(a.Gt(0.0), a, b),
            };
            Expect(op, expected, dtype, c.ToString());
        });
    }

    public sealed record InPlaceCase(RefArray A, DType DA, Layout LA, RefArray B, DType DB)
    {
        public override string ToString() => $"add_: a {A} {DA} {LA}, b {B} {DB}";
    }

    private static Gen<InPlaceCase> InPlaceCases { get; } =
        from sa in Shape(0, 4)
        from sb0 in BroadcastableTo(sa)
        from sb in Gen.Frequency((6, Gen.Constant(sb0)), (1, Corrupt(sb0)), (1, Shape(0, 4)))
        from da in NumericDType
        from db in NumericDType
        from a in Values(sa, integral: da == DType.Int64)
        from b in Values(sb, integral: db == DType.Int64)
        from la in AnyLayout
        select new InPlaceCase(a, da, la, b, db);

    [Fact]
    public void In_place_add_writes_the_broadcast_sum_or_refuses_the_shape_and_dtype()
    {
        ForAll(InPlaceCases, 600, c =>
        {
            var a = RefTensor.Make(c.A, c.DA, c.LA);
            var b = RefTensor.Make(c.B, c.DB, Layout.Contiguous);
            var outShape = RefArray.Broadcast(c.A.Shape, c.B.Shape);
            // In place, the result keeps a's shape and dtype: b must broadcast to a, and the result type must not be
            // float when a is Int64 (torch.can_cast); a Float64 result is written into a Float32 tensor.
            bool ok = outShape is not null && outShape.SequenceEqual(c.A.Shape) && !(c.DA == DType.Int64 && Promote(c.DA, c.A.Rank, c.DB, c.B.Rank) != DType.Int64);
            var expected = ok ? RefArray.Build(c.A.Shape, idx => c.A.At(idx) + c.B.AtBroadcast(idx)) : null;
            Expect(() => a.Add_(b), expected, c.DA, c.ToString(),
                alsoAllowed: e => !ok && e is InvalidOperationException && e.Message.Contains("can't be cast"));
            if (ok) RefTensor.AssertMatches(expected!, a, c.DA, c.ToString() + " (a after add_)");
        });
    }
}
